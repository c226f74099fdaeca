package io.netready.rules.cluster;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.netready.net.Cidr;
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
import io.netready.rules.Sources;

/** Pod and Service ranges must not overlap each other or any network the nodes sit on. */
public class CidrOverlapRule extends Rules implements ClusterRule {

    public CidrOverlapRule() {
        super(RuleInfo.cluster("cidr-overlap").title("Pod and Service CIDRs overlap no node network")
                .category("routing").severity(Severity.ERROR)
                .description("The pod CIDR, the Service CIDR and the networks of the nodes' own interfaces must be disjoint: an "
                        + "overlap makes the node route pod or Service traffic onto its LAN (or LAN traffic into pods).")
                .remediation("Pick a pod CIDR and a Service CIDR outside every node network (kubeadm init --pod-network-cidr, "
                        + "--service-cidr); they cannot be changed in place later.")
                .sources(Sources.NETWORK_MODEL, Sources.NOTES_ROUTING)
                .build());
    }

    @Override
    public Map<Long, Finding> evaluate(ClusterView view, ClusterSettings cluster, Collection<Long> targets) {
        List<NodeIdentity> nodes = view.nodes();
        Map<Long, Finding> findings = new LinkedHashMap<>();
        Optional<Cidr> pods = cluster.pods();
        Optional<Cidr> services = cluster.services();
        for (NodeIdentity node : nodes) {
            if (!targets.contains(node.nodeId())) {
                continue;
            }
            if (pods.isEmpty() && services.isEmpty()) {
                findings.put(node.nodeId(), skip("The cluster's pod and Service CIDRs are not set in netready"));
                continue;
            }
            List<Evidence> evidence = new ArrayList<>();
            List<String> overlaps = new ArrayList<>();
            if (pods.isPresent() && services.isPresent() && pods.get().overlaps(services.get())) {
                overlaps.add("pod CIDR " + pods.get() + " overlaps Service CIDR " + services.get());
            }
            for (String network : node.networks()) {
                Optional<Cidr> net = Cidr.parse(network);
                if (net.isEmpty()) {
                    continue;
                }
                evidence.add(evidence("addresses", "node network " + network));
                pods.filter(p -> p.overlaps(net.get()))
                        .ifPresent(p -> overlaps.add("pod CIDR " + p + " overlaps node network " + network));
                services.filter(s -> s.overlaps(net.get()))
                        .ifPresent(s -> overlaps.add("Service CIDR " + s + " overlaps node network " + network));
            }
            pods.ifPresent(p -> evidence.add(evidence("cluster", "pod CIDR " + p)));
            services.ifPresent(s -> evidence.add(evidence("cluster", "Service CIDR " + s)));
            if (overlaps.isEmpty()) {
                findings.put(node.nodeId(), pass("No overlap between the cluster's CIDRs and this node's networks", evidence));
            } else {
                findings.put(node.nodeId(), fail(String.join("; ", overlaps), evidence, new Snippet()
                        .note("Choose pod and Service CIDRs outside the node networks (for example 10.244.0.0/16 and "
                                + "10.96.0.0/12 when the nodes are not in 10.0.0.0/8); set them in kubeadm's "
                                + "ClusterConfiguration and in netready's cluster settings.").build()));
            }
        }
        return findings;
    }
}
