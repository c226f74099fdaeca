package io.netready.diff;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

import io.netready.facts.CniConfig;
import io.netready.facts.IptablesRuleset;
import io.netready.facts.NetInterface;
import io.netready.facts.Listener;
import io.netready.facts.NftRuleset;
import io.netready.facts.NodeFacts;
import io.netready.facts.PortRange;
import io.netready.facts.ReachabilityAttempt;
import io.netready.facts.Route;

/**
 * A node's facts as comparable lines, by group: what a diff between two runs (or two nodes) compares. Volatile
 * values (conntrack count, neighbour states) are left out so a diff shows changes, not noise, and so are client-side
 * sockets and ephemeral loopback listeners ({@link #clientSideOrEphemeral}). Groups are sorted sets of
 * lines, except the firewall: its rules keep their order, because the order decides what a packet meets first.
 */
public final class FactLines {

    public static final String INTERFACES = "interfaces";
    public static final String ADDRESSES = "addresses";
    public static final String ROUTES = "routes";
    public static final String LISTENERS = "listeners";
    public static final String SYSCTLS = "sysctls";
    public static final String MODULES = "modules";
    public static final String FIREWALL = "firewall";
    public static final String CNI = "cni";
    public static final String DNS = "dns";
    /** "ADDRESS PORT: OUTCOME" of each peer the node tried, from the {@code reachability} section (never its timings). */
    public static final String REACHABILITY = "reachability";

    private FactLines() {
    }

    public static Map<String, List<String>> of(NodeFacts facts) {
        Map<String, Collection<String>> groups = new LinkedHashMap<>();
        SortedSet<String> interfaces = group(groups, INTERFACES);
        SortedSet<String> addresses = group(groups, ADDRESSES);
        facts.interfaces().asOptional().ifPresent(list -> {
            for (NetInterface nic : list) {
                interfaces.add(nic.name() + " " + nic.kind() + " " + (nic.up() ? "up" : "down") + " mtu " + nic.mtu()
                        + (nic.mac() == null ? "" : " " + nic.mac()));
                nic.addresses().stream().filter(a -> !"link".equals(a.scope()))
                        .forEach(a -> addresses.add(nic.name() + " " + a.cidr()));
            }
        });
        SortedSet<String> routes = group(groups, ROUTES);
        facts.routes().asOptional().ifPresent(list -> list.forEach(r -> routes.add(route(r))));
        facts.routes6().asOptional().ifPresent(list -> list.forEach(r -> routes.add(route(r))));
        SortedSet<String> listeners = group(groups, LISTENERS);
        PortRange ephemeral = ephemeralPorts(facts);
        facts.listeners().asOptional().ifPresent(list -> list.stream().filter(l -> !clientSideOrEphemeral(l, ephemeral))
                .forEach(l -> listeners.add(l.protocol() + " " + l.address() + ":" + l.port()
                        + (l.process() == null ? "" : " " + l.process()))));
        SortedSet<String> sysctls = group(groups, SYSCTLS);
        facts.sysctls().asOptional().ifPresent(map -> map.forEach((k, v) -> {
            if (!k.endsWith("nf_conntrack_count")) {
                sysctls.add(k + " = " + v);
            }
        }));
        SortedSet<String> modules = group(groups, MODULES);
        facts.modules().asOptional().ifPresent(modules::addAll);
        List<String> firewall = new ArrayList<>();
        groups.put(FIREWALL, firewall);
        facts.iptables().asOptional().ifPresent(r -> addIptables(firewall, r));
        facts.nftables().asOptional().ifPresent(r -> addNft(firewall, r));
        facts.firewalld().asOptional().ifPresent(f -> firewall.add("firewalld " + (f.active() ? "active" : "inactive")));
        facts.ufw().asOptional().ifPresent(f -> firewall.add("ufw " + (f.active() ? "active" : "inactive")));
        SortedSet<String> cni = group(groups, CNI);
        facts.cniConfigs().asOptional().ifPresent(list -> list.forEach(c -> cni.add(cni(c))));
        facts.cniBinaries().asOptional().ifPresent(bins -> cni.add("plugins in /opt/cni/bin: " + String.join(" ", new TreeSet<>(bins))));
        SortedSet<String> dns = group(groups, DNS);
        facts.resolver().asOptional().ifPresent(r -> {
            r.nameservers().forEach(ns -> dns.add("nameserver " + ns));
            if (!r.search().isEmpty()) {
                dns.add("search " + String.join(" ", r.search()));
            }
        });
        List<String> reachability = new ArrayList<>();
        groups.put(REACHABILITY, reachability);
        // Only the outcomes: the seconds of reachability-times differ on every run.
        facts.reachability().asOptional().ifPresent(attempts -> attempts.stream()
                .sorted(java.util.Comparator.comparing((ReachabilityAttempt a) -> a.address()).thenComparingInt(ReachabilityAttempt::port))
                .forEach(a -> reachability.add(a.address() + " " + a.port() + KEY_END + a.outcome().word())));
        Map<String, List<String>> lines = new LinkedHashMap<>();
        groups.forEach((name, group) -> lines.put(name, List.copyOf(group)));
        return lines;
    }

    /** The kernel's default {@code net.ipv4.ip_local_port_range}, for a report that does not carry it. */
    static final PortRange DEFAULT_EPHEMERAL = new PortRange(32768, 60999);

    /** The node's ephemeral port range: its {@code net.ipv4.ip_local_port_range}, else the kernel's default. */
    static PortRange ephemeralPorts(NodeFacts facts) {
        return facts.sysctl("net.ipv4.ip_local_port_range").map(range -> {
            String[] bounds = range.trim().split("\\s+");
            if (bounds.length == 2 && bounds[0].matches("\\d{1,5}") && bounds[1].matches("\\d{1,5}")) {
                int from = Integer.parseInt(bounds[0]);
                int to = Integer.parseInt(bounds[1]);
                return from <= to ? new PortRange(from, to) : null;
            }
            return null;
        }).orElse(DEFAULT_EPHEMERAL);
    }

    /**
     * Sockets a listener diff leaves out: they say nothing about what the node serves, and they change on every run.
     * <ul>
     * <li><b>Client-side sockets</b>: a socket with a peer (its remote end is an address and port, not {@code *}), e.g.
     * a connected UDP socket of a resolver, or any line in a state other than listening. {@code ss -l} and
     * {@code netstat -l} list few of them, but other forms of the section may, and they are another program's
     * conversation, not a service.</li>
     * <li><b>Ephemeral listeners on loopback</b>: a port inside the node's ephemeral range
     * ({@code net.ipv4.ip_local_port_range} where the report has it, else the kernel's 32768-60999) bound to
     * 127.0.0.0/8 or ::1. The kernel hands out those ports to whoever binds port 0 (containerd's CRI streaming server,
     * an editor's language server, a browser's debugging port): a new one on every restart of that process, and no peer
     * or pod can reach it.</li>
     * </ul>
     * Kept: every listener on a fixed port (10248, 10257, 10259, 2381 on loopback included), and ephemeral-range ports
     * bound to any other address — the network can reach those, so a new one is worth a look however it was chosen.
     */
    static boolean clientSideOrEphemeral(Listener listener, PortRange ephemeral) {
        String[] t = listener.raw().strip().split("\\s+");
        boolean netstat = t.length > 1 && t[1].matches("\\d+");
        String state = netstat ? (t.length > 5 && !t[5].matches("\\d+/.*|-") ? t[5] : "") : t.length > 1 ? t[1] : "";
        String peer = netstat ? (t.length > 4 ? t[4] : "") : t.length > 5 ? t[5] : "";
        boolean listening = state.isEmpty() || state.equals("LISTEN") || state.equals("UNCONN") || state.equals("CLOSE");
        boolean hasPeer = !peer.isEmpty() && !peer.endsWith(":*") && !peer.endsWith(":0") && !peer.equals("*");
        if (!listening || hasPeer) {
            return true;
        }
        return ephemeral.contains(listener.port()) && loopback(listener.address());
    }

    private static boolean loopback(String address) {
        String a = address.startsWith("[") && address.endsWith("]") ? address.substring(1, address.length() - 1) : address;
        int zone = a.indexOf('%');
        a = zone < 0 ? a : a.substring(0, zone);
        return a.startsWith("127.") || a.equals("::1") || a.startsWith("::ffff:127.") || a.equals("localhost");
    }

    /** Where a keyed group's key ends and its value starts. */
    static final String KEY_END = ": ";

    /** Whether the group's lines are "KEY: VALUE" (a diff then shows a changed value as one line). */
    public static boolean isKeyed(String group) {
        return REACHABILITY.equals(group);
    }

    /** Whether the group's order matters (a diff then also shows lines that moved). */
    public static boolean isOrdered(String group) {
        return FIREWALL.equals(group);
    }

    /** The chain a firewall line belongs to ("iptables INPUT", "nft inet filter input"), or null for other lines. */
    static String chainOf(String line) {
        if (line.startsWith("iptables -A ")) {
            int end = line.indexOf(' ', 12);
            return "iptables " + (end < 0 ? line.substring(12) : line.substring(12, end));
        }
        int colon = line.indexOf(": ");
        return line.startsWith("nft ") && colon > 0 ? line.substring(0, colon) : null;
    }

    private static SortedSet<String> group(Map<String, Collection<String>> groups, String name) {
        SortedSet<String> group = new TreeSet<>();
        groups.put(name, group);
        return group;
    }

    private static String route(Route r) {
        return r.destination() + (r.gateway() == null ? "" : " via " + r.gateway())
                + (r.device() == null ? "" : " dev " + r.device());
    }

    private static void addIptables(List<String> lines, IptablesRuleset rules) {
        rules.policies().forEach((chain, policy) -> lines.add("iptables :" + chain + " " + policy));
        // Counters differ run to run; the rule text is what matters.
        rules.rules().forEach(rule -> lines.add("iptables " + rule.raw().replaceAll("\\[\\d+:\\d+\\]\\s*", "")));
    }

    private static void addNft(List<String> lines, NftRuleset ruleset) {
        for (NftRuleset.Chain chain : ruleset.chains()) {
            String prefix = "nft " + chain.family() + " " + chain.table() + " " + chain.name();
            if (chain.hook() != null) {
                lines.add(prefix + " hook " + chain.hook() + " policy " + chain.policy());
            }
            chain.rules().forEach(rule -> lines.add(prefix + ": " + rule.replaceAll("counter packets \\d+ bytes \\d+ ?", "")));
        }
    }

    private static String cni(CniConfig config) {
        return config.file() + (config.isValid() ? ": " + String.join(", ", config.pluginTypes())
                + (config.subnets().isEmpty() ? "" : " subnets " + String.join(", ", config.subnets()))
                : ": invalid (" + config.problem() + ")");
    }
}
