package io.netready.token;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A named secret that lets nodes upload reports to one cluster. Only its SHA-256 is stored. */
@Entity
@Table(name = "upload_token")
public class UploadToken extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "cluster_id", nullable = false)
    public Long clusterId;

    @Column(nullable = false)
    public String name;

    @Column(name = "token_hash", nullable = false, unique = true)
    public byte[] tokenHash;

    /** The first characters of the token, enough for a person to tell tokens apart. */
    @Column(name = "token_hint", nullable = false)
    public String tokenHint;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "created_by", nullable = false)
    public String createdBy;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    @Column(name = "revoked_by")
    public String revokedBy;

    @Column(name = "last_used_at")
    public Instant lastUsedAt;

    @Column(name = "last_used_from")
    public String lastUsedFrom;

    public boolean isRevoked() {
        return revokedAt != null;
    }

    public static Optional<UploadToken> findByHash(byte[] hash) {
        return find("tokenHash", hash).firstResultOptional();
    }

    public static List<UploadToken> listForCluster(long clusterId) {
        return list("clusterId = ?1 order by revokedAt nulls first, createdAt desc", clusterId);
    }
}
