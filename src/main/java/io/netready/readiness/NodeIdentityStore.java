package io.netready.readiness;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.netready.rules.NodeIdentity;

/** Reads and writes {@code node_identity}: the facts of each node's latest report that cluster rules compare. */
final class NodeIdentityStore {

    static final String COLUMNS = "node_id, report_id, hostname, machine_id, product_uuid, node_ip, mtu, macs, "
            + "networks, pod_subnets, routes";

    private NodeIdentityStore() {
    }

    /** Stores the identity unless the node already has one from a report collected later. */
    static void upsert(Connection connection, long clusterId, NodeIdentity identity, Instant collectedAt) throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement(upsertFrom(null))) {
            bind(connection, upsert, 1, clusterId, identity, collectedAt);
            upsert.executeUpdate();
        }
    }

    /**
     * The upsert as part of a larger statement: one row per row of {@code relation} (e.g. a CTE that inserted the
     * report the identity comes from), or without FROM when it is null. Parameters are bound by {@link #bind}.
     */
    static String upsertFrom(String relation) {
        return """
                INSERT INTO node_identity (node_id, cluster_id, report_id, collected_at, hostname, machine_id, product_uuid,
                    node_ip, mtu, macs, networks, pod_subnets, routes, mac_values)
                SELECT ?::bigint, ?::bigint, ?::bigint, ?::timestamptz, ?::text, ?::text, ?::text, ?::text, ?::integer,
                    ?::text[], ?::text[], ?::text[], ?::text[], ?::text[]"""
                + (relation == null ? "" : " FROM " + relation) + """

                ON CONFLICT (node_id) DO UPDATE SET report_id = EXCLUDED.report_id, collected_at = EXCLUDED.collected_at,
                    hostname = EXCLUDED.hostname, machine_id = EXCLUDED.machine_id, product_uuid = EXCLUDED.product_uuid,
                    node_ip = EXCLUDED.node_ip, mtu = EXCLUDED.mtu, macs = EXCLUDED.macs, networks = EXCLUDED.networks,
                    pod_subnets = EXCLUDED.pod_subnets, routes = EXCLUDED.routes, mac_values = EXCLUDED.mac_values
                WHERE node_identity.collected_at <= EXCLUDED.collected_at""";
    }

    /** Binds the parameters of {@link #upsertFrom} from {@code index} on; returns the next free index. */
    static int bind(Connection connection, PreparedStatement upsert, int index, long clusterId, NodeIdentity identity,
            Instant collectedAt) throws SQLException {
        int i = index;
        upsert.setLong(i++, identity.nodeId());
        upsert.setLong(i++, clusterId);
        upsert.setLong(i++, identity.reportId());
        upsert.setTimestamp(i++, Timestamp.from(collectedAt));
        upsert.setString(i++, identity.hostname());
        upsert.setString(i++, identity.machineId());
        upsert.setString(i++, identity.productUuid());
        upsert.setString(i++, identity.nodeIp());
        if (identity.mtu() == null) {
            upsert.setNull(i++, Types.INTEGER);
        } else {
            upsert.setInt(i++, identity.mtu());
        }
        upsert.setArray(i++, connection.createArrayOf("text", identity.macs().toArray()));
        upsert.setArray(i++, connection.createArrayOf("text", identity.networks().toArray()));
        upsert.setArray(i++, connection.createArrayOf("text", identity.podSubnets().toArray()));
        upsert.setArray(i++, connection.createArrayOf("text", identity.routes().toArray()));
        upsert.setArray(i++, connection.createArrayOf("text",
                identity.macs().stream().map(m -> m.substring(m.lastIndexOf(' ') + 1)).toArray()));
        return i;
    }

    static java.util.Optional<NodeIdentity> find(Connection connection, long nodeId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + " FROM node_identity WHERE node_id = ?")) {
            select.setLong(1, nodeId);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? java.util.Optional.of(read(row)) : java.util.Optional.empty();
            }
        }
    }

    static List<NodeIdentity> listForCluster(Connection connection, long clusterId) throws SQLException {
        List<NodeIdentity> result = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT " + COLUMNS + " FROM node_identity WHERE cluster_id = ? ORDER BY node_id")) {
            select.setLong(1, clusterId);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    result.add(read(row));
                }
            }
        }
        return result;
    }

    /** One row of {@link #COLUMNS}. */
    static NodeIdentity read(ResultSet row) throws SQLException {
        return new NodeIdentity(row.getLong(1), row.getLong(2), row.getString(3), row.getString(4), row.getString(5),
                row.getString(6), (Integer) row.getObject(7), list(row.getArray(8)), list(row.getArray(9)),
                list(row.getArray(10)), list(row.getArray(11)));
    }

    private static List<String> list(Array array) throws SQLException {
        return array == null ? List.of() : List.of((String[]) array.getArray());
    }
}
