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
import io.netready.node.RunCoverage;
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

    /** Judged live from the database's counts of the peers' attempts. */
    static final String REACHABILITY_RULE = "node-reachability";

    /**
     * One row: the node, its verdict now, each rule's shown status (pass, warn, fail, skip, waived), and the current
     * run's uid and coverage (null before the node's first judged report).
     */
    public record Row(NodeSummary node, String verdict, boolean stale, Map<String, Cell> cells, RunCoverage coverage) {

        public Cell cell(String rule) {
            return cells.getOrDefault(rule, Cell.NONE);
        }
    }

    /**
     * One cell: the status word and, where a non-root current run did not check a rule that the node's last root run
     * did, that run's status word ({@code rootStatus}, else null) and when it ran.
     */
    public record Cell(String status, String rootStatus, Instant rootAt) {
        static final Cell NONE = new Cell("none");
        private static final Map<String, Cell> WORDS = Map.of("pass", new Cell("pass"), "warn", new Cell("warn"),
                "fail", new Cell("fail"), "waived", new Cell("waived"), "skip", new Cell("skip"));

        Cell(String status) {
            this(status, null, null);
        }

        /** The cell of a status word: one instance per word, not one per node and rule. */
        static Cell of(String word) {
            Cell cell = WORDS.get(word);
            return cell != null ? cell : new Cell(word);
        }

        /** A failing or warning status (a waived one is neither). */
        public boolean problem() {
            return status.equals("fail") || status.equals("warn");
        }

        /** The marker after a not-checked cell's symbol: the last root run's symbol, so a hidden fail shows. */
        public String rootSymbol() {
            return rootStatus == null ? "" : new Cell(rootStatus).symbol();
        }

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

    /**
     * Every node's row (in hostname order), filtered; {@code reach} is node-reachability for every node as it stands
     * now ({@link ReachabilityMatrix#overview}, read with the reachability matrix the page also shows). The nodes and
     * their latest reports' statuses come in one read.
     */
    public List<Row> rows(Cluster cluster, Map<Long, String> reach, Instant staleBefore, Filters filters) {
        Map<Long, Map<String, String>> live = liveIdentityStatuses(cluster);
        WaiversInForce waivers = readiness.waivers(cluster.id);
        Map<String, Severity> severities = new HashMap<>();
        catalog.all().forEach(r -> severities.put(r.id(), r.severity()));
        List<Row> rows = new ArrayList<>();
        for (NodeStatuses read : nodesWithStatuses(cluster.id)) {
            NodeSummary node = read.node();
            Stored stored = read.stored();
            Map<String, String> status = new LinkedHashMap<>(stored == null ? Map.of() : stored.statuses());
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
                cells.put(rule, Cell.of(word));
            }
            RunCoverage coverage = null;
            if (stored != null && !status.isEmpty()) {
                Map<String, String> shown = new LinkedHashMap<>();
                cells.forEach((rule, cell) -> shown.put(rule, cell.status()));
                coverage = RunCoverage.of(stored.reportId(), stored.uid(), stored.collectedAt(), shown, Map.of(),
                        stored.root(), stored.rootStatuses());
                for (RunCoverage.NotChecked hidden : coverage.hidden()) {
                    cells.put(hidden.rule(), new Cell("skip", hidden.rootStatus(), coverage.lastRoot().collectedAt()));
                }
            }
            boolean stale = node.lastSeen().isBefore(staleBefore);
            String verdict = node.lastReportId() == null || status.isEmpty() ? Verdict.UNKNOWN.word()
                    : stale ? "stale" : (notReady ? Verdict.NOT_READY : warning ? Verdict.WARNING : Verdict.READY).word();
            rows.add(new Row(node, verdict, stale, cells, coverage));
        }
        return rows.stream().filter(filters::keeps).toList();
    }

    public List<RuleInfo> columns(Filters filters) {
        return catalog.all().stream().filter(r -> Filters.blank(filters.rule()) || r.id().equals(filters.rule())).toList();
    }

    /** A node's latest report as the matrix reads it, with its last root run where the latest is not one. */
    private record Stored(long reportId, Integer uid, Instant collectedAt, Map<String, String> statuses,
            RunCoverage.RootRun root, Map<String, String> rootStatuses) {
    }

    /** A node and its latest report's statuses (null: no report, or one judged before statuses were kept). */
    private record NodeStatuses(NodeSummary node, Stored stored) {
    }

    /**
     * The cluster's nodes in hostname order, as {@code NodeService.listForCluster} lists them, with their latest
     * reports' statuses; for a latest run not made as root, also its last root run's (one primary-key read per such
     * node, in the same statement: OFFSET 0 keeps the planner from turning it into a join over every report, and for
     * a root run the condition is false before any read).
     */
    private List<NodeStatuses> nodesWithStatuses(long clusterId) {
        List<NodeStatuses> result = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("""
                        SELECT n.id, n.hostname, n.role, n.machine_id, n.first_seen, n.last_seen, n.last_report_id,
                               r.phase, r.verdict, r.statuses, r.probe_uid, r.collected_at,
                               root.id, root.collected_at, root.statuses
                          FROM node n LEFT JOIN report r ON r.id = n.last_report_id
                          LEFT JOIN LATERAL (SELECT id, collected_at, statuses FROM report
                                 WHERE id = n.last_root_report_id AND r.probe_uid <> 0 OFFSET 0) root ON true
                         WHERE n.cluster_id = ? ORDER BY n.hostname, n.id""")) {
            select.setLong(1, clusterId);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    Long report = row.getObject(7, Long.class);
                    NodeSummary node = new NodeSummary(row.getLong(1), row.getString(2), row.getString(3),
                            row.getString(4), row.getTimestamp(5).toInstant(), row.getTimestamp(6).toInstant(),
                            report, row.getString(8), row.getString(9));
                    String line = row.getString(10);
                    Stored stored = null;
                    if (line != null) {
                        Integer uid = row.getObject(11, Integer.class);
                        Long rootId = row.getObject(13, Long.class);
                        RunCoverage.RootRun root = rootId == null ? null
                                : new RunCoverage.RootRun(rootId, row.getTimestamp(14).toInstant());
                        stored = new Stored(report, uid, row.getTimestamp(12).toInstant(), RunCoverage.parseStatuses(line),
                                root, root == null ? Map.of() : RunCoverage.parseStatuses(row.getString(15)));
                    }
                    result.add(new NodeStatuses(node, stored));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Reading the nodes of cluster " + clusterId + " failed", e);
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
