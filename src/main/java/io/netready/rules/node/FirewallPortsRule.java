package io.netready.rules.node;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.netready.facts.HostFirewall;
import io.netready.facts.NetInterface;
import io.netready.facts.NodeFacts;
import io.netready.facts.PortRange;
import io.netready.facts.firewall.Answer;
import io.netready.facts.firewall.Connection;
import io.netready.facts.firewall.Firewall;
import io.netready.facts.firewall.Outcome;
import io.netready.net.Cidr;
import io.netready.reportformat.Role;
import io.netready.rules.ClusterSettings;
import io.netready.rules.Evidence;
import io.netready.rules.Finding;
import io.netready.rules.IpFamilies;
import io.netready.rules.KubeProxyReject;
import io.netready.rules.NodeRule;
import io.netready.rules.PortWords;
import io.netready.rules.RuleInfo;
import io.netready.rules.Rules;
import io.netready.rules.Severity;
import io.netready.rules.Snippet;
import io.netready.rules.Sources;

/**
 * The node's packet filter must let the cluster's ports in: judged as the kernel judges a peer's new TCP connection
 * (see {@link Firewall}), from peers across the node's own network, port by port and across the NodePort range.
 */
public class FirewallPortsRule extends Rules implements NodeRule {

    /** Peers tried per port: enough for every edge real rules draw in a node's network. */
    private static final int PEERS = 16;
    /** Walks per report for the NodePort range (each answers for a run of ports); beyond it the rest is "cannot tell". */
    private static final int WALKS = 8192;

    public FirewallPortsRule() {
        super(RuleInfo.node("firewall-ports").title("The firewall lets the cluster's ports in")
                .category("firewall").severity(Severity.ERROR)
                .description("Other nodes and users must reach the node's component ports (control plane: 6443, 2379-2380, 10250, "
                        + "10257, 10259; worker: 10250 and the NodePort range 30000-32767). netready runs a peer's new TCP "
                        + "connection through the node's iptables (nf_tables and legacy), ip6tables and nftables rules as the "
                        + "kernel does — raw, mangle and NAT prerouting, then input, every table in priority order, with "
                        + "interfaces, addresses, conntrack state and marks — from peers across the node's network. A port "
                        + "some peers cannot reach warns; a rule whose match cannot be read from the dumps (an ipset's "
                        + "members) and that decides the answer warns with the rule as evidence.")
                .remediation("Accept the ports at the top of the chain that drops them (iptables -I, nft insert rule), or open them "
                        + "in firewalld/ufw.")
                .sources(Sources.PORTS, Sources.NOTES_PORTS_IPTABLES, Sources.NOTES_REQUIREMENTS)
                .build());
    }

    /** A port (or a run of the NodePort range) and what the peers' connections met. */
    private record Judged(String protocol, PortRange ports, String label, List<String> peers, List<String> blockedFrom,
            List<String> openFrom, Answer blocked, Answer undecided) {
        boolean allBlocked() {
            return openFrom.isEmpty() && undecided == null && blocked != null;
        }

        Judged labelled(String name) {
            return new Judged(protocol, ports, name, peers, blockedFrom, openFrom, blocked, undecided);
        }
    }

    @Override
    public Finding evaluate(NodeFacts facts, ClusterSettings cluster) {
        if (!facts.firewall().isAvailable()) {
            return hostFirewallOnly(facts);
        }
        Optional<String> nodeIp = facts.nodeIp();
        Optional<NetInterface> nic = facts.primaryInterface();
        if (nodeIp.isEmpty() || nic.isEmpty()) {
            return skip("The report shows no node IP and interface to judge connections to");
        }
        Optional<Cidr> network = nic.get().addresses().stream().filter(a -> a.address().equals(nodeIp.get())).findFirst()
                .flatMap(a -> Cidr.containing(a.address(), a.prefixLength()))
                .or(() -> Cidr.containing(nodeIp.get(), 24));
        if (network.isEmpty()) {
            return skip("The node IP " + nodeIp.get() + " is not an IPv4 address netready can judge connections to");
        }
        Firewall firewall = facts.firewall().value();
        List<Evidence> evidence = new ArrayList<>();
        List<Judged> judged = new ArrayList<>(judgeFamily(facts, firewall, nodeIp.get(), network.get(), nic.get(), "", evidence));
        List<String> peers = firewall.peersIn(network.get(), nodeIp.get(), PEERS);
        for (CniPorts.CniPort cni : CniPorts.of(facts)) {
            evidence.add(evidence("cni", cni.why()));
            String suffix = "/" + cni.protocol() + " for " + cni.cni();
            judged.addAll(judgeRange(firewall, cni.protocol(), cni.ports(), suffix, peers, nodeIp.get(), nic.get().name()));
        }
        IpFamilies families = IpFamilies.of(cluster, facts);
        if (families.ipv6()) {
            Optional<NetInterface.IfAddress> v6 = nic.get().addresses().stream().filter(a -> !a.isIpv4() && a.isGlobal()).findFirst();
            Optional<Cidr> net6 = v6.flatMap(a -> Cidr.containing(a.address(), a.prefixLength()));
            if (net6.isPresent()) {
                judged.addAll(judgeFamily(facts, firewall, v6.get().address(), net6.get(), nic.get(), " over IPv6", evidence));
            } else {
                evidence.add(evidence("addresses", "the cluster is " + families.describe() + " but " + nic.get().name()
                        + " has no global IPv6 address to judge IPv6 connections to"));
            }
        }
        return verdict(facts, merge(judged), evidence, network.get());
    }

    /** The cluster's ports (and a worker's NodePort range, run by run) for connections to {@code node} from its network. */
    private List<Judged> judgeFamily(NodeFacts facts, Firewall firewall, String node, Cidr network, NetInterface nic,
            String suffix, List<Evidence> evidence) {
        List<String> peers = firewall.peersIn(network, node, PEERS);
        evidence.add(evidence("addresses", "a new TCP connection to " + node + " on " + nic.name() + " from " + peers.size()
                + (peers.size() == 1 ? " peer in " : " peers in ") + network + (peers.size() <= 4 ? " (" + String.join(", ", peers) + ")" : "")));
        List<Judged> judged = new ArrayList<>();
        for (int port : Ports.required(facts.report().role()).keySet()) {
            judged.add(judge(firewall, "tcp", PortRange.of(port), suffix.isEmpty() ? null : port + suffix, peers, node, nic.name()));
        }
        if (facts.report().role() == Role.WORKER) {
            judged.addAll(judgeRange(firewall, "tcp", Ports.NODE_PORTS, suffix, peers, node, nic.name()));
        }
        return judged;
    }

    /**
     * A range, run by run: one walk answers for the whole run of ports the rules treat alike. kube-proxy's rules make
     * one run per NodePort, so a node with thousands of Services is judged up to a budget and says where it stopped.
     */
    private List<Judged> judgeRange(Firewall firewall, String protocol, PortRange range, String suffix, List<String> peers,
            String node, String nic) {
        List<Judged> runs = new ArrayList<>();
        int port = range.from();
        int walks = 0;
        while (port <= range.to() && walks < WALKS) {
            Judged run = judge(firewall, protocol, new PortRange(port, range.to()), null, peers, node, nic);
            runs.add(run.labelled(run.ports() + suffix));
            walks += peers.size();
            port = run.ports().to() + 1;
        }
        if (port <= range.to()) {
            PortRange rest = new PortRange(port, range.to());
            runs.add(new Judged(protocol, rest, rest + suffix, peers, List.of(), List.of(), null, new Answer(Outcome.UNDECIDED,
                    List.of("the rules treat " + range + " differently at more than " + WALKS / Math.max(1, peers.size())
                            + " places; netready stopped at " + port))));
        }
        return runs;
    }

    /**
     * The peers' connections to the first port of {@code ports}; the judged range is cut to the run of ports every
     * peer's answer holds for. {@code label}: how the message names the port (null: the range itself).
     */
    private Judged judge(Firewall firewall, String protocol, PortRange ports, String label, List<String> peers, String node,
            String nic) {
        int port = ports.from();
        int end = ports.to();
        List<String> blockedFrom = new ArrayList<>();
        List<String> openFrom = new ArrayList<>();
        Answer blocked = null;
        Answer undecided = null;
        Firewall.Run first = null;
        for (String peer : peers) {
            // a walk that never looked at the source address answers for every peer
            Firewall.Run run = first != null && first.anyPeer() ? first
                    : firewall.judgeRun(new Connection(peer, node, nic, port, protocol));
            first = first == null ? run : first;
            end = Math.min(end, Math.max(port, run.to()));
            Answer answer = run.answer();
            if (answer.outcome() == Outcome.BLOCKED && KubeProxyReject.ofServiceWithoutEndpoints(answer)) {
                openFrom.add(peer); // kube-proxy's own answer for a Service with no endpoints, not the firewall's
            } else if (answer.outcome() == Outcome.BLOCKED) {
                blockedFrom.add(peer);
                blocked = blocked == null ? answer : blocked;
            } else if (answer.outcome() == Outcome.OPEN) {
                openFrom.add(peer);
            } else if (undecided == null) {
                undecided = answer;
            }
        }
        PortRange judged = new PortRange(port, end);
        return new Judged(protocol, judged, label == null ? judged.toString() : label, peers, blockedFrom, openFrom, blocked,
                undecided);
    }

    /** Adjacent runs of one range (their labels: the run, then the same words) with the same answer become one. */
    private static List<Judged> merge(List<Judged> judged) {
        List<Judged> merged = new ArrayList<>();
        for (Judged j : judged) {
            Judged last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            String words = words(j);
            boolean adjacent = last != null && words != null && words.equals(words(last)) && last.protocol().equals(j.protocol())
                    && last.ports().to() + 1 == j.ports().from();
            if (adjacent && same(last, j)) {
                PortRange both = new PortRange(last.ports().from(), j.ports().to());
                merged.set(merged.size() - 1, new Judged(last.protocol(), both, both + words, last.peers(), last.blockedFrom(),
                        last.openFrom(), last.blocked(), last.undecided()));
            } else {
                merged.add(j);
            }
        }
        return merged;
    }

    /** What a run's label says after the run itself, or null for a label that does not start with it. */
    private static String words(Judged j) {
        String run = j.ports().toString();
        return j.label().startsWith(run) ? j.label().substring(run.length()) : null;
    }

    private static boolean same(Judged a, Judged b) {
        return a.blockedFrom().equals(b.blockedFrom()) && (a.undecided() == null) == (b.undecided() == null)
                && first(a.blocked()).equals(first(b.blocked()));
    }

    private static String first(Answer answer) {
        return answer == null || answer.evidence().isEmpty() ? "" : answer.evidence().get(0);
    }

    private Finding verdict(NodeFacts facts, List<Judged> judged, List<Evidence> context, Cidr network) {
        // what decided comes first, then what was asked
        List<Evidence> evidence = new ArrayList<>();
        List<String> blocked = new ArrayList<>();
        List<String> partly = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        List<String> open = new ArrayList<>();
        Snippet fix = new Snippet();
        Set<String> seen = new LinkedHashSet<>();
        for (Judged j : judged) {
            String ports = j.label();
            if (j.allBlocked()) {
                blocked.add(ports + " (" + place(j.blocked()) + ")");
                addEvidence(evidence, seen, j.blocked());
                FirewallFix.accept(fix, facts, j.blocked(), j.protocol(), j.ports(), null);
            } else if (!j.blockedFrom().isEmpty()) {
                partly.add(ports + " from " + describe(j.blockedFrom(), j.peers()) + " (" + place(j.blocked()) + ")");
                addEvidence(evidence, seen, j.blocked());
                FirewallFix.accept(fix, facts, j.blocked(), j.protocol(), j.ports(), network.toString());
            } else if (j.undecided() != null) {
                unknown.add(ports);
                addEvidence(evidence, seen, j.undecided());
            } else {
                open.add(ports);
            }
        }
        if (!blocked.isEmpty() || !partly.isEmpty()) {
            fix.note("Run the probe again after the change: another chain further on may drop the same ports.");
        }
        evidence.addAll(context);
        if (!blocked.isEmpty()) {
            String message = "Blocked: " + String.join(", ", blocked)
                    + (partly.isEmpty() ? "" : "; blocked for some peers: " + String.join("; ", partly))
                    + (unknown.isEmpty() ? "" : "; cannot tell for " + String.join(", ", unknown));
            return fail(message, evidence, fix.build());
        }
        if (!partly.isEmpty()) {
            return warn("Blocked for some peers in " + network + ": " + String.join("; ", partly)
                    + (unknown.isEmpty() ? "" : "; cannot tell for " + String.join(", ", unknown)), evidence, fix.build());
        }
        if (!unknown.isEmpty()) {
            return warn("Cannot tell whether the firewall lets in " + PortWords.ports(unknown)
                    + ": a rule it depends on matches what the report does not show (the rule is in the evidence)", evidence,
                    new Snippet().note("Check the rules in the evidence by hand, or connect to the ports from another node.")
                            .build());
        }
        return pass("The firewall lets in " + PortWords.ports(open), evidence);
    }

    private void addEvidence(List<Evidence> evidence, Set<String> seen, Answer answer) {
        for (String line : answer.evidence()) {
            if (seen.add(line) && seen.size() <= 12) {
                int colon = line.indexOf(": ");
                evidence.add(evidence(colon > 0 ? line.substring(0, colon) : "firewall", colon > 0 ? line.substring(colon + 2) : line));
            }
        }
    }

    /** Where the answer was decided: "iptables filter INPUT", "nftables inet filter input". */
    private static String place(Answer answer) {
        String line = first(answer);
        int colon = line.indexOf(": ");
        return colon > 0 ? line.substring(0, colon) : "firewall";
    }

    /**
     * The blocked peers as address ranges: the peers are every edge the rules draw in the network, in order, so a run of
     * blocked ones stands for every address from its first to its last.
     */
    private static String describe(List<String> blocked, List<String> peers) {
        List<String> runs = new ArrayList<>();
        String start = null;
        String last = null;
        for (String peer : peers) {
            if (blocked.contains(peer)) {
                start = start == null ? peer : start;
                last = peer;
            } else if (start != null) {
                runs.add(start.equals(last) ? start : start + "-" + last);
                start = null;
            }
        }
        if (start != null) {
            runs.add(start.equals(last) ? start : start + "-" + last);
        }
        return String.join(", ", runs);
    }

    /** Without readable dumps (a probe run without root), firewalld's and ufw's own reports are what there is. */
    private Finding hostFirewallOnly(NodeFacts facts) {
        Map<Integer, String> ports = new LinkedHashMap<>();
        Ports.required(facts.report().role()).keySet().forEach(p -> ports.put(p, String.valueOf(p)));
        if (facts.report().role() == Role.WORKER) {
            ports.put(Ports.NODE_PORTS.from(), Ports.NODE_PORTS.toString());
        }
        List<Evidence> evidence = new ArrayList<>();
        List<String> blocked = new ArrayList<>();
        Snippet fix = new Snippet();
        boolean known = false;
        for (Optional<HostFirewall> host : List.of(facts.firewalld().asOptional(), facts.ufw().asOptional())) {
            if (host.isEmpty() || !host.get().active()) {
                continue;
            }
            known = true;
            evidence.add(evidence(host.get().name(), host.get().evidence()));
            for (Map.Entry<Integer, String> port : ports.entrySet()) {
                if (!host.get().opens(port.getKey())) {
                    blocked.add(port.getValue() + " (" + host.get().name() + ")");
                    FirewallFix.hostFirewall(fix, host.get().name(), "tcp", port.getValue());
                }
            }
        }
        if (!known) {
            return skip("No firewall rules could be read: " + facts.firewall().problem());
        }
        if (blocked.isEmpty()) {
            return pass("firewalld/ufw open " + String.join(", ", ports.values()) + " (the iptables and nftables rules could not "
                    + "be read: " + facts.firewall().problem() + ")", evidence);
        }
        return fail("Blocked: " + String.join(", ", blocked), evidence, fix.build());
    }
}
