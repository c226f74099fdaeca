package io.netready.rules.node;

import java.util.ArrayList;
import java.util.List;

import io.netready.facts.Listener;
import io.netready.facts.NodeFacts;
import io.netready.facts.PortRange;
import io.netready.rules.ClusterSettings;
import io.netready.rules.Evidence;
import io.netready.rules.Finding;
import io.netready.rules.NodeRule;
import io.netready.rules.RuleInfo;
import io.netready.rules.Rules;
import io.netready.rules.Severity;
import io.netready.rules.Snippet;
import io.netready.rules.Sources;

/** NodePort Services take ports 30000-32767 on every node: nothing else may hold them. */
public class NodePortRangeRule extends Rules implements NodeRule {

    public NodePortRangeRule() {
        super(RuleInfo.node("nodeport-range").title("The NodePort range is free")
                .category("ports").severity(Severity.WARNING)
                .description("Services of type NodePort are opened on 30000-32767 of every node. A process listening there, or an "
                        + "ephemeral port range (net.ipv4.ip_local_port_range) that overlaps it, collides with them.")
                .remediation("Move the process off the range; keep ip_local_port_range outside 30000-32767.")
                .sources(Sources.PORTS, Sources.NOTES_REQUIREMENTS, Sources.NOTES_PORTS_IPTABLES)
                .build());
    }

    @Override
    public Finding evaluate(NodeFacts facts, ClusterSettings cluster) {
        if (!facts.listeners().isAvailable()) {
            return skip(facts.listeners().problem());
        }
        List<Evidence> evidence = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Snippet fix = new Snippet();
        for (Listener listener : facts.listeners().value()) {
            if (Ports.NODE_PORTS.contains(listener.port()) && !"kube-proxy".equals(listener.process())) {
                evidence.add(evidence("listeners", listener.raw()));
                problems.add("Port " + listener.port() + "/" + listener.protocol() + " is in use"
                        + (listener.process() == null ? "" : " by " + listener.process()));
                fix.why("Port " + listener.port() + " lies in the NodePort range: move that service to another port.")
                        .run("ss -Hlnp 'sport = :" + listener.port() + "'");
            }
        }
        facts.sysctl("net.ipv4.ip_local_port_range").ifPresent(range -> {
            String[] bounds = range.trim().split("\\s+");
            if (bounds.length == 2 && bounds[0].matches("\\d+") && bounds[1].matches("\\d+")) {
                PortRange local = new PortRange(Integer.parseInt(bounds[0]), Integer.parseInt(bounds[1]));
                evidence.add(evidence("sysctl", "net.ipv4.ip_local_port_range = " + range));
                if (local.overlaps(Ports.NODE_PORTS)) {
                    problems.add("Ephemeral ports " + local + " (net.ipv4.ip_local_port_range) overlap the NodePort range " + Ports.NODE_PORTS);
                    fix.why("Keep outgoing connections' ports out of the NodePort range.");
                    SysctlFix.apply(fix, "90-netready-local-ports.conf", java.util.Map.of("net.ipv4.ip_local_port_range", "32768 60999"));
                }
            }
        });
        if (problems.isEmpty()) {
            return pass("Nothing else uses the NodePort range " + Ports.NODE_PORTS, evidence);
        }
        return fail(String.join("; ", problems), evidence, fix.build());
    }
}
