package io.netready.readiness;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.netready.jdbc.NamedSql;
import io.netready.rules.IdentitySince;
import io.netready.rules.NodeIdentity;

/** Reads and writes {@code node_identity}: the facts of each node's latest report that cluster rules compare. */
public final class NodeIdentityStore {

    /** The columns {@link #read} expects, in order. */
    public static final String COLUMNS = "node_id, report_id, hostname, machine_id, product_uuid, node_ip, mtu, macs, "
            + "networks, pod_subnets, routes, cidr_hints, phase, own_firewall, hostname_since, machine_id_since, "
            + "product_uuid_since, node_ip_since, mac_since";

    /**
     * The ON CONFLICT assignments that keep when each identity value was first reported: the time stays while the value
     * does (case-insensitively) and starts again when it changes; each MAC keeps its own. Shared by the upload's write
     * ({@code upload/ReportWrite}) and re-evaluation's ({@link #UPSERT}), which must agree.
     */
    public static final String KEEP_FIRST_REPORTED = """
            hostname_since = CASE WHEN lower(node_identity.hostname) = lower(EXCLUDED.hostname)
                THEN coalesce(node_identity.hostname_since, EXCLUDED.hostname_since) ELSE EXCLUDED.hostname_since END,
            machine_id_since = CASE WHEN lower(node_identity.machine_id) = lower(EXCLUDED.machine_id)
                THEN coalesce(node_identity.machine_id_since, EXCLUDED.machine_id_since) ELSE EXCLUDED.machine_id_since END,
            product_uuid_since = CASE WHEN lower(node_identity.product_uuid) = lower(EXCLUDED.product_uuid)
                THEN coalesce(node_identity.product_uuid_since, EXCLUDED.product_uuid_since)
                ELSE EXCLUDED.product_uuid_since END,
            node_ip_since = CASE WHEN lower(node_identity.node_ip) = lower(EXCLUDED.node_ip)
                THEN coalesce(node_identity.node_ip_since, EXCLUDED.node_ip_since) ELSE EXCLUDED.node_ip_since END,
            mac_since = ARRAY(SELECT coalesce((SELECT o.s FROM unnest(node_identity.mac_values, node_identity.mac_since)
                    AS o (m, s) WHERE lower(o.m) = lower(n.m) AND o.s IS NOT NULL LIMIT 1), EXCLUDED.hostname_since)
                FROM unnest(EXCLUDED.mac_values) WITH ORDINALITY AS n (m, i) ORDER BY n.i)
            """;

    /** Stores the identity unless the node already has one from a report collected later (re-evaluation). */
    private static final NamedSql UPSERT = NamedSql.parse("""
            WITH received AS (SELECT received_at FROM report WHERE id = :report)
            INSERT INTO node_identity (node_id, cluster_id, report_id, collected_at, hostname, machine_id, product_uuid,
                node_ip, mtu, macs, networks, pod_subnets, routes, mac_values, cidr_hints, phase, own_firewall,
                hostname_since, machine_id_since, product_uuid_since, node_ip_since, mac_since)
            VALUES (:node, :cluster, :report, :collected_at, :hostname, :machine_id, :product_uuid, :node_ip, :mtu,
                :macs, :networks, :pod_subnets, :routes, :mac_values, :cidr_hints, :phase, :own_firewall,
                (SELECT received_at FROM received), (SELECT received_at FROM received), (SELECT received_at FROM received),
                (SELECT received_at FROM received),
                array_fill((SELECT received_at FROM received), ARRAY[cardinality(:mac_values::text[])]))
            ON CONFLICT (node_id) DO UPDATE SET report_id = EXCLUDED.report_id, collected_at = EXCLUDED.collected_at,
                hostname = EXCLUDED.hostname, machine_id = EXCLUDED.machine_id, product_uuid = EXCLUDED.product_uuid,
                node_ip = EXCLUDED.node_ip, mtu = EXCLUDED.mtu, macs = EXCLUDED.macs, networks = EXCLUDED.networks,
                pod_subnets = EXCLUDED.pod_subnets, routes = EXCLUDED.routes, mac_values = EXCLUDED.mac_values,
                cidr_hints = EXCLUDED.cidr_hints, phase = EXCLUDED.phase, own_firewall = EXCLUDED.own_firewall,
            """ + KEEP_FIRST_REPORTED + """
            WHERE node_identity.collected_at <= EXCLUDED.collected_at""");

    private NodeIdentityStore() {
    }

    static void upsert(Connection connection, long clusterId, NodeIdentity identity, Instant collectedAt) throws SQLException {
        try (NamedSql.Bound upsert = UPSERT.prepare(connection)) {
            upsert.set("node", identity.nodeId()).set("cluster", clusterId).set("report", identity.reportId())
                    .set("collected_at", collectedAt).set("hostname", identity.hostname())
                    .set("machine_id", identity.machineId()).set("product_uuid", identity.productUuid())
                    .set("node_ip", identity.nodeIp()).set("mtu", identity.mtu()).setTexts("macs", identity.macs())
                    .setTexts("networks", identity.networks()).setTexts("pod_subnets", identity.podSubnets())
                    .setTexts("routes", identity.routes()).setTexts("mac_values", identity.macValues())
                    .setTexts("cidr_hints", identity.cidrHints()).set("phase", identity.phase())
                    .setTexts("own_firewall", identity.ownFirewall());
            upsert.statement().executeUpdate();
        }
    }

    static Optional<NodeIdentity> find(Connection connection, long nodeId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + " FROM node_identity WHERE node_id = ?")) {
            select.setLong(1, nodeId);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(read(row)) : Optional.empty();
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
    public static NodeIdentity read(ResultSet row) throws SQLException {
        return new NodeIdentity(row.getLong(1), row.getLong(2), row.getString(3), row.getString(4), row.getString(5),
                row.getString(6), (Integer) row.getObject(7), list(row.getArray(8)), list(row.getArray(9)),
                list(row.getArray(10)), list(row.getArray(11)), list(row.getArray(12)), row.getString(13),
                list(row.getArray(14)), since(row, 15));
    }

    /** The five {@code *_since} columns from {@code first} on: hostname, machine-id, product_uuid, node IP, MACs. */
    public static IdentitySince since(ResultSet row, int first) throws SQLException {
        List<Instant> macs = new ArrayList<>();
        Array array = row.getArray(first + 4);
        if (array != null) {
            for (Object time : (Object[]) array.getArray()) {
                macs.add(time == null ? null : ((java.sql.Timestamp) time).toInstant());
            }
        }
        return new IdentitySince(instant(row, first), instant(row, first + 1), instant(row, first + 2),
                instant(row, first + 3), java.util.Collections.unmodifiableList(macs));
    }

    /** A timestamptz column (read as an offset time: the driver's Timestamp goes through a Calendar, several times slower). */
    private static Instant instant(ResultSet row, int column) throws SQLException {
        java.time.OffsetDateTime time = row.getObject(column, java.time.OffsetDateTime.class);
        return time == null ? null : time.toInstant();
    }

    private static List<String> list(Array array) throws SQLException {
        return array == null ? List.of() : List.of((String[]) array.getArray());
    }
}
