package io.netready.rules.node;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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

/** A full conntrack table drops new connections: "nf_conntrack: table full, dropping packet". */
public class ConntrackCapacityRule extends Rules implements NodeRule {

    static final long MINIMUM = 131072;
    static final String MAX = "net.netfilter.nf_conntrack_max";
    static final String COUNT = "net.netfilter.nf_conntrack_count";

    public ConntrackCapacityRule() {
        super(RuleInfo.node("conntrack-capacity").title("The connection-tracking table has room")
                .category("kernel").severity(Severity.WARNING)
                .description("kube-proxy tracks every Service connection in conntrack. Below 131072 entries (kube-proxy's own "
                        + "minimum), or above 80% use, new connections are dropped under load.")
                .remediation("Raise net.netfilter.nf_conntrack_max and persist it in /etc/sysctl.d/.")
                .sources(Sources.NETWORK_MODEL)
                .build());
    }

    @Override
    public Finding evaluate(NodeFacts facts, ClusterSettings cluster) {
        Optional<Long> max = facts.sysctl(MAX).flatMap(ConntrackCapacityRule::number);
        if (max.isEmpty()) {
            return skip(facts.sysctls().isAvailable() ? "the report does not show " + MAX + " (nf_conntrack not loaded?)"
                    : facts.sysctls().problem());
        }
        Optional<Long> count = facts.sysctl(COUNT).flatMap(ConntrackCapacityRule::number);
        List<Evidence> evidence = new ArrayList<>();
        evidence.add(evidence("sysctl", MAX + " = " + max.get()));
        count.ifPresent(c -> evidence.add(evidence("sysctl", COUNT + " = " + c)));
        List<String> problems = new ArrayList<>();
        if (max.get() < MINIMUM) {
            problems.add(MAX + " is " + max.get() + ", below " + MINIMUM);
        }
        if (count.isPresent() && count.get() * 100 > max.get() * 80) {
            problems.add(count.get() + " of " + max.get() + " entries in use");
        }
        if (problems.isEmpty()) {
            return pass(MAX + " = " + max.get() + (count.map(c -> ", " + c + " in use").orElse("")), evidence);
        }
        long target = Math.max(MINIMUM, Long.highestOneBit(Math.max(max.get(), 1)) * 2);
        Snippet fix = new Snippet().why("Give connection tracking room for kube-proxy's Service traffic.");
        SysctlFix.apply(fix, "90-netready-conntrack.conf", java.util.Map.of(MAX, Long.toString(target)));
        return fail(String.join("; ", problems), evidence, fix.build());
    }

    private static Optional<Long> number(String value) {
        try {
            return Optional.of(Long.parseLong(value.strip()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
