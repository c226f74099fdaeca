package io.netready.readiness;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.agroal.api.AgroalDataSource;
import io.netready.events.WaiversChanged;
import io.netready.jdbc.NamedSql;
import io.netready.rules.Finding;
import io.netready.rules.Verdict;

/**
 * When waivers change, the verdicts of the nodes' latest reports are worked out again from their stored findings, in
 * the transaction that changed the waiver (a synchronous observer runs in the firing thread, inside its transaction).
 */
@ApplicationScoped
class VerdictRefresh {

    /** The latest report of each node the change covers (all the cluster's when {@code :node} is null). */
    private static final NamedSql LATEST = NamedSql.parse("""
            SELECT n.id, r.id, s.findings FROM node n
              JOIN report r ON r.id = n.last_report_id
              JOIN finding_set s ON s.hash = r.findings_hash
             WHERE n.cluster_id = :cluster AND (CAST(:node AS bigint) IS NULL OR n.id = :node)""");

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ObjectMapper json;

    void onWaiversChanged(@Observes WaiversChanged change) {
        try (Connection connection = dataSource.getConnection();
                NamedSql.Bound select = LATEST.prepare(connection);
                PreparedStatement update = connection.prepareStatement("UPDATE report SET verdict = ? WHERE id = ?")) {
            WaiversInForce waivers = ReadinessService.waivers(connection, change.clusterId());
            select.set("cluster", change.clusterId()).set("node", change.nodeId());
            try (ResultSet rows = select.statement().executeQuery()) {
                while (rows.next()) {
                    List<Finding> stored = FindingSets.read(json, rows.getString(3));
                    if (!stored.isEmpty()) {
                        update.setString(1, Verdict.of(waivers.apply(stored, rows.getLong(1))).word());
                        update.setLong(2, rows.getLong(2));
                        update.addBatch();
                    }
                }
            }
            update.executeBatch();
        } catch (SQLException e) {
            throw new IllegalStateException("Working out the verdicts of cluster " + change.clusterId() + " again failed", e);
        }
    }
}
