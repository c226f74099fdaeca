package io.netready.node;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

/** Reads nodes with their latest report, and per-cluster counts for the fleet overview. */
@ApplicationScoped
public class NodeService {

    @Inject
    EntityManager entityManager;

    /** Node counts by verdict (stale: no report for too long) and the last upload of one cluster. */
    public record ClusterActivity(long nodes, long ready, long warning, long notReady, long stale, long unknown,
            Instant lastUpload) {
    }

    public List<NodeSummary> listForCluster(long clusterId) {
        return entityManager.createQuery("""
                select new io.netready.node.NodeSummary(n.id, n.hostname, n.role, n.machineId, n.firstSeen, n.lastSeen,
                    n.lastReportId, r.phase, r.verdict)
                from Node n left join Report r on r.id = n.lastReportId
                where n.clusterId = :cluster
                order by n.hostname, n.id""", NodeSummary.class)
                .setParameter("cluster", clusterId)
                .getResultList();
    }

    public Map<Long, ClusterActivity> activityByCluster(Instant staleBefore) {
        Map<Long, ClusterActivity> result = new HashMap<>();
        List<Object[]> rows = entityManager.createQuery("""
                select n.clusterId, count(n),
                    sum(case when n.lastSeen >= :cutoff and r.verdict = 'ready' then 1 else 0 end),
                    sum(case when n.lastSeen >= :cutoff and r.verdict = 'warning' then 1 else 0 end),
                    sum(case when n.lastSeen >= :cutoff and r.verdict = 'not-ready' then 1 else 0 end),
                    sum(case when n.lastSeen < :cutoff then 1 else 0 end),
                    max(n.lastSeen)
                from Node n left join Report r on r.id = n.lastReportId
                group by n.clusterId""", Object[].class)
                .setParameter("cutoff", staleBefore)
                .getResultList();
        for (Object[] row : rows) {
            long nodes = (Long) row[1];
            long ready = number(row[2]);
            long warning = number(row[3]);
            long notReady = number(row[4]);
            long stale = number(row[5]);
            result.put((Long) row[0], new ClusterActivity(nodes, ready, warning, notReady, stale,
                    nodes - ready - warning - notReady - stale, (Instant) row[6]));
        }
        return result;
    }

    private static long number(Object value) {
        return value == null ? 0 : ((Number) value).longValue();
    }
}
