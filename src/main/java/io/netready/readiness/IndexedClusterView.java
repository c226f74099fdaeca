package io.netready.readiness;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.netready.jdbc.NamedSql;
import io.netready.rules.ClusterView;
import io.netready.rules.IdentitySince;
import io.netready.rules.InMemoryClusterView;
import io.netready.rules.InferredCidrs;
import io.netready.rules.NodeIdentity;

/**
 * The cluster as one node's upload needs it, read through indexes: the nodes sharing its hostname, machine-id,
 * product_uuid, node IP or a MAC; MTU counts; and only the peer pod subnets it lacks a route to. The work per upload
 * does not grow with the cluster's size the way reading every node would. Pod routes and reachability attempts are
 * read when a rule asks.
 */
public final class IndexedClusterView implements ClusterView {

    /**
     * What every upload reads, in one round trip: the nodes sharing a value with the target, the MTU counts of the
     * other nodes (the cluster's counts, kept by the database, less the target's stored identity), the cluster's
     * waivers in force, and the other nodes' cluster-wide CIDR hints (counted by the database per cluster, less the
     * target's stored ones; where the target was the hint's first hostname and no longer is, the next one is looked
     * up, which only a changed hint or hostname costs); and the target's own stored identity values with since when it
     * has reported each (a value it keeps keeps its time, a new one starts at this upload). Pod routes are read only when
     * a rule asks (routed clusters): that read grows with the cluster. {@code {self}} stands for the target node's id; {@link #bindTarget} binds the rest.
     */
    private static final String READ_TEMPLATE = "SELECT " + NodeIdentityStore.COLUMNS + """
             FROM node_identity
            WHERE cluster_id = :cluster AND node_id <> {self}
              AND (lower(hostname) = :target_hostname OR machine_id = :target_machine_id
                OR product_uuid = :target_product_uuid OR node_ip = :target_node_ip OR mac_values && :target_mac_values);
            WITH target AS (SELECT :cluster::bigint AS cluster_id, ({self})::bigint AS node_id)
            SELECT c.mtu, c.nodes - (SELECT count(*) FROM node_identity i WHERE i.node_id = t.node_id AND i.mtu = c.mtu)
              FROM cluster_mtu_count c JOIN target t ON c.cluster_id = t.cluster_id;
            SELECT\s""" + WaiverInForce.COLUMNS
            + " FROM waiver WHERE cluster_id = :cluster AND revoked_at IS NULL AND expires_at > now();" + """
            SELECT h.hint, h.nodes - CASE WHEN mine.node_id IS NULL THEN 0 ELSE 1 END,
                   CASE WHEN mine.node_id IS NOT NULL AND h.hostname = mine.hostname
                             AND NOT (h.hint = ANY (:target_cidr_hints) AND mine.hostname = :target_hostname_as_is)
                        THEN (SELECT min(i.hostname COLLATE "C") FROM node_identity i
                               WHERE i.cluster_id = h.cluster_id AND i.node_id <> mine.node_id AND h.hint = ANY (i.cidr_hints))
                        ELSE h.hostname END
              FROM cluster_cidr_hint h
              LEFT JOIN node_identity mine ON mine.node_id = {self} AND h.hint = ANY (mine.cidr_hints)
             WHERE h.cluster_id = :cluster;
            SELECT hostname, machine_id, product_uuid, node_ip, macs, hostname_since, machine_id_since, product_uuid_since,
                   node_ip_since, mac_since
              FROM node_identity WHERE node_id = {self}""";

    private static final NamedSql READ = NamedSql.parse(READ_TEMPLATE.replace("{self}", ":node"));

    /**
     * The read with the target named by {@code :cluster} and {@code :node_key} (an upload's node id is allocated in
     * the same round trip), to be sent after the statement that upserts the node; bound by {@link #bindTarget} and
     * the caller's {@code :node_key}.
     */
    public static final String READ_BY_NODE_KEY = READ_TEMPLATE.replace("{self}",
            "COALESCE((SELECT id FROM node WHERE cluster_id = :cluster AND node_key = :node_key), 0)");

    private final Connection connection;
    private final long clusterId;
    private final List<NodeIdentity> nodes;
    private final Map<Integer, Integer> mtuCounts;
    private final WaiversInForce waivers;
    private final List<CidrHintCount> cidrHints;

    private IndexedClusterView(Connection connection, long clusterId, List<NodeIdentity> nodes,
            Map<Integer, Integer> mtuCounts, WaiversInForce waivers, List<CidrHintCount> cidrHints) {
        this.connection = connection;
        this.clusterId = clusterId;
        this.nodes = nodes;
        this.mtuCounts = mtuCounts;
        this.waivers = waivers;
        this.cidrHints = cidrHints;
    }

    static IndexedClusterView around(Connection connection, long clusterId, NodeIdentity target) throws SQLException {
        try (NamedSql.Bound select = READ.prepare(connection)) {
            bindTarget(select, clusterId, target);
            select.set("node", target.nodeId());
            PreparedStatement statement = select.statement();
            statement.execute();
            return read(connection, statement, clusterId, target, Instant.now());
        }
    }

    /** Binds the read's {@code :cluster} and the target's values (its ids may be unknown yet). */
    public static void bindTarget(NamedSql.Bound select, long clusterId, NodeIdentity target) throws SQLException {
        select.set("cluster", clusterId)
                .set("target_hostname", target.hostname().toLowerCase(Locale.ROOT))
                .set("target_machine_id", target.machineId())
                .set("target_product_uuid", target.productUuid())
                .set("target_node_ip", target.nodeIp())
                .setTexts("target_mac_values", target.macValues())
                .set("target_hostname_as_is", target.hostname())
                .setTexts("target_cidr_hints", target.cidrHints().stream().filter(InferredCidrs::isClusterWide).toList());
    }

    /**
     * The view from the read's five results: {@code statement}'s current result and the four after it. The target's
     * identity times are carried from its stored identity: a value it reported before keeps its time, a new one gets
     * {@code receivedAt}, as the upload's write stores them.
     */
    public static IndexedClusterView read(Connection connection, Statement statement, long clusterId, NodeIdentity target,
            Instant receivedAt) throws SQLException {
        List<NodeIdentity> nodes = new ArrayList<>();
        nodes.add(target);
        Map<Integer, Integer> mtus = new HashMap<>();
        List<WaiverInForce> waivers = new ArrayList<>();
        try (ResultSet rows = statement.getResultSet()) {
            while (rows.next()) {
                nodes.add(NodeIdentityStore.read(rows));
            }
        }
        statement.getMoreResults();
        try (ResultSet rows = statement.getResultSet()) {
            while (rows.next()) {
                if (rows.getInt(2) > 0) {
                    mtus.put(rows.getInt(1), rows.getInt(2));
                }
            }
        }
        statement.getMoreResults();
        try (ResultSet rows = statement.getResultSet()) {
            while (rows.next()) {
                waivers.add(WaiverInForce.read(rows));
            }
        }
        Map<String, CidrHintCount> hints = new LinkedHashMap<>();
        statement.getMoreResults();
        try (ResultSet rows = statement.getResultSet()) {
            while (rows.next()) {
                if (rows.getInt(2) > 0) {
                    hints.put(rows.getString(1), new CidrHintCount(rows.getString(1), rows.getInt(2), rows.getString(3)));
                }
            }
        }
        NodeIdentity stored = null;
        statement.getMoreResults();
        try (ResultSet rows = statement.getResultSet()) {
            if (rows.next()) {
                java.sql.Array macs = rows.getArray(5);
                stored = new NodeIdentity(target.nodeId(), 0, rows.getString(1), rows.getString(2), rows.getString(3),
                        rows.getString(4), null, macs == null ? List.of() : List.of((String[]) macs.getArray()), List.of(),
                        List.of(), List.of(), List.of(), null, List.of(), NodeIdentityStore.since(rows, 6));
            }
        }
        nodes.set(0, target.withSince(IdentitySince.carried(stored, target, receivedAt)));
        if (target.mtu() != null) {
            mtus.merge(target.mtu(), 1, Integer::sum);
        }
        for (CidrHintCount own : InferredCidrs.count(List.of(target))) {
            hints.merge(own.hint(), own, CidrHintCount::plus);
        }
        return new IndexedClusterView(connection, clusterId, List.copyOf(nodes), mtus,
                new WaiversInForce(List.copyOf(waivers), Instant.now()), List.copyOf(hints.values()));
    }

    @Override
    public List<NodeIdentity> nodes() {
        return nodes;
    }

    @Override
    public Map<Integer, Integer> mtuCounts() {
        return mtuCounts;
    }

    @Override
    public List<CidrHintCount> cidrHints() {
        return cidrHints;
    }

    /** The cluster's waivers in force, read with the rest. */
    WaiversInForce waivers() {
        return waivers;
    }

    @Override
    public PodRoutes podRoutes(NodeIdentity node) {
        Map<String, String> routes = InMemoryClusterView.routesOf(node);
        List<String> have = new ArrayList<>();
        routes.forEach((destination, gateway) -> have.add(destination + " " + gateway));
        List<MissingRoute> missing = new ArrayList<>();
        try (NamedSql.Bound select = POD_ROUTES.prepare(connection)) {
            select.set("cluster", clusterId).set("node", node.nodeId()).setTexts("routes", have);
            PreparedStatement statement = select.statement();
            statement.execute();
            try (ResultSet rows = statement.getResultSet()) {
                while (rows.next()) {
                    String subnet = rows.getString(4);
                    missing.add(new MissingRoute(rows.getLong(1), rows.getString(2), rows.getString(3), subnet,
                            routes.get(subnet)));
                }
            }
            statement.getMoreResults();
            try (ResultSet rows = statement.getResultSet()) {
                rows.next();
                return new PodRoutes(rows.getInt(1), missing);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Checking pod routes failed", e);
        }
    }

    @Override
    public Inbound inbound(NodeIdentity target, int limit) {
        try {
            return ReachabilityStore.inbound(connection, target, limit);
        } catch (SQLException e) {
            throw new IllegalStateException("Reading who tried node " + target.nodeId() + " failed", e);
        }
    }

    @Override
    public List<Attempt> outbound(NodeIdentity source, Collection<Long> targets) {
        try {
            return ReachabilityStore.outbound(connection, source, targets);
        } catch (SQLException e) {
            throw new IllegalStateException("Reading what node " + source.nodeId() + " tried failed", e);
        }
    }

    /** The peers' pod subnets a node has no route to (via the peer's IP), then how many subnets were checked. */
    private static final NamedSql POD_ROUTES = NamedSql.parse("""
            SELECT node_id, hostname, node_ip, s, count(*) OVER () AS missing FROM node_identity, unnest(pod_subnets) s
             WHERE cluster_id = :cluster AND node_id <> :node AND node_ip IS NOT NULL
               AND NOT ((s || ' ' || node_ip) = ANY (:routes))
             ORDER BY hostname LIMIT 200;
            SELECT coalesce(sum(cardinality(pod_subnets)), 0) FROM node_identity
             WHERE cluster_id = :cluster AND node_id <> :node AND node_ip IS NOT NULL""");
}
