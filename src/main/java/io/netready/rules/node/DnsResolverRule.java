package io.netready.rules.node;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.netready.facts.NodeFacts;
import io.netready.facts.Resolver;
import io.netready.rules.ClusterSettings;
import io.netready.rules.Evidence;
import io.netready.rules.Finding;
import io.netready.rules.NodeRule;
import io.netready.rules.RuleInfo;
import io.netready.rules.Rules;
import io.netready.rules.Severity;
import io.netready.rules.Snippet;
import io.netready.rules.Sources;

/** Pods inherit the node's resolver config: it needs a nameserver, and a loopback stub loops inside CoreDNS. */
public class DnsResolverRule extends Rules implements NodeRule {

    public DnsResolverRule() {
        super(RuleInfo.node("dns-resolver").title("The node has a usable DNS resolver")
                .category("dns").severity(Severity.ERROR)
                .description("The kubelet hands the node's resolv.conf to pods with dnsPolicy Default and to CoreDNS as its "
                        + "upstream. Without a nameserver nothing outside the cluster resolves; with only a loopback stub "
                        + "such as systemd-resolved's 127.0.0.53, CoreDNS forwards to itself and loops.")
                .remediation("Add a nameserver, or point the kubelet's resolvConf at /run/systemd/resolve/resolv.conf.")
                .sources(Sources.DNS_DEBUG, Sources.NOTES_ROUTING)
                .build());
    }

    @Override
    public Finding evaluate(NodeFacts facts, ClusterSettings cluster) {
        if (!facts.resolver().isAvailable()) {
            return skip(facts.resolver().problem());
        }
        Resolver resolver = facts.resolver().value();
        List<Evidence> evidence = new ArrayList<>();
        resolver.nameservers().forEach(ns -> evidence.add(evidence("resolv-conf", "nameserver " + ns)));
        if (resolver.nameservers().isEmpty()) {
            return fail("/etc/resolv.conf has no nameserver", List.of(evidence("resolv-conf", "no nameserver line")),
                    new Snippet().note("Configure the node's DNS servers (DHCP, netplan, NetworkManager or systemd-resolved) "
                            + "so /etc/resolv.conf lists at least one nameserver.").build());
        }
        if (!resolver.onlyLoopback()) {
            return pass("Nameservers: " + String.join(", ", resolver.nameservers()), evidence);
        }
        Optional<String> kubeletResolvConf = facts.kubeletConfig().asOptional().map(c -> c.get("resolvConf"));
        kubeletResolvConf.ifPresent(path -> evidence.add(evidence("kubelet-config", "resolvConf: " + path)));
        boolean systemdHasUpstreams = facts.systemdResolver().asOptional()
                .map(r -> !r.nameservers().isEmpty() && !r.onlyLoopback()).orElse(false);
        if (kubeletResolvConf.filter(p -> p.equals("/run/systemd/resolve/resolv.conf")).isPresent() && systemdHasUpstreams) {
            evidence.add(evidence("resolv-conf-systemd", "nameservers " + String.join(", ",
                    facts.systemdResolver().value().nameservers())));
            return pass("Only a loopback stub in /etc/resolv.conf, but the kubelet uses "
                    + "/run/systemd/resolve/resolv.conf, which has real upstreams", evidence);
        }
        Snippet fix = new Snippet();
        if (systemdHasUpstreams) {
            fix.why("Give pods and CoreDNS the real upstream servers instead of the loopback stub.")
                    .run("grep -q '^resolvConf:' /var/lib/kubelet/config.yaml && sed -i 's|^resolvConf:.*|resolvConf: "
                            + "/run/systemd/resolve/resolv.conf|' /var/lib/kubelet/config.yaml || echo 'resolvConf: "
                            + "/run/systemd/resolve/resolv.conf' >> /var/lib/kubelet/config.yaml")
                    .run("systemctl restart kubelet")
                    .note("Before kubeadm init/join, set resolvConf in the KubeletConfiguration of your kubeadm config instead.");
        } else {
            fix.note("Point the kubelet's resolvConf at a file that lists the real upstream DNS servers.");
        }
        return warn("Only loopback nameservers (" + String.join(", ", resolver.nameservers())
                + "): CoreDNS would forward to itself and loop", evidence, fix.build());
    }
}
