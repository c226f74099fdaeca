package io.netready.upload;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

import io.netready.api.ProblemException;
import io.netready.jdbc.NamedSql;
import io.netready.readiness.IndexedClusterView;
import io.netready.rules.NodeIdentity;
import io.netready.rules.Verdict;

/**
 * An upload's first round trip, as one statement: the report stored before under the upload's id (then nothing else
 * happens), else the node upserted, an id for the new report, which of its section contents are stored already, and
 * what the cluster rules compare the node with (readiness' cluster read, naming the node by its key).
 */
record UploadStart(long clusterId, String reportId, byte[] contentHash, String nodeKey, String hostname, String machineId,
        String productUuid, String role, Instant now, Collection<String> sectionHashes, NodeIdentity target) {

    private static final NamedSql SQL = NamedSql.parse("""
            WITH existing AS (
                SELECT id, node_id, received_at, verdict, content_hash FROM report
                 WHERE cluster_id = :cluster AND probe_report_id = :report_id
            ), upserted AS (
                INSERT INTO node (cluster_id, node_key, hostname, machine_id, product_uuid, role, first_seen, last_seen)
                SELECT :cluster::bigint, :node_key::text, :hostname::text, :machine_id::text, :product_uuid::text,
                       :role::text, :now::timestamptz, :now::timestamptz
                 WHERE NOT EXISTS (SELECT 1 FROM existing)
                ON CONFLICT (cluster_id, node_key) DO UPDATE SET
                    role = EXCLUDED.role,
                    machine_id = COALESCE(EXCLUDED.machine_id, node.machine_id),
                    product_uuid = COALESCE(EXCLUDED.product_uuid, node.product_uuid),
                    last_seen = GREATEST(node.last_seen, EXCLUDED.last_seen)
                RETURNING id
            )
            SELECT e.id, e.node_id, e.received_at, e.verdict, e.content_hash, u.id,
                   CASE WHEN e.id IS NULL THEN nextval(pg_get_serial_sequence('report', 'id')) END,
                   CASE WHEN e.id IS NULL THEN ARRAY(SELECT hash FROM section_content WHERE hash = ANY (:section_hashes)) END
              FROM (VALUES (1)) AS one
              LEFT JOIN existing e ON true
              LEFT JOIN upserted u ON true;
            """ + IndexedClusterView.READ_BY_NODE_KEY);

    /**
     * What the round trip learned. For a report stored before, only {@code existing}; otherwise the node, the new
     * report's id, the section contents stored already, and {@code statement} standing at the cluster read's first
     * result (the caller reads it, then closes {@code bound}).
     */
    record Started(Stored existing, long nodeId, long reportId, Set<String> storedHashes, NamedSql.Bound bound,
            PreparedStatement statement) {
    }

    /** Runs the statement; the caller closes the returned {@link Started#bound()}. */
    Started run(Connection connection) throws SQLException {
        HexFormat hex = HexFormat.of();
        NamedSql.Bound bound = SQL.prepare(connection);
        try {
            bound.set("cluster", clusterId).set("report_id", reportId).set("node_key", nodeKey).set("hostname", hostname)
                    .set("machine_id", machineId).set("product_uuid", productUuid).set("role", role).set("now", now)
                    .setBytes("section_hashes", sectionHashes.stream().map(hex::parseHex).toList());
            IndexedClusterView.bindTarget(bound, clusterId, target);
            PreparedStatement statement = bound.statement();
            statement.execute();
            try (ResultSet row = statement.getResultSet()) {
                row.next();
                if (row.getObject(1) != null) {
                    Stored existing = existing(row, reportId, hostname, contentHash);
                    bound.close();
                    return new Started(existing, 0, 0, Set.of(), null, null);
                }
                Set<String> stored = new HashSet<>();
                Array array = row.getArray(8);
                for (Object hash : (Object[]) array.getArray()) {
                    stored.add(hex.formatHex((byte[]) hash));
                }
                long nodeId = row.getLong(6);
                long newReportId = row.getLong(7);
                statement.getMoreResults();
                return new Started(null, nodeId, newReportId, stored, bound, statement);
            }
        } catch (SQLException | RuntimeException e) {
            bound.close();
            throw e;
        }
    }

    /** The report stored before under this id, from (id, node_id, received_at, verdict, content_hash); 409 if its content differs. */
    static Stored existing(ResultSet row, String reportId, String hostname, byte[] contentHash) throws SQLException {
        if (!Arrays.equals(row.getBytes(5), contentHash)) {
            throw ProblemException.conflict("Report " + reportId
                    + " was uploaded before with different content; a probe run makes a new report id each time.");
        }
        return new Stored(row.getLong(1), row.getLong(2), hostname, row.getTimestamp(3).toInstant(),
                Verdict.fromWord(row.getString(4)).orElse(Verdict.UNKNOWN),
                List.of(), true);
    }
}
