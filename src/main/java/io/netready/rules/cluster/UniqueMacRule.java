package io.netready.rules.cluster;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.netready.rules.ClusterRule;
import io.netready.rules.ClusterSettings;
import io.netready.rules.ClusterView;
import io.netready.rules.Evidence;
import io.netready.rules.Finding;
import io.netready.rules.NodeIdentity;
import io.netready.rules.Rules;
import io.netready.rules.Shell;
import io.netready.rules.Snippet;

/** Two nodes with the same MAC on their own NICs confuse every switch and ARP cache between them. */
public class UniqueMacRule extends Rules implements ClusterRule {

    public UniqueMacRule() {
        super(UniqueValueRule.identityRule("unique-mac").title("MAC addresses are unique in the cluster")
                .description(
                "Each node's own network interfaces need unique MAC addresses; cloned VMs often keep the template's. "
                        + "Bridges, tunnels and the host side of container links (veth*, cali*, cni0, flannel.1, docker0, "
                        + "cilium_*) are not compared: they are node-local.")
                .remediation("Give the clone's NIC a new MAC in the hypervisor (or ip link set dev <nic> address <new-mac>).")
                .build());
    }

    @Override
    public Map<Long, Finding> evaluate(ClusterView view, ClusterSettings cluster, Collection<Long> targets) {
        List<NodeIdentity> nodes = view.nodes();
        Map<String, List<NodeIdentity>> byMac = new HashMap<>();
        for (NodeIdentity node : nodes) {
            for (String entry : node.macs()) {
                byMac.computeIfAbsent(mac(entry), k -> new ArrayList<>()).add(node);
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
            List<Evidence> evidence = new ArrayList<>();
            Snippet fix = new Snippet();
            for (String entry : node.macs()) {
                String mac = mac(entry);
                String nic = entry.substring(0, entry.lastIndexOf(' '));
                for (NodeIdentity other : byMac.get(mac)) {
                    if (other.nodeId() != node.nodeId()) {
                        evidence.add(evidence("node " + other.nodeId(),
                                other.hostname() + " also has " + mac + " (here on " + nic + ")"));
                    }
                }
                if (!evidence.isEmpty() && fix.build().isEmpty()) {
                    Shell.interfaceName(nic).ifPresentOrElse(name -> fix
                            .why("Give " + name + " a new, locally administered MAC (random here), or better: a new one in the "
                                    + "hypervisor; persist it in the network configuration.")
                            .run("ip link set dev " + Shell.arg(name) + " address \"$(od -An -N5 -tx1 /dev/urandom | "
                                    + "tr -d ' \\n' | sed 's/^/02/; s/../&:/g; s/:$//')\""),
                            () -> fix.note("Change the MAC of the duplicated interface in the hypervisor."));
                }
            }
            if (evidence.isEmpty()) {
                findings.put(node.nodeId(), pass("No other node shares a MAC with this one",
                        node.macs().stream().map(m -> evidence("links", m)).toList()));
            } else {
                findings.put(node.nodeId(), fail("MAC address shared with " + evidence.size() + " other node interface(s)",
                        evidence, fix.build()));
            }
        }
        return findings;
    }

    private static String mac(String entry) {
        return entry.substring(entry.lastIndexOf(' ') + 1);
    }
}
