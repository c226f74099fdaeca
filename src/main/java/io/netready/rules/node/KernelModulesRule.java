package io.netready.rules.node;

import java.util.ArrayList;
import java.util.List;

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

/** overlay (container images), br_netfilter (bridged pod traffic) and nf_conntrack (kube-proxy) must be available. */
public class KernelModulesRule extends Rules implements NodeRule {

    public KernelModulesRule() {
        super(RuleInfo.node("kernel-modules").title("Kernel modules for containers and kube-proxy")
                .category("kernel").severity(Severity.WARNING)
                .description("Container runtimes need overlay, bridge-based pod networks need br_netfilter and kube-proxy needs "
                        + "nf_conntrack. Each must be loaded, or built into the kernel (then /proc/modules does not list "
                        + "it, but /proc/filesystems or its sysctls show it).")
                .remediation("modprobe the missing modules and list them in /etc/modules-load.d/ so they load at boot.")
                .sources(Sources.RUNTIME_PREREQS, Sources.KUBEADM_PREFLIGHT)
                .build());
    }

    @Override
    public Finding evaluate(NodeFacts facts, ClusterSettings cluster) {
        if (!facts.sysctls().isAvailable() && !facts.modules().isAvailable()) {
            return skip(facts.sysctls().problem());
        }
        List<Evidence> evidence = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        check("overlay", loaded(facts, "overlay") || facts.filesystems().asOptional().map(f -> f.contains("overlay")).orElse(false),
                "/proc/filesystems lists overlay", missing, evidence);
        check("br_netfilter", loaded(facts, "br_netfilter") || facts.sysctl("net.bridge.bridge-nf-call-iptables").isPresent(),
                "net.bridge.* sysctls exist", missing, evidence);
        check("nf_conntrack", loaded(facts, "nf_conntrack") || facts.sysctl("net.netfilter.nf_conntrack_max").isPresent(),
                "net.netfilter.nf_conntrack_max exists", missing, evidence);
        if (!facts.filesystems().isAvailable() && missing.contains("overlay")) {
            // Without /proc/filesystems (older probes) a built-in overlay cannot be told from a missing one.
            missing.remove("overlay");
            evidence.add(evidence("filesystems", "overlay: unknown (" + facts.filesystems().problem() + ")"));
        }
        if (missing.isEmpty()) {
            return pass("overlay, br_netfilter and nf_conntrack are available", evidence);
        }
        Snippet fix = new Snippet().why("Load the missing modules now.");
        for (String module : missing) {
            fix.run("modprobe " + module);
        }
        fix.why("And at every boot (netready's own file, rewritten whole).")
                .run("printf '%s\\n' " + String.join(" ", missing) + " > /etc/modules-load.d/90-netready.conf");
        return fail(String.join(", ", missing) + (missing.size() == 1 ? " is" : " are") + " neither loaded nor built in",
                evidence, fix.build());
    }

    private static boolean loaded(NodeFacts facts, String module) {
        return facts.modules().asOptional().map(m -> m.contains(module)).orElse(false);
    }

    private void check(String module, boolean present, String builtInSign, List<String> missing, List<Evidence> evidence) {
        if (present) {
            evidence.add(evidence("modules", module + ": available (" + builtInSign + " or /proc/modules lists it)"));
        } else {
            missing.add(module);
            evidence.add(evidence("modules", module + ": missing (not in /proc/modules, and not built in: expected "
                    + builtInSign + ")"));
        }
    }
}
