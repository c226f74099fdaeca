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

/** Rules split between the legacy and the nf_tables backend are applied in an order nobody intended. */
public class IptablesModeRule extends Rules implements NodeRule {

    public IptablesModeRule() {
        super(RuleInfo.node("iptables-mode").title("iptables rules live in one backend")
                .category("firewall").severity(Severity.WARNING)
                .description("iptables has two backends, legacy and nf_tables. kube-proxy and the CNI write to the one the node's "
                        + "iptables binary uses; rules in the other backend still apply, invisible to the first. Rules in "
                        + "both is a frequent cause of Services that silently do not work.")
                .remediation("Move all rules to one backend (update-alternatives --set iptables ...) and flush the other.")
                .sources(Sources.KUBEADM_INSTALL, Sources.RUNTIME_PREREQS)
                .build());
    }

    @Override
    public Finding evaluate(NodeFacts facts, ClusterSettings cluster) {
        if (!facts.iptablesLegacyHasRules().isAvailable() || !facts.iptablesNftHasRules().isAvailable()) {
            String missing = !facts.iptablesLegacyHasRules().isAvailable() ? facts.iptablesLegacyHasRules().problem()
                    : facts.iptablesNftHasRules().problem();
            return skip("Only one iptables backend could be read: " + missing);
        }
        boolean legacy = facts.iptablesLegacyHasRules().value();
        boolean nft = facts.iptablesNftHasRules().value();
        List<Evidence> evidence = new ArrayList<>();
        evidence.add(evidence("iptables-legacy", legacy ? "has rules" : "empty"));
        evidence.add(evidence("iptables-nft", nft ? "has rules" : "empty"));
        facts.report().firstLine("iptables-version").ifPresent(v -> evidence.add(evidence("iptables-version", v)));
        if (!(legacy && nft)) {
            return pass(legacy ? "Rules only in the legacy backend" : nft ? "Rules only in the nf_tables backend"
                    : "No rules in either backend", evidence);
        }
        boolean usesNft = facts.report().firstLine("iptables-version").map(v -> v.contains("nf_tables")).orElse(true);
        String stale = usesNft ? "legacy" : "nft";
        Snippet fix = new Snippet()
                .why("The node's iptables uses the " + (usesNft ? "nf_tables" : "legacy") + " backend; look at the rules in the "
                        + stale + " one before removing them.")
                .run("iptables-" + stale + "-save")
                .note("Once nothing there is needed, flush it (iptables-" + stale + " -F; iptables-" + stale
                        + " -t nat -F; iptables-" + stale + " -X) and restart kube-proxy and the CNI so they rewrite their rules.");
        return fail("Rules exist in both the legacy and the nf_tables backend", evidence, fix.build());
    }
}
