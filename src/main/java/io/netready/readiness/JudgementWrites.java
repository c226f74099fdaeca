package io.netready.readiness;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;

import io.netready.readiness.ReadinessService.NewReportJudgement;
import io.netready.rules.RuleCatalog;

/**
 * What storing a judged report writes besides the report row: its finding set (unless an equal one is stored) and
 * the node's identity. Given as parts of the report's own insert statement, so that an upload writes all of it in one
 * round trip; each part comes with the binder of its parameters.
 */
public final class JudgementWrites {

    private JudgementWrites() {
    }

    /** Data-modifying CTE body that stores the finding set; it must come before the report's insert refers to it. */
    public static String findingSet() {
        return FindingSets.INSERT_IF_NEW;
    }

    /** Binds {@link #findingSet()}'s parameters from {@code index} on; returns the next free index. */
    public static int bindFindingSet(PreparedStatement statement, int index, NewReportJudgement judged) throws SQLException {
        return FindingSets.bind(statement, index, judged.findingsHash(), RuleCatalog.VERSION, judged.findingsVerdict(),
                judged.findingsJson());
    }

    /**
     * Data-modifying CTE body that records the node's identity once per row of {@code relation} (the CTE that inserted
     * the report: nothing when the insert found the report stored already), unless the node has an identity from a
     * report collected later.
     */
    public static String identityFrom(String relation) {
        return NodeIdentityStore.upsertFrom(relation);
    }

    /** Binds {@link #identityFrom}'s parameters from {@code index} on; returns the next free index. */
    public static int bindIdentity(Connection connection, PreparedStatement statement, int index, long clusterId,
            NewReportJudgement judged, Instant collectedAt) throws SQLException {
        return NodeIdentityStore.bind(connection, statement, index, clusterId, judged.identity(), collectedAt);
    }
}
