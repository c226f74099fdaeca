package io.netready.node;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

/** Reads nodes with their latest report, and per-cluster counts for the overview. */
@ApplicationScoped
public class NodeService {

    @Inject
    EntityManager entityManager;

    /** Node count and last upload of one cluster. */
    public record ClusterActivity(long nodes, Instant lastUpload) {
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

    public Map<Long, ClusterActivity> activityByCluster() {
        Map<Long, ClusterActivity> result = new HashMap<>();
        for (Object[] row : entityManager.createQuery(
                "select n.clusterId, count(n), max(n.lastSeen) from Node n group by n.clusterId", Object[].class)
                .getResultList()) {
            result.put((Long) row[0], new ClusterActivity((Long) row[1], (Instant) row[2]));
        }
        return result;
    }
}
