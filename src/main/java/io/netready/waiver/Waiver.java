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

    public boolean isActive(Instant now) {
        return revokedAt == null && expiresAt.isAfter(now);
    }

    public boolean covers(long node, String ruleId) {
        return rule.equals(ruleId) && (nodeId == null || nodeId == node);
    }

    /** The cluster's waivers in force, read with plain JDBC on the caller's connection (the upload path). */
    /** A waiver from a row of (id, node_id, rule, reason, expires_at, created_at, created_by): the upload's read. */
    public static Waiver read(java.sql.ResultSet row, long clusterId) throws java.sql.SQLException {
        Waiver waiver = new Waiver();
        waiver.id = row.getLong(1);
        waiver.clusterId = clusterId;
        waiver.nodeId = (Long) row.getObject(2);
        waiver.rule = row.getString(3);
        waiver.reason = row.getString(4);
        waiver.expiresAt = row.getTimestamp(5).toInstant();
        waiver.createdAt = row.getTimestamp(6).toInstant();
        waiver.createdBy = row.getString(7);
        return waiver;
    }

    public static List<Waiver> activeForCluster(long clusterId) {
        return list("clusterId = ?1 and revokedAt is null and expiresAt > ?2 order by expiresAt", clusterId, Instant.now());
    }
}
