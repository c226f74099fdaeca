package io.netready.readiness;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.netready.rules.ClusterView;
import io.netready.rules.InMemoryClusterView;
import io.netready.rules.NodeIdentity;
import io.netready.waiver.Waiver;

/**
 * The cluster as one node's upload needs it, read through indexes: the nodes sharing its hostname, machine-id,
 * product_uuid, node IP or a MAC; MTU counts; and only the peer pod subnets it lacks a route to. The work per upload
 * does not grow with the cluster's size the way reading every node would.
 */
final class IndexedClusterView implements ClusterView {

    /**
     * What every upload reads, in one round trip: the nodes sharing a value with the target, the MTU counts of the
     * other nodes (the cluster's counts, kept by the database, less the target's stored identity) and the cluster's
     * waivers in force. Pod routes are read only when a rule asks (routed clusters): that read grows with
     * the cluster. {@value #SELF} stands for the target node's id.
     */
    private static final String READ_TEMPLATE = "SELECT " + NodeIdentityStore.COLUMNS + """
             FROM node_identity
            WHERE cluster_id = ? AND node_id <> SELF
              AND (lower(hostname) = ? OR machine_id = ? OR product_uuid = ? OR node_ip = ? OR mac_values && ?);
            WITH target AS (SELECT ?::bigint AS cluster_id, (SELF)::bigint AS node_id)
            SELECT c.mtu, c.nodes - (SELECT count(*) FROM node_identity i WHERE i.node_id = t.node_id AND i.mtu = c.mtu)
              FROM cluster_mtu_count c JOIN target t ON c.cluster_id = t.cluster_id;
            SELECT id, node_id, rule, reason, expires_at, created_at, created_by FROM waiver
             WHERE cluster_id = ? AND revoked_at IS NULL AND expires_at > now()""";
    private static final String SELF = "SELF";
    private static final String READ = READ_TEMPLATE.replace(SELF, "?");
    /** The read with the target named by its cluster and node key: an upload's node id is allocated in the same round trip. */
    static final String READ_BY_NODE_KEY = READ_TEMPLATE.replace(SELF,
            "COALESCE((SELECT id FROM node WHERE cluster_id = ? AND node_key = ?), 0)");

    private final Connection connection;
    private final long clusterId;
    private final List<NodeIdentity> nodes;
    private final Map<Integer, Integer> mtuCounts;
    private final List<Waiver> waivers;

    private IndexedClusterView(Connection connection, long clusterId, List<NodeIdentity> nodes,
            Map<Integer, Integer> mtuCounts, List<Waiver> waivers) {
        this.connection = connection;
        this.clusterId = clusterId;
        this.nodes = nodes;
        this.mtuCounts = mtuCounts;
        this.waivers = waivers;
    }

    static IndexedClusterView around(Connection connection, long clusterId, NodeIdentity target) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(READ)) {
            bind(connection, select, 0, clusterId, target, (statement, at) -> statement.setLong(at, target.nodeId()), 1);
            select.execute();
            return read(connection, select, clusterId, target);
        }
    }

    /** Sets the target's id, or whatever names it, at the position given (SELF takes that many parameters). */
    private interface Self {
        void bind(PreparedStatement statement, int index) throws SQLException;
    }

    private static int bind(Connection connection, PreparedStatement select, int index, long clusterId, NodeIdentity target,
            Self self, int selfParameters) throws SQLException {
        List<String> macs = target.macs().stream().map(m -> m.substring(m.lastIndexOf(' ') + 1)).toList();
        int i = index;
        select.setLong(++i, clusterId);
        self.bind(select, i + 1);
        i += selfParameters;
        select.setString(++i, target.hostname().toLowerCase(Locale.ROOT));
        select.setString(++i, target.machineId());
        select.setString(++i, target.productUuid());
        select.setString(++i, target.nodeIp());
        select.setArray(++i, connection.createArrayOf("text", macs.toArray()));
        select.setLong(++i, clusterId);
        self.bind(select, i + 1);
        i += selfParameters;
        select.setLong(++i, clusterId);
        return i;
    }

    /**
     * Binds {@link #READ_BY_NODE_KEY} after {@code index} parameters bound before it; returns the last index bound.
     * The target's values are its facts; its ids may be unknown yet.
     */
    static int bindByNodeKey(Connection connection, PreparedStatement select, int index, long clusterId, String nodeKey,
            NodeIdentity target) throws SQLException {
        return bind(connection, select, index, clusterId, target, (statement, at) -> {
            statement.setLong(at, clusterId);
            statement.setString(at + 1, nodeKey);
        }, 2);
    }

    /** The view from the read's three results: {@code statement}'s current result and the two after it. */
    static IndexedClusterView read(Connection connection, Statement statement, long clusterId, NodeIdentity target)
            throws SQLException {
        List<NodeIdentity> nodes = new ArrayList<>();
        nodes.add(target);
        Map<Integer, Integer> mtus = new HashMap<>();
        List<Waiver> waivers = new ArrayList<>();
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
                waivers.add(Waiver.read(rows, clusterId));
            }
        }
        if (target.mtu() != null) {
            mtus.merge(target.mtu(), 1, Integer::sum);
        }
        return new IndexedClusterView(connection, clusterId, List.copyOf(nodes), mtus, List.copyOf(waivers));
    }

    @Override
    public List<NodeIdentity> nodes() {
        return nodes;
    }

    @Override
    public Map<Integer, Integer> mtuCounts() {
        return mtuCounts;
    }

    /** The cluster's waivers in force, read with the rest. */
    List<Waiver> activeWaivers() {
        return waivers;
    }

    @Override
    public PodRoutes podRoutes(NodeIdentity node) {
        Map<String, String> routes = InMemoryClusterView.routesOf(node);
        List<MissingRoute> missing = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(PodRouteQueries.MISSING + ";\n" + PodRouteQueries.CHECKED)) {
            PodRouteQueries.bind(connection, select, 0, clusterId, node.nodeId(), routes);
            select.execute();
            try (ResultSet rows = select.getResultSet()) {
                PodRouteQueries.readMissing(rows, routes, missing);
            }
            select.getMoreResults();
            try (ResultSet rows = select.getResultSet()) {
                rows.next();
                return new PodRoutes(rows.getInt(1), missing);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Checking pod routes failed", e);
        }
    }

    /** The peers' pod subnets a node has no route to (via the peer's IP), and how many subnets were checked. */
    private static final class PodRouteQueries {

        static final String MISSING = """
                SELECT node_id, hostname, node_ip, s, count(*) OVER () AS missing FROM node_identity, unnest(pod_subnets) s
                WHERE cluster_id = ? AND node_id <> ? AND node_ip IS NOT NULL AND NOT ((s || ' ' || node_ip) = ANY (?))
                ORDER BY hostname LIMIT 200""";

        static final String CHECKED = """
                SELECT coalesce(sum(cardinality(pod_subnets)), 0) FROM node_identity
                WHERE cluster_id = ? AND node_id <> ? AND node_ip IS NOT NULL""";

        private PodRouteQueries() {
        }

        /** Binds both queries' parameters after index {@code i}; returns the last index bound. */
        static int bind(Connection connection, PreparedStatement select, int i, long clusterId, long nodeId,
                Map<String, String> routes) throws SQLException {
            List<String> have = new ArrayList<>();
            routes.forEach((destination, gateway) -> have.add(destination + " " + gateway));
            select.setLong(++i, clusterId);
            select.setLong(++i, nodeId);
            select.setArray(++i, connection.createArrayOf("text", have.toArray()));
            select.setLong(++i, clusterId);
            select.setLong(++i, nodeId);
            return i;
        }

        static void readMissing(ResultSet rows, Map<String, String> routes, List<MissingRoute> missing) throws SQLException {
            while (rows.next()) {
                String subnet = rows.getString(4);
                missing.add(new MissingRoute(rows.getLong(1), rows.getString(2), rows.getString(3), subnet, routes.get(subnet)));
            }
        }
    }
}
