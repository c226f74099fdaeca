package io.netready.upload;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.agroal.api.AgroalDataSource;
import io.netready.cluster.Cluster;
import io.netready.facts.ReachabilityAttempt;
import io.netready.readiness.ReadinessService;
import io.netready.readiness.ReadinessService.NewReportJudgement;
import io.netready.readiness.ReadinessService.NodeEvaluation;
import io.netready.reportformat.ReportDocument;
import io.netready.reportformat.ReportSection;

/**
 * Stores a judged report in its own transaction on a plain connection, in three round trips at most: {@link UploadStart}
 * (a report stored before under the same id ends it there), the section contents not stored yet, and
 * {@link ReportWrite}.
 */
@ApplicationScoped
class UploadTransaction {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ObjectMapper json;

    @Inject
    ReadinessService readiness;

    Stored store(Cluster cluster, ReportDocument document, NodeEvaluation evaluation, int sizeBytes, Origin origin,
            Duration clockOffset) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                Stored stored = store(connection, cluster, document, evaluation, sizeBytes, origin, clockOffset);
                connection.commit();
                return stored;
            } catch (RuntimeException | SQLException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Storing report " + document.reportId() + " failed", e);
        }
    }

    private Stored store(Connection connection, Cluster cluster, ReportDocument document, NodeEvaluation evaluation,
            int sizeBytes, Origin origin, Duration clockOffset) throws SQLException {
        byte[] contentHash = document.contentHash();
        Instant now = Instant.now();
        Map<String, ReportSection> byHash = new LinkedHashMap<>();
        Map<String, String> sectionHashes = new LinkedHashMap<>();
        for (ReportSection section : document.sections().values()) {
            String hash = section.contentHashHex();
            sectionHashes.put(section.name(), hash);
            byHash.putIfAbsent(hash, section);
        }
        UploadStart start = new UploadStart(cluster.id, document.reportId(), contentHash, document.nodeKey(),
                document.hostname(), document.machineId().orElse(null), document.productUuid().orElse(null),
                document.role().word(), now, byHash.keySet(), evaluation.identity());
        UploadStart.Started started = start.run(connection);
        if (started.existing() != null) {
            return started.existing();
        }
        NewReportJudgement judged;
        try (var bound = started.bound()) {
            judged = readiness.judgeNewReport(connection, started.statement(), cluster.id, cluster.settings(),
                    started.nodeId(), started.reportId(), evaluation, now);
        }
        insertSections(connection, byHash, started.storedHashes());
        Optional<List<ReachabilityAttempt>> measured = evaluation.facts().reachability().asOptional();
        List<ReachabilityAttempt> attempts = measured.orElse(List.of());
        ReportWrite write = new ReportWrite(started.reportId(), cluster.id, cluster.name, started.nodeId(), document,
                contentHash, now, sizeBytes, origin, clockOffset == null ? null : clockOffset.toMillis(),
                toJson(sectionHashes), judged, measured.isPresent(), attempts,
                attempts.stream().map(a -> cluster.inNodeNetworks(a.address())).toList());
        if (!write.run(connection)) {
            // Another upload of the same report won the race; answer what it stored.
            connection.rollback();
            return findExisting(connection, cluster.id, document, contentHash);
        }
        return new Stored(started.reportId(), started.nodeId(), document.hostname(), now, judged.judgement().verdict(),
                judged.judgement().findings(), false);
    }

    private static Stored findExisting(Connection connection, long clusterId, ReportDocument document, byte[] contentHash)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT id, node_id, received_at, verdict, content_hash FROM report WHERE cluster_id = ? AND probe_report_id = ?")) {
            select.setLong(1, clusterId);
            select.setString(2, document.reportId());
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    throw new IllegalStateException("Report " + document.reportId() + " was neither stored nor found");
                }
                return UploadStart.existing(row, document.reportId(), document.hostname(), contentHash);
            }
        }
    }

    /** Inserts the section contents not stored yet, in one batch. */
    private static void insertSections(Connection connection, Map<String, ReportSection> byHash, Set<String> stored)
            throws SQLException {
        HexFormat hex = HexFormat.of();
        List<Map.Entry<String, ReportSection>> missing = byHash.entrySet().stream()
                .filter(entry -> !stored.contains(entry.getKey())).toList();
        if (missing.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO section_content (hash, source, status, exit_code, output, stderr, bytes, truncated)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (hash) DO NOTHING""")) {
            for (Map.Entry<String, ReportSection> entry : missing) {
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
            }
            insert.executeBatch();
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
