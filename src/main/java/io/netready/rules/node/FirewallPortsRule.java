package io.netready.rules.node;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.netready.facts.FirewallVerdict;
import io.netready.facts.HostFirewall;
import io.netready.facts.NftRuleset;
import io.netready.facts.NodeFacts;
import io.netready.reportformat.Role;
import io.netready.rules.ClusterSettings;
import io.netready.rules.Evidence;
import io.netready.rules.Finding;
import io.netready.rules.NodeRule;
import io.netready.rules.RuleInfo;
import io.netready.rules.Rules;
import io.netready.rules.Severity;
import io.netready.rules.Shell;
import io.netready.rules.Snippet;
import io.netready.rules.Sources;

/** No firewall on the node may drop or reject the ports the cluster needs. */
public class FirewallPortsRule extends Rules implements NodeRule {

    /** A port of the NodePort range stands for the whole range in the checks. */
    private static final int NODE_PORT_PROBE = 30000;

    public FirewallPortsRule() {
        super(RuleInfo.node("firewall-ports").title("The firewall lets the cluster's ports in")
                .category("firewall").severity(Severity.ERROR)
                .description("Other nodes and users must reach the node's component ports (control plane: 6443, 2379-2380, 10250, "
                        + "10257, 10259; worker: 10250 and the NodePort range 30000-32767). An iptables or nftables rule "
                        + "or chain policy that drops or rejects them, or firewalld/ufw active without them, breaks the "
                        + "cluster in ways that look like timeouts.")
                .remediation("Accept the ports before the rule that drops them (iptables -I INPUT), or open them in firewalld/ufw.")
                .sources(Sources.PORTS, Sources.NOTES_PORTS_IPTABLES, Sources.NOTES_REQUIREMENTS)
                .build());
    }

    @Override
    public Finding evaluate(NodeFacts facts, ClusterSettings cluster) {
        Map<Integer, String> ports = new LinkedHashMap<>();
        Ports.required(facts.report().role()).keySet().forEach(p -> ports.put(p, String.valueOf(p)));
        if (facts.report().role() == Role.WORKER) {
            ports.put(NODE_PORT_PROBE, "30000:32767");
        }
        boolean anyFirewallKnown = facts.iptables().isAvailable() || facts.nftables().isAvailable()
                || facts.firewalld().isAvailable() || facts.ufw().isAvailable();
        if (!anyFirewallKnown) {
            return skip("No firewall state could be read: " + facts.iptables().problem());
        }
        List<Evidence> evidence = new ArrayList<>();
        List<String> blocked = new ArrayList<>();
        Snippet fix = new Snippet();
        for (Map.Entry<Integer, String> entry : ports.entrySet()) {
            int port = entry.getKey();
            String spec = entry.getValue();
            Optional<FirewallVerdict> verdict = facts.iptables().asOptional().map(r -> r.verdictFor(port))
                    .filter(FirewallVerdict::blocked);
            if (verdict.isPresent()) {
                blocked.add(spec + " (iptables)");
                evidence.add(evidence(verdict.get().where(), verdict.get().evidence()));
                fix.why("Accept TCP " + spec + " ahead of the rule or policy that blocks it (only added when missing).")
                        .run(iptables(spec));
                continue;
            }
            Optional<FirewallVerdict> nft = facts.nftables().asOptional().flatMap(r -> r.blockingVerdictFor(port));
            if (nft.isPresent()) {
                blocked.add(spec + " (nftables)");
                evidence.add(evidence("nftables", nft.get().where() + ": " + nft.get().evidence()));
                nftFix(fix, facts.nftables().value(), spec);
                continue;
            }
            for (Optional<HostFirewall> host : List.of(facts.firewalld().asOptional(), facts.ufw().asOptional())) {
                if (host.isPresent() && host.get().active() && !host.get().opens(port)) {
                    blocked.add(spec + " (" + host.get().name() + ")");
                    evidence.add(evidence(host.get().name(), host.get().evidence()));
                    hostFix(fix, host.get().name(), spec);
                }
            }
        }
        if (blocked.isEmpty()) {
            facts.iptables().asOptional().ifPresent(r -> evidence.add(evidence("iptables",
                    ":INPUT " + r.policies().getOrDefault("INPUT", "ACCEPT") + ", " + r.rules().size() + " filter rules")));
            return pass("No firewall blocks " + String.join(", ", ports.values()), evidence);
        }
        return fail("Blocked: " + String.join(", ", blocked), evidence, fix.build());
    }

    private static String iptables(String spec) {
        String match = spec.contains(":") ? "-m multiport --dports " + spec : "--dport " + spec;
        String rule = "INPUT -p tcp " + match + " -j ACCEPT";
        return "iptables -C " + rule + " 2>/dev/null || iptables -I " + rule;
    }

    private static void nftFix(Snippet fix, NftRuleset ruleset, String spec) {
        String ports = spec.replace(':', '-');
        for (NftRuleset.Chain chain : ruleset.chains()) {
            if (!"input".equals(chain.hook()) || !"filter".equals(chain.type())) {
                continue;
            }
            Optional<String> family = Shell.identifier(chain.family());
            Optional<String> table = Shell.identifier(chain.table());
            Optional<String> name = Shell.identifier(chain.name());
            if (family.isPresent() && table.isPresent() && name.isPresent()) {
                fix.why("Accept TCP " + ports + " at the top of the input chain " + name.get() + ".")
                        .run("nft insert rule " + family.get() + " " + Shell.arg(table.get()) + " " + Shell.arg(name.get())
                                + " tcp dport " + ports + " accept");
            } else {
                fix.note("An nftables input chain has a name netready will not put in a command; accept tcp dport "
                        + ports + " in it by hand.");
            }
        }
        fix.note("Add the rule to /etc/nftables.conf too, or it is gone after a reboot.");
    }

    private static void hostFix(Snippet fix, String firewall, String spec) {
        if (firewall.equals("firewalld")) {
            String range = spec.replace(':', '-');
            fix.why("Open TCP " + range + " in firewalld's default zone, now and permanently.")
                    .run("firewall-cmd --permanent --add-port=" + range + "/tcp")
                    .run("firewall-cmd --reload");
        } else {
            fix.why("Allow TCP " + spec + " through ufw.").run("ufw allow " + spec + "/tcp");
        }
    }
}
