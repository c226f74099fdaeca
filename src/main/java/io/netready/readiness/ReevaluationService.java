package io.netready.readiness;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;
import io.netready.audit.AuditAction;
import io.netready.audit.AuditLog;
import io.netready.cluster.Cluster;
import io.netready.facts.NodeFacts;
import io.netready.node.Node;
import io.netready.report.Report;
import io.netready.report.ReportDocument;
import io.netready.report.ReportService;
import io.netready.rules.ClusterSettings;
import io.netready.rules.Finding;
import io.netready.rules.NodeIdentity;
import io.netready.rules.RuleCatalog;
import io.netready.rules.RuleEngine;
import io.netready.rules.Scope;
import io.netready.rules.Verdict;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Judges a cluster's stored reports again with the current catalog (after the rules or the cluster's settings
 * changed), so its history stays comparable. Node rules are re-run on every report's raw sections; the cluster rules
 * of older reports stay as they were at their upload, the latest report of each node gets them anew.
 */
@ApplicationScoped
public class ReevaluationService {

    private static final Logger LOG = Logger.getLogger(ReevaluationService.class);
    private static final int BATCH = 200;

    @Inject
    RuleEngine engine;

    @Inject
    ReportService reports;

    @Inject
    ReadinessService readiness;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ObjectMapper json;

    @Inject
    AuditLog audit;

    /** How many reports were judged again and how many verdicts changed. */
    public record Outcome(String catalogVersion, int reports, int changedVerdicts) {
    }

    public Outcome reevaluate(Cluster cluster, String actor) {
        ClusterSettings settings = ReadinessService.settings(cluster);
        int total = 0;
        int changed = 0;
        long after = 0;
        while (true) {
            long from = after;
            List<Long> ids = QuarkusTransaction.requiringNew().call(() -> Report.<Report> find(
                    "clusterId = ?1 and id > ?2 order by id", cluster.id, from).range(0, BATCH - 1).list()
                    .stream().map(r -> r.id).toList());
            if (ids.isEmpty()) {
                break;
            }
            int[] counts = QuarkusTransaction.requiringNew().call(() -> judgeBatch(cluster, settings, ids));
            total += counts[0];
            changed += counts[1];
            after = ids.get(ids.size() - 1);
        }
        int latest = QuarkusTransaction.requiringNew().call(() -> judgeLatest(cluster, settings));
        audit.record(actor, AuditAction.REEVALUATE, cluster, cluster.name,
                total + " reports with catalog " + RuleCatalog.VERSION + ", " + changed + " verdicts changed");
        LOG.infof("Re-evaluated %d reports of cluster %s with catalog %s (%d verdicts changed, %d latest)", total,
                cluster.name, RuleCatalog.VERSION, changed, latest);
        return new Outcome(RuleCatalog.VERSION, total, changed);
    }

    private int[] judgeBatch(Cluster cluster, ClusterSettings settings, List<Long> ids) throws SQLException {
        int changed = 0;
        int judged = 0;
        try (Connection connection = dataSource.getConnection()) {
            for (Long id : ids) {
                Report report = Report.findById(id);
                if (report == null) {
                    continue; // deleted by the retention policy since the batch was listed
                }
                judged++;
                NodeFacts facts = NodeFacts.from(reports.document(report));
                List<Finding> findings = new ArrayList<>(engine.evaluateNode(facts, settings));
                readiness.storedFindings(id).stream().filter(f -> f.scope() == Scope.CLUSTER).forEach(findings::add);
                changed += store(connection, report, findings) ? 1 : 0;
            }
        }
        return new int[] { judged, changed };
    }

    /** The latest report of each node: its identity from the current parsers, and cluster rules as they stand now. */
    private int judgeLatest(Cluster cluster, ClusterSettings settings) throws SQLException {
        List<Node> nodes = Node.list("clusterId = ?1 and lastReportId is not null", cluster.id);
        try (Connection connection = dataSource.getConnection()) {
            List<NodeFacts> facts = new ArrayList<>();
            for (Node node : nodes) {
                Report report = Report.findById(node.lastReportId);
                ReportDocument document = reports.document(report);
                NodeFacts nodeFacts = NodeFacts.from(document);
                facts.add(nodeFacts);
                NodeIdentityStore.upsert(connection, cluster.id, NodeIdentity.of(node.id, report.id, nodeFacts, settings),
                        report.collectedAt);
            }
            List<NodeIdentity> identities = NodeIdentityStore.listForCluster(connection, cluster.id);
            var clusterFindings = engine.evaluateCluster(identities, settings,
                    Set.copyOf(nodes.stream().map(n -> n.id).toList()));
            for (int i = 0; i < nodes.size(); i++) {
                Node node = nodes.get(i);
                Report report = Report.findById(node.lastReportId);
                List<Finding> findings = new ArrayList<>(engine.evaluateNode(facts.get(i), settings));
                findings.addAll(clusterFindings.get(node.id));
                store(connection, report, findings);
            }
        }
        return nodes.size();
    }

    /** Stores the findings as the report's; returns whether its verdict changed. */
    private boolean store(Connection connection, Report report, List<Finding> findings) throws SQLException {
        byte[] hash = FindingSets.store(connection, RuleCatalog.VERSION, Verdict.of(findings), FindingSets.json(json, findings));
        String verdict = Verdict.of(io.netready.waiver.WaiverService.apply(findings, report.nodeId,
                io.netready.waiver.Waiver.activeForCluster(report.clusterId)));
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE report SET verdict = ?, findings_hash = ?, statuses = ? WHERE id = ?")) {
            update.setString(1, verdict);
            update.setBytes(2, hash);
            update.setString(3, ReadinessService.statuses(findings));
            update.setLong(4, report.id);
            update.executeUpdate();
        }
        return !verdict.equals(report.verdict);
    }
}
