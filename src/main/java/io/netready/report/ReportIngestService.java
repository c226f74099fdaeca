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

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.agroal.api.AgroalDataSource;
import io.netready.api.ProblemException;
import io.netready.audit.AuditAction;
import io.netready.audit.AuditLog;
import io.netready.cluster.Cluster;
import io.netready.readiness.JudgementWrites;
import io.netready.readiness.ReadinessService;
import io.netready.readiness.ReadinessService.Judgement;
import io.netready.rules.Finding;

/**
 * Stores a validated report in one transaction: the node (created or updated), section contents not stored yet,
 * and the report row. A report id seen before in the cluster answers the stored report instead.
 */
@ApplicationScoped
public class ReportIngestService {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ObjectMapper json;

    @Inject
    ReadinessService readiness;

    /**
     * The report stored before under the upload's id; otherwise the node upserted, an id for the report, and which of
     * the given section contents are stored already.
     */
    private static final String START = """
            WITH existing AS (
                SELECT id, node_id, received_at, verdict, content_hash FROM report
                 WHERE cluster_id = ? AND probe_report_id = ?
            ), upserted AS (
                INSERT INTO node (cluster_id, node_key, hostname, machine_id, product_uuid, role, first_seen, last_seen)
                SELECT ?::bigint, ?::text, ?::text, ?::text, ?::text, ?::text, ?::timestamptz, ?::timestamptz
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
                   CASE WHEN e.id IS NULL THEN ARRAY(SELECT hash FROM section_content WHERE hash = ANY (?)) END
              FROM (VALUES (1)) AS one
              LEFT JOIN existing e ON true
              LEFT JOIN upserted u ON true""";

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

    /**
     * Stores the report in its own transaction on a plain connection, in few round trips: one to upsert the node,
     * look for the report id and the section contents already stored, allocate the report's id and read what the
     * cluster rules compare; the new section contents (if any); and one statement that writes the finding set, the
     * report with its verdict, the node's pointer and identity, and the audit record.
     */
    public Stored store(Cluster cluster, ReportDocument document, ReadinessService.NodeEvaluation evaluation, int sizeBytes,
            Origin origin) {
        Stored stored;
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                stored = store(connection, cluster, document, evaluation, sizeBytes, origin);
                connection.commit();
            } catch (RuntimeException | SQLException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Storing report " + document.reportId() + " failed", e);
        }
        return stored.duplicate() ? withStoredFindings(stored) : stored;
    }

    private Stored store(Connection connection, Cluster cluster, ReportDocument document,
            ReadinessService.NodeEvaluation evaluation, int sizeBytes, Origin origin) throws SQLException {
        byte[] contentHash = document.contentHash();
        Instant now = Instant.now();
        Map<String, ReportSection> byHash = new LinkedHashMap<>();
        Map<String, String> sectionHashes = new LinkedHashMap<>();
        for (ReportSection section : document.sections().values()) {
            String hash = section.contentHashHex();
            sectionHashes.put(section.name(), hash);
            byHash.putIfAbsent(hash, section);
        }
        Start start = start(connection, cluster, document, evaluation, contentHash, now, byHash.keySet());
        if (start.existing() != null) {
            return start.existing();
        }
        insertSections(connection, byHash, start.storedHashes());
        ReadinessService.NewReportJudgement judged = start.judged();
        Judgement judgement = judged.judgement();
        if (!insertReport(connection, start, cluster, document, contentHash, sizeBytes, origin, now, sectionHashes, judged)) {
            // Another upload of the same report won the race; answer what it stored.
            connection.rollback();
            return findExisting(connection, cluster.id, document.reportId(), contentHash);
        }
        return new Stored(start.reportId(), start.nodeId(), now, judgement.verdict(), judgement.findings(), false);
    }

    /**
     * What the first round trip learns: the report stored before under this id, or the node, the new report's id,
     * which of its section contents are stored already and its judgement.
     */
    private record Start(Stored existing, long nodeId, long reportId, Set<String> storedHashes,
            ReadinessService.NewReportJudgement judged) {
    }

    /**
     * One round trip: {@link #START} (when it finds the report stored before, nothing else happens), then the cluster
     * read that judging the report needs, and the judgement made of it.
     */
    private Start start(Connection connection, Cluster cluster, ReportDocument document,
            ReadinessService.NodeEvaluation evaluation, byte[] contentHash, Instant now, Set<String> hashes)
            throws SQLException {
        HexFormat hex = HexFormat.of();
        long clusterId = cluster.id;
        try (PreparedStatement statement = connection.prepareStatement(START + ";\n" + readiness.clusterReadSql())) {
            Timestamp time = Timestamp.from(now);
            int i = 0;
            statement.setLong(++i, clusterId);
            statement.setString(++i, document.reportId());
            statement.setLong(++i, clusterId);
            statement.setString(++i, document.nodeKey());
            statement.setString(++i, document.hostname());
            statement.setString(++i, document.machineId().orElse(null));
            statement.setString(++i, document.productUuid().orElse(null));
            statement.setString(++i, document.role());
            statement.setTimestamp(++i, time);
            statement.setTimestamp(++i, time);
            List<byte[]> keys = new ArrayList<>();
            hashes.forEach(hash -> keys.add(hex.parseHex(hash)));
            statement.setArray(++i, connection.createArrayOf("bytea", keys.toArray(new byte[0][])));
            readiness.bindClusterRead(connection, statement, i, cluster, document.nodeKey(), evaluation);
            statement.execute();
            long nodeId;
            long reportId;
            Set<String> stored = new HashSet<>();
            try (ResultSet row = statement.getResultSet()) {
                row.next();
                if (row.getObject(1) != null) {
                    return new Start(existing(row, document.reportId(), contentHash), 0, 0, Set.of(), null);
                }
                Array array = row.getArray(8);
                for (Object hash : (Object[]) array.getArray()) {
                    stored.add(hex.formatHex((byte[]) hash));
                }
                nodeId = row.getLong(6);
                reportId = row.getLong(7);
            }
            return new Start(null, nodeId, reportId, stored,
                    readiness.judgeNewReport(connection, statement, cluster, nodeId, reportId, evaluation));
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
                    throw new IllegalStateException("Report " + reportId + " was neither stored nor found");
                }
                return existing(row, reportId, contentHash);
            }
        }
    }

    /** The report stored before, from (id, node_id, received_at, verdict, content_hash); 409 if its content differs. */
    private static Stored existing(ResultSet row, String reportId, byte[] contentHash) throws SQLException {
        if (!Arrays.equals(row.getBytes(5), contentHash)) {
            throw ProblemException.conflict("Report " + reportId
                    + " was uploaded before with different content; a probe run makes a new report id each time.");
        }
        return new Stored(row.getLong(1), row.getLong(2), row.getTimestamp(3).toInstant(), row.getString(4), List.of(), true);
    }

    private Stored withStoredFindings(Stored stored) {
        return new Stored(stored.reportId(), stored.nodeId(), stored.receivedAt(), stored.verdict(),
                readiness.storedFindings(stored.reportId()), true);
    }

    /** Inserts the section contents not stored yet, in one batch. */
    private static void insertSections(Connection connection, Map<String, ReportSection> byHash, Set<String> stored)
            throws SQLException {
        HexFormat hex = HexFormat.of();
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
    }

    /**
     * In one statement: the finding set (unless stored), the report row with its verdict, the node pointed at it if it is
     * the node's latest by collection time (uploads may arrive out of order), the node's identity and the audit record.
     * False when the same report was stored meanwhile (then nothing but perhaps the finding set was written).
     */
    private boolean insertReport(Connection connection, Start start, Cluster cluster, ReportDocument document,
            byte[] contentHash, int sizeBytes, Origin origin, Instant now, Map<String, String> sectionHashes,
            ReadinessService.NewReportJudgement judged) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("WITH finding_set_stored AS (" + JudgementWrites.findingSet()
                + "), " + """
                inserted AS (
                    INSERT INTO report (id, cluster_id, node_id, probe_report_id, content_hash, format, collected_at,
                        received_at, probe_version, probe_uid, role, phase, hostname, verdict, findings_hash, statuses,
                        size_bytes, source_address, token_id, uploaded_by, sections)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS jsonb))
                    ON CONFLICT (cluster_id, probe_report_id) DO NOTHING
                    RETURNING id, node_id, collected_at
                ), latest AS (
                    UPDATE node SET last_report_id = inserted.id FROM inserted
                     WHERE node.id = inserted.node_id AND (node.last_report_id IS NULL
                        OR (SELECT collected_at FROM report WHERE id = node.last_report_id) <= inserted.collected_at)
                ), identity AS (""" + JudgementWrites.identityFrom("inserted") + """
                ), audited AS (""" + AuditLog.insertFrom("inserted") + """
                )
                SELECT count(*) FROM inserted""")) {
            int i = JudgementWrites.bindFindingSet(insert, 1, judged);
            insert.setLong(i++, start.reportId());
            insert.setLong(i++, cluster.id);
            insert.setLong(i++, start.nodeId());
            insert.setString(i++, document.reportId());
            insert.setBytes(i++, contentHash);
            insert.setString(i++, document.format());
            insert.setTimestamp(i++, Timestamp.from(document.collectedAt()));
            insert.setTimestamp(i++, Timestamp.from(now));
            insert.setString(i++, document.probeVersion());
            if (document.probeUid() == null) {
                insert.setNull(i++, Types.INTEGER);
            } else {
                insert.setInt(i++, document.probeUid());
            }
            insert.setString(i++, document.role());
            insert.setString(i++, document.phase());
            insert.setString(i++, document.hostname());
            insert.setString(i++, judged.judgement().verdict());
            insert.setBytes(i++, judged.findingsHash());
            insert.setString(i++, judged.statuses());
            insert.setInt(i++, sizeBytes);
            insert.setString(i++, origin.address());
            if (origin.tokenId() == null) {
                insert.setNull(i++, Types.BIGINT);
            } else {
                insert.setLong(i++, origin.tokenId());
            }
            insert.setString(i++, origin.user());
            insert.setString(i++, toJson(sectionHashes));
            i = JudgementWrites.bindIdentity(connection, insert, i, cluster.id, judged, document.collectedAt());
            AuditLog.bind(insert, i, origin.actor(), AuditAction.UPLOAD, cluster.id, cluster.name, document.hostname(),
                    "report " + start.reportId() + ": " + judged.judgement().verdict() + " (" + document.role() + ", "
                            + document.phase() + ")", origin.address());
            try (ResultSet row = insert.executeQuery()) {
                row.next();
                return row.getLong(1) == 1;
            }
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
