package io.netready.report;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.netready.audit.AuditAction;
import io.netready.audit.AuditLog;
import io.netready.cluster.Cluster;
import io.netready.node.Node;
import io.netready.readiness.ReadinessService;
import io.netready.readiness.ReadinessService.StoredReport;
import io.netready.rules.ClusterSettings;
import io.netready.rules.catalog.RuleCatalog;
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
    ReportService reports;

    @Inject
    ReadinessService readiness;

    @Inject
    AuditLog audit;

    /** A node whose latest report's verdict changed: its hostname, the verdict before and after. */
    public record NodeChange(long nodeId, String hostname, String before, String after) {
    }

    /**
     * How many reports were judged again and how many verdicts changed: the nodes whose latest report changed (by
     * name), and how many older reports; {@code summary} says it in a sentence, as the audit log keeps it.
     *
     * @param auditEventId the audit event that records this re-evaluation (the page shows its detail after the redirect)
     */
    public record Outcome(String catalogVersion, int reports, int changedVerdicts, List<NodeChange> nodes,
            int olderReportsChanged, String summary, long auditEventId) {
    }

    /** The sentence names at most this many nodes; the rest are counted. */
    static final int NAMED_NODES = 10;

    public Outcome reevaluate(Cluster cluster, String actor) {
        ClusterSettings settings = cluster.settings();
        Map<Long, NodeVerdict> before = latestVerdicts(cluster.id);
        Set<Long> latestReports = before.values().stream().map(NodeVerdict::reportId).collect(Collectors.toSet());
        int total = 0;
        int olderChanged = 0;
        long after = 0;
        while (true) {
            long from = after;
            List<Long> ids = QuarkusTransaction.requiringNew().call(() -> Report.<Report> find(
                    "clusterId = ?1 and id > ?2 order by id", cluster.id, from).range(0, BATCH - 1).list()
                    .stream().map(r -> r.id).toList());
            if (ids.isEmpty()) {
                break;
            }
            List<StoredReport> batch = QuarkusTransaction.requiringNew().call(() -> stored(ids));
            List<Long> changed = QuarkusTransaction.requiringNew().call(() -> readiness.rejudge(cluster.id, settings, batch));
            olderChanged += (int) changed.stream().filter(id -> !latestReports.contains(id)).count();
            total += batch.size();
            after = ids.get(ids.size() - 1);
        }
        int latest = QuarkusTransaction.requiringNew().call(() -> {
            List<Long> ids = Node.<Node> list("clusterId = ?1 and lastReportId is not null", cluster.id).stream()
                    .map(n -> n.lastReportId).toList();
            readiness.rejudgeLatest(cluster.id, settings, stored(ids));
            return ids.size();
        });
        List<NodeChange> nodes = new ArrayList<>();
        for (Map.Entry<Long, NodeVerdict> now : latestVerdicts(cluster.id).entrySet()) {
            NodeVerdict then = before.get(now.getKey());
            // a node whose latest report is another one now (an upload meanwhile) is no change of verdict
            if (then != null && then.reportId() == now.getValue().reportId() && !then.verdict().equals(now.getValue().verdict())) {
                nodes.add(new NodeChange(now.getKey(), now.getValue().hostname(), then.verdict(), now.getValue().verdict()));
            }
        }
        nodes.sort(Comparator.comparing(NodeChange::hostname).thenComparing(NodeChange::nodeId));
        String summary = summary(total, nodes, olderChanged);
        long event = audit.record(actor, AuditAction.REEVALUATE, cluster.id, cluster.name, cluster.name,
                summary + " Rule catalog " + RuleCatalog.VERSION + ".");
        LOG.infof("Re-evaluated %d reports of cluster %s with catalog %s (%d verdicts changed, %d latest)", total,
                cluster.name, RuleCatalog.VERSION, nodes.size() + olderChanged, latest);
        return new Outcome(RuleCatalog.VERSION, total, nodes.size() + olderChanged, List.copyOf(nodes), olderChanged,
                summary, event);
    }

    /**
     * {@code Re-evaluated 12 reports: 2 verdicts changed (node-a ready → not-ready, node-b warning → ready).}; nodes are
     * named by their latest report, older reports counted.
     */
    static String summary(int reports, List<NodeChange> nodes, int olderChanged) {
        StringBuilder out = new StringBuilder("Re-evaluated ").append(count(reports, "report", "reports"));
        if (reports == 0) {
            return out.append(": the cluster has no stored report.").toString();
        }
        int changed = nodes.size() + olderChanged;
        if (changed == 0) {
            return out.append(" with the current rules and settings: no verdict changed.").toString();
        }
        out.append(": ").append(count(changed, "verdict", "verdicts")).append(" changed (");
        List<String> parts = new ArrayList<>();
        nodes.stream().limit(NAMED_NODES).forEach(n -> parts.add(n.hostname() + " " + n.before() + " \u2192 " + n.after()));
        if (nodes.size() > NAMED_NODES) {
            parts.add(count(nodes.size() - NAMED_NODES, "more node", "more nodes"));
        }
        if (olderChanged > 0) {
            parts.add(count(olderChanged, "older report", "older reports"));
        }
        return out.append(String.join(", ", parts)).append(").").toString();
    }

    private static String count(int n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }

    /** A node's latest report and its stored verdict. */
    private record NodeVerdict(String hostname, long reportId, String verdict) {
    }

    private static Map<Long, NodeVerdict> latestVerdicts(long clusterId) {
        return QuarkusTransaction.requiringNew().call(() -> Node.getEntityManager().createQuery(
                "select n.id, n.hostname, r.id, r.verdict from Node n, Report r where r.id = n.lastReportId and n.clusterId = :cluster",
                Object[].class).setParameter("cluster", clusterId).getResultStream()
                .collect(Collectors.toMap(row -> (Long) row[0],
                        row -> new NodeVerdict((String) row[1], (Long) row[2], row[3] == null ? "unknown" : (String) row[3]))));
    }

    /** The reports with their content; those deleted by the retention policy since they were listed are left out. */
    private List<StoredReport> stored(List<Long> ids) {
        return ids.stream().map(id -> Report.<Report> findById(id)).filter(r -> r != null)
                .map(r -> new StoredReport(r.id, r.nodeId, r.collectedAt, r.verdict, reports.document(r),
                        r.clockOffsetMs == null ? null : Duration.ofMillis(r.clockOffsetMs))).toList();
    }
}
