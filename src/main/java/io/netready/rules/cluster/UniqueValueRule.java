package io.netready.rules.cluster;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import io.netready.rules.ClusterRule;
import io.netready.rules.ClusterSettings;
import io.netready.rules.ClusterView;
import io.netready.rules.Evidence;
import io.netready.rules.Finding;
import io.netready.rules.NodeIdentity;
import io.netready.rules.RuleInfo;
import io.netready.rules.Rules;
import io.netready.rules.Severity;
import io.netready.rules.Snippet;
import io.netready.rules.Status;
import io.netready.rules.Sources;

/**
 * A value every node must hold alone in its cluster (hostname, machine-id, product_uuid, node IP): each rule names the
 * value, where it reads it and the fix; the comparison is the same for all. Of the nodes sharing a value, the one that
 * reported it first ({@link FirstReported}) keeps it and passes, saying who came later; only the later ones fail, each
 * naming the node that reported the value first and when, and only they get the fix.
 */
abstract class UniqueValueRule extends Rules implements ClusterRule {

    private final String what;
    private final Function<NodeIdentity, String> value;
    private final Function<NodeIdentity, Instant> since;

    UniqueValueRule(RuleInfo info, String what, Function<NodeIdentity, String> value, Function<NodeIdentity, Instant> since) {
        super(info);
        this.what = what;
        this.value = value;
        this.since = since;
    }

    /** The fix for a node that reported {@code value} after another node did. */
    abstract Snippet remedy(String value);

    /** What the identity rules share: category, severity and sources. */
    static RuleInfo.Builder identityRule(String id) {
        return RuleInfo.cluster(id).category("identity").severity(Severity.ERROR)
                .sources(Sources.NOTES_REQUIREMENTS, Sources.KUBEADM_INSTALL, Sources.NOTES_CLUSTER);
    }

    /** The nodes by value (lower-cased), those without one left out. */
    private Map<String, List<NodeIdentity>> byValue(List<NodeIdentity> nodes) {
        Map<String, List<NodeIdentity>> byValue = new HashMap<>();
        for (NodeIdentity node : nodes) {
            String v = value.apply(node);
            if (v != null && !v.isBlank()) {
                byValue.computeIfAbsent(v.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(node);
            }
        }
        return byValue;
    }

    /**
     * The same decisions as {@link #evaluate}: skip without a value, pass alone with it or where the node reported it
     * first, fail where another node did.
     */
    @Override
    public Map<Long, Status> statuses(ClusterView view, ClusterSettings cluster, Collection<Long> targets) {
        List<NodeIdentity> nodes = view.nodes();
        Map<String, List<NodeIdentity>> byValue = byValue(nodes);
        Map<Long, Status> statuses = new HashMap<>();
        for (NodeIdentity node : nodes) {
            if (!targets.contains(node.nodeId())) {
                continue;
            }
            String v = value.apply(node);
            if (v == null || v.isBlank()) {
                statuses.put(node.nodeId(), Status.SKIP);
                continue;
            }
            List<NodeIdentity> sharing = byValue.get(v.toLowerCase(Locale.ROOT));
            statuses.put(node.nodeId(), sharing.size() < 2 || FirstReported.first(sharing, since).nodeId() == node.nodeId()
                    ? Status.PASS : Status.FAIL);
        }
        return statuses;
    }

    @Override
    public Map<Long, Finding> evaluate(ClusterView view, ClusterSettings cluster, Collection<Long> targets) {
        List<NodeIdentity> nodes = view.nodes();
        Map<String, List<NodeIdentity>> byValue = byValue(nodes);
        Map<Long, Finding> findings = new LinkedHashMap<>();
        for (NodeIdentity node : nodes) {
            if (!targets.contains(node.nodeId())) {
                continue;
            }
            String v = value.apply(node);
            if (v == null || v.isBlank()) {
                findings.put(node.nodeId(), skip("The node's " + what + " is not in its report (unreadable or missing)"));
                continue;
            }
            List<NodeIdentity> sharing = byValue.get(v.toLowerCase(Locale.ROOT));
            List<NodeIdentity> others = sharing.stream().filter(other -> other.nodeId() != node.nodeId()).toList();
            if (others.isEmpty()) {
                findings.put(node.nodeId(), pass("No other node has " + what + " " + v, List.of(evidence(what, v))));
                continue;
            }
            NodeIdentity first = FirstReported.first(sharing, since);
            List<Evidence> evidence = new ArrayList<>();
            for (NodeIdentity other : others) {
                evidence.add(evidence("node " + other.nodeId(), other.hostname() + " has " + what + " "
                        + value.apply(other) + FirstReported.since(since.apply(other))
                        + (other.nodeId() == first.nodeId() ? " (reported it first)" : "")));
            }
            if (first.nodeId() == node.nodeId()) {
                findings.put(node.nodeId(), pass("This node reported " + what + " " + v + " first"
                        + FirstReported.at(since.apply(node)) + "; " + FirstReported.otherNodes(others.size())
                        + " reported it later and " + (others.size() == 1 ? "is" : "are") + " flagged there", evidence));
            } else {
                int alsoLater = others.size() - 1;
                findings.put(node.nodeId(), fail(what + " " + v + " was reported first by " + FirstReported.name(first)
                        + FirstReported.at(since.apply(first)) + "; this node has reported it"
                        + FirstReported.since(since.apply(node))
                        + (alsoLater == 0 ? "" : "; " + FirstReported.otherNodes(alsoLater) + " " + FirstReported.have(alsoLater)
                                + " it too"),
                        evidence, remedy(v).build()));
            }
        }
        return findings;
    }
}
