package io.netready.rules.node;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.netready.facts.NetInterface;
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

/** Strict reverse-path filtering drops pod traffic that comes back on another interface than it left. */
public class RpFilterRule extends Rules implements NodeRule {

    public RpFilterRule() {
        super(RuleInfo.node("rp-filter").title("Reverse-path filtering is not strict")
                .category("kernel").severity(Severity.WARNING)
                .description("With rp_filter = 1 (strict) the kernel drops packets that arrive on an interface other than the one it "
                        + "would route the reply through: common with pod traffic, overlays and multiple NICs. The "
                        + "effective value of an interface is the larger of conf.all and conf.<interface>. Loose (2) or off "
                        + "(0) is safe.")
                .remediation("Set net.ipv4.conf.all.rp_filter and the interfaces' values to 2 (loose), persisted in /etc/sysctl.d/.")
                .sources(Sources.NETWORK_MODEL)
                .build());
    }

    @Override
    public Finding evaluate(NodeFacts facts, ClusterSettings cluster) {
        if (!facts.sysctls().isAvailable() || !facts.interfaces().isAvailable()) {
            return skip(!facts.sysctls().isAvailable() ? facts.sysctls().problem() : facts.interfaces().problem());
        }
        Map<String, String> sysctls = facts.sysctls().value();
        int all = number(sysctls.get("net.ipv4.conf.all.rp_filter"));
        List<Evidence> evidence = new ArrayList<>();
        evidence.add(evidence("sysctl", "net.ipv4.conf.all.rp_filter = " + all));
        List<String> strict = new ArrayList<>();
        for (NetInterface nic : facts.interfaces().value()) {
            if (nic.isLoopback()) {
                continue;
            }
            String key = "net.ipv4.conf." + nic.name().replace('.', '/') + ".rp_filter";
            int own = number(sysctls.get(key));
            int effective = Math.max(all, own);
            if (effective == 1) {
                strict.add(nic.name());
                evidence.add(evidence("sysctl", key + " = " + own + " (effective " + effective + ")"));
            }
        }
        if (strict.isEmpty()) {
            return pass("No interface filters strictly", evidence);
        }
        Snippet fix = new Snippet().why("Use loose reverse-path filtering, which keeps spoofing protection without dropping "
                + "asymmetric pod traffic; 'default' covers interfaces created later.");
        SysctlFix.apply(fix, "90-netready-rp-filter.conf", new java.util.TreeMap<>(Map.of(
                "net.ipv4.conf.all.rp_filter", "2", "net.ipv4.conf.default.rp_filter", "2")));
        fix.note("Interfaces with their own rp_filter = 1 keep it until set: sysctl -w net.ipv4.conf.<interface>.rp_filter=2.");
        return fail("Strict rp_filter on " + String.join(", ", strict), evidence, fix.build());
    }

    private static int number(String value) {
        try {
            return value == null ? 0 : Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
