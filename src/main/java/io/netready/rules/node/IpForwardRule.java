package io.netready.rules.node;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.netready.facts.NetInterface;
import io.netready.facts.NodeFacts;
import io.netready.facts.Route;
import io.netready.rules.ClusterSettings;
import io.netready.rules.Evidence;
import io.netready.rules.Finding;
import io.netready.rules.IpFamilies;
import io.netready.rules.NodeRule;
import io.netready.rules.Remediation;
import io.netready.rules.RuleInfo;
import io.netready.rules.Rules;
import io.netready.rules.Severity;
import io.netready.rules.Shell;
import io.netready.rules.Snippet;
import io.netready.rules.Sources;

/**
 * Pods' traffic is routed by the node: forwarding must be on for each IP family the cluster runs ({@link IpFamilies}),
 * not for each family a NIC has addresses of. Where IPv6 forwarding is needed, interfaces that learn their address or
 * route from router advertisements need {@code accept_ra=2}: with forwarding on, the kernel ignores RAs otherwise.
 */
public class IpForwardRule extends Rules implements NodeRule {

    static final String V4 = "net.ipv4.ip_forward";
    static final String V6 = "net.ipv6.conf.all.forwarding";

    public IpForwardRule() {
        super(RuleInfo.node("ip-forward").title("IP forwarding is on").category("kernel").severity(Severity.ERROR)
                .description("The node routes packets between pods and the network, so net.ipv4.ip_forward must be 1 (kubeadm's "
                        + "preflight fails otherwise). Where the cluster is IPv6 or dual-stack (its pod or Service CIDR, the "
                        + "kubelet's --node-ip or clusterDNS, or the CNI's subnets say so) net.ipv6.conf.all.forwarding must "
                        + "be 1 as well; an IPv6 address on a NIC alone does not make it so. With IPv6 forwarding on, the "
                        + "kernel ignores router advertisements on interfaces with accept_ra=1, so those that take their "
                        + "address or route from them need accept_ra=2.")
                .remediation("sysctl -w net.ipv4.ip_forward=1 (and net.ipv6.conf.all.forwarding=1 for IPv6, with accept_ra=2 "
                        + "on interfaces that take router advertisements), and persist it in /etc/sysctl.d/.")
                .sources(Sources.RUNTIME_PREREQS, Sources.KUBEADM_PREFLIGHT, Sources.DUAL_STACK, Sources.KERNEL_IP_SYSCTL,
                        Sources.NOTES_ROUTING, Sources.NOTES_SWITCHING)
                .build());
    }

    @Override
    public Finding evaluate(NodeFacts facts, ClusterSettings cluster) {
        IpFamilies families = IpFamilies.of(cluster, facts);
        if (!facts.sysctls().isAvailable()) {
            return skip(facts.sysctls().problem());
        }
        if (families.ipv4() && facts.sysctl(V4).isEmpty() || families.ipv6() && facts.sysctl(V6).isEmpty()) {
            return skip("the report does not show " + (families.ipv4() && facts.sysctl(V4).isEmpty() ? V4 : V6));
        }
        List<Evidence> evidence = new ArrayList<>();
        Map<String, String> wrong = new LinkedHashMap<>();
        if (families.ipv4()) {
            String v4 = facts.sysctl(V4).get();
            evidence.add(evidence("sysctl", V4 + " = " + v4));
            if (!"1".equals(v4)) {
                wrong.put(V4, "1");
            }
        }
        evidence.addAll(families.evidence());
        if (!families.ipv6()) {
            facts.sysctl(V6).filter(v -> !"1".equals(v)).ifPresent(v -> evidence.add(evidence("sysctl",
                    V6 + " = " + v + " (not needed: the cluster is IPv4 only, whatever addresses the NICs carry)")));
            if (wrong.isEmpty()) {
                return pass("IPv4 forwarding is on; the cluster is IPv4 only, so IPv6 forwarding is not needed", evidence);
            }
            return fail(V4 + " must be 1", evidence, fix(wrong, List.of(), List.of(), false));
        }
        String v6 = facts.sysctl(V6).get();
        evidence.add(evidence("sysctl", V6 + " = " + v6 + " (the cluster is " + families.describe() + ")"));
        List<String> ignoringRas = new ArrayList<>();
        List<String> unnamed = new ArrayList<>();
        for (NetInterface nic : interfacesTakingRas(facts)) {
            String key = acceptRaKey(nic.name());
            evidence.add(evidence("sysctl", key + " = " + facts.sysctl(key).orElse("(not shown)") + " ("
                    + nic.name() + " takes router advertisements)"));
            nic.addresses().stream().filter(a -> !a.isIpv4() && a.isGlobal() && a.dynamic()).forEach(a -> evidence.add(
                    evidence("addresses", nic.name() + " " + a.cidr() + " dynamic (SLAAC, from router advertisements)")));
            raRoutes(facts, nic).forEach(r -> evidence.add(evidence("routes6", r.raw())));
            if (Shell.interfaceName(nic.name()).isPresent()) {
                ignoringRas.add(nic.name());
            } else {
                unnamed.add(nic.name());
            }
        }
        if (!"1".equals(v6)) {
            wrong.put(V6, "1");
        }
        if (wrong.isEmpty() && ignoringRas.isEmpty() && unnamed.isEmpty()) {
            return pass(families.ipv4() ? "IPv4 and IPv6 forwarding are on" : "IPv6 forwarding is on", evidence);
        }
        Map<String, String> settings = new LinkedHashMap<>();
        ignoringRas.forEach(name -> settings.put(acceptRaKey(name), "2"));
        settings.putAll(wrong);
        Remediation remedy = fix(settings, ignoringRas, unnamed, true);
        if (wrong.isEmpty()) {
            List<String> which = new ArrayList<>();
            (ignoringRas.isEmpty() ? unnamed : ignoringRas).forEach(name -> which.add(name + " (accept_ra = "
                    + facts.sysctl(acceptRaKey(name)).orElse("not shown") + ")"));
            return warn("IPv6 forwarding is on, so the kernel ignores router advertisements on " + String.join(", ", which)
                    + ": set accept_ra=2", evidence, remedy);
        }
        String message = String.join(" and ", wrong.keySet()) + " must be 1";
        return fail(ignoringRas.isEmpty() ? message
                : message + ", with accept_ra=2 on " + String.join(", ", ignoringRas) + " to keep its router advertisements",
                evidence, remedy);
    }

    /** The sysctls to set, and for IPv6 what forwarding does to router advertisements. */
    private static Remediation fix(Map<String, String> settings, List<String> ras, List<String> unnamed, boolean ipv6) {
        Snippet fix = new Snippet();
        boolean forwarding = settings.containsKey(V4) || settings.containsKey(V6);
        if (!ras.isEmpty() && forwarding) {
            fix.why("Keep taking router advertisements on " + String.join(", ", ras) + " once the node forwards IPv6 "
                    + "(accept_ra=2), and let the node forward packets between pods and the network.");
        } else if (!ras.isEmpty()) {
            fix.why("Take router advertisements on " + String.join(", ", ras) + " again while the node forwards IPv6.");
        } else {
            fix.why("Let the node forward packets between pods and the network.");
        }
        if (!settings.isEmpty()) {
            SysctlFix.apply(fix, "90-netready-ip-forward.conf", settings);
        }
        if (!ipv6) {
            return fix.build();
        }
        List<String> all = new ArrayList<>(ras);
        all.addAll(unnamed);
        if (all.isEmpty()) {
            fix.note("With IPv6 forwarding on, the kernel ignores router advertisements on interfaces whose accept_ra is 1 "
                    + "(the default). No interface of this node takes them now (no SLAAC address, no route from one); if one "
                    + "should, set its net.ipv6.conf.<interface>.accept_ra=2 as well.");
            return fix.build();
        }
        fix.note("With IPv6 forwarding on, the kernel ignores router advertisements on interfaces whose accept_ra is 1: "
                + String.join(", ", all) + " loses " + (all.size() == 1 ? "its" : "their") + " default route from them "
                + "as soon as forwarding is turned on, and " + (all.size() == 1 ? "its" : "their") + " SLAAC address when "
                + "it expires. accept_ra=2 keeps taking them while forwarding.");
        unnamed.forEach(name -> fix.note("An interface whose name netready will not put into a command takes router "
                + "advertisements too: set net.ipv6.conf.<interface>.accept_ra=2 for it by hand."));
        if (!ras.isEmpty()) {
            fix.note("If " + String.join(", ", ras) + " appears only after systemd-sysctl has run at boot, set accept_ra "
                    + "in the network configuration instead (systemd-networkd IPv6AcceptRA=yes, netplan accept-ra: true).");
        }
        return fix.build();
    }

    /**
     * Interfaces that take their address or routes from router advertisements (a dynamic global IPv6 address, or an
     * IPv6 route of protocol "ra" by them) and do not already have accept_ra=2; accept_ra=0 ones have stopped taking
     * them on purpose. Turning forwarding on removes RA default routes at once, so after that only the address shows it.
     */
    private static List<NetInterface> interfacesTakingRas(NodeFacts facts) {
        List<NetInterface> result = new ArrayList<>();
        for (NetInterface nic : facts.interfaces().asOptional().orElse(List.of())) {
            Optional<String> acceptRa = facts.sysctl(acceptRaKey(nic.name()));
            if (!nic.isLoopback() && (nic.hasDynamicIpv6() || !raRoutes(facts, nic).isEmpty())
                    && acceptRa.filter(v -> v.equals("2") || v.equals("0")).isEmpty()) {
                result.add(nic);
            }
        }
        return result;
    }

    private static List<Route> raRoutes(NodeFacts facts, NetInterface nic) {
        return facts.routes6().asOptional().orElse(List.of()).stream()
                .filter(r -> "ra".equals(r.protocol()) && nic.name().equals(r.device())).toList();
    }

    /** The sysctl key of an interface: dots in its name become slashes (eth0.100 is net.ipv6.conf.eth0/100). */
    static String acceptRaKey(String interfaceName) {
        return "net.ipv6.conf." + interfaceName.replace('.', '/') + ".accept_ra";
    }
}
