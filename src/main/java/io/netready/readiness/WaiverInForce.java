package io.netready.readiness;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/**
 * A waiver as judging needs it: which rule it accepts, for one node or (nodeId null) the whole cluster, until when,
 * and why. The waiver feature owns the waivers; readiness only reads those in force.
 */
public record WaiverInForce(long id, Long nodeId, String rule, String reason, Instant expiresAt, String createdBy) {

    /** The columns {@link #read} expects, in order. */
    static final String COLUMNS = "id, node_id, rule, reason, expires_at, created_by";

    public boolean covers(long node, String ruleId, Instant now) {
        return rule.equals(ruleId) && (nodeId == null || nodeId == node) && expiresAt.isAfter(now);
    }

    static WaiverInForce read(ResultSet row) throws SQLException {
        return new WaiverInForce(row.getLong(1), (Long) row.getObject(2), row.getString(3), row.getString(4),
                row.getTimestamp(5).toInstant(), row.getString(6));
    }
}
