package io.netready.rules;

import java.util.Collection;
import java.util.Map;

/** A rule that compares the nodes of a cluster (their latest reports) and gives each involved node a finding. */
public interface ClusterRule {

    RuleInfo info();

    /** Findings for the nodes in {@code targets} (node ids), judged against the cluster as the view shows it. */
    Map<Long, Finding> evaluate(ClusterView view, ClusterSettings cluster, Collection<Long> targets);
}
