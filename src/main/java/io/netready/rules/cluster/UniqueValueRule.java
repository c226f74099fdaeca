package io.netready.rules.cluster;

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
import io.netready.rules.Finding;
import io.netready.rules.NodeIdentity;
import io.netready.rules.RuleInfo;
import io.netready.rules.Rules;
import io.netready.rules.Severity;
import io.netready.rules.Snippet;
import io.netready.rules.Sources;

/**
 * A value every node must hold alone in its cluster (hostname, machine-id, product_uuid, node IP): each rule names the
 * value, where it reads it and the fix; the comparison is the same for all.
 */
abstract class UniqueValueRule extends Rules implements ClusterRule {

    private final String what;
    private final Function<NodeIdentity, String> value;

    UniqueValueRule(RuleInfo info, String what, Function<NodeIdentity, String> value) {
        super(info);
        this.what = what;
        this.value = value;
    }

    /** The fix for a node that shares {@code value} with others. */
    abstract Snippet remedy(String value);

    /** What the identity rules share: category, severity and sources. */
    static RuleInfo.Builder identityRule(String id) {
        return RuleInfo.cluster(id).category("identity").severity(Severity.ERROR)
                .sources(Sources.NOTES_REQUIREMENTS, Sources.KUBEADM_INSTALL, Sources.NOTES_CLUSTER);
    }

    @Override
    public Map<Long, Finding> evaluate(ClusterView view, ClusterSettings cluster, Collection<Long> targets) {
        List<NodeIdentity> nodes = view.nodes();
        Map<String, List<NodeIdentity>> byValue = new HashMap<>();
        for (NodeIdentity node : nodes) {
            String v = value.apply(node);
            if (v != null && !v.isBlank()) {
                byValue.computeIfAbsent(v.toLowerCase(Locale.ROOT), k -> new java.util.ArrayList<>()).add(node);
            }
        }
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
            List<NodeIdentity> same = byValue.get(v.toLowerCase(Locale.ROOT)).stream()
                    .filter(other -> other.nodeId() != node.nodeId()).toList();
            if (same.isEmpty()) {
                findings.put(node.nodeId(), pass("No other node has " + what + " " + v,
                        List.of(evidence(what, v))));
            } else {
                findings.put(node.nodeId(), fail(same.size() + " other node(s) have the same " + what + " " + v,
                        same.stream().map(other -> evidence("node " + other.nodeId(),
                                other.hostname() + " has " + what + " " + value.apply(other))).toList(),
                        remedy(v).build()));
            }
        }
        return findings;
    }
}
