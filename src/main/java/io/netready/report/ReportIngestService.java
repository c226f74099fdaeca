package io.netready.report;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.agroal.api.AgroalDataSource;
import io.netready.api.ProblemException;
import io.netready.audit.AuditAction;
import io.netready.audit.AuditLog;
import io.netready.cluster.Cluster;
import io.netready.readiness.ReadinessService;
import io.netready.rules.Finding;

/**
 * Stores a validated report in one transaction: the node (created or updated), section contents not stored yet,
 * and the report row. A report id seen before in the cluster answers the stored report instead.
 */
@ApplicationScoped
public class ReportIngestService {

    public static final String VERDICT_UNKNOWN = io.netready.rules.Verdict.UNKNOWN;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ObjectMapper json;

    @Inject
    ReadinessService readiness;

    /** Who sent the report: an upload token from a node, or a user in the browser. */
    public record Origin(Long tokenId, String tokenName, String user, String address) {

        /** How the audit log names who uploaded: the user, or the upload token. */
        String actor() {
            return user != null ? user : "token:" + tokenName;
        }
    }

    /** The stored report's id and node, its findings and verdict, and whether it had been stored before. */
    public record Stored(long reportId, long nodeId, Instant receivedAt, String verdict, List<Finding> findings,
            boolean duplicate) {
    }

    @Transactional
    public Stored store(Cluster cluster, ReportDocument document, ReadinessService.NodeEvaluation evaluation, int sizeBytes,
            Origin origin) {
        byte[] contentHash = document.contentHash();
        try (Connection connection = dataSource.getConnection()) {
            Stored existing = findExisting(connection, cluster.id, document.reportId(), contentHash);
            if (existing != null) {
                return withStoredFindings(existing);
            }
            Instant now = Instant.now();
            long nodeId = upsertNode(connection, cluster.id, document, now);
            Map<String, String> sectionHashes = storeSections(connection, document);
            Long reportId = insertReport(connection, cluster.id, nodeId, document, contentHash, sizeBytes, origin, now,
                    sectionHashes);
            if (reportId == null) {
                // Another upload of the same report won the race; answer what it stored.
                return withStoredFindings(findExisting(connection, cluster.id, document.reportId(), contentHash));
            }
            pointNodeAtLatest(connection, nodeId, reportId, document.collectedAt());
            ReadinessService.Judgement judgement = readiness.judgeStoredReport(connection, cluster, nodeId, reportId,
                    evaluation);
            AuditLog.record(connection, origin.actor(), AuditAction.UPLOAD, cluster.id, cluster.name, document.hostname(),
                    "report " + reportId + ": " + judgement.verdict() + " (" + document.role() + ", " + document.phase() + ")",
                    origin.address());
            return new Stored(reportId, nodeId, now, judgement.verdict(), judgement.findings(), false);
        } catch (SQLException e) {
            throw new IllegalStateException("Storing report " + document.reportId() + " failed", e);
        }
    }

    private static Stored findExisting(Connection connection, long clusterId, String reportId, byte[] contentHash)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT id, node_id, received_at, verdict, content_hash FROM report WHERE cluster_id = ? AND probe_report_id = ?")) {
            select.setLong(1, clusterId);
            select.setString(2, reportId);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return null;
                }
                if (!Arrays.equals(row.getBytes(5), contentHash)) {
                    throw ProblemException.conflict("Report " + reportId
                            + " was uploaded before with different content; a probe run makes a new report id each time.");
                }
                return new Stored(row.getLong(1), row.getLong(2), row.getTimestamp(3).toInstant(), row.getString(4),
                        List.of(), true);
            }
        }
    }

    private Stored withStoredFindings(Stored stored) {
        return new Stored(stored.reportId(), stored.nodeId(), stored.receivedAt(), stored.verdict(),
                readiness.storedFindings(stored.reportId()), true);
    }

    private static long upsertNode(Connection connection, long clusterId, ReportDocument document, Instant now)
            throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement("""
                INSERT INTO node (cluster_id, node_key, hostname, machine_id, product_uuid, role, first_seen, last_seen)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (cluster_id, node_key) DO UPDATE SET
                    role = EXCLUDED.role,
                    machine_id = COALESCE(EXCLUDED.machine_id, node.machine_id),
                    product_uuid = COALESCE(EXCLUDED.product_uuid, node.product_uuid),
                    last_seen = GREATEST(node.last_seen, EXCLUDED.last_seen)
                RETURNING id""")) {
            Timestamp time = Timestamp.from(now);
            upsert.setLong(1, clusterId);
            upsert.setString(2, document.nodeKey());
            upsert.setString(3, document.hostname());
            upsert.setString(4, document.machineId().orElse(null));
            upsert.setString(5, document.productUuid().orElse(null));
            upsert.setString(6, document.role());
            upsert.setTimestamp(7, time);
            upsert.setTimestamp(8, time);
            try (ResultSet row = upsert.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    /** Inserts the sections whose content is not stored yet; returns section name to hex content hash. */
    private static Map<String, String> storeSections(Connection connection, ReportDocument document) throws SQLException {
        Map<String, String> hashes = new LinkedHashMap<>();
        Map<String, ReportSection> byHash = new LinkedHashMap<>();
        HexFormat hex = HexFormat.of();
        for (ReportSection section : document.sections().values()) {
            String hash = section.contentHashHex();
            hashes.put(section.name(), hash);
            byHash.putIfAbsent(hash, section);
        }
        Set<String> stored = new HashSet<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT hash FROM section_content WHERE hash = ANY (?)")) {
            List<byte[]> keys = new ArrayList<>();
            byHash.keySet().forEach(hash -> keys.add(hex.parseHex(hash)));
            Array array = connection.createArrayOf("bytea", keys.toArray(new byte[0][]));
            select.setArray(1, array);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    stored.add(hex.formatHex(rows.getBytes(1)));
                }
            }
        }
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO section_content (hash, source, status, exit_code, output, stderr, bytes, truncated)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (hash) DO NOTHING""")) {
            int batched = 0;
            for (Map.Entry<String, ReportSection> entry : byHash.entrySet()) {
                if (stored.contains(entry.getKey())) {
                    continue;
                }
                ReportSection section = entry.getValue();
                insert.setBytes(1, hex.parseHex(entry.getKey()));
                insert.setString(2, section.source());
                insert.setString(3, section.status());
                insert.setInt(4, section.exitCode());
                insert.setBytes(5, section.output());
                insert.setBytes(6, section.stderr());
                insert.setLong(7, section.bytes());
                insert.setBoolean(8, section.truncated());
                insert.addBatch();
                batched++;
            }
            if (batched > 0) {
                insert.executeBatch();
            }
        }
        return hashes;
    }

    private Long insertReport(Connection connection, long clusterId, long nodeId, ReportDocument document,
            byte[] contentHash, int sizeBytes, Origin origin, Instant now, Map<String, String> sectionHashes)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO report (cluster_id, node_id, probe_report_id, content_hash, format, collected_at, received_at,
                    probe_version, probe_uid, role, phase, hostname, verdict, size_bytes, source_address, token_id,
                    uploaded_by, sections)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS jsonb))
                ON CONFLICT (cluster_id, probe_report_id) DO NOTHING
                RETURNING id""")) {
            insert.setLong(1, clusterId);
            insert.setLong(2, nodeId);
            insert.setString(3, document.reportId());
            insert.setBytes(4, contentHash);
            insert.setString(5, document.format());
            insert.setTimestamp(6, Timestamp.from(document.collectedAt()));
            insert.setTimestamp(7, Timestamp.from(now));
            insert.setString(8, document.probeVersion());
            if (document.probeUid() == null) {
                insert.setNull(9, Types.INTEGER);
            } else {
                insert.setInt(9, document.probeUid());
            }
            insert.setString(10, document.role());
            insert.setString(11, document.phase());
            insert.setString(12, document.hostname());
            insert.setString(13, VERDICT_UNKNOWN);
            insert.setInt(14, sizeBytes);
            insert.setString(15, origin.address());
            if (origin.tokenId() == null) {
                insert.setNull(16, Types.BIGINT);
            } else {
                insert.setLong(16, origin.tokenId());
            }
            insert.setString(17, origin.user());
            insert.setString(18, toJson(sectionHashes));
            try (ResultSet row = insert.executeQuery()) {
                return row.next() ? row.getLong(1) : null;
            }
        }
    }

    /** The node's latest report is the one collected last, whatever order uploads arrive in. */
    private static void pointNodeAtLatest(Connection connection, long nodeId, long reportId, Instant collectedAt)
            throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("""
                UPDATE node SET last_report_id = ?
                WHERE id = ? AND (last_report_id IS NULL
                    OR (SELECT collected_at FROM report WHERE id = node.last_report_id) <= ?)""")) {
            update.setLong(1, reportId);
            update.setLong(2, nodeId);
            update.setTimestamp(3, Timestamp.from(collectedAt));
            update.executeUpdate();
        }
    }

    private String toJson(Map<String, String> value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
