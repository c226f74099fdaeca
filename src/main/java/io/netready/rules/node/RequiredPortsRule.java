package io.netready.rules.node;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.netready.facts.Listener;
import io.netready.facts.NodeFacts;
import io.netready.reportformat.Phase;
import io.netready.reportformat.Role;
import io.netready.rules.ClusterSettings;
import io.netready.rules.Evidence;
import io.netready.rules.Finding;
import io.netready.rules.NodeRule;
import io.netready.rules.PortWords;
import io.netready.rules.RuleInfo;
import io.netready.rules.Rules;
import io.netready.rules.Severity;
import io.netready.rules.Shell;
import io.netready.rules.Snippet;
import io.netready.rules.Sources;

/** Before kubeadm the component ports must be free; once running, the components must be listening on them. */
public class RequiredPortsRule extends Rules implements NodeRule {

    public RequiredPortsRule() {
        super(RuleInfo.node("required-ports").title("Kubernetes component ports are free (preflight) or served (running)")
                .category("ports").severity(Severity.ERROR)
                .description("Control planes use TCP 6443 (API server), 2379-2380 (etcd), 10250 (kubelet), 10257 "
                        + "(controller manager) and 10259 (scheduler); workers use 10250. Before kubeadm they must be "
                        + "free, or kubeadm's preflight fails; once the node runs they must be listening, by the expected "
                        + "process where the report shows processes (root only).")
                .remediation("Preflight: stop whatever holds the port. Running: restart the component that should listen.")
                .sources(Sources.PORTS, Sources.KUBEADM_PREFLIGHT, Sources.NOTES_REQUIREMENTS, Sources.NOTES_CLUSTER)
                .build());
    }

    @Override
    public Finding evaluate(NodeFacts facts, ClusterSettings cluster) {
        if (!facts.listeners().isAvailable()) {
            return skip(facts.listeners().problem());
        }
        Role role = facts.report().role();
        boolean preflight = facts.report().phase() == Phase.PREFLIGHT;
        Map<Integer, String> required = Ports.required(role);
        List<Evidence> evidence = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Snippet fix = new Snippet();
        for (Map.Entry<Integer, String> entry : required.entrySet()) {
            int port = entry.getKey();
            List<Listener> on = facts.listeners().value().stream()
                    .filter(l -> l.protocol().equals("tcp") && l.port() == port).toList();
            on.forEach(l -> evidence.add(evidence("listeners", l.raw())));
            if (preflight && !on.isEmpty()) {
                String process = on.get(0).process();
                problems.add("Port " + port + " is in use" + (process == null ? "" : " by " + process));
                fix.why("Port " + port + " must be free before kubeadm runs: find what holds it, then stop it.")
                        .run("ss -Htlnp 'sport = :" + port + "'");
                Shell.identifier(process).filter(p -> !p.startsWith("kube") && !p.equals("etcd"))
                        .ifPresent(p -> fix.run("systemctl stop " + Shell.quote(p) + "  # if it runs as a service of that name"));
            } else if (!preflight && on.isEmpty()) {
                problems.add("Nothing listens on port " + port + " (" + entry.getValue() + " expected)");
                evidence.add(evidence("listeners", "nothing listens on tcp " + port));
                restart(fix, entry.getValue());
            } else if (!preflight) {
                String process = on.get(0).process();
                if (process != null && !sameProcess(process, entry.getValue())) {
                    problems.add("Port " + port + " is held by " + process + ", not " + entry.getValue());
                    fix.why("Port " + port + " belongs to " + entry.getValue() + ": free it and restart the component.")
                            .run("ss -Htlnp 'sport = :" + port + "'");
                    restart(fix, entry.getValue());
                }
            }
        }
        if (problems.isEmpty()) {
            return pass(PortWords.are(required.keySet(), preflight ? "free" : "served"), evidence);
        }
        return fail(String.join("; ", problems), evidence, fix.build());
    }

    /** ss cuts process names at 15 characters, net-tools' netstat at 19 minus the pid: compare by prefix. */
    static boolean sameProcess(String shown, String expected) {
        return shown.startsWith(expected) || (shown.length() >= 4 && expected.startsWith(shown));
    }

    private static void restart(Snippet fix, String component) {
        if (component.equals("kubelet")) {
            fix.why("The kubelet serves 10250; see why it is not running.")
                    .run("systemctl restart kubelet")
                    .run("journalctl -u kubelet -n 50 --no-pager");
        } else {
            fix.why(component + " runs as a static pod: check it with the container runtime and the kubelet's log.")
                    .run("crictl ps -a --name " + component)
                    .run("journalctl -u kubelet -n 50 --no-pager");
        }
    }
}
