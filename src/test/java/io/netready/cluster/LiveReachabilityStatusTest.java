package io.netready.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import io.netready.facts.ReachabilityAttempt.Outcome;
import io.netready.rules.ClusterSettings;
import io.netready.rules.ClusterView.Attempt;
import io.netready.rules.InMemoryClusterView;
import io.netready.rules.NodeIdentity;
import io.netready.rules.RoutingMode;
import io.netready.rules.cluster.NodeReachabilityRule;

/**
 * The node x rule matrix shows node-reachability from one summary per pair ({@link ReachabilityMatrix#status}: the
 * ports peers were refused on, whether any attempt timed out or was unreachable); the rule itself reads the attempts. On 2000 random targets (phase, own firewall per port, peers' outcomes per port) both say the same.
 */
class LiveReachabilityStatusTest {

    private static final int[] PORTS = { 6443, 10250, 2379, 2380, 31234 };
    private static final String[] VERDICTS = { "open", "partial", "blocked", "undecided" };

    @Test
    void theCountsJudgeAsTheRuleDoes() {
        Random random = new Random(14);
        NodeReachabilityRule rule = new NodeReachabilityRule();
        ClusterSettings settings = new ClusterSettings(null, null, RoutingMode.UNKNOWN);
        for (int run = 0; run < 2000; run++) {
            String phase = random.nextBoolean() ? "running" : "preflight";
            List<String> ownFirewall = new ArrayList<>();
            for (int port : PORTS) {
                if (random.nextInt(3) > 0) {
                    ownFirewall.add(port + " " + VERDICTS[random.nextInt(VERDICTS.length)]);
                }
            }
            String targetIp = random.nextInt(20) == 0 ? null : "10.242.50.1";
            NodeIdentity target = node(1, "t", targetIp, phase, ownFirewall);
            List<NodeIdentity> nodes = new ArrayList<>(List.of(target));
            List<Attempt> attempts = new ArrayList<>();
            Map<Integer, Set<String>> counts = new HashMap<>();
            Set<Integer> refused = new TreeSet<>();
            boolean failed = false;
            int peers = random.nextInt(4);
            for (int p = 0; p < peers; p++) {
                NodeIdentity source = node(10 + p, "s" + p, "10.242.51." + (10 + p), "running", List.of());
                nodes.add(source);
                for (int port : PORTS) {
                    if (random.nextInt(3) == 0) {
                        continue;
                    }
                    Outcome outcome = Outcome.values()[random.nextInt(10) < 6 ? 0 : random.nextInt(Outcome.values().length)];
                    attempts.add(new Attempt(source.nodeId(), source.hostname(), source.nodeIp(), source.networks(), 1, port,
                            outcome, 0.01, Instant.parse("2026-12-02T00:00:00Z")));
                    counts.computeIfAbsent(port, k -> new TreeSet<>()).add(outcome.word());
                    if (outcome == Outcome.REFUSED) {
                        refused.add(port);
                    }
                    failed |= outcome == Outcome.TIMEOUT || outcome == Outcome.UNREACHABLE;
                }
            }
            String expected = rule.evaluate(new InMemoryClusterView(nodes, attempts), settings, Set.of(1L)).get(1L).status().word();
            var peer = new ReachabilityMatrix.Peer(1, "t", "worker", targetIp, "10.242.50.0/24", phase, ownFirewall);
            assertEquals(expected, ReachabilityMatrix.status(peer, !counts.isEmpty(), refused, failed).word(),
                    "phase " + phase + ", own firewall " + ownFirewall + ", outcomes " + counts);
        }
    }

    private static NodeIdentity node(long id, String hostname, String ip, String phase, List<String> ownFirewall) {
        return new NodeIdentity(id, id, hostname, null, null, ip, 1500, List.of(), ip == null ? List.of()
                : List.of(ip.substring(0, ip.lastIndexOf('.')) + ".0/24"), List.of(), List.of(), List.of(), phase, ownFirewall);
    }
}
