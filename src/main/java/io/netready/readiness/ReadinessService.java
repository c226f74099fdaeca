package io.netready.readiness;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.agroal.api.AgroalDataSource;
import io.netready.cluster.Cluster;
import io.netready.facts.NodeFacts;
import io.netready.report.ReportDocument;
import io.netready.rules.ClusterSettings;
import io.netready.rules.Finding;
import io.netready.rules.NodeIdentity;
import io.netready.rules.RuleCatalog;
import io.netready.rules.RuleEngine;
import io.netready.rules.Verdict;
import io.netready.waiver.Waiver;
import io.netready.waiver.WaiverService;

/**
 * Judges reports: node rules on the report itself, cluster rules over the latest identities of the cluster's nodes.
 * Findings are stored with the report (as of its upload, with the catalog version); cluster findings shown on pages
 * are evaluated live, so a node sees a duplicate that a peer introduced after its own upload.
 */
@ApplicationScoped
public class ReadinessService {

    @Inject
    RuleEngine engine;

    @Inject
    RuleCatalog catalog;

    @Inject
    ObjectMapper json;

    @Inject
    AgroalDataSource dataSource;

    /**
     * A report's node findings, computed before it is stored, and what cluster rules compare of it (its identity, with
     * the node and report ids still 0).
     */
    public record NodeEvaluation(NodeFacts facts, List<Finding> nodeFindings, NodeIdentity identity) {
    }

    /** All findings of an upload and the verdict they make. */
    public record Judgement(String verdict, List<Finding> findings) {
    }

    /**
     * A new report's judgement, made before the report row exists (its id is allocated already): the verdict with the
     * waivers in force, the waiver-free finding set (its hash, verdict and JSON; stored once per distinct set, see
     * {@link JudgementWrites}), the node's identity and the statuses the matrix reads.
     */
    public record NewReportJudgement(Judgement judgement, NodeIdentity identity, byte[] findingsHash, String findingsVerdict,
            String findingsJson, String statuses) {
    }

    public static ClusterSettings settings(Cluster cluster) {
        return new ClusterSettings(cluster.podCidr, cluster.serviceCidr, cluster.routingMode);
    }

    public NodeEvaluation evaluateNode(ReportDocument document, Cluster cluster) {
        NodeFacts facts = NodeFacts.from(document);
        ClusterSettings settings = settings(cluster);
        return new NodeEvaluation(facts, engine.evaluateNode(facts, settings), NodeIdentity.of(0, 0, facts, settings));
    }

    /**
     * The cluster read an upload's judgement needs (the nodes that share a value with it, MTU counts, waivers), as SQL
     * to send in the same round trip as the statement that upserts the uploading node; it names the node by its key.
     */
    public String clusterReadSql() {
        return IndexedClusterView.READ_BY_NODE_KEY;
    }

    /** Binds {@link #clusterReadSql()} after the {@code index} parameters before it; returns the last index bound. */
    public int bindClusterRead(Connection connection, PreparedStatement statement, int index, Cluster cluster,
            String nodeKey, NodeEvaluation evaluation) throws SQLException {
        return IndexedClusterView.bindByNodeKey(connection, statement, index, cluster.id, nodeKey, evaluation.identity());
    }

    /**
     * Inside the ingest transaction, before the report row is written: evaluates the cluster rules for the node against
     * the nodes that share a value with it, read by {@link #clusterReadSql()}: {@code clusterRead} stands at the result
     * before the read's. The caller writes the report with the verdict, its finding set and the node's identity
     * ({@link JudgementWrites}).
     */
    public NewReportJudgement judgeNewReport(Connection connection, Statement clusterRead, Cluster cluster, long nodeId,
            long reportId, NodeEvaluation evaluation) throws SQLException {
        ClusterSettings settings = settings(cluster);
        NodeIdentity identity = evaluation.identity().withIds(nodeId, reportId);
        // Judge this report's own facts (even where the node has a newer report) against the nodes that share a value.
        clusterRead.getMoreResults();
        IndexedClusterView view = IndexedClusterView.read(connection, clusterRead, cluster.id, identity);
        List<Finding> findings = new ArrayList<>(evaluation.nodeFindings());
        findings.addAll(engine.evaluateCluster(view, settings, Set.of(nodeId)).get(nodeId));
        String findingsJson = FindingSets.json(json, findings);
        byte[] hash = FindingSets.hash(RuleCatalog.VERSION, findingsJson);
        // The report's verdict counts the waivers in force at its upload; the stored set stays waiver-free.
        List<Finding> waived = WaiverService.apply(findings, nodeId, view.activeWaivers());
        return new NewReportJudgement(new Judgement(Verdict.of(waived), waived), identity, hash, Verdict.of(findings),
                findingsJson, statuses(waived));
    }

    /** "rule=status rule=status ...": what the cluster page's matrix reads. */
    public static String statuses(List<Finding> findings) {
        StringBuilder line = new StringBuilder();
        for (Finding f : findings) {
            if (!line.isEmpty()) {
                line.append(' ');
            }
            line.append(f.rule()).append('=').append(f.status().word());
        }
        return line.toString();
    }

    /** The findings stored with a report (empty for a report stored before rules existed). */
    public List<Finding> storedFindings(long reportId) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT s.findings FROM report r JOIN finding_set s ON s.hash = r.findings_hash WHERE r.id = ?")) {
            select.setLong(1, reportId);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? FindingSets.read(json, row.getString(1)) : List.of();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Reading the findings of report " + reportId + " failed", e);
        }
    }

    /** After waivers change: the verdicts of the nodes' latest reports, recomputed from their stored findings. */
    public void refreshVerdicts(Cluster cluster, List<Long> nodeIds) {
        List<Waiver> waivers = Waiver.activeForCluster(cluster.id);
        for (io.netready.node.Node node : io.netready.node.Node.<io.netready.node.Node> list(
                "clusterId = ?1 and lastReportId is not null", cluster.id)) {
            if (nodeIds != null && !nodeIds.contains(node.id)) {
                continue;
            }
            List<Finding> stored = storedFindings(node.lastReportId);
            if (!stored.isEmpty()) {
                io.netready.report.Report report = io.netready.report.Report.findById(node.lastReportId);
                report.verdict = Verdict.of(WaiverService.apply(stored, node.id, waivers));
            }
        }
    }

    /** One node's cluster findings now, read through the indexes (the node page of a large cluster stays fast). */
    public List<Finding> liveClusterFindings(Cluster cluster, long nodeId) {
        try (Connection connection = dataSource.getConnection()) {
            java.util.Optional<NodeIdentity> identity = NodeIdentityStore.find(connection, nodeId);
            if (identity.isEmpty()) {
                return List.of();
            }
            IndexedClusterView view = IndexedClusterView.around(connection, cluster.id, identity.get());
            return engine.evaluateCluster(view, settings(cluster), Set.of(nodeId)).get(nodeId);
        } catch (SQLException e) {
            throw new IllegalStateException("Evaluating node " + nodeId + " of cluster " + cluster.name + " failed", e);
        }
    }

    /** A node's current findings: its latest report's node findings plus live cluster findings. */
    public Judgement current(Cluster cluster, long nodeId, long latestReportId) {
        List<Finding> findings = new ArrayList<>(storedFindings(latestReportId).stream()
                .filter(f -> f.scope() == io.netready.rules.Scope.NODE).toList());
        findings.addAll(liveClusterFindings(cluster, nodeId));
        findings.sort(Comparator.comparingInt(f -> catalog.order(f.rule())));
        List<Finding> waived = WaiverService.apply(findings, nodeId, Waiver.activeForCluster(cluster.id));
        return new Judgement(waived.isEmpty() ? Verdict.UNKNOWN : Verdict.of(waived), waived);
    }
}
