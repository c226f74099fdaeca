package io.netready.rules.node;

import java.util.Optional;

import io.netready.facts.HostFirewall;
import io.netready.facts.NodeFacts;
import io.netready.facts.PortRange;
import io.netready.facts.firewall.Answer;
import io.netready.rules.Shell;
import io.netready.rules.Snippet;

/**
 * The command that opens a port where the firewall model found it dropped: an accept at the top of that very chain
 * (iptables, iptables-legacy or nft, in the table and chain of the evidence), or firewalld's and ufw's own commands
 * when the chain is theirs. Names from the dump go into commands only when they are plain identifiers.
 */
final class FirewallFix {

    private FirewallFix() {
    }

    /** {@code source}: accept only from this network (the node's own), or from anywhere when null. */
    static void accept(Snippet fix, NodeFacts facts, Answer blocked, String protocol, PortRange ports, String source) {
        String evidence = blocked.evidence().isEmpty() ? "" : blocked.evidence().get(0);
        int colon = evidence.indexOf(": ");
        String[] where = (colon > 0 ? evidence.substring(0, colon) : "").split(" ");
        String range = ports.toString();
        Optional<HostFirewall> firewalld = facts.firewalld().asOptional().filter(HostFirewall::active);
        Optional<HostFirewall> ufw = facts.ufw().asOptional().filter(HostFirewall::active);
        if (firewalld.isPresent() && (evidence.contains("firewalld") || evidence.contains("_ZONES") || evidence.contains("filter_IN"))) {
            hostFirewall(fix, "firewalld", protocol, range);
        } else if (ufw.isPresent() && evidence.contains("ufw")) {
            hostFirewall(fix, "ufw", protocol, range);
        } else if (where.length == 3 && where[0].startsWith("ip")) {
            iptables(fix, where[0], where[1], where[2], protocol, ports, source);
        } else if (where.length == 4 && where[0].equals("nftables")) {
            nft(fix, where[1], where[2], where[3], protocol, ports, source);
        } else {
            fix.note("Accept " + upper(protocol) + " " + range + " ahead of the rule in the evidence.");
        }
    }

    private static String upper(String protocol) {
        return protocol.equals("udp") ? "UDP" : "TCP";
    }

    private static void iptables(Snippet fix, String command, String table, String chain, String protocol, PortRange ports,
            String source) {
        Optional<String> t = Shell.identifier(table);
        Optional<String> c = Shell.identifier(chain);
        Optional<String> s = source == null ? Optional.of("") : Shell.cidr(source).map(v -> "-s " + v + " ");
        if (t.isEmpty() || c.isEmpty() || s.isEmpty() || !command.matches("ip6?tables(-legacy|-nft)?")) {
            fix.note("Accept " + upper(protocol) + " " + ports + " ahead of the rule in the evidence.");
            return;
        }
        String p = protocol.equals("udp") ? "udp" : "tcp";
        String match = ports.from() == ports.to() ? "-m " + p + " --dport " + ports.from()
                : "-m multiport --dports " + ports.from() + ":" + ports.to();
        String rule = (t.get().equals("filter") ? "" : "-t " + t.get() + " ") + "%s " + c.get() + " -p " + p + " " + s.get() + match
                + " -j ACCEPT";
        fix.why("Accept " + upper(protocol) + " " + ports + (source == null ? "" : " from " + source) + " at the top of " + table + " " + chain
                + ", ahead of what drops it (added only when missing).")
                .run(command + " " + rule.formatted("-C") + " 2>/dev/null || " + command + " " + rule.formatted("-I"));
        fix.note("Save the rules so they survive a reboot (iptables-save > /etc/iptables/rules.v4 on Debian/Ubuntu, "
                + "/etc/sysconfig/iptables on RHEL).");
    }

    private static void nft(Snippet fix, String family, String table, String chain, String protocol, PortRange ports,
            String source) {
        Optional<String> f = Shell.identifier(family);
        Optional<String> t = Shell.identifier(table);
        Optional<String> c = Shell.identifier(chain);
        Optional<String> s = source == null ? Optional.of("") : Shell.cidr(source).map(v -> "ip saddr " + v + " ");
        if (f.isEmpty() || t.isEmpty() || c.isEmpty() || s.isEmpty()) {
            fix.note("An nftables chain in the evidence has a name netready will not put in a command; accept "
                    + protocol + " dport " + ports + " at its top by hand.");
            return;
        }
        String p = protocol.equals("udp") ? "udp" : "tcp";
        fix.why("Accept " + upper(protocol) + " " + ports + " at the top of the chain " + c.get() + " of " + f.get() + " " + t.get() + ".")
                .run("nft insert rule " + f.get() + " " + Shell.arg(t.get()) + " " + Shell.arg(c.get()) + " " + s.get()
                        + p + " dport " + ports + " accept");
        fix.note("Add the rule to /etc/nftables.conf too, or it is gone after a reboot.");
    }

    static void hostFirewall(Snippet fix, String firewall, String protocol, String range) {
        String p = protocol.equals("udp") ? "udp" : "tcp";
        if (firewall.equals("firewalld")) {
            fix.why("Open " + upper(protocol) + " " + range + " in firewalld's default zone, now and permanently.")
                    .run("firewall-cmd --permanent --add-port=" + range + "/" + p)
                    .run("firewall-cmd --reload");
        } else {
            fix.why("Allow " + upper(protocol) + " " + range + " through ufw.").run("ufw allow " + range.replace('-', ':') + "/" + p);
        }
    }
}
