package io.netready.rules;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.netready.facts.NodeFacts;
import io.netready.facts.ReachabilityAttempt;
import io.netready.facts.ReachabilityAttempt.Outcome;

import io.netready.net.Cidr;

/** Every node of a cluster in memory, with every stored reachability attempt: for pages, samples and re-evaluation. */
public record InMemoryClusterView(List<NodeIdentity> nodes, List<Attempt> attempts) implements ClusterView {

    /** The nodes alone: no node has tried another. */
    public InMemoryClusterView(List<NodeIdentity> nodes) {
        this(nodes, List.of());
    }

    /**
     * The nodes and what each one's report says it tried ({@link NodeFacts#reachability()}), matched to the nodes as
     * the upload stores them: an attempt counts on the node whose node IP is the address tried, never on its source.
     */
    public static InMemoryClusterView of(List<NodeIdentity> nodes, Map<Long, NodeFacts> facts) {
        Map<String, List<NodeIdentity>> byIp = new HashMap<>();
        nodes.stream().filter(n -> n.nodeIp() != null).forEach(n -> byIp.computeIfAbsent(n.nodeIp(), k -> new ArrayList<>()).add(n));
        List<Attempt> attempts = new ArrayList<>();
        for (NodeIdentity source : nodes) {
            NodeFacts report = facts.get(source.nodeId());
            if (report == null) {
                continue;
            }
            for (ReachabilityAttempt attempt : report.reachability().asOptional().orElse(List.of())) {
                for (NodeIdentity target : byIp.getOrDefault(attempt.address(), List.of())) {
                    if (target.nodeId() != source.nodeId()) {
                        attempts.add(new Attempt(source.nodeId(), source.hostname(), source.nodeIp(), source.networks(),
                                target.nodeId(), attempt.port(), attempt.outcome(), attempt.seconds(),
                                report.report().collectedAt()));
                    }
                }
            }
        }
        return new InMemoryClusterView(nodes, List.copyOf(attempts));
    }

    @Override
    public Inbound inbound(NodeIdentity target, int limit) {
        Map<Long, NodeIdentity> byId = new HashMap<>();
        nodes.forEach(n -> byId.put(n.nodeId(), n));
        List<Attempt> toTarget = attempts.stream().filter(a -> a.targetId() == target.nodeId())
                .filter(a -> byId.containsKey(a.sourceId())).toList();
        Map<String, Integer> counts = new TreeMap<>();
        toTarget.forEach(a -> counts.merge(a.port() + " " + a.outcome().word(), 1, Integer::sum));
        List<Attempt> listed = toTarget.stream().sorted(Comparator.comparingInt((Attempt a) -> failureOrder(a.outcome()))
                .thenComparing(Attempt::sourceHostname).thenComparingInt(Attempt::port)).limit(limit).toList();
        return new Inbound(counts, listed);
    }

    @Override
    public List<Attempt> outbound(NodeIdentity source, Collection<Long> targets) {
        Set<Long> wanted = Set.copyOf(targets);
        return attempts.stream().filter(a -> a.sourceId() == source.nodeId() && wanted.contains(a.targetId())).toList();
    }

    /** Attempts that did not connect come first: what a finding names. */
    public static int failureOrder(Outcome outcome) {
        return switch (outcome) {
            case CONNECTED -> 2;
            case REFUSED -> 1;
            default -> 0;
        };
    }

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
