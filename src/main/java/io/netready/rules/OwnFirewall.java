package io.netready.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.netready.facts.NetInterface;
import io.netready.facts.NodeFacts;
import io.netready.facts.firewall.Answer;
import io.netready.facts.firewall.Connection;
import io.netready.facts.firewall.Firewall;
import io.netready.facts.firewall.Outcome;
import io.netready.net.Cidr;

/**
 * What a node's own firewall does to the ports its peers try on it ({@link ReachabilityPorts#tried}), judged from
 * its report with the firewall model as {@code firewall-ports} judges it: stored with the node's identity, so that
 * {@code node-reachability} can tell a port the node drops itself from one dropped between the nodes.
 */
public final class OwnFirewall {

    /** Peers tried per port, as firewall-ports tries them. */
    private static final int PEERS = 16;

    /** What the node's firewall does to new connections from its network on one port. */
    public enum Verdict {
        /** Every peer's connection is accepted. */
        OPEN("open"),
        /** Some peers' connections are dropped or rejected. */
        PARTIAL("partial"),
        /** Every peer's connection is dropped or rejected. */
        BLOCKED("blocked"),
        /** A rule that decides cannot be read from the dumps. */
        UNDECIDED("undecided");

        private final String word;

        Verdict(String word) {
            this.word = word;
        }

        public String word() {
            return word;
        }
    }

    private OwnFirewall() {
    }

    /**
     * {@code "PORT VERDICT"} for each tried port, in the catalog's order; empty where the report shows no readable
     * firewall, node IP or network to judge with (then nothing is known of the node's own firewall).
     */
    public static List<String> judge(NodeFacts facts) {
        Optional<String> nodeIp = facts.nodeIp();
        Optional<NetInterface> nic = facts.primaryInterface();
        if (!facts.firewall().isAvailable() || nodeIp.isEmpty() || nic.isEmpty()) {
            return List.of();
        }
        Optional<Cidr> network = nic.get().addresses().stream().filter(a -> a.address().equals(nodeIp.get())).findFirst()
                .flatMap(a -> Cidr.containing(a.address(), a.prefixLength()))
                .or(() -> Cidr.containing(nodeIp.get(), 24));
        if (network.isEmpty()) {
            return List.of();
        }
        Firewall firewall = facts.firewall().value();
        List<String> peers = firewall.peersIn(network.get(), nodeIp.get(), PEERS);
        List<String> verdicts = new ArrayList<>();
        for (ReachabilityPorts.Port port : ReachabilityPorts.tried(facts.report().role(), facts.hostname())) {
            verdicts.add(port.port() + " " + judge(firewall, peers, nodeIp.get(), nic.get().name(), port.port()).word());
        }
        return List.copyOf(verdicts);
    }

    private static Verdict judge(Firewall firewall, List<String> peers, String node, String nic, int port) {
        if (peers.isEmpty()) {
            return Verdict.UNDECIDED;
        }
        int open = 0;
        int blocked = 0;
        Firewall.Run first = null;
        for (String peer : peers) {
            Firewall.Run run = first != null && first.anyPeer() ? first
                    : firewall.judgeRun(new Connection(peer, node, nic, port, "tcp"));
            first = first == null ? run : first;
            Answer answer = run.answer();
            if (answer.outcome() == Outcome.OPEN || KubeProxyReject.ofServiceWithoutEndpoints(answer)) {
                open++;
            } else if (answer.outcome() == Outcome.BLOCKED) {
                blocked++;
            } else {
                return Verdict.UNDECIDED;
            }
        }
        return blocked == 0 ? Verdict.OPEN : open == 0 ? Verdict.BLOCKED : Verdict.PARTIAL;
    }

    /** The verdict stored for {@code port} in {@code ownFirewall} lines, if the node's firewall was judged on it. */
    public static Optional<Verdict> of(List<String> ownFirewall, int port) {
        String prefix = port + " ";
        for (String line : ownFirewall) {
            if (line.startsWith(prefix)) {
                String word = line.substring(prefix.length());
                for (Verdict verdict : Verdict.values()) {
                    if (verdict.word.equals(word)) {
                        return Optional.of(verdict);
                    }
                }
            }
        }
        return Optional.empty();
    }
}
