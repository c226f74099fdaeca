package io.netready.plan;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The reads and the one write of a plan, each bounded by an index range: the asking node's own rows, the cluster's
 * control planes, the next workers after the node's cursor, and the cursor moved on. Only node IPs that nodes of this
 * cluster reported for themselves ({@code node_identity.node_ip}) are ever read as addresses.
 */
final class PlanPeers {

    /**
     * A node of the cluster with the address it reported as its own, and whether it uploaded from that address (the
     * portal saw it there).
     */
    record Peer(long id, String hostname, String role, String address, boolean confirmed) {
    }

    /** The asking node as the portal knows it: its node ids (one per machine under that hostname) and addresses. */
    record Source(Set<Long> ids, Set<String> addresses, boolean controlPlane) {
    }

    private static final String PEERS = """
            SELECT n.id, n.hostname, n.role, i.node_ip, i.address_confirmed FROM node n JOIN node_identity i ON i.node_id = n.id
             WHERE n.cluster_id = ? AND n.role = ? AND n.id > ? AND n.id <> ALL (?) AND i.node_ip IS NOT NULL
             ORDER BY n.id LIMIT ?""";

    private PlanPeers() {
    }

    static Source source(Connection connection, long clusterId, String hostname) throws SQLException {
        Set<Long> ids = new java.util.LinkedHashSet<>();
        Set<String> addresses = new java.util.LinkedHashSet<>();
        boolean controlPlane = false;
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT i.node_id, n.role, i.node_ip FROM node_identity i JOIN node n ON n.id = i.node_id
                 WHERE i.cluster_id = ? AND lower(i.hostname) = lower(?)""")) {
            select.setLong(1, clusterId);
            select.setString(2, hostname);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    ids.add(row.getLong(1));
                    controlPlane |= "control-plane".equals(row.getString(2));
                    if (row.getString(3) != null) {
                        addresses.add(row.getString(3));
                    }
                }
            }
        }
        return new Source(ids, addresses, controlPlane);
    }

    /** Up to {@code limit} nodes of the role with ids above {@code after}, in id order, none of {@code except}. */
    static List<Peer> after(Connection connection, long clusterId, String role, long after, Set<Long> except, int limit)
            throws SQLException {
        List<Peer> peers = new ArrayList<>();
        if (limit <= 0) {
            return peers;
        }
        try (PreparedStatement select = connection.prepareStatement(PEERS)) {
            Array excluded = connection.createArrayOf("bigint", except.toArray());
            select.setLong(1, clusterId);
            select.setString(2, role);
            select.setLong(3, after);
            select.setArray(4, excluded);
            select.setInt(5, limit);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    peers.add(new Peer(row.getLong(1), row.getString(2), row.getString(3), row.getString(4),
                            row.getBoolean(5)));
                }
            }
        }
        return peers;
    }

    /** Where the node's last plan ended among the workers; 0 before its first. */
    static long cursor(Connection connection, long clusterId, String hostname) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT after_node_id FROM plan_cursor WHERE cluster_id = ? AND hostname = ?")) {
            select.setLong(1, clusterId);
            select.setString(2, hostname);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? row.getLong(1) : 0;
            }
        }
    }

    static void moveCursor(Connection connection, long clusterId, String hostname, long afterNodeId, Instant now)
            throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement("""
                INSERT INTO plan_cursor (cluster_id, hostname, after_node_id, updated_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (cluster_id, hostname) DO UPDATE SET after_node_id = EXCLUDED.after_node_id,
                    updated_at = EXCLUDED.updated_at""")) {
            upsert.setLong(1, clusterId);
            upsert.setString(2, hostname);
            upsert.setLong(3, afterNodeId);
            upsert.setTimestamp(4, Timestamp.from(now));
            upsert.executeUpdate();
        }
    }
}
