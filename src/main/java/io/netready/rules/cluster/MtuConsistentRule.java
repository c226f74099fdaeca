package io.netready.rules.cluster;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

/** A node whose primary MTU differs from its peers' drops or fragments large packets between them. */
public class MtuConsistentRule extends Rules implements ClusterRule {

    public MtuConsistentRule() {
        super(RuleInfo.cluster("mtu-consistent").title("Nodes share one MTU")
                .category("interfaces").severity(Severity.WARNING)
                .description("The MTU of the interface each node's default route uses should be the same on all nodes; an odd one "
                        + "out silently drops large packets (TLS handshakes, image pulls) to and from its peers, and "
                        + "overlay CNIs derive the pod MTU from it.")
                .remediation("Set the majority's MTU on the odd node's interface and in its network configuration.")
                .sources(Sources.NETWORK_MODEL)
                .build());
    }

    @Override
    public Map<Long, Finding> evaluate(ClusterView view, ClusterSettings cluster, Collection<Long> targets) {
        List<NodeIdentity> nodes = view.nodes();
        Map<Integer, Integer> counts = view.mtuCounts();
        int majority = counts.entrySet().stream()
                .max(Map.Entry.<Integer, Integer> comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                .map(Map.Entry::getKey).orElse(0);
        Map<Long, Finding> findings = new LinkedHashMap<>();
        for (NodeIdentity node : nodes) {
            if (!targets.contains(node.nodeId())) {
                continue;
            }
            if (node.mtu() == null) {
                findings.put(node.nodeId(), skip("The report shows no primary interface"));
            } else if (counts.size() <= 1 || node.mtu() == majority) {
                findings.put(node.nodeId(), pass("MTU " + node.mtu() + (counts.size() <= 1 ? " on every node" : ", as on most nodes"),
                        List.of(evidence("links", "primary interface mtu " + node.mtu()))));
            } else {
                findings.put(node.nodeId(), fail("MTU " + node.mtu() + " differs from the " + (counts.get(majority) == 1 ? "node"
                        : counts.get(majority) + " nodes") + " with MTU " + majority,
                        List.of(evidence("links", "primary interface mtu " + node.mtu()),
                                evidence("cluster", counts.get(majority) + " nodes have mtu " + majority)),
                        new Snippet().note("Set MTU " + majority + " on this node's primary interface (ip link set dev "
                                + "<interface> mtu " + majority + ") and in its network configuration, or change the "
                                + "others if " + node.mtu() + " is right for your network.").build()));
            }
        }
        return findings;
    }
}
