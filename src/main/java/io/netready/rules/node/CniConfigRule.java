package io.netready.rules.node;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.netready.facts.CniConfig;
import io.netready.facts.NodeFacts;
import io.netready.net.Cidr;
import io.netready.reportformat.Phase;
import io.netready.rules.ClusterSettings;
import io.netready.rules.Evidence;
import io.netready.rules.Finding;
import io.netready.rules.NodeRule;
import io.netready.rules.RuleInfo;
import io.netready.rules.Rules;
import io.netready.rules.Severity;
import io.netready.rules.Snippet;
import io.netready.rules.Sources;

/** A running node needs a valid CNI config first in /etc/cni/net.d whose plugins are installed. */
public class CniConfigRule extends Rules implements NodeRule {

    public CniConfigRule() {
        super(RuleInfo.node("cni-config").title("A valid CNI configuration is in use")
                .category("cni").severity(Severity.ERROR).phases(Set.of(Phase.RUNNING))
                .description("The container runtime uses the first file (by name) in /etc/cni/net.d. It must be a valid .conf or "
                        + ".conflist, every plugin it names must exist in /opt/cni/bin, and the pod subnet it hands out "
                        + "must lie in the cluster's pod CIDR. Otherwise pods stay in ContainerCreating.")
                .remediation("Install the CNI (its DaemonSet writes the config and binaries), remove stale files that sort first.")
                .sources(Sources.CNI_SPEC, Sources.NETWORK_MODEL, Sources.NOTES_ROUTING)
                .build());
    }

    @Override
    public Finding evaluate(NodeFacts facts, ClusterSettings cluster) {
        if (!facts.cniConfigs().isAvailable()) {
            return skip(facts.cniConfigs().problem());
        }
        Optional<CniConfig> active = facts.activeCniConfig();
        if (active.isEmpty()) {
            return fail("/etc/cni/net.d holds no CNI configuration", List.of(evidence("cni-config-dir", "no files")),
                    new Snippet().note("Install the cluster's CNI plugin (for example with its DaemonSet manifest); it "
                            + "writes its configuration to /etc/cni/net.d.").build());
        }
        CniConfig config = active.get();
        List<Evidence> evidence = new ArrayList<>();
        evidence.add(evidence("cni-config/" + config.file(), "first file: " + config.file()
                + (config.isValid() ? ", plugins " + String.join(", ", config.pluginTypes()) : "")));
        if (!config.isValid()) {
            return fail(config.file() + " is not a valid CNI configuration: " + config.problem(), evidence,
                    new Snippet().note("Fix or remove " + config.file() + " in /etc/cni/net.d: the runtime uses the first "
                            + "file by name.").build());
        }
        List<String> problems = new ArrayList<>();
        Snippet fix = new Snippet();
        if (facts.cniBinaries().isAvailable()) {
            Set<String> installed = facts.cniBinaries().value();
            List<String> missing = config.pluginTypes().stream().distinct().filter(t -> !installed.contains(t)).toList();
            evidence.add(evidence("cni-bin", "installed: " + String.join(" ", installed)));
            if (!missing.isEmpty()) {
                problems.add("missing in /opt/cni/bin: " + String.join(", ", missing));
                fix.note("Install the plugins " + String.join(", ", missing) + " into /opt/cni/bin (the CNI's "
                        + "DaemonSet or the containernetworking-plugins package).");
            }
        } else {
            evidence.add(evidence("cni-bin", facts.cniBinaries().problem()));
        }
        Optional<Cidr> pods = cluster.pods();
        for (String subnet : config.subnets()) {
            Optional<Cidr> parsed = Cidr.parse(subnet);
            evidence.add(evidence("cni-config/" + config.file(), "subnet " + subnet));
            if (pods.isPresent() && (parsed.isEmpty() || !pods.get().contains(parsed.get().network())
                    || parsed.get().prefixLength() < pods.get().prefixLength())) {
                problems.add("subnet " + subnet + " is outside the cluster's pod CIDR " + pods.get());
                fix.note("The CNI hands out " + subnet + ", but the cluster's pod CIDR is " + pods.get()
                        + ": fix the CNI's configuration (or the cluster's pod CIDR in netready).");
            }
        }
        if (problems.isEmpty()) {
            return pass(config.file() + " is valid and its plugins are installed", evidence);
        }
        return fail(config.file() + ": " + String.join("; ", problems), evidence, fix.build());
    }
}
