package io.netready.rules.node;

import java.util.ArrayList;
import java.util.List;

import io.netready.facts.NetInterface;
import io.netready.facts.NodeFacts;
import io.netready.rules.ClusterSettings;
import io.netready.rules.Evidence;
import io.netready.rules.Finding;
import io.netready.rules.NodeRule;
import io.netready.rules.RuleInfo;
import io.netready.rules.Rules;
import io.netready.rules.Severity;
import io.netready.rules.Shell;
import io.netready.rules.Snippet;
import io.netready.rules.Sources;

/** A node needs at least one interface that is up and has an IPv4 address to talk to the cluster. */
public class InterfaceUpRule extends Rules implements NodeRule {

    public InterfaceUpRule() {
        super(RuleInfo.node("interface-up").title("A network interface is up with an IPv4 address")
                .category("interfaces").severity(Severity.ERROR)
                .description("The node needs at least one non-loopback interface that is up (link and carrier) and has a global "
                        + "IPv4 address; otherwise it cannot reach the API server or other nodes.")
                .remediation("Bring the interface up with ip link set, and give it an address (DHCP or ip addr add).")
                .sources(Sources.NOTES_REQUIREMENTS, Sources.NOTES_ROUTING)
                .build());
    }

    @Override
    public Finding evaluate(NodeFacts facts, ClusterSettings cluster) {
        if (!facts.interfaces().isAvailable()) {
            return skip(facts.interfaces().problem());
        }
        List<Evidence> evidence = new ArrayList<>();
        for (NetInterface nic : facts.interfaces().value()) {
            if (nic.isLoopback()) {
                continue;
            }
            evidence.add(evidence("addresses", describe(nic)));
            if (nic.up() && nic.hasGlobalIpv4()) {
                return pass(nic.name() + " is up with " + firstIpv4(nic), List.of(evidence("addresses", describe(nic))));
            }
        }
        Snippet fix = new Snippet();
        for (NetInterface nic : facts.interfaces().value()) {
            if (nic.isLoopback() || nic.up() || !nic.isNodeNic()) {
                continue;
            }
            Shell.interfaceName(nic.name()).ifPresentOrElse(
                    name -> fix.why("Bring " + name + " up; then give it an address (DHCP, or ip addr add <address>/<prefix> dev "
                            + name + ").").run("ip link set dev " + Shell.arg(name) + " up"),
                    () -> fix.note("An interface is down but its name is not a valid interface name; bring it up by hand."));
        }
        if (fix.build().isEmpty()) {
            fix.note("No interface of the node has an IPv4 address: configure the node's network (DHCP or a static "
                    + "address) so that one interface is up with an address on the cluster's network.");
        }
        if (evidence.isEmpty()) {
            facts.interfaces().value().forEach(nic -> evidence.add(evidence("addresses", describe(nic))));
        }
        return fail(evidence.size() == facts.interfaces().value().stream().filter(NetInterface::isLoopback).count()
                ? "The node has no interface besides loopback"
                : "No interface besides loopback is up with an IPv4 address", evidence, fix.build());
    }

    static String describe(NetInterface nic) {
        return nic.name() + " " + (nic.up() ? "UP" : nic.state()) + " mtu " + nic.mtu() + " "
                + String.join(" ", nic.addresses().stream().map(NetInterface.IfAddress::cidr).toList());
    }

    private static String firstIpv4(NetInterface nic) {
        return nic.addresses().stream().filter(a -> a.isIpv4() && a.isGlobal()).map(NetInterface.IfAddress::cidr)
                .findFirst().orElse("");
    }
}
