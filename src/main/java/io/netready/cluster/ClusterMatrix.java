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
import java.util.function.Supplier;
import java.util.stream.Collectors;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.agroal.api.AgroalDataSource;
import io.netready.node.NodeSummary;
import io.netready.node.RunCoverage;
import io.netready.readiness.NodeIdentityStore;
import io.netready.readiness.ReadinessService;
import io.netready.readiness.WaiversInForce;
import io.netready.rules.ClusterRule;
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

    private Columns columns;

    /** Judged live from the database's counts of the peers' attempts. */
    static final String REACHABILITY_RULE = "node-reachability";

    /**
     * One row: the node, its verdict now, each rule's shown status (pass, warn, fail, skip, waived), and the current
     * run's uid and coverage (null before the node's first judged report). The cells are an array in the catalog's
     * order ({@link Columns}): a 5000-node page builds every row for its filters and counts, and a map per row made
     * most of its garbage.
     */
    public static final class Row {
        private final NodeSummary node;
        private final String verdict;
        private final boolean stale;
        private final Columns columns;
        private final Cell[] cells;
        private final Stored stored;
        private RunCoverage coverage;

        Row(NodeSummary node, String verdict, boolean stale, Columns columns, Cell[] cells, Stored stored) {
            this.node = node;
            this.verdict = verdict;
            this.stale = stale;
            this.columns = columns;
            this.cells = cells;
            this.stored = stored;
        }

        public NodeSummary node() {
            return node;
        }

        public String verdict() {
            return verdict;
        }

        public boolean stale() {
            return stale;
        }

        public Cell cell(String rule) {
            int i = columns.indexOf(rule);
            return i < 0 || cells[i] == null ? Cell.NONE : cells[i];
        }

        /** The cells of these columns, in their order: what the page draws. */
        public List<RuleCell> cells(List<RuleInfo> shown) {
            return shown.stream().map(r -> new RuleCell(r.id(), cell(r.id()))).toList();
        }

        /**
         * The current run's coverage, made from the cells when first asked: {@link #rows} asks at once for a non-root
         * run (its hidden cells change the row), a page for the rows it shows; a root run hides nothing, so a cluster's
         * other rows never make one.
         */
        public RunCoverage coverage() {
            if (coverage == null && stored != null && stored.statuses()) {
                coverage = RunCoverage.of(stored.reportId(), stored.uid(), stored.collectedAt(), columns.statuses(cells),
                        Map.of(), stored.root(), stored.rootStatuses());
            }
            return coverage;
        }
    }

    /** A cell with its rule, as the page draws it (flat: one lookup per attribute in the template). */
    public record RuleCell(String rule, Cell cell) {

        public String status() {
            return cell.status();
        }

        public String rootStatus() {
            return cell.rootStatus();
        }

        public Instant rootAt() {
            return cell.rootAt();
        }

        public String symbol() {
            return cell.symbol();
        }

        public String rootSymbol() {
            return cell.rootSymbol();
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
        private static final List<Cell> KNOWN = List.of(WORDS.get("pass"), WORDS.get("skip"), WORDS.get("fail"),
                WORDS.get("warn"), WORDS.get("waived"));

        Cell(String status) {
            this(status, null, null);
        }

        /** The cell of a status word: one instance per word, not one per node and rule. */
        static Cell of(String word) {
            Cell cell = WORDS.get(word);
            return cell != null ? cell : new Cell(word);
        }

        /** The cell of the status word {@code line[from, to)}, without a substring for the known words. */
        static Cell of(String line, int from, int to) {
            for (Cell cell : KNOWN) {
                if (cell.status.length() == to - from && line.startsWith(cell.status, from)) {
                    return cell;
                }
            }
            return new Cell(line.substring(from, to));
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
     * Every node's row (in hostname order), filtered; {@code reach} gives node-reachability for every node as it
     * stands now ({@link ReachabilityMatrix#overview}, read with the reachability matrix the page also shows, maybe
     * meanwhile): it is asked for once the nodes, their latest reports' statuses (one read) and identities are read.
     */
    public List<Row> rows(Cluster cluster, Supplier<Map<Long, String>> reach, Instant staleBefore, Filters filters) {
        List<NodeStatuses> nodes = nodesWithStatuses(cluster.id);
        Map<Long, Map<String, String>> live = liveIdentityStatuses(cluster);
        WaiversInForce waivers = readiness.waivers(cluster.id);
        Map<Long, String> reachable = reach.get();
        int reachability = columns.indexOf(REACHABILITY_RULE);
        List<Row> rows = new ArrayList<>();
        for (NodeStatuses read : nodes) {
            NodeSummary node = read.node();
            Stored stored = read.stored();
            Cell[] cells = read.cells();
            if (stored != null && stored.statuses()) {
                live.getOrDefault(node.id(), Map.of()).forEach((rule, word) -> columns.set(cells, rule, Cell.of(word)));
                String reached = reachable.get(node.id());
                if (reached != null && reachability >= 0) {
                    cells[reachability] = Cell.of(reached);
                }
            }
            boolean notReady = false;
            boolean warning = false;
            for (int i = 0; i < cells.length; i++) {
                if (cells[i] == null || !cells[i].problem()) {
                    continue;
                }
                if (waivers.covering(node.id(), columns.ids[i]).isPresent()) {
                    cells[i] = Cell.of("waived");
                    continue;
                }
                notReady |= cells[i].status().equals("fail") && columns.severities[i] == Severity.ERROR;
                warning = true;
            }
            boolean stale = node.lastSeen().isBefore(staleBefore);
            String verdict = node.lastReportId() == null || stored == null || !stored.statuses() ? Verdict.UNKNOWN.word()
                    : stale ? "stale" : (notReady ? Verdict.NOT_READY : warning ? Verdict.WARNING : Verdict.READY).word();
            Row row = new Row(node, verdict, stale, columns, cells, stored);
            if (stored != null && stored.statuses() && stored.nonRoot()) {
                RunCoverage coverage = row.coverage();
                for (RunCoverage.NotChecked hidden : coverage.hidden()) {
                    columns.set(cells, hidden.rule(),
                            new Cell("skip", hidden.rootStatus(), coverage.lastRoot().collectedAt()));
                }
            }
            if (filters.keeps(row)) {
                rows.add(row);
            }
        }
        return rows;
    }

    /** The catalog's rules as the rows' cell arrays hold them: the catalog is fixed at start. */
    @PostConstruct
    void readColumns() {
        columns = new Columns(catalog.all());
    }

    /**
     * The catalog's rule ids in column order and where each one is, with its severity. A report's status line lists
     * its rules in this order, so reading one mostly compares in place: no map and no substring per rule and node.
     */
    static final class Columns {
        final String[] ids;
        final Severity[] severities;
        private final Map<String, Integer> index = new HashMap<>();

        Columns(List<RuleInfo> rules) {
            ids = rules.stream().map(RuleInfo::id).toArray(String[]::new);
            severities = rules.stream().map(RuleInfo::severity).toArray(Severity[]::new);
            for (int i = 0; i < ids.length; i++) {
                index.put(ids[i], i);
            }
        }

        int indexOf(String rule) {
            Integer i = index.get(rule);
            return i == null ? -1 : i;
        }

        /** Rule to status word of the cells a row has, in column order. */
        Map<String, String> statuses(Cell[] cells) {
            Map<String, String> statuses = new LinkedHashMap<>();
            for (int i = 0; i < cells.length; i++) {
                if (cells[i] != null) {
                    statuses.put(ids[i], cells[i].status());
                }
            }
            return statuses;
        }

        void set(Cell[] cells, String rule, Cell cell) {
            int i = indexOf(rule);
            if (i >= 0) {
                cells[i] = cell;
            }
        }

        /**
         * The cells of a stored "rule=status rule=status" line (null where the line does not name the rule); a rule the
         * catalog no longer has is left out. Returns null for a line that names none.
         */
        Cell[] parse(String line) {
            Cell[] cells = new Cell[ids.length];
            boolean any = false;
            int next = 0;
            int at = 0;
            while (at < line.length()) {
                int end = line.indexOf(' ', at);
                if (end < 0) {
                    end = line.length();
                }
                int eq = line.indexOf('=', at);
                if (eq > at && eq < end) {
                    int i = next < ids.length && ids[next].length() == eq - at && line.startsWith(ids[next], at) ? next
                            : indexOf(line.substring(at, eq));
                    if (i >= 0) {
                        cells[i] = Cell.of(line, eq + 1, end);
                        next = i + 1;
                        any = true;
                    }
                }
                at = end + 1;
            }
            return any ? cells : null;
        }
    }

    public List<RuleInfo> columns(Filters filters) {
        return catalog.all().stream().filter(r -> Filters.blank(filters.rule()) || r.id().equals(filters.rule())).toList();
    }

    /**
     * A node's latest report as the matrix reads it ({@code statuses}: whether it has a status line at all), with its
     * last root run where the latest is not one.
     */
    private record Stored(long reportId, Integer uid, Instant collectedAt, boolean statuses, RunCoverage.RootRun root,
            Map<String, String> rootStatuses) {

        boolean nonRoot() {
            return uid != null && uid != 0;
        }
    }

    /** A node, its latest report (null: none, or one judged before statuses were kept) and that report's cells. */
    private record NodeStatuses(NodeSummary node, Stored stored, Cell[] cells) {
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
                    Cell[] cells = line == null ? null : columns.parse(line);
                    if (line != null) {
                        Integer uid = row.getObject(11, Integer.class);
                        Long rootId = row.getObject(13, Long.class);
                        RunCoverage.RootRun root = rootId == null ? null
                                : new RunCoverage.RootRun(rootId, row.getTimestamp(14).toInstant());
                        stored = new Stored(report, uid, row.getTimestamp(12).toInstant(), cells != null, root,
                                root == null ? Map.of() : RunCoverage.parseStatuses(row.getString(15)));
                    }
                    result.add(new NodeStatuses(node, stored, cells == null ? new Cell[columns.ids.length] : cells));
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
            rule.statuses(view, cluster.settings(), ids).forEach((node, status) ->
                    result.computeIfAbsent(node, k -> new HashMap<>()).put(rule.info().id(), status.word()));
        }
        return result;
    }
}
