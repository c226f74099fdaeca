package io.netready.rules.cluster;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.netready.rules.ClusterRule;
import io.netready.rules.ClusterSettings;
import io.netready.rules.ClusterView;
import io.netready.rules.Evidence;
import io.netready.rules.Finding;
import io.netready.rules.NodeIdentity;
import io.netready.rules.RuleInfo;
import io.netready.rules.Rules;
import io.netready.rules.Severity;
import io.netready.rules.Shell;
import io.netready.rules.Snippet;
import io.netready.rules.Sources;

/** Where pod networking is routed, every node needs a route to every peer's pod subnet via that peer. */
public class PodCidrRoutesRule extends Rules implements ClusterRule {

    public PodCidrRoutesRule() {
        super(RuleInfo.cluster("pod-cidr-routes").title("Routes to every peer's pod subnet")
                .category("routing").severity(Severity.ERROR)
                .description("In routed pod networking (no overlay: host-gw, plain routing, BGP) a pod reaches a pod on another node "
                        + "through a route on its own node: peer's pod subnet via peer's node IP. A missing or wrong "
                        + "route makes cross-node pod traffic vanish. Checked when the cluster's routing mode is 'routed'.")
                .remediation("ip route add <peer pod subnet> via <peer node IP> for each missing peer, persisted in the network "
                        + "configuration (or let the CNI/BGP daemon do it).")
                .sources(Sources.NETWORK_MODEL, Sources.NOTES_ROUTING, Sources.NOTES_SWITCHING)
                .build());
    }

    @Override
    public Map<Long, Finding> evaluate(ClusterView view, ClusterSettings cluster, Collection<Long> targets) {
        List<NodeIdentity> nodes = view.nodes();
        Map<Long, Finding> findings = new LinkedHashMap<>();
        for (NodeIdentity node : nodes) {
            if (!targets.contains(node.nodeId())) {
                continue;
            }
            if (!cluster.isRouted()) {
                findings.put(node.nodeId(), skip("The cluster's routing mode is " + cluster.routingMode()
                        + "; pod routes are checked when it is 'routed'"));
                continue;
            }
            if (cluster.pods().isEmpty()) {
                findings.put(node.nodeId(), skip("The cluster's pod CIDR is not set in netready, and no node's report "
                        + "names it (kube-controller-manager --cluster-cidr, flannel's network)"));
                continue;
            }
            findings.put(node.nodeId(), evaluate(node, view.podRoutes(node), cluster));
        }
        return findings;
    }

    private Finding evaluate(NodeIdentity node, ClusterView.PodRoutes routes, ClusterSettings cluster) {
        if (routes.checked() == 0) {
            return skip("No peer node shows a pod subnet yet (from its CNI config, flannel's subnet.env, the kubelet's "
                    + "podCIDR or a route in the pod CIDR)");
        }
        Evidence podCidr = cluster.podOrigin() == null ? evidence("cluster", "pod CIDR " + cluster.podCidr())
                : evidence("inferred", "pod CIDR " + cluster.podCidr() + " from " + cluster.podOrigin());
        if (routes.missing().isEmpty()) {
            return pass(routes.checked() == 1 ? "Routes to the peer's pod subnet" : routes.checked() == 2 ? "Routes to both peers' pod subnets" : "Routes to all " + routes.checked() + " peers' pod subnets",
                    List.of(evidence("routes", routes.checked() + " peer pod subnets routed via their nodes"), podCidr));
        }
        List<Evidence> evidence = new ArrayList<>();
        evidence.add(podCidr);
        List<String> missing = new ArrayList<>();
        Snippet fix = new Snippet();
        for (ClusterView.MissingRoute route : routes.missing()) {
            missing.add(route.subnet() + " via " + route.peerIp()
                    + (route.routedVia() == null ? "" : " (routed via " + route.routedVia() + " instead)"));
            if (evidence.size() < 50) {
                evidence.add(evidence("node " + route.peerId(), route.peerHostname() + " at " + route.peerIp()
                        + " has pod subnet " + route.subnet()));
            }
            Optional<String> subnet = Shell.cidr(route.subnet());
            Optional<String> gateway = Shell.ip(route.peerIp());
            if (subnet.isPresent() && gateway.isPresent()) {
                fix.why("Reach " + subnet.get() + " (the pods of a peer node) via that node, " + gateway.get()
                        + "; 'replace' is idempotent.").run("ip route replace " + subnet.get() + " via " + gateway.get());
            } else {
                fix.note("A peer's pod subnet or node IP is not a valid address; add its route by hand.");
            }
        }
        fix.note("Persist these routes in the node's network configuration, or let the CNI or BGP daemon manage them.");
        return fail("Missing routes: " + String.join("; ", missing.stream().limit(20).toList())
                + (missing.size() > 20 ? " and " + (missing.size() - 20) + " more" : ""), evidence, fix.build());
    }
}
