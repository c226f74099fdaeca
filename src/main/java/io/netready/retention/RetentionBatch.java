package io.netready.retention;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.agroal.api.AgroalDataSource;

/**
 * One transaction of the retention job: deletes up to a batch of a cluster's reports received before the cutoff
 * (never a node's latest), then the section contents and finding sets they used that no remaining report uses.
 */
@ApplicationScoped
public class RetentionBatch {

    /** What one batch deleted, and where the next one starts. */
    public record Deleted(int reports, int sectionContents, int findingSets, Instant lastReceivedAt) {
    }

    /**
     * A cluster's reports received in [from, cutoff) that are not a node's latest: neither the one its node points at
     * (nor its latest root run, which its pages compare a later non-root run with) nor the one its node_identity came from (that foreign key cascades, and would drop the node from cluster rules).
     */
    private static final String EXPIRED = """
            SELECT r.id FROM report r
            WHERE r.cluster_id = ? AND r.received_at >= ? AND r.received_at < ?
              AND NOT EXISTS (SELECT 1 FROM node n WHERE n.id = r.node_id
                    AND (n.last_report_id = r.id OR n.last_root_report_id = r.id))
              AND NOT EXISTS (SELECT 1 FROM node_identity i WHERE i.node_id = r.node_id AND i.report_id = r.id)
            """;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ObjectMapper json;

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Deleted delete(long clusterId, Instant cutoff, Instant from, int limit) {
        try (Connection connection = dataSource.getConnection()) {
            if (!anyExpired(connection, clusterId, cutoff, from)) {
                return new Deleted(0, 0, 0, from);
            }
            holdOffWriters(connection);
            Set<String> sectionHashes = new LinkedHashSet<>();
            Set<String> findingHashes = new LinkedHashSet<>();
            int reports = 0;
            Instant last = from;
            HexFormat hex = HexFormat.of();
            try (PreparedStatement delete = connection.prepareStatement("WITH expired AS (" + EXPIRED + """
                        ORDER BY r.received_at
                        LIMIT ?
                        FOR UPDATE OF r SKIP LOCKED)
                    DELETE FROM report r USING expired e WHERE r.id = e.id
                    RETURNING r.received_at, r.sections::text, r.findings_hash""")) {
                delete.setLong(1, clusterId);
                delete.setTimestamp(2, Timestamp.from(from));
                delete.setTimestamp(3, Timestamp.from(cutoff));
                delete.setInt(4, limit);
                try (ResultSet row = delete.executeQuery()) {
                    while (row.next()) {
                        reports++;
                        Instant receivedAt = row.getTimestamp(1).toInstant();
                        last = receivedAt.isAfter(last) ? receivedAt : last;
                        json.readTree(row.getString(2)).elements().forEachRemaining(h -> sectionHashes.add(h.asText()));
                        byte[] findings = row.getBytes(3);
                        if (findings != null) {
                            findingHashes.add(hex.formatHex(findings));
                        }
                    }
                }
            }
            int sections = sectionHashes.isEmpty() ? 0 : deleteUnusedSectionContents(connection, sectionHashes);
            int findings = findingHashes.isEmpty() ? 0 : deleteUnusedFindingSets(connection, findingHashes);
            return new Deleted(reports, sections, findings, last);
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("Deleting expired reports of cluster " + clusterId + " failed", e);
        }
    }

    /** Looked up before taking any lock, so a cluster with nothing to delete never holds uploads back. */
    private static boolean anyExpired(Connection connection, long clusterId, Instant cutoff, Instant from)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT EXISTS (" + EXPIRED + ")")) {
            select.setLong(1, clusterId);
            select.setTimestamp(2, Timestamp.from(from));
            select.setTimestamp(3, Timestamp.from(cutoff));
            try (ResultSet row = select.executeQuery()) {
                return row.next() && row.getBoolean(1);
            }
        }
    }

    /**
     * An upload reads which section contents and finding sets exist, then stores a report that uses them; both after
     * it has written its node row. Taking SHARE on node and finding_set waits for uploads (and re-evaluations) in
     * flight and holds new ones back until this batch commits, so nothing can come to use a content deleted here.
     */
    private static void holdOffWriters(Connection connection) throws SQLException {
        try (Statement lock = connection.createStatement()) {
            lock.execute("LOCK TABLE node, finding_set IN SHARE MODE");
        }
    }

    /** Of the candidates, deletes those no report refers to (the GIN index over the sections' values answers). */
    private static int deleteUnusedSectionContents(Connection connection, Set<String> candidates) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("""
                DELETE FROM section_content c
                WHERE c.hash = ANY (?)
                  AND NOT EXISTS (SELECT 1 FROM report r
                      WHERE jsonb_path_query_array(r.sections, '$.*') @> jsonb_build_array(encode(c.hash, 'hex')))""")) {
            delete.setArray(1, byteaArray(connection, candidates));
            return delete.executeUpdate();
        }
    }

    private static int deleteUnusedFindingSets(Connection connection, Set<String> candidates) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("""
                DELETE FROM finding_set f
                WHERE f.hash = ANY (?)
                  AND NOT EXISTS (SELECT 1 FROM report r WHERE r.findings_hash = f.hash)""")) {
            delete.setArray(1, byteaArray(connection, candidates));
            return delete.executeUpdate();
        }
    }

    private static Array byteaArray(Connection connection, Set<String> hexHashes) throws SQLException {
        HexFormat hex = HexFormat.of();
        List<byte[]> keys = new ArrayList<>();
        hexHashes.forEach(h -> keys.add(hex.parseHex(h)));
        return connection.createArrayOf("bytea", keys.toArray(new byte[0][]));
    }
}
