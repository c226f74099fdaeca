package io.netready.node;

import java.time.Instant;
import java.util.List;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A machine of a cluster, known across uploads by its hostname plus its machine identity. */
@Entity
public class Node extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "cluster_id", nullable = false)
    public Long clusterId;

    @Column(name = "node_key", nullable = false)
    public String nodeKey;

    @Column(nullable = false)
    public String hostname;

    @Column(name = "machine_id")
    public String machineId;

    @Column(name = "product_uuid")
    public String productUuid;

    @Column(nullable = false)
    public String role;

    @Column(name = "first_seen", nullable = false)
    public Instant firstSeen;

    @Column(name = "last_seen", nullable = false)
    public Instant lastSeen;

    @Column(name = "last_report_id")
    public Long lastReportId;

    /** Its latest run by collection time made as root (probe uid 0), which may be older than the latest run. */
    @Column(name = "last_root_report_id")
    public Long lastRootReportId;

    public static List<Node> listForCluster(long clusterId) {
        return list("clusterId = ?1 order by hostname, id", clusterId);
    }
}
