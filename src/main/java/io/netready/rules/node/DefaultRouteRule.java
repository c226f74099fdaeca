package io.netready.rules.node;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.netready.facts.NetInterface;
import io.netready.facts.NodeFacts;
import io.netready.facts.Route;
import io.netready.net.Cidr;
import io.netready.rules.ClusterSettings;
import io.netready.rules.Evidence;
import io.netready.rules.Finding;
import io.netready.rules.IpFamilies;
import io.netready.rules.NodeRule;
import io.netready.rules.RuleInfo;
import io.netready.rules.Rules;
import io.netready.rules.Severity;
import io.netready.rules.Shell;
import io.netready.rules.Snippet;
import io.netready.rules.Sources;

/**
 * kubeadm and kubelet pick the node's address from the interface of the default route: an IPv4 one, and an IPv6 one as
 * well where the cluster is IPv6 or dual-stack ({@link IpFamilies}); an IPv6-only cluster needs only the IPv6 one.
 */
public class DefaultRouteRule extends Rules implements NodeRule {

    public DefaultRouteRule() {
        super(RuleInfo.node("default-route").title("A default route exists for each IP family of the cluster")
                .category("routing").severity(Severity.ERROR)
                .description("kubeadm and the kubelet choose the node's IP from the interface of the default route; without one "
                        + "kubeadm init/join fails unless every address is given explicitly, and pods cannot reach "
                        + "anything beyond the local networks. Where the cluster is IPv6 or dual-stack (its CIDRs, the kubelet's "
                        + "--node-ip or clusterDNS, or the CNI's subnets say so) the node needs an IPv6 default route too; "
                        + "an IPv6 address on a NIC alone does not ask for one.")
                .remediation("Add a default route via the gateway of the node's network (IPv6 as well for an IPv6 or dual-stack "
                        + "cluster), and persist it in the network configuration.")
                .sources(Sources.KUBEADM_INSTALL, Sources.DUAL_STACK, Sources.NOTES_SWITCHING, Sources.NOTES_ROUTING)
                .build());
    }

    @Override
    public Finding evaluate(NodeFacts facts, ClusterSettings cluster) {
        IpFamilies families = IpFamilies.of(cluster, facts);
        if (families.ipv4() && !facts.routes().isAvailable()) {
            return skip(facts.routes().problem());
        }
        if (families.ipv6() && !facts.routes6().isAvailable()) {
            return skip(facts.routes6().problem() + " (the cluster is " + families.describe() + ")");
        }
        Optional<Route> route = families.ipv4() ? facts.defaultRoute() : Optional.empty();
        Optional<Route> route6 = families.ipv6() ? facts.routes6().value().stream().filter(Route::isDefault).findFirst()
                : Optional.empty();
        boolean v4ok = !families.ipv4() || route.isPresent();
        boolean v6ok = !families.ipv6() || route6.isPresent();
        if (v4ok && v6ok) {
            List<Evidence> evidence = new ArrayList<>();
            route.ifPresent(r -> evidence.add(evidence("routes", r.raw())));
            route6.ifPresent(r -> evidence.add(evidence("routes6", r.raw())));
            if (families.ipv6()) {
                evidence.addAll(families.evidence());
            }
            List<String> described = new ArrayList<>();
            route.ifPresent(r -> described.add(describe(r)));
            route6.ifPresent(r -> described.add("IPv6 " + describe(r)));
            return pass((described.size() == 1 && route.isPresent() ? "Default route " : "Default routes: ")
                    + String.join("; ", described), evidence);
        }
        if (v4ok) {
            return missingIpv6(facts, families, route);
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
        return fail("The node has no IPv4 default route" + (v6ok ? "" : " (nor the IPv6 one the " + families.describe()
                + " cluster needs)"), facts.routes().value().stream().limit(20)
                .map(r -> evidence("routes", r.raw())).toList(), fix.build());
    }

    private Finding missingIpv6(NodeFacts facts, IpFamilies families, Optional<Route> route) {
        List<Evidence> evidence = new ArrayList<>();
        route.ifPresent(r -> evidence.add(evidence("routes", r.raw())));
        facts.routes6().value().stream().limit(20).forEach(r -> evidence.add(evidence("routes6", r.raw())));
        evidence.addAll(families.evidence());
        Snippet fix = new Snippet();
        Optional<String> device = facts.primaryInterface().map(NetInterface::name).flatMap(Shell::interfaceName);
        fix.note("Add an IPv6 default route via your network's IPv6 router: ip -6 route replace default via <gateway> dev "
                + device.orElse("<interface>") + " (netready does not guess IPv6 gateways), or let "
                + device.orElse("the interface") + " take it from router advertisements (accept_ra=2 where the node "
                + "forwards IPv6; see ip-forward).");
        fix.note("Persist it in the node's network configuration (netplan, NetworkManager or /etc/network/interfaces), or it "
                + "is gone after a reboot.");
        return fail("The node has no IPv6 default route, and the cluster is " + families.describe(), evidence, fix.build());
    }

    private static String describe(Route route) {
        return (route.gateway() == null ? "" : "via " + route.gateway() + " ") + "dev " + route.device();
    }

    private static Optional<String> firstHost(NetInterface.IfAddress address) {
        return Cidr.containing(address.address(), address.prefixLength()).filter(Cidr::isIpv4)
                .flatMap(Cidr::firstHost).map(InetAddress::getHostAddress).flatMap(Shell::ipv4);
    }
}
