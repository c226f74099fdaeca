package io.netready.cluster;

import java.math.BigInteger;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.agroal.api.AgroalDataSource;
import io.netready.net.Cidr;
import io.netready.reportformat.Phase;
import io.netready.rules.NodeIdentity;
import io.netready.rules.OwnFirewall;
import io.netready.rules.ReachabilityPorts;
import io.netready.rules.Status;

/**
 * Who reaches whom in a cluster, from {@code reachability_outcome} (each source's latest attempt on each target and
 * port; an attempt counts only while the target still has the address it was tried on). Up to
 * {@value #NODE_BY_NODE_LIMIT} nodes the cluster page draws it node by node, each cell the worst outcome over the pair's
 * ports; above, source subnet x target subnet (and role), counted by the database: drawing N x N for thousands of nodes
 * helps nobody, and only sampled pairs exist. Lanes are grouped by role, then by subnet (the network of the node's own
 * NICs that holds its node IP, as node-reachability names it). Also: node-reachability as it stands now for every node
 * (for the node x rule matrix), the paths to open between subnets, and one node's peers.
 */
@ApplicationScoped
public class ReachabilityMatrix {

    /** Up to this many nodes the matrix is node by node; above, it is source subnet x target subnet. */
    public static final int NODE_BY_NODE_LIMIT = 60;

    /** A node page lists at most this many peers each way, the worst first. */
    public static final int PEERS_LISTED = 100;

    /** What a cell shows: colour (by its word) and a symbol, so it reads in greyscale too. Worse outcomes come later. */
    public enum Mark {
        SELF("self", "—", "the node itself"),
        NOT_TRIED("not-tried", "·", "not tried by the source's latest run"),
        CONNECTED("connected", "✓", "reached: every port connected"),
        REFUSED("refused", "○", "refused: the path is open, nothing listens"),
        ERROR("error", "?", "error on the source's side (its own firewall, say): not counted"),
        UNREACHABLE("unreachable", "⊘", "rejected on the way (ICMP unreachable)"),
        TIMEOUT("timeout", "✗", "timed out: dropped on the way, or the peer is down");

        private final String word;
        private final String symbol;
        private final String meaning;

        Mark(String word, String symbol, String meaning) {
            this.word = word;
            this.symbol = symbol;
            this.meaning = meaning;
        }

        public String word() {
            return word;
        }

        public String symbol() {
            return symbol;
        }

        public String meaning() {
            return meaning;
        }

        /** The mark of a stored outcome word (an unknown one counts as an error). */
        static Mark of(String outcome) {
            for (Mark mark : values()) {
                if (mark.ordinal() >= CONNECTED.ordinal() && mark.word.equals(outcome)) {
                    return mark;
                }
            }
            return ERROR;
        }

        Mark worse(Mark other) {
            return other.ordinal() > ordinal() ? other : this;
        }

        /** The outcomes, in the legend's order. */
        public static List<Mark> legend() {
            return List.of(CONNECTED, REFUSED, TIMEOUT, UNREACHABLE, ERROR, NOT_TRIED, SELF);
        }
    }

    /** A row or column: one node (node by node) or the nodes of one role and subnet. */
    public record Lane(String label, Long nodeId, String role, String subnet, int nodes) {
    }

    /** A header over several columns (or the first cell of several rows). */
    public record Span(String label, int span) {
    }

    /** One cell: its mark, a short text (the subnet view's "212/240"), and what its title attribute lists. */
    public record Cell(Mark mark, String text, String title) {

        public String symbol() {
            return mark.symbol();
        }
    }

    /** A row of the matrix; {@code groupSpan} is the rows its group header spans, 0 where the row is not a group's first. */
    public record Row(Lane lane, String group, int groupSpan, List<Cell> cells) {
    }

    /** Ports to open between two subnets: what timed out or was unreachable though the target's own firewall admits it. */
    public record PathToOpen(String from, String to, List<Integer> ports, int attempts) {

        public String portList() {
            return ports.stream().map(String::valueOf).collect(Collectors.joining(", "));
        }
    }

    /** The matrix of a cluster. */
    public record View(boolean bySubnet, int nodes, int pairsTried, List<Span> columnGroups, List<Lane> columns,
            List<Row> rows, List<PathToOpen> paths) {

        public List<Mark> legend() {
            return Mark.legend();
        }

        public int threshold() {
            return NODE_BY_NODE_LIMIT;
        }
    }

    /** One port of a peer's attempt, as the node page lists it. */
    public record PortOutcome(int port, Mark mark, Double seconds, Instant observedAt) {

        public String took() {
            return seconds == null ? "" : String.format(Locale.ROOT, "%.3f s", seconds);
        }
    }

    /** A peer and its attempts on (or from) the node. */
    public record PeerAttempts(long nodeId, String hostname, String address, Mark worst, List<PortOutcome> ports) {
    }

    /** Who tried the node and how it went ({@code inbound}), and what the node itself tried ({@code outbound}). */
    public record NodeReach(String nodeIp, List<PeerAttempts> inbound, int inboundPeers, List<PeerAttempts> outbound,
            int outboundPeers) {
    }

    /** A node as the matrix groups it. */
    record Peer(long id, String hostname, String role, String nodeIp, String subnet, String phase,
            List<String> ownFirewall) {

        String group() {
            return role + " · " + subnet;
        }
    }

    private static final String PEERS = """
            SELECT i.node_id, i.hostname, n.role, i.node_ip, i.networks, i.phase, i.own_firewall, i.subnet
              FROM node_identity i JOIN node n ON n.id = i.node_id WHERE i.cluster_id = ?""";

    /** Node by node: every attempt that still counts. */
    private static final String ATTEMPTS = """
            SELECT o.source_node_id, o.target_node_id, o.port, o.outcome, o.seconds, o.observed_at
              FROM reachability_outcome o JOIN node_identity t ON t.node_id = o.target_node_id AND t.node_ip = o.target_ip
             WHERE o.cluster_id = ?""";

    /**
     * By subnet: pairs (each source's latest attempt on a target, {@code reachability_pair}) counted per source role and
     * subnet, target role and subnet, and the pair's worst outcome: a small result, whatever the cluster's size. A pair
     * row is always on the target's current address (an upload that moves a node deletes the pairs on its old one), so
     * no join on addresses: joined on node and address, the planner misjudged the pairs as 20 rows and looped.
     */
    private static final String BY_GROUP = """
            WITH lane AS (SELECT i.node_id, n.role, i.subnet FROM node_identity i JOIN node n ON n.id = i.node_id
                           WHERE i.cluster_id = ?)
            SELECT s.role, s.subnet, t.role, t.subnet, p.worst, count(*)
              FROM reachability_pair p JOIN lane s ON s.node_id = p.source_node_id JOIN lane t ON t.node_id = p.target_node_id
             WHERE p.cluster_id = ?
             GROUP BY s.role, s.subnet, t.role, t.subnet, p.worst""";

    /** Attempts dropped on the way to a port the target's own firewall admits (or was not judged on). */
    private static final String FAILED = """
            SELECT o.source_node_id, o.target_node_id, o.port
              FROM reachability_outcome o JOIN node_identity t ON t.node_id = o.target_node_id AND t.node_ip = o.target_ip
             WHERE o.cluster_id = ? AND o.outcome IN ('timeout', 'unreachable')
               AND NOT t.own_firewall && ARRAY[o.port || ' blocked', o.port || ' partial']""";

    /**
     * Per target node and set of ports a peer was refused on, whether any peer's latest attempt timed out or was
     * unreachable: node-reachability's tests, from one row per pair. Grouped on the refused ports as they are stored:
     * a target's peers try the same ports, so a target has one to three such sets (5549 rows for 95,000 pairs at 5000
     * nodes), and which of those ports matter (a component port, one the target's own firewall drops) is decided in
     * Java, once per target. Unnesting every pair's ports and testing each against the target's firewall in SQL made
     * this count two and a half times slower.
     */
    private static final String BY_TARGET = """
            SELECT target_node_id, refused_ports, bool_or(cardinality(failed_ports) > 0)
              FROM reachability_pair WHERE cluster_id = ? GROUP BY target_node_id, refused_ports""";

    private static final String NODE_INBOUND = """
            SELECT o.source_node_id, s.hostname, s.node_ip, o.port, o.outcome, o.seconds, o.observed_at
              FROM reachability_outcome o JOIN node_identity t ON t.node_id = o.target_node_id AND t.node_ip = o.target_ip
              JOIN node_identity s ON s.node_id = o.source_node_id
             WHERE o.target_node_id = ?""";

    private static final String NODE_OUTBOUND = """
            SELECT o.target_node_id, t.hostname, o.target_ip, o.port, o.outcome, o.seconds, o.observed_at
              FROM reachability_outcome o JOIN node_identity t ON t.node_id = o.target_node_id AND t.node_ip = o.target_ip
             WHERE o.source_node_id = ?""";

    @Inject
    AgroalDataSource dataSource;

    /** The cluster page's part: the matrix and node-reachability for every node, from one read of the nodes. */
    public record Overview(View view, Map<Long, String> liveStatuses) {
    }

    /** The cluster's matrix: node by node up to {@value #NODE_BY_NODE_LIMIT} nodes, else by subnet. */
    public View of(long clusterId) {
        try (Connection connection = dataSource.getConnection()) {
            return view(connection, clusterId, peers(connection, clusterId));
        } catch (SQLException e) {
            throw new IllegalStateException("Reading the reachability of cluster " + clusterId + " failed", e);
        }
    }

    /** The matrix and the live statuses together, as the cluster page shows both. */
    public Overview overview(long clusterId) {
        try (Connection connection = dataSource.getConnection()) {
            List<Peer> peers = peers(connection, clusterId);
            return new Overview(view(connection, clusterId, peers), liveStatuses(connection, clusterId, peers));
        } catch (SQLException e) {
            throw new IllegalStateException("Reading the reachability of cluster " + clusterId + " failed", e);
        }
    }

    private View view(Connection connection, long clusterId, List<Peer> peers) throws SQLException {
        List<PathToOpen> paths = paths(connection, clusterId, peers);
        return peers.size() <= NODE_BY_NODE_LIMIT ? nodeByNode(connection, clusterId, peers, paths)
                : bySubnet(connection, clusterId, peers, paths);
    }

    /**
     * node-reachability's status for every node as it stands now (peers' later uploads change it), from counts the
     * database makes: fail where a peer's attempt timed out or was unreachable, or was refused on a port the node's own
     * firewall drops; warn where a component port (6443, 10250, 2379, 2380) refused a peer while the node runs; skip
     * where the node has no node IP or nobody tried it; else pass. These are the rule's own tests
     * ({@code NodeReachabilityRule}); its message and evidence need the attempts, read on the node page.
     */
    public Map<Long, String> liveStatuses(long clusterId) {
        try (Connection connection = dataSource.getConnection()) {
            return liveStatuses(connection, clusterId, peers(connection, clusterId));
        } catch (SQLException e) {
            throw new IllegalStateException("Reading the reachability of cluster " + clusterId + " failed", e);
        }
    }

    private static Map<Long, String> liveStatuses(Connection connection, long clusterId, List<Peer> peers)
            throws SQLException {
        Map<Long, Tried> tried = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement(BY_TARGET)) {
            select.setLong(1, clusterId);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    Tried target = tried.computeIfAbsent(row.getLong(1), k -> new Tried(new TreeSet<>(), new boolean[1]));
                    for (Integer port : (Integer[]) row.getArray(2).getArray()) {
                        target.refused().add(port);
                    }
                    target.failed()[0] |= row.getBoolean(3);
                }
            }
        }
        Map<Long, String> statuses = new HashMap<>();
        for (Peer peer : peers) {
            Tried target = tried.get(peer.id());
            statuses.put(peer.id(), (target == null ? status(peer, false, Set.of(), false)
                    : status(peer, true, target.refused(), target.failed()[0])).word());
        }
        return statuses;
    }

    /** Who tried a node: the ports peers were refused on, and whether any attempt timed out or was unreachable. */
    private record Tried(Set<Integer> refused, boolean[] failed) {
    }

    /**
     * node-reachability's status for one node: skip untried (or without a node IP); fail where a peer timed out or was
     * unreachable, or was refused on a port the node's own firewall drops; warn where a component port refused a peer
     * while the node runs; else pass.
     */
    static Status status(Peer peer, boolean tried, Set<Integer> refusedPorts, boolean failed) {
        if (peer.nodeIp() == null || !tried) {
            return Status.SKIP;
        }
        if (failed) {
            return Status.FAIL;
        }
        boolean running = Phase.RUNNING.word().equals(peer.phase());
        Status status = Status.PASS;
        for (int port : refusedPorts) {
            boolean ownDrops = OwnFirewall.of(peer.ownFirewall(), port)
                    .filter(v -> v == OwnFirewall.Verdict.BLOCKED || v == OwnFirewall.Verdict.PARTIAL).isPresent();
            if (ownDrops) {
                return Status.FAIL;
            }
            if (running && ReachabilityPorts.componentPort(port)) {
                status = Status.WARN;
            }
        }
        return status;
    }

    /** Who tried the node and what it tried, on its current address; the worst peers first. */
    public NodeReach forNode(long nodeId) {
        try (Connection connection = dataSource.getConnection()) {
            String nodeIp = null;
            try (PreparedStatement select = connection.prepareStatement("SELECT node_ip FROM node_identity WHERE node_id = ?")) {
                select.setLong(1, nodeId);
                try (ResultSet row = select.executeQuery()) {
                    nodeIp = row.next() ? row.getString(1) : null;
                }
            }
            List<PeerAttempts> inbound = attempts(connection, NODE_INBOUND, nodeId);
            List<PeerAttempts> outbound = attempts(connection, NODE_OUTBOUND, nodeId);
            return new NodeReach(nodeIp, inbound.subList(0, Math.min(PEERS_LISTED, inbound.size())), inbound.size(),
                    outbound.subList(0, Math.min(PEERS_LISTED, outbound.size())), outbound.size());
        } catch (SQLException e) {
            throw new IllegalStateException("Reading the reachability of node " + nodeId + " failed", e);
        }
    }

    private static List<PeerAttempts> attempts(Connection connection, String sql, long nodeId) throws SQLException {
        Map<Long, PeerAttempts> peers = new LinkedHashMap<>();
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setLong(1, nodeId);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    long peer = row.getLong(1);
                    String hostname = row.getString(2);
                    String address = row.getString(3);
                    PortOutcome port = portOutcome(row, 4);
                    PeerAttempts seen = peers.get(peer);
                    List<PortOutcome> ports = seen == null ? new ArrayList<>() : new ArrayList<>(seen.ports());
                    ports.add(port);
                    peers.put(peer, new PeerAttempts(peer, hostname, address,
                            seen == null ? port.mark() : seen.worst().worse(port.mark()), ports));
                }
            }
        }
        return peers.values().stream()
                .map(p -> new PeerAttempts(p.nodeId(), p.hostname(), p.address(), p.worst(),
                        p.ports().stream().sorted(Comparator.comparingInt(PortOutcome::port)).toList()))
                .sorted(Comparator.comparing((PeerAttempts p) -> -p.worst().ordinal()).thenComparing(PeerAttempts::hostname))
                .toList();
    }

    /** port, outcome, seconds, observed_at from column {@code first} on. */
    private static PortOutcome portOutcome(ResultSet row, int first) throws SQLException {
        int port = row.getInt(first);
        Mark mark = Mark.of(row.getString(first + 1));
        float seconds = row.getFloat(first + 2);
        Double took = row.wasNull() ? null : (double) seconds;
        return new PortOutcome(port, mark, took, row.getTimestamp(first + 3).toInstant());
    }

    private static List<Peer> peers(Connection connection, long clusterId) throws SQLException {
        List<Peer> peers = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(PEERS)) {
            select.setLong(1, clusterId);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    String nodeIp = row.getString(4);
                    String subnet = row.getString(8);
                    peers.add(new Peer(row.getLong(1), row.getString(2), row.getString(3), nodeIp,
                            subnet != null || nodeIp == null ? lane(subnet) : subnet(nodeIp, texts(row.getArray(5))),
                            row.getString(6), texts(row.getArray(7))));
                }
            }
        }
        Map<String, Integer> subnetOrder = new HashMap<>();
        List<String> subnets = peers.stream().map(Peer::subnet).distinct().sorted(SUBNETS).toList();
        for (int i = 0; i < subnets.size(); i++) {
            subnetOrder.put(subnets.get(i), i);
        }
        peers.sort(Comparator.comparing((Peer p) -> roleOrder(p.role())).thenComparing(p -> subnetOrder.get(p.subnet()))
                .thenComparing(Peer::hostname).thenComparingLong(Peer::id));
        return peers;
    }

    private View nodeByNode(Connection connection, long clusterId, List<Peer> peers, List<PathToOpen> paths)
            throws SQLException {
        Map<Long, Integer> index = new HashMap<>();
        for (int i = 0; i < peers.size(); i++) {
            index.put(peers.get(i).id(), i);
        }
        Mark[][] worst = new Mark[peers.size()][peers.size()];
        Map<Long, List<String>> details = new HashMap<>();
        int pairs = 0;
        try (PreparedStatement select = connection.prepareStatement(ATTEMPTS)) {
            select.setLong(1, clusterId);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    Integer s = index.get(row.getLong(1));
                    Integer t = index.get(row.getLong(2));
                    if (s == null || t == null) {
                        continue;
                    }
                    PortOutcome port = portOutcome(row, 3);
                    if (worst[s][t] == null) {
                        pairs++;
                        worst[s][t] = port.mark();
                    } else {
                        worst[s][t] = worst[s][t].worse(port.mark());
                    }
                    details.computeIfAbsent((long) s * peers.size() + t, k -> new ArrayList<>()).add(port.port() + ": "
                            + port.mark().word() + (port.seconds() == null ? "" : " after " + port.took()) + ", "
                            + port.observedAt());
                }
            }
        }
        List<Lane> columns = peers.stream().map(p -> new Lane(p.hostname(), p.id(), p.role(), p.subnet(), 1)).toList();
        List<Row> rows = new ArrayList<>();
        for (int s = 0; s < peers.size(); s++) {
            List<Cell> cells = new ArrayList<>();
            for (int t = 0; t < peers.size(); t++) {
                String pair = peers.get(s).hostname() + " → " + peers.get(t).hostname();
                if (s == t) {
                    cells.add(new Cell(Mark.SELF, "", pair + ": the node itself"));
                } else if (worst[s][t] == null) {
                    cells.add(new Cell(Mark.NOT_TRIED, "", pair + ": not tried by its latest run"));
                } else {
                    List<String> ports = new ArrayList<>(details.get((long) s * peers.size() + t));
                    ports.sort(Comparator.comparingInt(line -> Integer.parseInt(line.substring(0, line.indexOf(':')))));
                    cells.add(new Cell(worst[s][t], "", pair + ": " + String.join("; ", ports)));
                }
            }
            rows.add(new Row(columns.get(s), peers.get(s).group(), 0, cells));
        }
        return new View(false, peers.size(), pairs, spans(peers.stream().map(Peer::group).toList()), columns,
                withGroupSpans(rows), paths);
    }

    private View bySubnet(Connection connection, long clusterId, List<Peer> peers, List<PathToOpen> paths)
            throws SQLException {
        Map<String, Integer> groupIndex = new LinkedHashMap<>();
        List<Lane> lanes = new ArrayList<>();
        Map<String, Integer> sizes = new LinkedHashMap<>();
        peers.forEach(p -> sizes.merge(p.group(), 1, Integer::sum));
        for (Peer peer : peers) {
            if (!groupIndex.containsKey(peer.group())) {
                groupIndex.put(peer.group(), lanes.size());
                lanes.add(new Lane(peer.subnet(), null, peer.role(), peer.subnet(), sizes.get(peer.group())));
            }
        }
        int groups = lanes.size();
        long[][][] counts = new long[groups][groups][Mark.values().length];
        int pairs = 0;
        try (PreparedStatement select = connection.prepareStatement(BY_GROUP)) {
            select.setLong(1, clusterId);
            select.setLong(2, clusterId);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    Integer from = groupIndex.get(row.getString(1) + " · " + lane(row.getString(2)));
                    Integer to = groupIndex.get(row.getString(3) + " · " + lane(row.getString(4)));
                    if (from == null || to == null) {
                        continue; // a node that joined since the nodes were read
                    }
                    int count = row.getInt(6);
                    counts[from][to][Mark.of(row.getString(5)).ordinal()] += count;
                    pairs += count;
                }
            }
        }
        List<Row> rows = new ArrayList<>();
        for (int s = 0; s < groups; s++) {
            List<Cell> cells = new ArrayList<>();
            for (int t = 0; t < groups; t++) {
                cells.add(groupCell(lanes.get(s), lanes.get(t), s == t, counts[s][t]));
            }
            Lane lane = lanes.get(s);
            rows.add(new Row(lane, lane.role(), 0, cells));
        }
        return new View(true, peers.size(), pairs, spans(lanes.stream().map(Lane::role).toList()), lanes,
                withGroupSpans(rows), paths);
    }

    private static Cell groupCell(Lane from, Lane to, boolean same, long[] byMark) {
        long tried = 0;
        Mark worst = Mark.NOT_TRIED;
        for (Mark mark : Mark.values()) {
            if (byMark[mark.ordinal()] > 0) {
                tried += byMark[mark.ordinal()];
                worst = worst.worse(mark);
            }
        }
        long possible = (long) from.nodes() * to.nodes() - (same ? from.nodes() : 0);
        String pair = from.role() + " " + from.subnet() + " → " + to.role() + " " + to.subnet();
        if (tried == 0) {
            return new Cell(possible == 0 ? Mark.SELF : Mark.NOT_TRIED, "",
                    pair + ": " + (possible == 0 ? "a single node" : "no pair tried in the sources' latest runs (" + possible + " possible)"));
        }
        long reached = byMark[Mark.CONNECTED.ordinal()];
        List<String> parts = new ArrayList<>();
        parts.add(reached + " of " + tried + " pairs tried reached on every port");
        for (Mark mark : List.of(Mark.REFUSED, Mark.TIMEOUT, Mark.UNREACHABLE, Mark.ERROR)) {
            if (byMark[mark.ordinal()] > 0) {
                parts.add(byMark[mark.ordinal()] + " " + mark.word() + " at worst");
            }
        }
        parts.add(possible + " pairs possible: each node's latest run tries every control plane and a sample of the workers that rotates from run to run");
        return new Cell(worst, reached + "/" + tried, pair + ": " + String.join("; ", parts));
    }

    /** The paths to open between subnets, grouped by source subnet and target subnet, with the exact ports. */
    private static List<PathToOpen> paths(Connection connection, long clusterId, List<Peer> peers) throws SQLException {
        Map<Long, String> subnets = new HashMap<>();
        peers.forEach(p -> subnets.put(p.id(), p.subnet()));
        Map<List<String>, Set<Integer>> ports = new HashMap<>();
        Map<List<String>, Integer> attempts = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement(FAILED)) {
            select.setLong(1, clusterId);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    String from = subnets.get(row.getLong(1));
                    String to = subnets.get(row.getLong(2));
                    if (from == null || to == null) {
                        continue;
                    }
                    List<String> key = List.of(from, to);
                    ports.computeIfAbsent(key, k -> new TreeSet<>()).add(row.getInt(3));
                    attempts.merge(key, 1, Integer::sum);
                }
            }
        }
        // the subnets sorted once: SUBNETS parses its CIDRs on every comparison
        Map<String, Integer> order = new HashMap<>();
        List<String> sorted = ports.keySet().stream().flatMap(List::stream).distinct().sorted(SUBNETS).toList();
        for (int i = 0; i < sorted.size(); i++) {
            order.put(sorted.get(i), i);
        }
        return ports.entrySet().stream()
                .sorted(Comparator.comparing((Map.Entry<List<String>, Set<Integer>> e) -> order.get(e.getKey().get(0)))
                        .thenComparing(e -> order.get(e.getKey().get(1))))
                .map(e -> new PathToOpen(e.getKey().get(0), e.getKey().get(1), List.copyOf(e.getValue()),
                        attempts.get(e.getKey())))
                .toList();
    }

    /** Consecutive equal labels as one span each. */
    private static List<Span> spans(List<String> labels) {
        List<Span> spans = new ArrayList<>();
        for (String label : labels) {
            if (!spans.isEmpty() && spans.get(spans.size() - 1).label().equals(label)) {
                Span last = spans.remove(spans.size() - 1);
                spans.add(new Span(label, last.span() + 1));
            } else {
                spans.add(new Span(label, 1));
            }
        }
        return spans;
    }

    private static List<Row> withGroupSpans(List<Row> rows) {
        List<Row> spanned = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            boolean first = i == 0 || !rows.get(i - 1).group().equals(row.group());
            int span = 0;
            if (first) {
                for (int j = i; j < rows.size() && rows.get(j).group().equals(row.group()); j++) {
                    span++;
                }
            }
            spanned.add(new Row(row.lane(), row.group(), span, row.cells()));
        }
        return spanned;
    }

    /** The lane of a stored subnet: null is a node without a node IP. */
    private static String lane(String subnet) {
        return subnet == null ? "no node IP" : subnet;
    }

    /** The subnet node-reachability names in its notes ({@link NodeIdentity#subnetOf}); "no node IP" without one. */
    static String subnet(String address, List<String> networks) {
        return address == null ? "no node IP" : NodeIdentity.subnetOf(address, networks);
    }

    /** Subnets in address order (IPv4 first), anything that is not a CIDR last. */
    static final Comparator<String> SUBNETS = Comparator.comparing((String s) -> Cidr.parse(s).isEmpty())
            .thenComparing(s -> Cidr.parse(s).map(c -> c.network().getAddress().length).orElse(0))
            .thenComparing(s -> Cidr.parse(s).map(c -> new BigInteger(1, c.network().getAddress())).orElse(BigInteger.ZERO))
            .thenComparing(Comparator.naturalOrder());

    private static int roleOrder(String role) {
        return "control-plane".equals(role) ? 0 : "worker".equals(role) ? 1 : 2;
    }

    private static List<String> texts(Array array) throws SQLException {
        return array == null ? List.of() : List.of((String[]) array.getArray());
    }
}
