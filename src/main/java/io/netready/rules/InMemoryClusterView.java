package io.netready.rules;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.netready.net.Cidr;

/** Every node of a cluster in memory: for pages, samples and re-evaluation. */
public record InMemoryClusterView(List<NodeIdentity> nodes) implements ClusterView {

    @Override
    public Map<Integer, Integer> mtuCounts() {
        Map<Integer, Integer> counts = new HashMap<>();
        nodes.stream().filter(n -> n.mtu() != null).forEach(n -> counts.merge(n.mtu(), 1, Integer::sum));
        return counts;
    }

    @Override
    public List<CidrHintCount> cidrHints() {
        return InferredCidrs.count(nodes);
    }

    @Override
    public PodRoutes podRoutes(NodeIdentity node) {
        Map<String, String> routes = routesOf(node);
        int checked = 0;
        List<MissingRoute> missing = new ArrayList<>();
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
                if (!peer.nodeIp().equals(via)) {
                    missing.add(new MissingRoute(peer.nodeId(), peer.hostname(), peer.nodeIp(), subnet, via));
                }
            }
        }
        return new PodRoutes(checked, missing);
    }

    /** A node's routes via a gateway: destination to gateway. */
    public static Map<String, String> routesOf(NodeIdentity node) {
        Map<String, String> routes = new HashMap<>();
        for (String route : node.routes()) {
            int space = route.indexOf(' ');
            routes.put(route.substring(0, space), route.substring(space + 1));
        }
        return routes;
    }
}
