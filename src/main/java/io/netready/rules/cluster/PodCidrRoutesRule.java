package io.netready.rules.cluster;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.netready.net.Cidr;
import io.netready.rules.ClusterRule;
import io.netready.rules.ClusterSettings;
import io.netready.rules.Evidence;
import io.netready.rules.Finding;
import io.netready.rules.NodeIdentity;
import io.netready.rules.Rules;
import io.netready.rules.Severity;
import io.netready.rules.Shell;
import io.netready.rules.Snippet;
import io.netready.rules.Sources;

/** Where pod networking is routed, every node needs a route to every peer's pod subnet via that peer. */
public class PodCidrRoutesRule extends Rules implements ClusterRule {

    public PodCidrRoutesRule() {
        super(cluster("pod-cidr-routes", "Routes to every peer's pod subnet", "routing", Severity.ERROR,
                "In routed pod networking (no overlay: host-gw, plain routing, BGP) a pod reaches a pod on another node "
                        + "through a route on its own node: peer's pod subnet via peer's node IP. A missing or wrong "
                        + "route makes cross-node pod traffic vanish. Checked when the cluster's routing mode is 'routed'.",
                "ip route add <peer pod subnet> via <peer node IP> for each missing peer, persisted in the network "
                        + "configuration (or let the CNI/BGP daemon do it).",
                Sources.NETWORK_MODEL, Sources.NOTES_ROUTING, Sources.NOTES_SWITCHING));
    }

    @Override
    public Map<Long, Finding> evaluate(List<NodeIdentity> nodes, ClusterSettings cluster, Collection<Long> targets) {
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
                findings.put(node.nodeId(), skip("The cluster's pod CIDR is not set in netready"));
                continue;
            }
            findings.put(node.nodeId(), evaluate(node, nodes));
        }
        return findings;
    }

    private Finding evaluate(NodeIdentity node, List<NodeIdentity> nodes) {
        Map<String, String> routes = new HashMap<>();
        for (String route : node.routes()) {
            int space = route.indexOf(' ');
            routes.put(route.substring(0, space), route.substring(space + 1));
        }
        List<Evidence> evidence = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        Snippet fix = new Snippet();
        Optional<String> device = Optional.empty();
        int checked = 0;
        for (NodeIdentity peer : nodes) {
            if (peer.nodeId() == node.nodeId() || peer.nodeIp() == null) {
                continue;
            }
            for (String subnet : peer.podSubnets()) {
                if (Cidr.parse(subnet).isEmpty()) {
                    continue;
                }
                checked++;
                String via = routes.get(subnet);
                if (peer.nodeIp().equals(via)) {
                    if (evidence.size() < 50) {
                        evidence.add(evidence("routes", subnet + " via " + via + " (" + peer.hostname() + ")"));
                    }
                    continue;
                }
                missing.add(subnet + " via " + peer.nodeIp() + (via == null ? "" : " (routed via " + via + " instead)"));
                evidence.add(evidence("node " + peer.nodeId(), peer.hostname() + " at " + peer.nodeIp() + " has pod subnet " + subnet));
                Optional<String> s = Shell.cidr(subnet);
                Optional<String> gw = Shell.ip(peer.nodeIp());
                if (s.isPresent() && gw.isPresent()) {
                    fix.why("Reach " + s.get() + " (the pods of a peer node) via that node, " + gw.get() + "; 'replace' is "
                            + "idempotent.").run("ip route replace " + s.get() + " via " + gw.get());
                } else {
                    fix.note("A peer's pod subnet or node IP is not a valid address; add its route by hand.");
                }
            }
        }
        if (checked == 0) {
            return skip("No peer node shows a pod subnet yet (from its CNI config or a route in the pod CIDR)");
        }
        if (missing.isEmpty()) {
            return pass("Routes to all " + checked + " peer pod subnets", evidence);
        }
        fix.note("Persist these routes in the node's network configuration, or let the CNI or BGP daemon manage them.");
        return fail("Missing routes: " + String.join("; ", missing), evidence, fix.build());
    }
}
