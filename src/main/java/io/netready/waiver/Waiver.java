package io.netready.waiver;

import java.time.Instant;
import java.util.List;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** An admin's acceptance of a rule's finding for one node, or for every node of a cluster, until it expires. */
@Entity
public class Waiver extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "cluster_id", nullable = false)
    public Long clusterId;

    /** Null: the waiver covers every node of the cluster. */
    @Column(name = "node_id")
    public Long nodeId;

    @Column(nullable = false)
    public String rule;

    @Column(nullable = false)
    public String reason;

    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "created_by", nullable = false)
    public String createdBy;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    @Column(name = "revoked_by")
    public String revokedBy;

    public static List<Waiver> activeForCluster(long clusterId) {
        return list("clusterId = ?1 and revokedAt is null and expiresAt > ?2 order by expiresAt", clusterId, Instant.now());
    }
}
