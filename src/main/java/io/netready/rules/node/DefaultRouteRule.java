package io.netready.rules.node;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

import io.netready.facts.NetInterface;
import io.netready.facts.NodeFacts;
import io.netready.facts.Route;
import io.netready.net.Cidr;
import io.netready.rules.ClusterSettings;
import io.netready.rules.Finding;
import io.netready.rules.NodeRule;
import io.netready.rules.RuleInfo;
import io.netready.rules.Rules;
import io.netready.rules.Severity;
import io.netready.rules.Shell;
import io.netready.rules.Snippet;
import io.netready.rules.Sources;

/** kubeadm and kubelet pick the node's address from the interface of the default route. */
public class DefaultRouteRule extends Rules implements NodeRule {

    public DefaultRouteRule() {
        super(RuleInfo.node("default-route").title("An IPv4 default route exists")
                .category("routing").severity(Severity.ERROR)
                .description("kubeadm and the kubelet choose the node's IP from the interface of the default route; without one "
                        + "kubeadm init/join fails unless every address is given explicitly, and pods cannot reach "
                        + "anything beyond the local networks.")
                .remediation("Add a default route via the gateway of the node's network, and persist it in the network configuration.")
                .sources(Sources.KUBEADM_INSTALL, Sources.NOTES_SWITCHING, Sources.NOTES_ROUTING)
                .build());
    }

    @Override
    public Finding evaluate(NodeFacts facts, ClusterSettings cluster) {
        if (!facts.routes().isAvailable()) {
            return skip(facts.routes().problem());
        }
        Optional<Route> route = facts.defaultRoute();
        if (route.isPresent()) {
            return pass("Default route " + (route.get().gateway() == null ? "" : "via " + route.get().gateway() + " ")
                    + "dev " + route.get().device(), List.of(evidence("routes", route.get().raw())));
        }
        Snippet fix = new Snippet();
        Optional<NetInterface> nic = facts.primaryInterface();
        Optional<NetInterface.IfAddress> address = nic.flatMap(n -> n.addresses().stream()
                .filter(a -> a.isIpv4() && a.isGlobal()).findFirst());
        if (nic.isPresent() && address.isPresent() && Shell.interfaceName(nic.get().name()).isEmpty()) {
            fix.note("The default route would leave by an interface whose name netready will not put into a command; "
                    + "add it by hand: ip route add default via <gateway> dev <interface>, and persist it.");
        } else if (nic.isPresent() && address.isPresent()) {
            Optional<String> gateway = firstHost(address.get());
            String device = Shell.arg(nic.get().name());
            if (gateway.isPresent()) {
                fix.why("Route everything else via the gateway of " + nic.get().name() + "'s network; " + gateway.get()
                        + " is a guess (its first address): use your network's real gateway.")
                        .run("ip route replace default via " + gateway.get() + " dev " + device);
            }
            fix.note("Persist the default route in the node's network configuration (netplan, NetworkManager or "
                    + "/etc/network/interfaces), or it is gone after a reboot.");
        } else {
            fix.note("The node has no interface with an IPv4 address to route through; fix interface-up first.");
        }
        return fail("The node has no IPv4 default route", facts.routes().value().stream().limit(20)
                .map(r -> evidence("routes", r.raw())).toList(), fix.build());
    }

    private static Optional<String> firstHost(NetInterface.IfAddress address) {
        return Cidr.containing(address.address(), address.prefixLength()).filter(Cidr::isIpv4)
                .flatMap(Cidr::firstHost).map(InetAddress::getHostAddress).flatMap(Shell::ipv4);
    }
}
