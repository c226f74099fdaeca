package io.netready.rules.cluster;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.netready.rules.ClusterRule;
import io.netready.rules.ClusterSettings;
import io.netready.rules.ClusterView;
import io.netready.rules.Evidence;
import io.netready.rules.Finding;
import io.netready.rules.NodeIdentity;
import io.netready.rules.Rules;
import io.netready.rules.Shell;
import io.netready.rules.Snippet;

/**
 * Two nodes with the same MAC on their own NICs confuse every switch and ARP cache between them. The node that
 * reported a MAC first ({@link FirstReported}) keeps it; only a node that reported it later fails, and only its fix
 * (never run by default: it changes the node's identity) gives that interface a new MAC.
 */
public class UniqueMacRule extends Rules implements ClusterRule {

    /** What a new MAC changes for the node. */
    static final String BREAKS = "the node's connections on that interface drop (run it from the console, not over SSH "
            + "through it); it gets a new DHCP lease, maybe a new address, and a joined node's kubelet serving certificate, "
            + "a control plane's API server certificate and etcd peer URLs name the old one; MAC-bound DHCP reservations, "
            + "switch port security and licences stop matching";

    public UniqueMacRule() {
        super(UniqueValueRule.identityRule("unique-mac").title("MAC addresses are unique in the cluster")
                .description(
                "Each node's own network interfaces need unique MAC addresses; cloned VMs often keep the template's. "
                        + "Bridges, tunnels and the host side of container links (veth*, cali*, cni0, flannel.1, docker0, "
                        + "cilium_*) are not compared: they are node-local. The node that reported a MAC first keeps it.")
                .remediation("Give the later node's NIC a new MAC in the hypervisor (or ip link set dev <nic> address "
                        + "<new-mac>; the fix script does that only with --change-identity).")
                .build());
    }

    @Override
    public Map<Long, Finding> evaluate(ClusterView view, ClusterSettings cluster, Collection<Long> targets) {
        List<NodeIdentity> nodes = view.nodes();
        Map<String, Map<Long, NodeIdentity>> byMac = new HashMap<>();
        for (NodeIdentity node : nodes) {
            for (String entry : node.macs()) {
                byMac.computeIfAbsent(mac(entry), k -> new LinkedHashMap<>()).putIfAbsent(node.nodeId(), node);
            }
        }
        Map<Long, Finding> findings = new LinkedHashMap<>();
        for (NodeIdentity node : nodes) {
            if (!targets.contains(node.nodeId())) {
                continue;
            }
            if (node.macs().isEmpty()) {
                findings.put(node.nodeId(), skip("The report shows no node NIC with a MAC address"));
                continue;
            }
            List<Evidence> taken = new ArrayList<>();
            List<Evidence> kept = new ArrayList<>();
            List<String> lost = new ArrayList<>();
            Set<Long> later = new TreeSet<>();
            String firstLoss = null;
            Snippet fix = new Snippet();
            for (String entry : node.macs()) {
                String mac = mac(entry);
                String nic = entry.substring(0, entry.lastIndexOf(' '));
                Collection<NodeIdentity> sharing = byMac.get(mac).values();
                if (sharing.size() < 2) {
                    continue;
                }
                NodeIdentity first = FirstReported.first(sharing, n -> n.since().mac(n, mac));
                if (first.nodeId() == node.nodeId()) {
                    for (NodeIdentity other : sharing) {
                        if (other.nodeId() != node.nodeId()) {
                            later.add(other.nodeId());
                            kept.add(evidence("node " + other.nodeId(), other.hostname() + " also has " + mac
                                    + FirstReported.since(other.since().mac(other, mac)) + " (here on " + nic
                                    + ", reported first" + FirstReported.at(node.since().mac(node, mac)) + ")"));
                        }
                    }
                    continue;
                }
                lost.add(mac + " (" + nic + ")");
                if (firstLoss == null) {
                    firstLoss = "MAC " + mac + " of " + nic + " was reported first by " + FirstReported.name(first)
                            + FirstReported.at(first.since().mac(first, mac)) + "; this node has reported it"
                            + FirstReported.since(node.since().mac(node, mac));
                }
                taken.add(evidence("node " + first.nodeId(), first.hostname() + " reported " + mac + " first"
                        + FirstReported.at(first.since().mac(first, mac)) + "; this node has it on " + nic
                        + FirstReported.since(node.since().mac(node, mac))));
                if (fix.build().isEmpty()) {
                    Shell.interfaceName(nic).ifPresentOrElse(name -> fix
                            .why("Give " + name + " a new, locally administered MAC (random here), or better: a new one in the "
                                    + "hypervisor; persist it in the network configuration.")
                            .changeIdentity(BREAKS, "ip link set dev " + Shell.arg(name) + " address \"$(od -An -N5 -tx1 "
                                    + "/dev/urandom | tr -d ' \\n' | sed 's/^/02/; s/../&:/g; s/:$//')\""),
                            () -> fix.note("Change the MAC of the duplicated interface in the hypervisor."));
                }
            }
            if (!taken.isEmpty()) {
                String message = lost.size() == 1 ? firstLoss
                        : lost.size() + " MACs of this node were reported first by other nodes: " + String.join(", ", lost);
                List<Evidence> evidence = new ArrayList<>(taken);
                evidence.addAll(kept);
                findings.put(node.nodeId(), fail(message, evidence, fix.build()));
            } else if (!kept.isEmpty()) {
                findings.put(node.nodeId(), pass("This node reported its MACs first; " + FirstReported.otherNodes(later.size())
                        + " reported one later and " + (later.size() == 1 ? "is" : "are") + " flagged there", kept));
            } else {
                findings.put(node.nodeId(), pass("No other node shares a MAC with this one",
                        node.macs().stream().map(m -> evidence("links", m)).toList()));
            }
        }
        return findings;
    }

    private static String mac(String entry) {
        return entry.substring(entry.lastIndexOf(' ') + 1);
    }
}
