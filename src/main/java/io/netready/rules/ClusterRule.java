package io.netready.rules;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/** A rule that compares the nodes of a cluster (their latest reports) and gives each involved node a finding. */
public interface ClusterRule {

    RuleInfo info();

    /** Findings for the nodes in {@code targets} (node ids), judged against the cluster as the view shows it. */
    Map<Long, Finding> evaluate(ClusterView view, ClusterSettings cluster, Collection<Long> targets);

    /**
     * Only the statuses {@link #evaluate} would give, for pages that show every node's status and no message (the
     * cluster page's live identity columns at thousands of nodes). A rule may answer it without building messages and
     * evidence, by the same decisions.
     */
    default Map<Long, Status> statuses(ClusterView view, ClusterSettings cluster, Collection<Long> targets) {
        Map<Long, Status> statuses = new HashMap<>();
        evaluate(view, cluster, targets).forEach((node, finding) -> statuses.put(node, finding.status()));
        return statuses;
    }
}
