package io.netready.cluster;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.agroal.api.AgroalDataSource;
import io.netready.node.NodeSummary;
import io.netready.readiness.NodeIdentityStore;
import io.netready.readiness.ReadinessService;
import io.netready.readiness.WaiversInForce;
import io.netready.rules.ClusterRule;
import io.netready.rules.Finding;
import io.netready.rules.InMemoryClusterView;
import io.netready.rules.NodeIdentity;
import io.netready.rules.RuleInfo;
import io.netready.rules.Severity;
import io.netready.rules.Verdict;
import io.netready.rules.catalog.RuleCatalog;

/**
 * The cluster page's node x rule matrix. Each node's latest report carries its rule statuses in one short line; the
 * identity rules (unique hostname, MAC, machine-id, product_uuid, node IP) are judged again over the whole cluster,
 * so a duplicate a peer introduced later shows on every node involved, and so is node-reachability (from counts of the
 * peers' latest attempts, {@link ReachabilityMatrix#liveStatuses}: a peer's later upload changes it); waivers in force
 * apply. Built to stay fast for thousands of nodes: it never reads findings' evidence.
 */
@ApplicationScoped
public class ClusterMatrix {

    /** The identity rules: judged live over the whole cluster, cheaply. */
    static final Set<String> LIVE_RULES = Set.of("unique-hostname", "unique-mac", "unique-machine-id",
            "unique-product-uuid", "unique-node-ip");

    @Inject
    AgroalDataSource dataSource;

    @Inject
    RuleCatalog catalog;

    @Inject
    ReadinessService readiness;

    @Inject
    ReachabilityMatrix reachability;

    /** Judged live from the database's counts of the peers' attempts. */
    static final String REACHABILITY_RULE = "node-reachability";

    /** One row: the node, its verdict now, and each rule's shown status (pass, warn, fail, skip, waived). */
    public record Row(NodeSummary node, String verdict, boolean stale, Map<String, Cell> cells) {

        public Cell cell(String rule) {
            return cells.getOrDefault(rule, Cell.NONE);
        }
    }

    /** One cell: the status word. */
    public record Cell(String status) {
        static final Cell NONE = new Cell("none");

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

        public boolean keeps(Row row) {
            return (blank(role) || row.node().role().equals(role))
                    && (blank(verdict) || row.verdict().equals(verdict))
                    && (blank(rule) || List.of("fail", "warn", "waived").contains(row.cell(rule).status()));
        }

        static boolean blank(String value) {
            return value == null || value.isBlank() || value.equals("all");
        }
    }

    /** Every node's row, filtered. */
    public List<Row> rows(Cluster cluster, List<NodeSummary> nodes, Instant staleBefore, Filters filters) {
        Map<Long, Map<String, String>> statuses = storedStatuses(cluster.id);
        Map<Long, Map<String, String>> live = liveIdentityStatuses(cluster);
        Map<Long, String> reach = reachability.liveStatuses(cluster.id);
        WaiversInForce waivers = readiness.waivers(cluster.id);
        Map<String, Severity> severities = new HashMap<>();
        catalog.all().forEach(r -> severities.put(r.id(), r.severity()));
        List<Row> rows = new ArrayList<>();
        for (NodeSummary node : nodes) {
            Map<String, String> status = new LinkedHashMap<>(statuses.getOrDefault(node.id(), Map.of()));
            if (!status.isEmpty()) {
                status.putAll(live.getOrDefault(node.id(), Map.of()));
                String reachable = reach.get(node.id());
                if (reachable != null) {
                    status.put(REACHABILITY_RULE, reachable);
                }
            }
            Map<String, Cell> cells = new LinkedHashMap<>();
            boolean notReady = false;
            boolean warning = false;
            for (Map.Entry<String, String> entry : status.entrySet()) {
                String rule = entry.getKey();
                String word = entry.getValue();
                boolean problem = word.equals("fail") || word.equals("warn");
                if (problem && waivers.covering(node.id(), rule).isPresent()) {
                    word = "waived";
                    problem = false;
                }
                if (problem) {
                    notReady |= word.equals("fail") && severities.get(rule) == Severity.ERROR;
                    warning = true;
                }
                cells.put(rule, new Cell(word));
            }
            boolean stale = node.lastSeen().isBefore(staleBefore);
            String verdict = node.lastReportId() == null || status.isEmpty() ? Verdict.UNKNOWN.word()
                    : stale ? "stale" : (notReady ? Verdict.NOT_READY : warning ? Verdict.WARNING : Verdict.READY).word();
            rows.add(new Row(node, verdict, stale, cells));
        }
        return rows.stream().filter(filters::keeps).toList();
    }

    public List<RuleInfo> columns(Filters filters) {
        return catalog.all().stream().filter(r -> Filters.blank(filters.rule()) || r.id().equals(filters.rule())).toList();
    }

    /** The statuses of every node's latest report. */
    private Map<Long, Map<String, String>> storedStatuses(long clusterId) {
        Map<Long, Map<String, String>> result = new HashMap<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("""
                        SELECT n.id, r.statuses FROM node n JOIN report r ON r.id = n.last_report_id
                        WHERE n.cluster_id = ? AND r.statuses IS NOT NULL""")) {
            select.setLong(1, clusterId);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    Map<String, String> statuses = new LinkedHashMap<>();
                    for (String pair : row.getString(2).split(" ")) {
                        int eq = pair.indexOf('=');
                        if (eq > 0) {
                            statuses.put(pair.substring(0, eq), pair.substring(eq + 1));
                        }
                    }
                    result.put(row.getLong(1), statuses);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Reading the statuses of cluster " + clusterId + " failed", e);
        }
        return result;
    }

    /** The identity rules over every node's identity now. */
    private Map<Long, Map<String, String>> liveIdentityStatuses(Cluster cluster) {
        List<NodeIdentity> identities = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("""
                        SELECT node_id, report_id, hostname, machine_id, product_uuid, node_ip, macs, hostname_since,
                               machine_id_since, product_uuid_since, node_ip_since, mac_since
                        FROM node_identity WHERE cluster_id = ?""")) {
            select.setLong(1, cluster.id);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    java.sql.Array macs = row.getArray(7);
                    identities.add(new NodeIdentity(row.getLong(1), row.getLong(2), row.getString(3), row.getString(4),
                            row.getString(5), row.getString(6), null,
                            macs == null ? List.of() : List.of((String[]) macs.getArray()), List.of(), List.of(), List.of(),
                            List.of(), null, List.of(), NodeIdentityStore.since(row, 8)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Reading the identities of cluster " + cluster.name + " failed", e);
        }
        InMemoryClusterView view = new InMemoryClusterView(identities);
        // A set: the rules ask whether each node is a target (a list made that quadratic for 5000 nodes).
        Set<Long> ids = identities.stream().map(NodeIdentity::nodeId).collect(Collectors.toSet());
        Map<Long, Map<String, String>> result = new HashMap<>();
        for (ClusterRule rule : catalog.clusterRules()) {
            if (!LIVE_RULES.contains(rule.info().id())) {
                continue;
            }
            for (Map.Entry<Long, Finding> entry : rule.evaluate(view, cluster.settings(), ids).entrySet()) {
                result.computeIfAbsent(entry.getKey(), k -> new HashMap<>()).put(rule.info().id(), entry.getValue().status().word());
            }
        }
        return result;
    }
}
