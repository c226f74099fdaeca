package io.netready.report;

import java.time.Duration;
import java.util.List;

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

    /** How many reports were judged again and how many verdicts changed. */
    public record Outcome(String catalogVersion, int reports, int changedVerdicts) {
    }

    public Outcome reevaluate(Cluster cluster, String actor) {
        ClusterSettings settings = cluster.settings();
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
            List<StoredReport> batch = QuarkusTransaction.requiringNew().call(() -> stored(ids));
            changed += QuarkusTransaction.requiringNew().call(() -> readiness.rejudge(cluster.id, settings, batch));
            total += batch.size();
            after = ids.get(ids.size() - 1);
        }
        int latest = QuarkusTransaction.requiringNew().call(() -> {
            List<Long> ids = Node.<Node> list("clusterId = ?1 and lastReportId is not null", cluster.id).stream()
                    .map(n -> n.lastReportId).toList();
            readiness.rejudgeLatest(cluster.id, settings, stored(ids));
            return ids.size();
        });
        audit.record(actor, AuditAction.REEVALUATE, cluster.id, cluster.name, cluster.name,
                total + " reports with catalog " + RuleCatalog.VERSION + ", " + changed + " verdicts changed");
        LOG.infof("Re-evaluated %d reports of cluster %s with catalog %s (%d verdicts changed, %d latest)", total,
                cluster.name, RuleCatalog.VERSION, changed, latest);
        return new Outcome(RuleCatalog.VERSION, total, changed);
    }

    /** The reports with their content; those deleted by the retention policy since they were listed are left out. */
    private List<StoredReport> stored(List<Long> ids) {
        return ids.stream().map(id -> Report.<Report> findById(id)).filter(r -> r != null)
                .map(r -> new StoredReport(r.id, r.nodeId, r.collectedAt, r.verdict, reports.document(r),
                        r.clockOffsetMs == null ? null : Duration.ofMillis(r.clockOffsetMs))).toList();
    }
}
