package io.netready.token;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.core.Response;

import io.agroal.api.AgroalDataSource;
import io.netready.api.ProblemException;
import io.netready.audit.AuditAction;
import io.netready.audit.AuditLog;
import io.netready.cluster.Cluster;
import io.netready.crypto.Secrets;

/** Issues, revokes and checks the upload tokens that let nodes report to one cluster. */
@ApplicationScoped
public class UploadTokenService {

    static final String PREFIX = "nrt_";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 ._-]{0,62}");
    private static final int MIN_BOOTSTRAP_LENGTH = 24;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    AuditLog audit;

    @Inject
    UploadRateLimiter rateLimiter;

    @Inject
    SecretViews secretViews;

    /** A token just issued: the secret is in {@code token} and is never shown again. */
    public record IssuedToken(UploadToken record, String token) {
    }

    /** A token issued on the page: its record, and the handle of the one view of its secret ({@link SecretViews}). */
    public record PageIssue(UploadToken record, String handle) {
    }

    /** An authenticated upload: the token and the cluster it is for. */
    public record UploadGrant(UploadToken token, Cluster cluster) {
    }

    @Transactional
    public IssuedToken issue(Cluster cluster, String name, String actor) {
        String secret = PREFIX + Secrets.randomUrlSafe(32);
        return new IssuedToken(register(cluster, name, secret, actor), secret);
    }

    /**
     * Issues a token for the page's POST-redirect-GET: the secret is kept for one view by the issuing admin, and the
     * redirect carries the handle of that view, never the secret.
     */
    @Transactional
    public PageIssue issueForPage(Cluster cluster, String name, String actor) {
        IssuedToken issued = issue(cluster, name, actor);
        return new PageIssue(issued.record(), secretViews.keep(issued.record().id, issued.token(), actor));
    }

    /** Registers a token and records it in the audit log (never the secret, only its hint). */
    @Transactional
    public UploadToken register(Cluster cluster, String name, String secret, String actor) {
        UploadToken token = store(cluster, name, secret, actor);
        audit.record(actor, AuditAction.TOKEN_CREATE, cluster.id, cluster.name, token.name, "token " + token.id + " (" + token.tokenHint + ")");
        return token;
    }

    /** Stores the hash of a token, issued here or chosen elsewhere (the bootstrap token from the environment). */
    private UploadToken store(Cluster cluster, String name, String secret, String actor) {
        String validName = name == null ? "" : name.strip();
        if (!NAME.matcher(validName).matches()) {
            throw ProblemException.unprocessable(
                    "token name must be 1-63 letters, digits, spaces, '.', '_' or '-', starting with a letter or digit");
        }
        if (secret.length() < MIN_BOOTSTRAP_LENGTH) {
            throw ProblemException.unprocessable("an upload token must have at least " + MIN_BOOTSTRAP_LENGTH + " characters");
        }
        if (UploadToken.count("clusterId = ?1 and name = ?2", cluster.id, validName) > 0) {
            throw ProblemException.conflict("Cluster '" + cluster.name + "' has a token named '" + validName + "' already.");
        }
        UploadToken token = new UploadToken();
        token.clusterId = cluster.id;
        token.name = validName;
        token.tokenHash = hash(secret);
        token.tokenHint = secret.substring(0, Math.min(8, secret.length())) + "…";
        token.createdAt = Instant.now();
        token.createdBy = actor;
        token.persist();
        return token;
    }

    /** Whether this token (revoked or not) is already known. */
    public boolean isRegistered(String secret) {
        return UploadToken.findByHash(hash(secret)).isPresent();
    }

    @Transactional
    public UploadToken revoke(Cluster cluster, long tokenId, String actor) {
        UploadToken token = UploadToken.<UploadToken> findByIdOptional(tokenId)
                .filter(t -> t.clusterId.equals(cluster.id))
                .orElseThrow(() -> ProblemException.notFound("Cluster '" + cluster.name + "' has no token " + tokenId + "."));
        if (!token.isRevoked()) {
            token.revokedAt = Instant.now();
            token.revokedBy = actor;
            audit.record(actor, AuditAction.TOKEN_REVOKE, cluster.id, cluster.name, token.name, "token " + token.id + " (" + token.tokenHint + ")");
        }
        return token;
    }

    /**
     * Checks the {@code Authorization: Bearer} header of an upload. A missing, unknown or revoked token is a 401
     * that says which of the three it was.
     */
    public UploadGrant authenticate(String authorization, String remoteAddress) {
        if (authorization == null || authorization.isBlank()) {
            throw unauthorized("The upload has no Authorization header; send 'Authorization: Bearer <upload token>'.");
        }
        if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7) || authorization.length() > 1024) {
            throw unauthorized("The Authorization header must be 'Bearer <upload token>'.");
        }
        String secret = authorization.substring(7).strip();
        // Every upload passes here: one plain query for the token and its cluster, no entity loading.
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("""
                        SELECT t.id, t.name, t.token_hint, t.revoked_at, t.last_used_at, t.last_used_from,
                               c.id, c.name, c.team, c.pod_cidr, c.service_cidr, c.routing_mode, c.node_networks
                        FROM upload_token t JOIN cluster c ON c.id = t.cluster_id WHERE t.token_hash = ?""")) {
            select.setBytes(1, hash(secret));
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    throw unauthorized("The upload token is not known to this portal.");
                }
                UploadToken token = new UploadToken();
                token.id = row.getLong(1);
                token.name = row.getString(2);
                token.tokenHint = row.getString(3);
                token.revokedAt = instant(row.getTimestamp(4));
                token.lastUsedAt = instant(row.getTimestamp(5));
                token.lastUsedFrom = row.getString(6);
                Cluster cluster = new Cluster();
                cluster.id = row.getLong(7);
                cluster.name = row.getString(8);
                cluster.team = row.getString(9);
                cluster.podCidr = row.getString(10);
                cluster.serviceCidr = row.getString(11);
                cluster.routingMode = row.getString(12);
                cluster.nodeNetworks = row.getString(13);
                token.clusterId = cluster.id;
                if (token.isRevoked()) {
                    throw unauthorized("The upload token '" + token.name + "' was revoked at " + token.revokedAt + ".");
                }
                long wait = rateLimiter.secondsToWait(token.id);
                if (wait > 0) {
                    throw new ProblemException(429, "Too Many Requests", "The upload token '" + token.name
                            + "' is over its rate (netready.upload.rate-per-token); try again in " + wait + " s.")
                            .withHeader("Retry-After", Long.toString(wait));
                }
                recordUse(connection, token, remoteAddress);
                return new UploadGrant(token, cluster);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Checking an upload token failed", e);
        }
    }

    /** Records the last use, at most once a minute per token, so busy tokens do not rewrite their row on every upload. */
    private static void recordUse(Connection connection, UploadToken token, String remoteAddress) throws SQLException {
        Instant now = Instant.now();
        if (token.lastUsedAt == null || token.lastUsedAt.isBefore(now.minusSeconds(60))
                || !String.valueOf(remoteAddress).equals(token.lastUsedFrom)) {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE upload_token SET last_used_at = ?, last_used_from = ? WHERE id = ?")) {
                update.setTimestamp(1, java.sql.Timestamp.from(now));
                update.setString(2, remoteAddress);
                update.setLong(3, token.id);
                update.executeUpdate();
            }
        }
    }

    private static Instant instant(java.sql.Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    static byte[] hash(String secret) {
        return Secrets.sha256(secret);
    }

    private static ProblemException unauthorized(String detail) {
        return new ProblemException(Response.Status.UNAUTHORIZED, detail)
                .withHeader("WWW-Authenticate", "Bearer realm=\"netready-upload\"");
    }
}
