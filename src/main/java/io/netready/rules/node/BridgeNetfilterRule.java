package io.netready.rules.node;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.netready.facts.CniConfig;
import io.netready.facts.NodeFacts;
import io.netready.rules.ClusterSettings;
import io.netready.rules.Finding;
import io.netready.rules.NodeRule;
import io.netready.rules.RuleInfo;
import io.netready.rules.Rules;
import io.netready.rules.Severity;
import io.netready.rules.Snippet;
import io.netready.rules.Sources;

/** With a bridge-based CNI, iptables only sees pod traffic that crosses the bridge when br_netfilter says so. */
public class BridgeNetfilterRule extends Rules implements NodeRule {

    static final String KEY = "net.bridge.bridge-nf-call-iptables";
    /** In this order in the fix: IPv4 first (a Map.of would order them differently from one JVM to the next). */
    private static final Map<String, String> BRIDGE_SYSCTLS = orderedSysctls();

    public BridgeNetfilterRule() {
        super(RuleInfo.node("bridge-netfilter").title("Bridged traffic passes iptables")
                .category("kernel").severity(Severity.WARNING)
                .description("With a bridge-based CNI (bridge, flannel) pod-to-pod traffic crosses a Linux bridge; kube-proxy's "
                        + "Service rules only apply to it when br_netfilter is loaded and net.bridge.bridge-nf-call-iptables "
                        + "is 1. Not checked where the CNI does not use a bridge (Calico, Cilium).")
                .remediation("modprobe br_netfilter, load it at boot via /etc/modules-load.d/, and set the sysctl in /etc/sysctl.d/.")
                .sources(Sources.RUNTIME_PREREQS, Sources.KUBEADM_PREFLIGHT)
                .build());
    }

    @Override
    public Finding evaluate(NodeFacts facts, ClusterSettings cluster) {
        Optional<CniConfig> cni = facts.activeCniConfig();
        if (cni.isPresent() && cni.get().isValid() && !cni.get().isBridgeBased()) {
            return skip("The CNI (" + String.join(", ", cni.get().pluginTypes()) + ") does not use a Linux bridge");
        }
        if (!facts.sysctls().isAvailable()) {
            return skip(facts.sysctls().problem());
        }
        Optional<String> value = facts.sysctl(KEY);
        Snippet fix = new Snippet();
        if (value.isEmpty()) {
            fix.why("br_netfilter is not loaded: load it now and at every boot.")
                    .run("modprobe br_netfilter")
                    .run("printf '%s\\n' br_netfilter > /etc/modules-load.d/90-netready-br-netfilter.conf")
                    .why("Then let iptables see bridged IPv4 and IPv6 traffic.");
            SysctlFix.apply(fix, "90-netready-bridge.conf",
                    BRIDGE_SYSCTLS);
            return fail("br_netfilter is not loaded (the report has no " + KEY + ")",
                    List.of(evidence("sysctl", KEY + " is missing")), fix.build());
        }
        if ("1".equals(value.get())) {
            return pass(KEY + " = 1", List.of(evidence("sysctl", KEY + " = 1")));
        }
        fix.why("Let iptables see bridged traffic, so Service rules apply to pod-to-pod traffic.");
        SysctlFix.apply(fix, "90-netready-bridge.conf",
                BRIDGE_SYSCTLS);
        return fail(KEY + " must be 1", List.of(evidence("sysctl", KEY + " = " + value.get())), fix.build());
    }

    private static Map<String, String> orderedSysctls() {
        Map<String, String> sysctls = new LinkedHashMap<>();
        sysctls.put(KEY, "1");
        sysctls.put("net.bridge.bridge-nf-call-ip6tables", "1");
        return Collections.unmodifiableMap(sysctls);
    }
}
