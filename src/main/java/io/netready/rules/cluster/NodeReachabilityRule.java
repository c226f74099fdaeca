package io.netready.rules.cluster;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import io.netready.facts.ReachabilityAttempt.Outcome;
import io.netready.net.Cidr;
import io.netready.reportformat.Phase;
import io.netready.rules.ClusterRule;
import io.netready.rules.ClusterSettings;
import io.netready.rules.ClusterView;
import io.netready.rules.ClusterView.Attempt;
import io.netready.rules.ClusterView.Inbound;
import io.netready.rules.Evidence;
import io.netready.rules.Finding;
import io.netready.rules.NodeIdentity;
import io.netready.rules.OwnFirewall;
import io.netready.rules.ReachabilityPorts;
import io.netready.rules.RuleInfo;
import io.netready.rules.Rules;
import io.netready.rules.Severity;
import io.netready.rules.Snippet;
import io.netready.rules.Sources;

/**
 * Judges a node by what its peers met when they last tried it (their reports' {@code reachability} sections): every
 * port a peer tried must let the connection through. A port the node's own firewall drops is told apart from one
 * dropped between the nodes (a security group, router ACL or firewall on the way), and a path that works only the
 * other way is named as such. Before kubeadm nothing listens yet, so a refused connection (the path is open) is fine;
 * once the cluster runs, the components' ports must accept.
 */
public class NodeReachabilityRule extends Rules implements ClusterRule {

    /** Attempts read per node: every failing one first; counts cover all of them. */
    static final int ATTEMPTS_READ = 200;
    private static final int NAMED = 5;
    private static final int EVIDENCE = 40;

    public NodeReachabilityRule() {
        super(RuleInfo.cluster("node-reachability").title("Peers reach the node on its ports")
                .category("reachability").severity(Severity.ERROR)
                .description("Each probe run tries the peers of its reachability plan with one bounded TCP connect per port: "
                        + "every control plane on 6443 and 10250 (and 2379-2380 between control planes), and 16 workers at "
                        + "a time, rotating, on 10250 and a NodePort. A node fails when a peer's connection timed out or "
                        + "was rejected. netready says whether the node's own firewall drops the port (firewall-ports sees "
                        + "it) or something between the nodes does (a cloud security group, a router ACL), with the "
                        + "subnets and ports to open, and names paths that work only one way. Before kubeadm a refused "
                        + "connection means the path is open; once the cluster runs, the components must accept.")
                .remediation("Open the ports in the node's own firewall (firewall-ports' commands), or in the security group or "
                        + "ACL between the subnets named; start the component that does not accept.")
                .sources(Sources.PORTS, Sources.NOTES_REQUIREMENTS, Sources.NOTES_PORTS_IPTABLES)
                .build());
    }

    /** Why one port of the node was not reached by some peers. */
    private enum Cause {
        OWN_FIREWALL, BETWEEN, UNKNOWN, NOT_LISTENING
    }

    /** The peers that failed on one port for one cause. */
    private record Problem(int port, Cause cause, Map<Outcome, List<Attempt>> bySource) {

        List<Attempt> all() {
            return bySource.values().stream().flatMap(List::stream).toList();
        }
    }

    @Override
    public Map<Long, Finding> evaluate(ClusterView view, ClusterSettings cluster, Collection<Long> targets) {
        Map<Long, Finding> findings = new LinkedHashMap<>();
        for (NodeIdentity node : view.nodes()) {
            if (targets.contains(node.nodeId()) && !findings.containsKey(node.nodeId())) {
                findings.put(node.nodeId(), evaluate(view, node));
            }
        }
        return findings;
    }

    private Finding evaluate(ClusterView view, NodeIdentity node) {
        if (node.nodeIp() == null) {
            return skip("The report shows no node IP that peers could try");
        }
        Inbound inbound = view.inbound(node, ATTEMPTS_READ);
        if (inbound.total() == 0) {
            return skip("No peer has tried " + node.hostname() + " yet: each probe run tries the peers of the plan the "
                    + "portal gives it (every control plane, and 16 workers at a time)");
        }
        boolean running = Phase.RUNNING.word().equals(node.phase());
        List<Evidence> evidence = new ArrayList<>();
        evidence.add(evidence("peers", counts(inbound)));
        if (!node.ownFirewall().isEmpty()) {
            evidence.add(evidence("firewall", "the node's own firewall, as its report shows it (firewall-ports): "
                    + String.join(", ", node.ownFirewall())));
        }
        Map<String, Problem> problems = new LinkedHashMap<>();
        List<Attempt> errors = new ArrayList<>();
        for (Attempt attempt : inbound.attempts()) {
            Optional<Cause> cause = cause(attempt, node, running);
            if (attempt.outcome() == Outcome.ERROR) {
                errors.add(attempt);
            }
            if (cause.isEmpty()) {
                continue;
            }
            Problem problem = problems.computeIfAbsent(attempt.port() + " " + cause.get(),
                    k -> new Problem(attempt.port(), cause.get(), new TreeMap<>()));
            problem.bySource().computeIfAbsent(attempt.outcome(), k -> new ArrayList<>()).add(attempt);
        }
        inbound.attempts().stream().filter(a -> a.outcome() != Outcome.CONNECTED).limit(EVIDENCE)
                .forEach(a -> evidence.add(attemptEvidence(a, node)));
        errors.stream().limit(3).forEach(a -> evidence.add(evidence("peer " + a.sourceHostname(), a.sourceHostname()
                + " could not try the port at all (an error on its side, such as its own OUTPUT firewall): not counted")));
        if (problems.isEmpty()) {
            return pass(reachedMessage(inbound, node, running), evidence);
        }
        Set<Long> failing = problems.values().stream().filter(p -> p.cause() != Cause.NOT_LISTENING)
                .flatMap(p -> p.all().stream()).map(Attempt::sourceId).collect(Collectors.toCollection(LinkedHashSet::new));
        // "source port": the node reached that source on that port (the path works back on the same port)
        Set<String> reachedBack = new LinkedHashSet<>();
        for (Attempt back : view.outbound(node, failing)) {
            if (back.outcome() == Outcome.CONNECTED || back.outcome() == Outcome.REFUSED) {
                reachedBack.add(back.targetId() + " " + back.port());
            }
        }
        Snippet fix = new Snippet();
        Map<String, Set<Integer>> toOpen = new TreeMap<>();
        String nodeNet = network(node.nodeIp(), node.networks());
        for (Problem problem : problems.values()) {
            if (problem.cause() == Cause.BETWEEN || problem.cause() == Cause.UNKNOWN) {
                for (Attempt a : problem.all()) {
                    toOpen.computeIfAbsent(network(a.sourceIp(), a.sourceNetworks()), k -> new TreeSet<>())
                            .add(problem.port());
                }
            }
        }
        String message;
        if (silent(inbound, problems.values())) {
            message = silentMessage(inbound, problems.values(), node, nodeNet);
            fix.note("On " + node.hostname() + ": check that it is up and still has " + node.nodeIp() + " (ip -br addr), "
                    + "and let its probe report again: peers are sent to the node IP of its latest report.");
        } else {
            List<String> sentences = new ArrayList<>();
            for (Problem problem : problems.values()) {
                sentences.add(sentence(problem, node, reachedBack));
            }
            message = String.join(". ", sentences);
        }
        remediate(fix, problems.values(), node, nodeNet, toOpen);
        boolean blocked = problems.values().stream().anyMatch(p -> p.cause() != Cause.NOT_LISTENING);
        return blocked ? fail(message, evidence, fix.build()) : warn(message, evidence, fix.build());
    }

    /** Why the attempt did not reach the node's port, or empty where it did (or could not be made). */
    private static Optional<Cause> cause(Attempt attempt, NodeIdentity node, boolean running) {
        Optional<OwnFirewall.Verdict> own = OwnFirewall.of(node.ownFirewall(), attempt.port());
        boolean ownDrops = own.filter(v -> v == OwnFirewall.Verdict.BLOCKED || v == OwnFirewall.Verdict.PARTIAL).isPresent();
        boolean ownOpen = own.filter(v -> v == OwnFirewall.Verdict.OPEN).isPresent();
        return switch (attempt.outcome()) {
            case CONNECTED, ERROR -> Optional.empty();
            case REFUSED -> {
                if (ownDrops) {
                    yield Optional.of(Cause.OWN_FIREWALL); // a REJECT answers like a closed port
                }
                yield running && ReachabilityPorts.componentPort(attempt.port()) ? Optional.of(Cause.NOT_LISTENING)
                        : Optional.empty();
            }
            case TIMEOUT, UNREACHABLE -> Optional.of(ownDrops ? Cause.OWN_FIREWALL : ownOpen ? Cause.BETWEEN : Cause.UNKNOWN);
        };
    }

    /**
     * Whether no peer got anything back from the node on any of two or more ports (every attempt silent or answered
     * by ICMP, none refused or connected) while its own firewall is not what drops them: a node that is down, or
     * no longer at its address, looks exactly so; so does a path that drops everything to it.
     */
    private static boolean silent(Inbound inbound, Collection<Problem> problems) {
        Set<Integer> ports = new TreeSet<>();
        for (Map.Entry<String, Integer> count : inbound.counts().entrySet()) {
            String key = count.getKey();
            if (key.endsWith(" " + Outcome.ERROR.word())) {
                continue;
            }
            if (!key.endsWith(" " + Outcome.TIMEOUT.word()) && !key.endsWith(" " + Outcome.UNREACHABLE.word())) {
                return false;
            }
            ports.add(Integer.parseInt(key.substring(0, key.indexOf(' '))));
        }
        return ports.size() >= 2 && problems.stream().noneMatch(p -> p.cause() == Cause.OWN_FIREWALL);
    }

    private static String silentMessage(Inbound inbound, Collection<Problem> problems, NodeIdentity node, String nodeNet) {
        Map<Outcome, Set<String>> bySource = new TreeMap<>();
        Set<Integer> ports = new TreeSet<>();
        List<String> sourceNets = new ArrayList<>();
        for (Problem problem : problems) {
            ports.add(problem.port());
            problem.bySource().forEach((outcome, attempts) -> attempts.forEach(a -> {
                bySource.computeIfAbsent(outcome, k -> new LinkedHashSet<>()).add(a.sourceHostname());
                String net = network(a.sourceIp(), a.sourceNetworks());
                if (!sourceNets.contains(net)) {
                    sourceNets.add(net);
                }
            }));
        }
        boolean judged = problems.stream().allMatch(p -> p.cause() == Cause.BETWEEN);
        String from = bySource.entrySet().stream().map(e -> words(e.getKey()) + " from " + list(List.copyOf(e.getValue())))
                .collect(Collectors.joining("; "));
        return "No peer reached " + node.hostname() + " on any port: "
                + list(ports.stream().map(String::valueOf).toList()) + " " + from + ". It may be down "
                + "or no longer at " + node.nodeIp() + "; if it runs there, " + (judged
                        ? "its own firewall lets these ports in, so " + between(sourceNets, nodeNet)
                                + " drops everything to it (a security group, network ACL or router firewall)"
                        : "its own firewall (which could not be judged) or something between the nodes drops "
                                + "everything to it");
    }

    /** "something between A and B"; "something on A" where the peers share the node's network, or "on the way". */
    private static String between(List<String> sourceNets, String nodeNet) {
        if (sourceNets.size() == 1 && sourceNets.get(0).equals(nodeNet)) {
            return "something on " + nodeNet + " between the nodes";
        }
        if (sourceNets.contains(nodeNet)) {
            return "something on the way from " + list(sourceNets) + " to " + nodeNet;
        }
        return "something between " + list(sourceNets) + " and " + nodeNet;
    }

    private static String sentence(Problem problem, NodeIdentity node, Set<String> reachedBack) {
        int port = problem.port();
        String what = port + " (" + ReachabilityPorts.purpose(port) + ") on " + node.hostname();
        String from = problem.bySource().entrySet().stream()
                .map(e -> words(e.getKey()) + " from " + names(e.getValue())).collect(Collectors.joining("; "));
        String sentence = switch (problem.cause()) {
            case OWN_FIREWALL -> what + ": " + from + ": the node's own firewall drops it (firewall-ports)";
            case BETWEEN -> what + ": " + from + ", though the node's own firewall lets it in: "
                    + between(subnets(problem), network(node.nodeIp(), node.networks()))
                    + " drops it (a security group, network ACL or router firewall)";
            case UNKNOWN -> what + ": " + from + "; the node's own firewall could not be judged, so it may drop it "
                    + "itself or something between the nodes does";
            case NOT_LISTENING -> "Nothing accepts " + what + ": " + from + ". The path is open (a reset came back) but "
                    + "the " + ReachabilityPorts.purpose(port) + " does not listen";
        };
        // An own firewall's drop is one way by nature (its INPUT chain), so only a path is called one-way; and only on
        // the same port: a worker that reaches a control plane's kubelet says nothing of its API server.
        List<String> oneWay = problem.all().stream().filter(a -> reachedBack.contains(a.sourceId() + " " + port))
                .map(Attempt::sourceHostname).distinct().toList();
        if (!oneWay.isEmpty() && (problem.cause() == Cause.BETWEEN || problem.cause() == Cause.UNKNOWN)) {
            sentence += ". One way only: " + node.hostname() + " reaches " + list(oneWay) + " on " + port
                    + ", which cannot reach it back";
        }
        return sentence;
    }

    private static void remediate(Snippet fix, Collection<Problem> problems, NodeIdentity node, String nodeNet,
            Map<String, Set<Integer>> toOpen) {
        Set<Integer> own = problems.stream().filter(p -> p.cause() == Cause.OWN_FIREWALL).map(Problem::port)
                .collect(Collectors.toCollection(TreeSet::new));
        if (!own.isEmpty()) {
            fix.note("On " + node.hostname() + ": its own firewall drops tcp " + ports(own) + ". The firewall-ports "
                    + "finding's commands (in this node's fix script) accept them at the chain that drops them.");
        }
        toOpen.forEach((sourceNet, ports) -> fix.note("Between the nodes (not on " + node.hostname() + "): allow tcp "
                + ports(ports) + " from " + sourceNet + " to " + nodeNet + " in the security group, network ACL or "
                + "router firewall between them, e.g. AWS: aws ec2 authorize-security-group-ingress --group-id <the "
                + "node's group> --protocol tcp --port " + ports.iterator().next() + " --cidr " + sourceNet
                + (ports.size() > 1 ? " (once per port)" : "") + "; GCP: gcloud compute "
                + "firewall-rules create <name> --allow tcp:" + ports(ports).replace(", ", ",tcp:")
                + " --source-ranges " + sourceNet + "."));
        problems.stream().filter(p -> p.cause() == Cause.NOT_LISTENING).map(Problem::port).distinct()
                .forEach(port -> fix.note(port == 10250
                        ? "On " + node.hostname() + ": the kubelet does not accept on 10250: systemctl status kubelet; "
                                + "journalctl -u kubelet"
                        : "On " + node.hostname() + ": the " + ReachabilityPorts.purpose(port) + " static pod does not "
                                + "accept on " + port + ": crictl ps -a; the kubelet's log says why"));
    }

    private String reachedMessage(Inbound inbound, NodeIdentity node, boolean running) {
        Set<Integer> ports = new TreeSet<>();
        inbound.counts().keySet().forEach(k -> ports.add(Integer.parseInt(k.substring(0, k.indexOf(' ')))));
        Set<Long> sources = inbound.attempts().stream().map(Attempt::sourceId).collect(Collectors.toSet());
        int peers = inbound.attempts().size() < ATTEMPTS_READ ? sources.size() : -1;
        boolean refused = inbound.counts().keySet().stream().anyMatch(k -> k.endsWith(" refused"));
        return "Reached on " + ports(ports) + (peers > 0 ? " by every peer that tried (" + peers + ")"
                : " by every peer that tried") + (refused && !running
                        ? "; some refused: the path is open and nothing listens yet, as before kubeadm" : "");
    }

    private static String counts(Inbound inbound) {
        Map<Integer, List<String>> byPort = new TreeMap<>();
        inbound.counts().forEach((key, count) -> {
            int space = key.indexOf(' ');
            byPort.computeIfAbsent(Integer.parseInt(key.substring(0, space)), k -> new ArrayList<>())
                    .add(count + " " + key.substring(space + 1));
        });
        return inbound.total() + " attempt(s) by peers, each pair's latest: " + byPort.entrySet().stream()
                .map(e -> e.getKey() + ": " + String.join(", ", e.getValue())).collect(Collectors.joining("; "));
    }

    private static Evidence attemptEvidence(Attempt a, NodeIdentity node) {
        String took = a.seconds() == null ? "" : String.format(Locale.ROOT, " after %.2f s", a.seconds());
        return evidence("peer " + a.sourceHostname(), a.sourceHostname() + " (" + a.sourceIp() + ") to " + node.nodeIp()
                + " tcp " + a.port() + ": " + a.outcome().word() + took + ", " + a.observedAt());
    }

    private static String words(Outcome outcome) {
        return switch (outcome) {
            case TIMEOUT -> "timed out";
            case UNREACHABLE -> "unreachable (ICMP)";
            case REFUSED -> "refused";
            case CONNECTED -> "connected";
            case ERROR -> "error";
        };
    }

    private static List<String> subnets(Problem problem) {
        return problem.all().stream().map(a -> network(a.sourceIp(), a.sourceNetworks())).distinct().toList();
    }

    /** The network of {@code networks} that holds the address, else the address alone. */
    static String network(String address, List<String> networks) {
        return NodeIdentity.subnetOf(address, networks);
    }

    private static String names(List<Attempt> attempts) {
        return list(attempts.stream().map(Attempt::sourceHostname).distinct().toList());
    }

    private static String list(List<String> names) {
        if (names.size() > NAMED) {
            return String.join(", ", names.subList(0, NAMED)) + " and " + (names.size() - NAMED) + " more";
        }
        if (names.size() <= 2) {
            return String.join(" and ", names);
        }
        return String.join(", ", names.subList(0, names.size() - 1)) + " and " + names.get(names.size() - 1);
    }

    private static String ports(Set<Integer> ports) {
        return ports.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }
}
