package io.netready.rules.node;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.netready.facts.NodeFacts;
import io.netready.facts.Parsed;
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

/**
 * The kubelet hands pods the nameservers and search list of the resolv.conf it uses, cut to libc's limits: the first 3
 * nameservers, and (current kubelets, 1.28 and later) 32 search domains of at most 2048 characters, 3 of them the
 * cluster's own. What it cuts is gone without a word on the node; pods see only an event.
 */
public class DnsLimitsRule extends Rules implements NodeRule {

    static final int MAX_NAMESERVERS = 3;
    static final int MAX_SEARCH_DOMAINS = 32;
    static final int MAX_SEARCH_CHARS = 2048;
    /** ns.svc.cluster.local, svc.cluster.local, cluster.local: the kubelet puts them before the node's own. */
    static final int CLUSTER_DOMAINS = 3;
    static final int OLD_MAX_SEARCH_DOMAINS = 6;
    static final int OLD_MAX_SEARCH_CHARS = 256;
    static final String DEFAULT_RESOLV_CONF = "/etc/resolv.conf";
    static final String SYSTEMD_RESOLV_CONF = "/run/systemd/resolve/resolv.conf";

    public DnsLimitsRule() {
        super(RuleInfo.node("dns-limits").title("The kubelet's resolv.conf fits its DNS limits")
                .category("dns").severity(Severity.WARNING)
                .description("The kubelet builds pods' resolv.conf from the node's (its resolvConf, /etc/resolv.conf by default) "
                        + "and cuts it to libc's limits: only the first " + MAX_NAMESERVERS + " nameservers are used, and the "
                        + "search list may hold " + MAX_SEARCH_DOMAINS + " domains (" + CLUSTER_DOMAINS + " of them the "
                        + "cluster's own) and " + MAX_SEARCH_CHARS + " characters since Kubernetes 1.28 (before: "
                        + OLD_MAX_SEARCH_DOMAINS + " and " + OLD_MAX_SEARCH_CHARS + "). What is over is dropped with a "
                        + "DNSConfigForming event on every pod.")
                .remediation("Keep at most 3 nameservers and a short search list in the resolv.conf the kubelet uses, or point "
                        + "its resolvConf at a file that does.")
                .sources(Sources.DNS_LIMITS, Sources.EXPANDED_DNS, Sources.DNS_DEBUG)
                .build());
    }

    @Override
    public Finding evaluate(NodeFacts facts, ClusterSettings cluster) {
        String path = facts.kubeletConfig().asOptional().map(c -> c.get("resolvConf")).orElse(DEFAULT_RESOLV_CONF);
        List<Evidence> evidence = new ArrayList<>();
        if (!path.equals(DEFAULT_RESOLV_CONF)) {
            evidence.add(evidence("kubelet-config", "resolvConf: " + path));
        }
        if (path.isEmpty()) {
            return pass("The kubelet's resolvConf is empty: pods get no nameservers or search domains from the node",
                    evidence);
        }
        Parsed<Resolver> parsed;
        String section;
        if (path.equals(DEFAULT_RESOLV_CONF)) {
            parsed = facts.resolver();
            section = "resolv-conf";
        } else if (path.equals(SYSTEMD_RESOLV_CONF)) {
            parsed = facts.systemdResolver();
            section = "resolv-conf-systemd";
        } else {
            return skip("The kubelet reads " + path + ", which the probe does not collect");
        }
        if (!parsed.isAvailable()) {
            return skip(parsed.problem());
        }
        List<String> nameservers = parsed.value().nameservers();
        nameservers.forEach(ns -> evidence.add(evidence(section, "nameserver " + ns)));
        Optional<String> searchLine = lastSearchLine(parsed.value().raw());
        List<String> search = searchLine.map(DnsLimitsRule::kubeletSearch).orElse(List.of());
        int chars = String.join(" ", search).length();
        searchLine.ifPresent(line -> evidence.add(evidence(section, shorten(line) + " (" + search.size() + " domains, "
                + chars + " characters)")));

        List<String> problems = new ArrayList<>();
        Snippet fix = new Snippet();
        if (nameservers.size() > MAX_NAMESERVERS) {
            problems.add(nameservers.size() + " nameservers in " + path + ": pods get only the first " + MAX_NAMESERVERS
                    + " (" + String.join(", ", nameservers.subList(0, MAX_NAMESERVERS)) + "), "
                    + String.join(", ", nameservers.subList(MAX_NAMESERVERS, nameservers.size())) + " ignored");
            fix.note("List at most " + MAX_NAMESERVERS + " nameservers in " + path + " (set them where it is made: DHCP, "
                    + "netplan, NetworkManager or systemd-resolved's DNS=), or point the kubelet's resolvConf at a file "
                    + "with the " + MAX_NAMESERVERS + " it should use.");
        }
        int domainLimit = MAX_SEARCH_DOMAINS - CLUSTER_DOMAINS;
        if (search.size() > domainLimit || chars > MAX_SEARCH_CHARS) {
            problems.add("the search line of " + path + " has " + search.size() + " domains and " + chars
                    + " characters: the kubelet allows " + domainLimit + " besides the cluster's " + CLUSTER_DOMAINS + " and "
                    + MAX_SEARCH_CHARS + " characters, and drops the rest");
            fix.note("Shorten the search line of " + path + " to at most " + domainLimit + " domains and " + MAX_SEARCH_CHARS
                    + " characters (kubelets before 1.28: " + (OLD_MAX_SEARCH_DOMAINS - CLUSTER_DOMAINS) + " and "
                    + OLD_MAX_SEARCH_CHARS + "); pods that need more can list them in their own dnsConfig.");
        }
        if (!problems.isEmpty()) {
            return warn(capitalise(String.join("; ", problems)), evidence, fix.build());
        }
        String message = nameservers.size() + " nameserver" + (nameservers.size() == 1 ? "" : "s") + " and "
                + search.size() + " search domain" + (search.size() == 1 ? "" : "s") + " in " + path
                + " fit the kubelet's limits";
        if (search.size() > OLD_MAX_SEARCH_DOMAINS - CLUSTER_DOMAINS || chars > OLD_MAX_SEARCH_CHARS) {
            message += " (kubelets before 1.28 would drop search domains: they allow " + (OLD_MAX_SEARCH_DOMAINS
                    - CLUSTER_DOMAINS) + " besides the cluster's and " + OLD_MAX_SEARCH_CHARS + " characters)";
        }
        return pass(message, evidence);
    }

    /** The kubelet, like libc, takes the last search line. */
    private static Optional<String> lastSearchLine(String raw) {
        String last = null;
        for (String line : raw.split("\n")) {
            String[] t = line.strip().split("\\s+");
            if (t[0].equals("search")) {
                last = line.strip();
            }
        }
        return Optional.ofNullable(last);
    }

    /** The domains as the kubelet counts them: trailing dots dropped, "." itself left out. */
    static List<String> kubeletSearch(String line) {
        List<String> domains = new ArrayList<>();
        String[] t = line.split("\\s+");
        for (int i = 1; i < t.length; i++) {
            if (!t[i].equals(".")) {
                String domain = t[i].endsWith(".") ? t[i].substring(0, t[i].length() - 1) : t[i];
                if (!domains.contains(domain)) {
                    domains.add(domain);
                }
            }
        }
        return domains;
    }

    private static String shorten(String line) {
        return line.length() <= 200 ? line : line.substring(0, 200) + " …";
    }

    private static String capitalise(String text) {
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
