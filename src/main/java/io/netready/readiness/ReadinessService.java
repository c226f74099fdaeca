package io.netready.readiness;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.agroal.api.AgroalDataSource;
import io.netready.facts.NodeFacts;
import io.netready.reportformat.ReportDocument;
import io.netready.rules.ClusterSettings;
import io.netready.rules.ClusterView;
import io.netready.rules.Finding;
import io.netready.rules.InMemoryClusterView;
import io.netready.rules.InferredCidrs;
import io.netready.rules.NodeIdentity;
import io.netready.rules.Scope;
import io.netready.rules.Verdict;
import io.netready.rules.catalog.RuleCatalog;
import io.netready.rules.catalog.RuleEngine;

/**
 * Judges reports: node rules on the report itself, cluster rules over the latest identities of the cluster's nodes,
 * and the waivers in force over both. Findings are stored with the report (as of its upload, with the catalog
 * version); cluster findings shown on pages are evaluated live, so a node sees a duplicate that a peer introduced after
 * its own upload. Knows clusters, nodes and reports only by id: the features above hand it what it judges.
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

    /** All findings of a report or node and the verdict they make. */
    public record Judgement(Verdict verdict, List<Finding> findings) {
    }

    /**
     * A new report's judgement, made before the report row exists (its id is allocated already): the verdict with the
     * waivers in force, the waiver-free finding set (its hash, verdict and JSON; stored once per distinct set), the
     * node's identity and the statuses the matrix reads.
     */
    public record NewReportJudgement(Judgement judgement, NodeIdentity identity, byte[] findingsHash, Verdict findingsVerdict,
            String findingsJson, String statuses) {
    }

    /** A stored report handed back for judging again: its ids, when it was collected, its verdict and its content. */
    public record StoredReport(long reportId, long nodeId, Instant collectedAt, String verdict, ReportDocument document,
            Duration clockOffset) {

        NodeFacts facts() {
            return NodeFacts.from(document, clockOffset);
        }
    }

    public NodeEvaluation evaluateNode(ReportDocument document, ClusterSettings settings) {
        return evaluateNode(document, settings, null);
    }

    /** As above, with the portal's measurement of the node's clock at the upload (null: not measured). */
    public NodeEvaluation evaluateNode(ReportDocument document, ClusterSettings settings, Duration clockOffset) {
        NodeFacts facts = NodeFacts.from(document, clockOffset);
        return new NodeEvaluation(facts, engine.evaluateNode(facts, settings), NodeIdentity.of(0, 0, facts, settings));
    }

    /**
     * Inside the upload's transaction, before the report row is written: the cluster rules for the node against the
     * nodes that share a value with it ({@link IndexedClusterView#READ_BY_NODE_KEY}, whose five results start at
     * {@code clusterRead}'s current one). The caller writes the report with the verdict, its finding set and the node's
     * identity.
     */
    public NewReportJudgement judgeNewReport(Connection connection, Statement clusterRead, long clusterId,
            ClusterSettings settings, long nodeId, long reportId, NodeEvaluation evaluation, Instant receivedAt)
            throws SQLException {
        NodeIdentity identity = evaluation.identity().withIds(nodeId, reportId);
        // Judge this report's own facts (even where the node has a newer report) against the nodes that share a value.
        IndexedClusterView view = IndexedClusterView.read(connection, clusterRead, clusterId, identity, receivedAt);
        List<Finding> findings = new ArrayList<>(evaluation.nodeFindings());
        findings.addAll(engine.evaluateCluster(view, settings, Set.of(nodeId)).get(nodeId));
        String findingsJson = FindingSets.json(json, findings);
        byte[] hash = FindingSets.hash(RuleCatalog.VERSION, findingsJson);
        // The report's verdict counts the waivers in force at its upload; the stored set stays waiver-free.
        List<Finding> waived = view.waivers().apply(findings, nodeId);
        return new NewReportJudgement(new Judgement(Verdict.of(waived), waived), identity, hash, Verdict.of(findings),
                findingsJson, statuses(waived));
    }

    /** "rule=status rule=status ...": what the cluster page's matrix reads. */
    static String statuses(List<Finding> findings) {
        StringBuilder line = new StringBuilder();
        for (Finding f : findings) {
            if (!line.isEmpty()) {
                line.append(' ');
            }
            line.append(f.rule()).append('=').append(f.status().word());
        }
        return line.toString();
    }

    /** The findings stored with a report, waiver-free (empty for a report stored before rules existed). */
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

    /** The rule catalog version that judged a report's stored findings, or null for a report stored before rules. */
    public String storedCatalogVersion(long reportId) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT s.catalog_version FROM report r JOIN finding_set s ON s.hash = r.findings_hash WHERE r.id = ?")) {
            select.setLong(1, reportId);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? row.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Reading the catalog version of report " + reportId + " failed", e);
        }
    }

    /** The findings stored with a node's report, with the cluster's waivers in force now. */
    public List<Finding> storedFindingsWaived(long clusterId, long nodeId, long reportId) {
        return waivers(clusterId).apply(storedFindings(reportId), nodeId);
    }

    /** The cluster's waivers in force now. */
    public WaiversInForce waivers(long clusterId) {
        try (Connection connection = dataSource.getConnection()) {
            return waivers(connection, clusterId);
        } catch (SQLException e) {
            throw new IllegalStateException("Reading the waivers of cluster " + clusterId + " failed", e);
        }
    }

    static WaiversInForce waivers(Connection connection, long clusterId) throws SQLException {
        List<WaiverInForce> waivers = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT " + WaiverInForce.COLUMNS
                + " FROM waiver WHERE cluster_id = ? AND revoked_at IS NULL AND expires_at > now() ORDER BY expires_at")) {
            select.setLong(1, clusterId);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    waivers.add(WaiverInForce.read(rows));
                }
            }
        }
        return new WaiversInForce(List.copyOf(waivers), Instant.now());
    }

    /**
     * The settings the cluster rules judge with: the admin's, with an empty pod or Service CIDR inferred from the
     * cluster-wide hints its nodes reported (one row per distinct hint), and where each came from.
     */
    public ClusterSettings effectiveSettings(long clusterId, ClusterSettings configured) {
        List<ClusterView.CidrHintCount> hints = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT hint, nodes, hostname FROM cluster_cidr_hint WHERE cluster_id = ? AND nodes > 0")) {
            select.setLong(1, clusterId);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    hints.add(new ClusterView.CidrHintCount(rows.getString(1), rows.getInt(2), rows.getString(3)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Reading the CIDR hints of cluster " + clusterId + " failed", e);
        }
        return InferredCidrs.effective(configured, hints);
    }

    /** One node's cluster findings now, read through the indexes (the node page of a large cluster stays fast). */
    public List<Finding> liveClusterFindings(long clusterId, ClusterSettings settings, long nodeId) {
        try (Connection connection = dataSource.getConnection()) {
            Optional<NodeIdentity> identity = NodeIdentityStore.find(connection, nodeId);
            if (identity.isEmpty()) {
                return List.of();
            }
            IndexedClusterView view = IndexedClusterView.around(connection, clusterId, identity.get());
            return engine.evaluateCluster(view, settings, Set.of(nodeId)).get(nodeId);
        } catch (SQLException e) {
            throw new IllegalStateException("Evaluating node " + nodeId + " of cluster " + clusterId + " failed", e);
        }
    }

    /** A node's current findings: its latest report's node findings plus live cluster findings, waivers applied. */
    public Judgement current(long clusterId, ClusterSettings settings, long nodeId, long latestReportId) {
        List<Finding> findings = new ArrayList<>(storedFindings(latestReportId).stream()
                .filter(f -> f.scope() == Scope.NODE).toList());
        findings.addAll(liveClusterFindings(clusterId, settings, nodeId));
        findings.sort(Comparator.comparingInt(f -> catalog.order(f.rule())));
        List<Finding> waived = waivers(clusterId).apply(findings, nodeId);
        return new Judgement(waived.isEmpty() ? Verdict.UNKNOWN : Verdict.of(waived), waived);
    }

    /**
     * Judges stored reports again with the current node rules; the cluster findings stored with each stay as they were
     * at its upload. Returns the ids of the reports whose verdict changed.
     */
    public List<Long> rejudge(long clusterId, ClusterSettings settings, List<StoredReport> reports) {
        List<Long> changed = new ArrayList<>();
        try (Connection connection = dataSource.getConnection()) {
            WaiversInForce waivers = waivers(connection, clusterId);
            for (StoredReport report : reports) {
                List<Finding> findings = new ArrayList<>(engine.evaluateNode(report.facts(), settings));
                storedFindings(report.reportId()).stream().filter(f -> f.scope() == Scope.CLUSTER).forEach(findings::add);
                if (store(connection, report, findings, waivers)) {
                    changed.add(report.reportId());
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Judging reports of cluster " + clusterId + " again failed", e);
        }
        return changed;
    }

    /**
     * Judges every node's latest report again: its identity from the current parsers, node rules, and cluster rules as
     * they stand now over the whole cluster.
     */
    public void rejudgeLatest(long clusterId, ClusterSettings settings, List<StoredReport> latest) {
        try (Connection connection = dataSource.getConnection()) {
            List<NodeFacts> facts = new ArrayList<>();
            for (StoredReport report : latest) {
                NodeFacts nodeFacts = report.facts();
                facts.add(nodeFacts);
                NodeIdentityStore.upsert(connection, clusterId,
                        NodeIdentity.of(report.nodeId(), report.reportId(), nodeFacts, settings), report.collectedAt());
            }
            List<NodeIdentity> identities = NodeIdentityStore.listForCluster(connection, clusterId);
            var view = new InMemoryClusterView(identities, ReachabilityStore.listForCluster(connection, clusterId));
            var clusterFindings = engine.evaluateCluster(view, settings,
                    Set.copyOf(latest.stream().map(StoredReport::nodeId).toList()));
            WaiversInForce waivers = waivers(connection, clusterId);
            for (int i = 0; i < latest.size(); i++) {
                StoredReport report = latest.get(i);
                List<Finding> findings = new ArrayList<>(engine.evaluateNode(facts.get(i), settings));
                findings.addAll(clusterFindings.get(report.nodeId()));
                store(connection, report, findings, waivers);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Judging the latest reports of cluster " + clusterId + " again failed", e);
        }
    }

    /** Stores the findings as the report's; returns whether its verdict changed. */
    private boolean store(Connection connection, StoredReport report, List<Finding> findings, WaiversInForce waivers)
            throws SQLException {
        byte[] hash = FindingSets.store(connection, RuleCatalog.VERSION, Verdict.of(findings).word(), FindingSets.json(json, findings));
        String verdict = Verdict.of(waivers.apply(findings, report.nodeId())).word();
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE report SET verdict = ?, findings_hash = ?, statuses = ? WHERE id = ?")) {
            update.setString(1, verdict);
            update.setBytes(2, hash);
            update.setString(3, statuses(findings));
            update.setLong(4, report.reportId());
            update.executeUpdate();
        }
        return !verdict.equals(report.verdict());
    }
}
