package io.netready.rules.node;

import java.util.List;

import io.netready.facts.NodeFacts;
import io.netready.rules.ClusterSettings;
import io.netready.rules.Finding;
import io.netready.rules.NodeRule;
import io.netready.rules.RuleInfo;
import io.netready.rules.Rules;
import io.netready.rules.Severity;
import io.netready.rules.Snippet;
import io.netready.rules.Sources;

/** The kubelet refuses to start with swap on unless it is configured for swap. */
public class SwapOffRule extends Rules implements NodeRule {

    public SwapOffRule() {
        super(RuleInfo.node("swap-off").title("Swap is off (or the kubelet allows it)")
                .category("kernel").severity(Severity.ERROR)
                .description("By default the kubelet fails to start when swap is on (failSwapOn: true), and kubeadm's preflight "
                        + "reports it. Turn swap off, or configure the kubelet for swap (failSwapOn: false).")
                .remediation("swapoff -a, and comment out swap entries in /etc/fstab.")
                .sources(Sources.KUBEADM_INSTALL, Sources.SWAP, Sources.KUBEADM_PREFLIGHT)
                .build());
    }

    @Override
    public Finding evaluate(NodeFacts facts, ClusterSettings cluster) {
        if (!facts.swaps().isAvailable()) {
            return skip(facts.swaps().problem());
        }
        List<String> swaps = facts.swaps().value();
        if (swaps.isEmpty()) {
            return pass("No swap is active", List.of(evidence("swaps", "no active swap area")));
        }
        var evidence = swaps.stream().map(s -> evidence("swaps", s)).toList();
        Snippet fix = new Snippet().why("Turn swap off now.").run("swapoff -a")
                .why("And keep it off after a reboot: comment out swap lines in /etc/fstab (a backup is kept).")
                .run("sed -i.netready.bak '/^[^#].*[[:space:]]swap[[:space:]]/ s/^/#/' /etc/fstab");
        boolean allowed = facts.kubeletConfig().asOptional().map(c -> "false".equals(c.get("failSwapOn"))).orElse(false);
        if (allowed) {
            return warn("Swap is on; the kubelet allows it (failSwapOn: false)", evidence, fix.build());
        }
        return fail(swaps.size() == 1 ? "1 swap area is active" : swaps.size() + " swap areas are active", evidence, fix.build());
    }
}
