package io.netready.retention;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;
import io.netready.audit.AuditAction;
import io.netready.audit.AuditLog;
import io.netready.cluster.Cluster;
import io.netready.config.NetreadyConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;

/**
 * Applies the retention policy every {@code netready.retention.interval}: cluster by cluster, in batches of their own
 * transactions, and one audit event for each cluster it deleted reports of.
 */
@ApplicationScoped
public class RetentionJob {

    static final String ACTOR = "system:retention";
    private static final Logger LOG = Logger.getLogger(RetentionJob.class);

    @Inject
    NetreadyConfig config;

    @Inject
    RetentionBatch batch;

    @Inject
    AgroalDataSource dataSource;

    /** What a run deleted in one cluster. */
    public record ClusterOutcome(long clusterId, String cluster, long reports, long sectionContents, long findingSets) {
    }

    /** What a run deleted, cluster by cluster (only those it deleted reports of). */
    public record Outcome(Instant cutoff, List<ClusterOutcome> clusters) {

        static final Outcome NOTHING = new Outcome(null, List.of());

        public long reports() {
            return clusters.stream().mapToLong(ClusterOutcome::reports).sum();
        }
    }

    void logPolicy(@Observes StartupEvent start) {
        RetentionPolicy policy = RetentionPolicy.of(config);
        if (config.retention().batchSize() < 1) {
            throw new IllegalArgumentException("netready.retention.batch-size must be at least 1");
        }
        if (policy.keepsEverything()) {
            LOG.info("Retention: every report is kept (set netready.retention.keep-reports-for to delete old ones)");
        } else {
            LOG.infof("Retention: reports received more than %s ago are deleted every %s, each node's latest kept",
                    policy.iso(), config.retention().interval());
        }
    }

    @Scheduled(identity = "retention", every = "${netready.retention.interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        RetentionPolicy policy = RetentionPolicy.of(config);
        if (!policy.keepsEverything()) {
            run(policy, Instant.now());
        }
    }

    /** Deletes what the policy no longer keeps as of {@code now}; a policy that keeps everything deletes nothing. */
    public Outcome run(RetentionPolicy policy, Instant now) {
        if (policy.keepsEverything()) {
            return Outcome.NOTHING;
        }
        long started = System.nanoTime();
        Instant cutoff = policy.cutoff(now);
        List<ClusterOutcome> outcomes = new ArrayList<>();
        for (Cluster cluster : QuarkusTransaction.requiringNew().call(() -> Cluster.<Cluster> listAll())) {
            ClusterOutcome outcome = applyTo(cluster, policy, cutoff);
            if (outcome.reports() > 0) {
                outcomes.add(outcome);
            }
        }
        Outcome outcome = new Outcome(cutoff, outcomes);
        if (outcome.reports() > 0) {
            LOG.infof("Retention (%s): deleted %d reports received before %s in %d clusters, freed %d section contents"
                    + " and %d finding sets, in %d ms", policy.iso(), outcome.reports(), cutoff, outcomes.size(),
                    outcomes.stream().mapToLong(ClusterOutcome::sectionContents).sum(),
                    outcomes.stream().mapToLong(ClusterOutcome::findingSets).sum(), (System.nanoTime() - started) / 1_000_000);
        }
        return outcome;
    }

    private ClusterOutcome applyTo(Cluster cluster, RetentionPolicy policy, Instant cutoff) {
        int size = config.retention().batchSize();
        long reports = 0;
        long sections = 0;
        long findings = 0;
        Instant from = Instant.EPOCH;
        boolean stopped = false;
        try {
            while (true) {
                RetentionBatch.Deleted deleted = batch.delete(cluster.id, cutoff, from, size);
                reports += deleted.reports();
                sections += deleted.sectionContents();
                findings += deleted.findingSets();
                from = deleted.lastReceivedAt();
                if (deleted.reports() < size) {
                    break;
                }
            }
        } catch (RuntimeException e) {
            // Batches that committed stay deleted and are audited below; the rest waits for the next run.
            LOG.errorf(e, "Retention stopped in cluster %s after %d reports", cluster.name, reports);
            stopped = true;
        }
        if (reports > 0) {
            audit(cluster, policy, cutoff, reports, sections, findings, stopped);
        }
        return new ClusterOutcome(cluster.id, cluster.name, reports, sections, findings);
    }

    private void audit(Cluster cluster, RetentionPolicy policy, Instant cutoff, long reports, long sections,
            long findings, boolean stopped) {
        String detail = "deleted " + count(reports, "report") + " received before " + cutoff + " (policy " + policy.iso()
                + "); kept each node's latest; freed " + count(sections, "section content") + " and "
                + count(findings, "finding set") + " no report uses any more"
                + (stopped ? "; stopped early by an error, see the log" : "");
        QuarkusTransaction.requiringNew().run(() -> {
            try (Connection connection = dataSource.getConnection()) {
                AuditLog.record(connection, ACTOR, AuditAction.RETENTION, cluster.id, cluster.name, "reports", detail, null);
            } catch (SQLException e) {
                throw new IllegalStateException("Recording retention in the audit log failed", e);
            }
        });
    }

    private static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
