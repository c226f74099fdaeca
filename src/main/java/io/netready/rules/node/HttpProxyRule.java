package io.netready.rules.node;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.netready.facts.NodeFacts;
import io.netready.facts.NoProxy;
import io.netready.facts.ProxySettings;
import io.netready.facts.ProxySettings.Effective;
import io.netready.net.Cidr;
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

/**
 * A proxy set for the kubelet, a container runtime or the shell kubeadm runs in must leave cluster traffic alone:
 * NO_PROXY has to cover the node's IP (on a control plane also the API server's), the pod CIDR and the Service CIDR,
 * or the kubelet's calls to the API server and the runtime's to pods and Services go to the proxy. kubeadm's HTTPProxy
 * and HTTPProxyCIDR checks warn about the same.
 */
public class HttpProxyRule extends Rules implements NodeRule {

    /** The standard entries a fix adds besides the node's own networks and the cluster's CIDRs. */
    private static final List<String> ALWAYS = List.of("localhost", "127.0.0.1", ".svc", ".cluster.local");

    public HttpProxyRule() {
        super(RuleInfo.node("http-proxy").title("NO_PROXY keeps cluster traffic away from the proxy")
                .category("network").severity(Severity.WARNING)
                .description("Where HTTP_PROXY or HTTPS_PROXY is set for the kubelet, containerd, CRI-O, Docker (their "
                        + "systemd units, drop-ins, /etc/default or /etc/sysconfig files, systemd's DefaultEnvironment) or "
                        + "for the shell kubeadm runs in (the probe's environment, /etc/environment, /etc/profile.d), NO_PROXY "
                        + "must cover the node's IP (the API server's on a control plane), the pod CIDR and the Service CIDR. "
                        + "NO_PROXY is read as Go reads it: CIDRs, IP addresses, domain suffixes and *.")
                .remediation("Set NO_PROXY (and no_proxy) with the node's network, the pod and Service CIDRs in a drop-in for "
                        + "each proxied service and in /etc/environment, then systemctl daemon-reload and restart them.")
                .sources(Sources.KUBEADM_PREFLIGHT, Sources.GO_HTTPPROXY, Sources.RUNTIME_PROXY)
                .build());
    }

    /** What NO_PROXY has to cover: a name for people and an address or a network. */
    private record Target(String what, InetAddress address, Cidr network) {

        boolean bypassedBy(NoProxy noProxy) {
            return address != null ? noProxy.bypasses(address) : noProxy.bypasses(network);
        }

        String value() {
            return address != null ? address.getHostAddress() : network.toString();
        }
    }

    @Override
    public Finding evaluate(NodeFacts facts, ClusterSettings cluster) {
        if (!facts.proxies().isAvailable()) {
            return skip(facts.proxies().problem());
        }
        ProxySettings settings = facts.proxies().value();
        List<Effective> proxied = new ArrayList<>();
        for (String component : ProxySettings.COMPONENTS) {
            // A service is judged where its own files set proxy variables (the probe cannot tell which runtime is
            // installed); systemd's DefaultEnvironment is judged as a component of its own.
            Effective effective = settings.effective(component);
            if (settings.mentions(component) && effective.usesProxy()) {
                proxied.add(effective);
            }
        }
        if (proxied.isEmpty()) {
            return pass("No HTTP or HTTPS proxy is set for the kubelet, the container runtimes or the shell",
                    List.of(evidence(facts.proxies().section(), "no HTTP_PROXY or HTTPS_PROXY (either case) is set")));
        }
        List<Target> targets = targets(facts, cluster);
        List<Evidence> evidence = new ArrayList<>();
        // components by what their NO_PROXY misses, so that a message names each gap once
        Map<String, List<String>> byGap = new LinkedHashMap<>();
        List<Effective> uncovered = new ArrayList<>();
        for (Effective component : proxied) {
            component.httpsProxy().ifPresent(a -> evidence.add(evidence(source(a), a.line())));
            component.httpProxy().ifPresent(a -> evidence.add(evidence(source(a), a.line())));
            component.noProxy().ifPresent(a -> evidence.add(evidence(source(a), a.line())));
            NoProxy noProxy = component.noProxyValue();
            List<String> missing = targets.stream().filter(t -> !t.bypassedBy(noProxy)).map(t -> t.what() + " " + t.value())
                    .toList();
            if (!missing.isEmpty()) {
                uncovered.add(component);
                byGap.computeIfAbsent(Words.list(missing, "or"), k -> new ArrayList<>()).add(name(component.component()));
                evidence.add(evidence(component.component(), "NO_PROXY does not cover " + Words.list(missing, "or")));
            }
        }
        String names = Words.list(proxied.stream().map(e -> name(e.component())).toList(), "and");
        if (uncovered.isEmpty()) {
            String unchecked = cluster.pods().isEmpty() || cluster.services().isEmpty()
                    ? " (the cluster's pod or Service CIDR is not set in netready: not checked)" : "";
            return pass("NO_PROXY of " + names + " covers " + Words.list(targets.stream().map(Target::what).toList(), "and")
                    + unchecked, evidence);
        }
        List<String> problems = new ArrayList<>();
        byGap.forEach((gap, components) -> problems.add("NO_PROXY of " + Words.list(components, "and") + " does not cover "
                + gap));
        if (cluster.pods().isEmpty() || cluster.services().isEmpty()) {
            evidence.add(evidence("cluster settings", "pod or Service CIDR not set: not checked"));
        }
        return warn(String.join("; ", problems) + ": cluster traffic would go through the proxy", evidence,
                fix(facts, cluster, uncovered));
    }

    /** The node's IP (on a control plane also the API server's), the pod CIDR and the Service CIDR, where known. */
    private static List<Target> targets(NodeFacts facts, ClusterSettings cluster) {
        List<Target> targets = new ArrayList<>();
        facts.nodeIp().flatMap(Cidr::parseAddress).ifPresent(ip -> targets.add(new Target(
                facts.report().role() == Role.CONTROL_PLANE ? "the node (and API server) IP" : "the node IP", ip, null)));
        cluster.pods().ifPresent(c -> targets.add(new Target("the pod CIDR", null, c)));
        cluster.services().ifPresent(c -> targets.add(new Target("the Service CIDR", null, c)));
        return targets;
    }

    private io.netready.rules.Remediation fix(NodeFacts facts, ClusterSettings cluster, List<Effective> components) {
        Snippet fix = new Snippet();
        Set<String> entries = new LinkedHashSet<>(ALWAYS);
        int dropped = 0;
        for (Effective component : components) {
            for (String entry : component.noProxyValue().entries()) {
                Optional<String> valid = validEntry(entry);
                if (valid.isPresent()) {
                    entries.add(valid.get());
                } else {
                    dropped++;
                }
            }
        }
        facts.nodeIp().flatMap(Shell::ip).ifPresent(entries::add);
        facts.primaryInterface().flatMap(i -> i.addresses().stream().filter(a -> a.isIpv4() && a.isGlobal()).findFirst())
                .flatMap(a -> Cidr.containing(a.address(), a.prefixLength())).map(Cidr::toString).ifPresent(entries::add);
        cluster.pods().map(Cidr::toString).ifPresent(entries::add);
        cluster.services().map(Cidr::toString).ifPresent(entries::add);
        String value = String.join(",", entries);
        Set<String> services = new LinkedHashSet<>();
        boolean shells = false;
        boolean probeShell = false;
        for (Effective component : components) {
            probeShell |= component.component().equals("shell");
            if (component.component().equals("shell") || component.component().equals("login")) {
                shells = true;
            } else {
                services.add(component.component());
            }
        }
        if (services.remove("systemd")) {
            fix.why("NO_PROXY in systemd's DefaultEnvironment, for every service: a file of netready's own, rewritten whole.")
                    .run("mkdir -p /etc/systemd/system.conf.d")
                    .run("printf '%s\\n' '[Manager]' " + Shell.quote("DefaultEnvironment=\"NO_PROXY=" + value
                            + "\" \"no_proxy=" + value + "\"") + " > /etc/systemd/system.conf.d/zz-netready-no-proxy.conf")
                    .run("systemctl daemon-reexec");
        }
        for (String service : services) {
            String dir = "/etc/systemd/system/" + service + ".service.d";
            fix.why("NO_PROXY for " + name(service) + ": a drop-in of netready's own, rewritten whole (named zz- so that "
                    + "it comes after other drop-ins, whose NO_PROXY it overrides).")
                    .run("mkdir -p " + dir)
                    .run("printf '%s\\n' '[Service]' " + Shell.quote("Environment=\"NO_PROXY=" + value + "\" \"no_proxy="
                            + value + "\"") + " > " + dir + "/zz-netready-no-proxy.conf");
        }
        if (shells) {
            fix.why("NO_PROXY for login shells, where kubeadm runs: replace the lines in /etc/environment (a backup is kept).")
                    .run("sed -i.netready.bak -E '/^[[:space:]]*(export[[:space:]]+)?[Nn][Oo]_[Pp][Rr][Oo][Xx][Yy]=/d' "
                            + "/etc/environment")
                    .run("printf '%s\\n' " + Shell.quote("NO_PROXY=" + value) + " " + Shell.quote("no_proxy=" + value)
                            + " >> /etc/environment");
            fix.note("Log in again (or export NO_PROXY and no_proxy with the value above) before running kubeadm: "
                    + "/etc/environment is read at login.");
            if (probeShell) {
                fix.note("The shell the probe ran in got its proxy from the login environment (/etc/environment, "
                        + "/etc/profile.d, ~/.profile or ~/.bashrc): where a profile sets NO_PROXY, change it there too.");
            }
        }
        if (!services.isEmpty()) {
            fix.why("Load the drop-ins and restart the services that use them.").run("systemctl daemon-reload");
            for (String service : services) {
                fix.run("systemctl restart " + service);
            }
            if (services.contains("docker")) {
                fix.note("Restarting docker stops its containers unless live-restore is on; containerd and CRI-O keep "
                        + "theirs running.");
            }
        }
        if (facts.report().role() != Role.CONTROL_PLANE) {
            fix.note("If the API server (or its load balancer) is outside the node's network, add its address to NO_PROXY.");
        }
        if (cluster.pods().isEmpty() || cluster.services().isEmpty()) {
            fix.note("The cluster's pod or Service CIDR is not set in netready: add both to NO_PROXY too.");
        }
        if (dropped > 0) {
            fix.note(dropped + " NO_PROXY entr" + (dropped == 1 ? "y was" : "ies were") + " left out: not an IP address, "
                    + "CIDR or domain name.");
        }
        return fix.build();
    }

    /** A NO_PROXY entry fit for a command line: an IP (with a port), a CIDR, or a domain name (leading dot or *.). */
    static Optional<String> validEntry(String entry) {
        if (Shell.ip(entry).isPresent()) {
            return Optional.of(entry);
        }
        int slash = entry.indexOf('/');
        if (slash > 0 && entry.substring(slash + 1).matches("\\d{1,3}")) {
            return Cidr.containing(entry.substring(0, slash), Integer.parseInt(entry.substring(slash + 1))).map(Cidr::toString);
        }
        String host = entry;
        String port = "";
        int colon = entry.lastIndexOf(':');
        if (colon > 0 && entry.substring(colon + 1).matches("\\d{1,5}")) {
            host = entry.substring(0, colon);
            port = entry.substring(colon);
        }
        String name = host.startsWith("*.") ? host.substring(2) : host.startsWith(".") ? host.substring(1) : host;
        if (Shell.ip(host).isPresent() || Shell.isHostname(name)) {
            return Optional.of(host + port);
        }
        return Optional.empty();
    }

    private static String source(ProxySettings.Assignment a) {
        return a.component().equals("shell") ? "proxy-env" : "proxy-config " + a.file();
    }

    private static String name(String component) {
        return switch (component) {
            case "shell" -> "the shell the probe ran in";
            case "login" -> "login shells";
            case "kubelet" -> "the kubelet";
            case "crio" -> "CRI-O";
            case "systemd" -> "every systemd service (DefaultEnvironment)";
            default -> component;
        };
    }
}
