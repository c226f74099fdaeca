package io.netready.readiness;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.netready.rules.ClusterView;
import io.netready.rules.InMemoryClusterView;
import io.netready.rules.NodeIdentity;

/**
 * The cluster as one node's upload needs it, read through indexes: the nodes sharing its hostname, machine-id,
 * product_uuid, node IP or a MAC; MTU counts; and only the peer pod subnets it lacks a route to. The work per upload
 * does not grow with the cluster's size the way reading every node would.
 */
final class IndexedClusterView implements ClusterView {

    private final Connection connection;
    private final long clusterId;
    private final NodeIdentity target;
    private final List<NodeIdentity> nodes;

    private IndexedClusterView(Connection connection, long clusterId, NodeIdentity target, List<NodeIdentity> nodes) {
        this.connection = connection;
        this.clusterId = clusterId;
        this.target = target;
        this.nodes = nodes;
    }

    static IndexedClusterView around(Connection connection, long clusterId, NodeIdentity target) throws SQLException {
        List<NodeIdentity> nodes = new ArrayList<>();
        nodes.add(target);
        List<String> macs = target.macs().stream().map(m -> m.substring(m.lastIndexOf(' ') + 1)).toList();
        try (PreparedStatement select = connection.prepareStatement("SELECT " + NodeIdentityStore.COLUMNS + """
                 FROM node_identity
                WHERE cluster_id = ? AND node_id <> ?
                  AND (lower(hostname) = ? OR machine_id = ? OR product_uuid = ? OR node_ip = ? OR mac_values && ?)""")) {
            select.setLong(1, clusterId);
            select.setLong(2, target.nodeId());
            select.setString(3, target.hostname().toLowerCase(Locale.ROOT));
            select.setString(4, target.machineId());
            select.setString(5, target.productUuid());
            select.setString(6, target.nodeIp());
            select.setArray(7, connection.createArrayOf("text", macs.toArray()));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    nodes.add(NodeIdentityStore.read(rows));
                }
            }
        }
        return new IndexedClusterView(connection, clusterId, target, List.copyOf(nodes));
    }

    @Override
    public List<NodeIdentity> nodes() {
        return nodes;
    }

    @Override
    public Map<Integer, Integer> mtuCounts() {
        Map<Integer, Integer> counts = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT mtu, count(*) FROM node_identity WHERE cluster_id = ? AND node_id <> ? AND mtu IS NOT NULL
                GROUP BY mtu""")) {
            select.setLong(1, clusterId);
            select.setLong(2, target.nodeId());
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    counts.put(rows.getInt(1), rows.getInt(2));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Counting MTUs failed", e);
        }
        if (target.mtu() != null) {
            counts.merge(target.mtu(), 1, Integer::sum);
        }
        return counts;
    }

    @Override
    public PodRoutes podRoutes(NodeIdentity node) {
        Map<String, String> routes = InMemoryClusterView.routesOf(node);
        List<String> have = new ArrayList<>();
        routes.forEach((destination, gateway) -> have.add(destination + " " + gateway));
        List<MissingRoute> missing = new ArrayList<>();
        int checked = 0;
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT node_id, hostname, node_ip, s, count(*) OVER () AS missing FROM node_identity, unnest(pod_subnets) s
                WHERE cluster_id = ? AND node_id <> ? AND node_ip IS NOT NULL AND NOT ((s || ' ' || node_ip) = ANY (?))
                ORDER BY hostname LIMIT 200""");
                PreparedStatement count = connection.prepareStatement("""
                        SELECT coalesce(sum(cardinality(pod_subnets)), 0) FROM node_identity
                        WHERE cluster_id = ? AND node_id <> ? AND node_ip IS NOT NULL""")) {
            select.setLong(1, clusterId);
            select.setLong(2, node.nodeId());
            select.setArray(3, connection.createArrayOf("text", have.toArray()));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    String subnet = rows.getString(4);
                    missing.add(new MissingRoute(rows.getLong(1), rows.getString(2), rows.getString(3), subnet,
                            routes.get(subnet)));
                }
            }
            count.setLong(1, clusterId);
            count.setLong(2, node.nodeId());
            try (ResultSet rows = count.executeQuery()) {
                rows.next();
                checked = rows.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Checking pod routes failed", e);
        }
        return new PodRoutes(checked, missing);
    }
}
