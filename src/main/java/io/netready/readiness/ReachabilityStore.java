package io.netready.readiness;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.netready.facts.ReachabilityAttempt.Outcome;
import io.netready.jdbc.NamedSql;
import io.netready.rules.ClusterView.Attempt;
import io.netready.rules.ClusterView.Inbound;
import io.netready.rules.NodeIdentity;

/**
 * Reads {@code reachability_outcome}: each source node's latest attempt on each target node and port (the upload
 * writes them with the report). An attempt counts only while the target still has the address it was made on.
 */
public final class ReachabilityStore {

    /** The columns {@link #read} expects, over {@code o} (the outcome) and {@code s} (the source's identity). */
    private static final String COLUMNS = "o.source_node_id, s.hostname, s.node_ip, s.networks, o.target_node_id, o.port, "
            + "o.outcome, o.seconds, o.observed_at";

    private static final NamedSql INBOUND = NamedSql.parse("""
            SELECT o.port, o.outcome, count(*) FROM reachability_outcome o
             WHERE o.target_node_id = :node AND o.target_ip = :ip
             GROUP BY o.port, o.outcome;
            SELECT\s""" + COLUMNS + """
             FROM reachability_outcome o JOIN node_identity s ON s.node_id = o.source_node_id
            WHERE o.target_node_id = :node AND o.target_ip = :ip
            ORDER BY CASE o.outcome WHEN 'connected' THEN 2 WHEN 'refused' THEN 1 ELSE 0 END, s.hostname, o.port
            LIMIT :limit""");

    private static final NamedSql OUTBOUND = NamedSql.parse("SELECT " + COLUMNS + """
             FROM reachability_outcome o JOIN node_identity s ON s.node_id = o.source_node_id
             JOIN node_identity t ON t.node_id = o.target_node_id AND t.node_ip = o.target_ip
            WHERE o.source_node_id = :node AND o.target_node_id = ANY (:targets)""");

    private static final String CLUSTER = "SELECT " + COLUMNS + """
             FROM reachability_outcome o JOIN node_identity s ON s.node_id = o.source_node_id
             JOIN node_identity t ON t.node_id = o.target_node_id AND t.node_ip = o.target_ip
            WHERE o.cluster_id = ?""";

    private ReachabilityStore() {
    }

    static Inbound inbound(Connection connection, NodeIdentity target, int limit) throws SQLException {
        if (target.nodeIp() == null) {
            return Inbound.NONE;
        }
        try (NamedSql.Bound select = INBOUND.prepare(connection)) {
            select.set("node", target.nodeId()).set("ip", target.nodeIp()).set("limit", limit);
            PreparedStatement statement = select.statement();
            statement.execute();
            Map<String, Integer> counts = new TreeMap<>();
            try (ResultSet rows = statement.getResultSet()) {
                while (rows.next()) {
                    counts.put(rows.getInt(1) + " " + rows.getString(2), rows.getInt(3));
                }
            }
            statement.getMoreResults();
            List<Attempt> attempts = new ArrayList<>();
            try (ResultSet rows = statement.getResultSet()) {
                while (rows.next()) {
                    attempts.add(read(rows));
                }
            }
            return new Inbound(counts, List.copyOf(attempts));
        }
    }

    static List<Attempt> outbound(Connection connection, NodeIdentity source, Collection<Long> targets) throws SQLException {
        if (targets.isEmpty()) {
            return List.of();
        }
        try (NamedSql.Bound select = OUTBOUND.prepare(connection)) {
            select.set("node", source.nodeId()).setLongs("targets", targets);
            List<Attempt> attempts = new ArrayList<>();
            try (ResultSet rows = select.statement().executeQuery()) {
                while (rows.next()) {
                    attempts.add(read(rows));
                }
            }
            return attempts;
        }
    }

    /** Every attempt of the cluster that still counts: for re-evaluating every node. */
    static List<Attempt> listForCluster(Connection connection, long clusterId) throws SQLException {
        List<Attempt> attempts = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(CLUSTER)) {
            select.setLong(1, clusterId);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    attempts.add(read(rows));
                }
            }
        }
        return attempts;
    }

    private static Attempt read(ResultSet row) throws SQLException {
        Array networks = row.getArray(4);
        float seconds = row.getFloat(8);
        Double took = row.wasNull() ? null : (double) seconds;
        return new Attempt(row.getLong(1), row.getString(2), row.getString(3),
                networks == null ? List.of() : List.of((String[]) networks.getArray()), row.getLong(5), row.getInt(6),
                Outcome.of(row.getString(7)).orElse(Outcome.ERROR), took,
                row.getTimestamp(9).toInstant());
    }
}
