package io.netready.rules.node;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import io.netready.facts.HostsFile;
import io.netready.facts.NodeFacts;
import io.netready.rules.ClusterSettings;
import io.netready.rules.Finding;
import io.netready.rules.NodeRule;
import io.netready.rules.RuleInfo;
import io.netready.rules.Rules;
import io.netready.rules.Severity;
import io.netready.rules.Shell;
import io.netready.rules.Snippet;
import io.netready.rules.Sources;

/** The hostname becomes the Node name: it must be a lowercase RFC 1123 name, not localhost, and resolvable. */
public class HostnameRule extends Rules implements NodeRule {

    public HostnameRule() {
        super(RuleInfo.node("hostname-valid").title("The hostname is a valid, resolvable node name")
                .category("identity").severity(Severity.ERROR)
                .description("The kubelet registers the node under its hostname, which must be a lowercase RFC 1123 DNS name "
                        + "(letters, digits, '-' and '.'), must not be localhost, and should resolve on the node "
                        + "(kubeadm warns otherwise). netready checks /etc/hosts; it cannot query the node's DNS.")
                .remediation("hostnamectl set-hostname with a valid name, and an /etc/hosts entry for it.")
                .sources(Sources.KUBEADM_PREFLIGHT, Sources.NOTES_REQUIREMENTS)
                .build());
    }

    @Override
    public Finding evaluate(NodeFacts facts, ClusterSettings cluster) {
        String hostname = facts.hostname();
        var evidence = List.of(evidence("hostname", hostname));
        String suggestion = suggest(hostname);
        if (!Shell.isHostname(hostname) || hostname.equals("localhost") || hostname.startsWith("localhost.")) {
            Snippet fix = new Snippet();
            if (Shell.isHostname(suggestion)) {
                fix.why("Give the node a valid, unique name (this one is derived from the current hostname; choose your own).")
                        .run("hostnamectl set-hostname " + Shell.quote(suggestion));
            } else {
                fix.note("Choose a lowercase name of letters, digits and '-' and set it with hostnamectl set-hostname.");
            }
            return fail("'" + hostname + "' is not a valid node name (a lowercase DNS-1123 name): " + reason(hostname), evidence, fix.build());
        }
        if (!facts.hosts().isAvailable()) {
            return warn(hostname + " is valid; /etc/hosts could not be read to check it resolves ("
                    + facts.hosts().problem() + ")", evidence, new Snippet().note(
                            "Make sure " + hostname + " resolves on the node (getent hosts " + hostname + ").").build());
        }
        List<HostsFile.Entry> entries = facts.hosts().value().lookup(hostname);
        if (!entries.isEmpty()) {
            return pass(hostname + " is valid and listed in /etc/hosts",
                    List.of(evidence("hostname", hostname), evidence("hosts", entries.get(0).line())));
        }
        Snippet fix = new Snippet();
        facts.nodeIp().flatMap(Shell::ipv4).ifPresentOrElse(ip -> fix
                .why("Let the node resolve its own name without DNS (kubeadm checks this); only added when missing.")
                .run("grep -qw -- " + Shell.quote(hostname) + " /etc/hosts || printf '%s %s\\n' " + ip + " "
                        + Shell.quote(hostname) + " >> /etc/hosts"),
                () -> fix.note("Add the node's IP address and " + hostname + " to /etc/hosts, or to DNS."));
        return warn(hostname + " is valid but not in /etc/hosts; make sure DNS resolves it", evidence, fix.build());
    }

    /** Every reason the name is not a lowercase DNS-1123 name, as a newcomer would fix them. */
    static String reason(String hostname) {
        List<String> reasons = new ArrayList<>();
        if (hostname.isEmpty()) {
            return "it is empty";
        }
        if (hostname.equals("localhost") || hostname.startsWith("localhost.")) {
            reasons.add("localhost is the loopback address's name");
        }
        long upper = hostname.chars().filter(c -> c >= 'A' && c <= 'Z').count();
        if (upper > 0) {
            reasons.add(upper == 1 ? "an uppercase letter" : "uppercase letters");
        }
        long underscores = hostname.chars().filter(c -> c == '_').count();
        if (underscores > 0) {
            reasons.add(underscores == 1 ? "an underscore" : "underscores");
        }
        long spaces = hostname.chars().filter(c -> c == ' ').count();
        if (spaces > 0) {
            reasons.add(spaces == 1 ? "a space" : "spaces");
        }
        List<String> others = hostname.codePoints().filter(c -> !(c >= 'A' && c <= 'Z') && !(c >= 'a' && c <= 'z')
                && !(c >= '0' && c <= '9') && c != '-' && c != '.' && c != '_' && c != ' ').distinct().limit(6)
                .mapToObj(c -> "'" + Character.toString(c) + "'").toList();
        if (!others.isEmpty()) {
            List<String> shown = new ArrayList<>(others.subList(0, Math.min(others.size(), 5)));
            if (others.size() > 5) {
                shown.add("more");
            }
            reasons.add((others.size() == 1 ? "the character " : "the characters ") + Words.list(shown, "and"));
        }
        if (hostname.length() > 253) {
            reasons.add("longer than 253 characters");
        }
        String[] labels = hostname.split("\\.", -1);
        boolean dotted = labels.length > 1;
        if (Arrays.stream(labels).anyMatch(l -> l.length() > 63)) {
            reasons.add(dotted ? "a part between dots longer than 63 characters" : "longer than 63 characters");
        }
        if (hostname.startsWith(".") || hostname.endsWith(".") || hostname.contains("..")) {
            reasons.add("an empty part between dots");
        }
        if (Arrays.stream(labels).anyMatch(l -> l.startsWith("-") || l.endsWith("-"))) {
            reasons.add(dotted ? "a part that starts or ends with '-'" : "it starts or ends with '-'");
        }
        return reasons.isEmpty()
                ? "only lowercase letters, digits, '-' and '.' are allowed, and each part must start and end with a letter or digit"
                : String.join(", ", reasons);
    }

    /** A valid name derived from the current one (lowercased, other characters turned into '-'). */
    static String suggest(String hostname) {
        String s = hostname.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.-]", "-").replaceAll("-+", "-")
                .replaceAll("(^[-.]+)|([-.]+$)", "");
        if (s.length() > 63) {
            s = s.substring(0, 63).replaceAll("[-.]+$", "");
        }
        return s.isEmpty() || s.startsWith("localhost") ? "node-1" : s;
    }
}
