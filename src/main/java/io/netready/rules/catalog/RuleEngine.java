package io.netready.rules.catalog;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.netready.facts.NodeFacts;
import io.netready.logging.ThrottledLog;
import io.netready.reportformat.Phase;
import io.netready.reportformat.Role;
import io.netready.rules.ClusterRule;
import io.netready.rules.ClusterSettings;
import io.netready.rules.ClusterView;
import io.netready.rules.Finding;
import io.netready.rules.InMemoryClusterView;
import io.netready.rules.InferredCidrs;
import io.netready.rules.NodeIdentity;
import io.netready.rules.NodeRule;
import io.netready.rules.Remediation;
import io.netready.rules.RuleInfo;
import io.netready.rules.Status;

/**
 * Runs the catalog: every node rule on one node's facts, every cluster rule over the nodes' identities. A rule that
 * does not apply to the node's role or phase, or that breaks on odd input, yields {@code skip} with the reason; the
 * engine never throws on a report.
 */
@ApplicationScoped
public class RuleEngine {

    /** A report can be crafted to make a rule fail on every upload: at most one line per rule every 10 s. */
    private static final ThrottledLog FAILURES = new ThrottledLog(Logger.getLogger(RuleEngine.class), Duration.ofSeconds(10));

    private final RuleCatalog catalog;

    @Inject
    public RuleEngine(RuleCatalog catalog) {
        this.catalog = catalog;
    }

    public List<Finding> evaluateNode(NodeFacts facts, ClusterSettings cluster) {
        Role role = facts.report().role();
        Phase phase = facts.report().phase();
        List<Finding> findings = new ArrayList<>();
        for (NodeRule rule : catalog.nodeRules()) {
            RuleInfo info = rule.info();
            if (!info.appliesTo(role, phase)) {
                findings.add(notApplicable(info, role, phase));
                continue;
            }
            try {
                findings.add(rule.evaluate(facts, cluster));
            } catch (RuntimeException e) {
                FAILURES.warn(info.id(), e, () -> "Rule " + info.id() + " failed on report " + facts.report().reportId());
                findings.add(broken(info));
            }
        }
        return findings;
    }

    /** Cluster findings for the {@code targets}, by node id. */
    public Map<Long, List<Finding>> evaluateCluster(List<NodeIdentity> nodes, ClusterSettings cluster, Collection<Long> targets) {
        return evaluateCluster(new InMemoryClusterView(nodes), cluster, targets);
    }

    /**
     * Cluster findings for the target {@code nodes}, by node id, over a view of the cluster; the pod and Service CIDRs
     * the settings leave empty are inferred from what the nodes report ({@link InferredCidrs}).
     */
    public Map<Long, List<Finding>> evaluateCluster(ClusterView view, ClusterSettings configured, Collection<Long> nodes) {
        ClusterSettings cluster = InferredCidrs.effective(configured, view.cidrHints());
        // Rules ask of every node whether it is a target: a set keeps that constant-time.
        Set<Long> targets = nodes instanceof Set<Long> set ? set : new HashSet<>(nodes);
        Map<Long, List<Finding>> findings = new HashMap<>();
        targets.forEach(id -> findings.put(id, new ArrayList<>()));
        for (ClusterRule rule : catalog.clusterRules()) {
            try {
                rule.evaluate(view, cluster, targets).forEach((node, finding) -> findings.get(node).add(finding));
            } catch (RuntimeException e) {
                FAILURES.warn(rule.info().id(), e, () -> "Cluster rule " + rule.info().id() + " failed");
                targets.forEach(id -> findings.get(id).add(broken(rule.info())));
            }
        }
        return findings;
    }

    private static Finding notApplicable(RuleInfo info, Role role, Phase phase) {
        String reason = !info.roles().contains(role) ? "Checked on " + info.roles().stream().map(Role::word).collect(Collectors.joining(" and ")) + " nodes"
                : "Checked in the " + info.phases().stream().map(Phase::word).collect(Collectors.joining(" and ")) + " phase";
        return new Finding(info.id(), info.scope(), Status.SKIP, info.severity(),
                reason + " only; this report is from a " + role.word() + " node in " + phase.word(), List.of(), Remediation.none());
    }

    private static Finding broken(RuleInfo info) {
        return new Finding(info.id(), info.scope(), Status.SKIP, info.severity(),
                "netready could not evaluate this rule on this report (the portal's log has details)", List.of(),
                Remediation.none());
    }
}
