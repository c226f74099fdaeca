package io.netready.rules.node;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.netready.facts.NodeFacts;
import io.netready.facts.NodeTools;
import io.netready.rules.ClusterSettings;
import io.netready.rules.Evidence;
import io.netready.rules.Finding;
import io.netready.rules.NodeRule;
import io.netready.rules.Remediation;
import io.netready.rules.RuleInfo;
import io.netready.rules.Rules;
import io.netready.rules.Severity;
import io.netready.rules.Snippet;
import io.netready.rules.Sources;

/**
 * The commands the kubelet and kube-proxy run must be on the node, as kubeadm's InPath checks demand (v1.32 and later,
 * cmd/kubeadm/app/preflight/checks_linux.go): ip, iptables, mount and nsenter are errors there, ethtool, socat and tc
 * warnings. conntrack is an error in kubeadm only for Kubernetes before 1.32 (kube-proxy then ran it to clear stale UDP
 * entries; from 1.32 it uses netlink): the node's Kubernetes version is not in the report, so it warns.
 */
public class NodeToolsRule extends Rules implements NodeRule {

    static final List<String> REQUIRED = List.of("ip", "iptables", "mount", "nsenter");
    static final List<String> RECOMMENDED = List.of("conntrack", "ethtool", "tc", "socat");

    public NodeToolsRule() {
        super(RuleInfo.node("node-tools").title("Commands the kubelet and kube-proxy run are installed")
                .category("kernel").severity(Severity.ERROR)
                .description("kubeadm's preflight (InPath checks) fails without ip, iptables, mount or nsenter on the PATH "
                        + "and warns without ethtool, socat or tc; conntrack it requires for Kubernetes before 1.32 (here: a "
                        + "warning). The probe looks them up with command -v on a PATH with the sbin directories, as systemd "
                        + "runs the kubelet.")
                .remediation("Install the distribution's packages for the missing commands (chosen from os-release).")
                .sources(Sources.KUBEADM_IN_PATH, Sources.KUBEADM_INSTALL)
                .build());
    }

    @Override
    public Finding evaluate(NodeFacts facts, ClusterSettings cluster) {
        if (!facts.tools().isAvailable()) {
            return skip(facts.tools().problem());
        }
        NodeTools tools = facts.tools().value();
        List<Evidence> evidence = new ArrayList<>();
        List<String> missingRequired = missing(tools, REQUIRED, evidence);
        List<String> missingRecommended = missing(tools, RECOMMENDED, evidence);
        if (missingRequired.isEmpty() && missingRecommended.isEmpty()) {
            return pass("ip, iptables, mount, nsenter, conntrack, ethtool, tc and socat are on the PATH", evidence);
        }
        List<String> all = new ArrayList<>(missingRequired);
        all.addAll(missingRecommended);
        Remediation fix = fix(facts, all);
        if (!missingRequired.isEmpty()) {
            return fail(notInstalled(missingRequired) + " (kubeadm's preflight fails without "
                    + (missingRequired.size() == 1 ? "it" : "them") + ")"
                    + (missingRecommended.isEmpty() ? "" : "; not installed either: " + Words.list(missingRecommended, "and")
                            + conntrackNote(missingRecommended)), evidence, fix);
        }
        return warn(notInstalled(missingRecommended) + " (kubeadm's preflight warns" + conntrackNote(missingRecommended) + ")",
                evidence, fix);
    }

    private static String notInstalled(List<String> commands) {
        return Words.list(commands, "and") + (commands.size() == 1 ? " is" : " are") + " not installed";
    }

    private static String conntrackNote(List<String> missing) {
        return missing.contains("conntrack") ? "; kubeadm requires conntrack for Kubernetes before 1.32" : "";
    }

    private static List<String> missing(NodeTools tools, List<String> commands, List<Evidence> evidence) {
        List<String> missing = new ArrayList<>();
        for (String command : commands) {
            if (!tools.checked(command)) {
                evidence.add(evidence("node-tools", command + ": not looked for by this probe"));
                continue;
            }
            Optional<String> location = tools.location(command);
            if (location.isPresent()) {
                evidence.add(evidence("node-tools", command + ": " + location.get()));
            } else {
                missing.add(command);
                evidence.add(evidence("node-tools", command + ": not found on PATH"));
            }
        }
        return missing;
    }

    private static Remediation fix(NodeFacts facts, List<String> commands) {
        Snippet fix = new Snippet();
        Optional<ToolPackages> packages = facts.osRelease().asOptional().flatMap(ToolPackages::of);
        if (packages.isPresent()) {
            // Package names are netready's own constants, never report values.
            fix.why("Install what provides " + Words.list(commands, "and") + " (" + packages.get().family() + " packages).")
                    .run(packages.get().install() + " " + String.join(" ", packages.get().packagesFor(commands)));
        } else {
            fix.note("netready does not know this distribution's package names (os-release: "
                    + facts.osRelease().asOptional().map(o -> o.prettyName()).orElse(facts.osRelease().problem())
                    + "): install what provides " + String.join(", ", commands)
                    + " (usually iproute2, iptables, util-linux, conntrack-tools, ethtool, socat).");
        }
        return fix.build();
    }
}
