package io.netready.rules.node;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.netready.facts.NodeFacts;
import io.netready.rules.ClusterSettings;
import io.netready.rules.Evidence;
import io.netready.rules.Finding;
import io.netready.rules.NodeRule;
import io.netready.rules.RuleInfo;
import io.netready.rules.Rules;
import io.netready.rules.Severity;
import io.netready.rules.Snippet;
import io.netready.rules.Sources;

/** Pods' traffic is routed by the node: forwarding must be on (IPv6 too where the node has a global IPv6 address). */
public class IpForwardRule extends Rules implements NodeRule {

    static final String V4 = "net.ipv4.ip_forward";
    static final String V6 = "net.ipv6.conf.all.forwarding";

    public IpForwardRule() {
        super(RuleInfo.node("ip-forward").title("IP forwarding is on").category("kernel").severity(Severity.ERROR)
                .description("The node routes packets between pods and the network, so net.ipv4.ip_forward must be 1 (kubeadm's "
                        + "preflight fails otherwise); on a node with a global IPv6 address net.ipv6.conf.all.forwarding "
                        + "must be 1 as well.")
                .remediation("sysctl -w net.ipv4.ip_forward=1, and persist it in /etc/sysctl.d/.")
                .sources(Sources.RUNTIME_PREREQS, Sources.KUBEADM_PREFLIGHT, Sources.NOTES_ROUTING, Sources.NOTES_SWITCHING)
                .build());
    }

    @Override
    public Finding evaluate(NodeFacts facts, ClusterSettings cluster) {
        if (!facts.sysctls().isAvailable() || facts.sysctl(V4).isEmpty()) {
            return skip(facts.sysctls().isAvailable() ? "the report does not show " + V4 : facts.sysctls().problem());
        }
        boolean ipv6 = facts.interfaces().asOptional()
                .map(list -> list.stream().anyMatch(i -> !i.isLoopback() && i.hasGlobalIpv6())).orElse(false);
        List<Evidence> evidence = new ArrayList<>();
        Map<String, String> wrong = new LinkedHashMap<>();
        String v4 = facts.sysctl(V4).get();
        evidence.add(evidence("sysctl", V4 + " = " + v4));
        if (!"1".equals(v4)) {
            wrong.put(V4, "1");
        }
        if (ipv6) {
            String v6 = facts.sysctl(V6).orElse("(not shown)");
            evidence.add(evidence("sysctl", V6 + " = " + v6 + " (the node has a global IPv6 address)"));
            if (!"1".equals(v6)) {
                wrong.put(V6, "1");
            }
        }
        if (wrong.isEmpty()) {
            return pass(ipv6 ? "IPv4 and IPv6 forwarding are on" : "IPv4 forwarding is on", evidence);
        }
        Snippet fix = new Snippet().why("Let the node forward packets between pods and the network.");
        SysctlFix.apply(fix, "90-netready-ip-forward.conf", wrong);
        return fail(String.join(" and ", wrong.keySet()) + " must be 1", evidence, fix.build());
    }
}
