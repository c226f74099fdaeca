package io.netready.readiness;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.agroal.api.AgroalDataSource;
import io.netready.cluster.Cluster;
import io.netready.node.NodeSummary;
import io.netready.rules.Finding;
import io.netready.rules.RuleCatalog;
import io.netready.rules.RuleInfo;
import io.netready.rules.Scope;
import io.netready.rules.Verdict;
import io.netready.waiver.Waiver;
import io.netready.waiver.WaiverService;

/**
 * The cluster page's node x rule matrix: for every node its latest report's node findings, the cluster findings as
 * the cluster stands now, and the waivers in force; with each node's current verdict (or stale).
 */
@ApplicationScoped
public class ClusterMatrix {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ObjectMapper json;

    @Inject
    ReadinessService readiness;

    @Inject
    RuleCatalog catalog;

    /** One row: the node, its verdict now, and each rule's shown status (pass, warn, fail, skip, waived). */
    public record Row(NodeSummary node, String verdict, boolean stale, Map<String, Cell> cells) {

        public Cell cell(String rule) {
            return cells.getOrDefault(rule, Cell.NONE);
        }
    }

    /** One cell: status word and the finding's message (the cell's title). */
    public record Cell(String status, String message) {
        static final Cell NONE = new Cell("none", "not evaluated");

        public String symbol() {
            return switch (status) {
                case "pass" -> "✓";
                case "warn" -> "!";
                case "fail" -> "✗";
                case "waived" -> "≈";
                case "skip" -> "–";
                default -> " ";
            };
        }
    }

    /** Filters of the cluster page; null or "all" means no filter. */
    public record Filters(String role, String verdict, String rule) {

        boolean keeps(Row row) {
            return (blank(role) || row.node().role().equals(role))
                    && (blank(verdict) || row.verdict().equals(verdict))
                    && (blank(rule) || List.of("fail", "warn", "waived").contains(row.cell(rule).status()));
        }

        static boolean blank(String value) {
            return value == null || value.isBlank() || value.equals("all");
        }
    }

    public List<Row> rows(Cluster cluster, List<NodeSummary> nodes, Instant staleBefore, Filters filters) {
        Map<Long, List<Finding>> stored = storedNodeFindings(cluster.id);
        Map<Long, List<Finding>> live = readiness.liveClusterFindings(cluster, null);
        List<Waiver> waivers = Waiver.activeForCluster(cluster.id);
        List<Row> rows = new ArrayList<>();
        for (NodeSummary node : nodes) {
            List<Finding> findings = new ArrayList<>(stored.getOrDefault(node.id(), List.of()));
            findings.addAll(live.getOrDefault(node.id(), List.of()));
            findings = WaiverService.apply(findings, node.id(), waivers);
            Map<String, Cell> cells = new LinkedHashMap<>();
            findings.forEach(f -> cells.put(f.rule(), new Cell(f.shownStatus(), f.message())));
            boolean stale = node.lastSeen().isBefore(staleBefore);
            String verdict = node.lastReportId() == null || findings.isEmpty() ? Verdict.UNKNOWN
                    : stale ? "stale" : Verdict.of(findings);
            rows.add(new Row(node, verdict, stale, cells));
        }
        return rows.stream().filter(filters::keeps).toList();
    }

    public List<RuleInfo> columns(Filters filters) {
        return catalog.all().stream().filter(r -> Filters.blank(filters.rule()) || r.id().equals(filters.rule())).toList();
    }

    /** The node-scope findings of every node's latest report; identical sets are parsed once. */
    private Map<Long, List<Finding>> storedNodeFindings(long clusterId) {
        Map<Long, List<Finding>> result = new HashMap<>();
        Map<String, List<Finding>> byHash = new HashMap<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("""
                        SELECT n.id, r.findings_hash, s.findings FROM node n
                        JOIN report r ON r.id = n.last_report_id
                        JOIN finding_set s ON s.hash = r.findings_hash
                        WHERE n.cluster_id = ?""")) {
            select.setLong(1, clusterId);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    String hash = HexFormat.of().formatHex(row.getBytes(2));
                    List<Finding> findings = byHash.get(hash);
                    if (findings == null) {
                        findings = FindingSets.read(json, row.getString(3)).stream()
                                .filter(f -> f.scope() == Scope.NODE).toList();
                        byHash.put(hash, findings);
                    }
                    result.put(row.getLong(1), findings);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Reading the findings of cluster " + clusterId + " failed", e);
        }
        return result;
    }
}
