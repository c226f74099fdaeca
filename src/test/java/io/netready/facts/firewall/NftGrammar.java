package io.netready.facts.firewall;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;

/**
 * nft -f input over the native syntax of issue 13: inet, ip and ip6 tables with filter base chains on input and
 * prerouting at several priorities and policies, regular chains with jump, goto and return, port and address
 * matches, named and anonymous sets, verdict maps, interface names with wildcards, ct state, marks, counters and logs.
 * Every text is one nft takes: a match a family cannot hold (ip saddr in an ip6 table) is left out when the text is
 * written, and sets never hold overlapping intervals.
 */
final class NftGrammar {

    /** A base chain: its family (and so its table), hook, priority (and how it is written) and policy. */
    record Base(String family, String hook, int priority, String priorityText, boolean drop) {
    }

    /**
     * One match: its text, the families that can hold it, the named set it uses ("ports", "peers" or null), what
     * packet state it reads ("mark", "ct" or null) and, for a construct no evaluator can be asked to decide, why.
     */
    record Match(String text, List<String> families, String set, String reads, String undecidable) {

        static Match of(String text) {
            return new Match(text, ALL, null, null, null);
        }

        static Match reads(String text, String reads) {
            return new Match(text, ALL, null, reads, null);
        }

        /** The protocol this match ties the rule to, as layer and name ("4 tcp", "3 ip6"), or null. */
        String protocol() {
            if (text.startsWith("tcp ") || text.equals("meta l4proto tcp")) {
                return "4 tcp";
            }
            if (text.startsWith("udp ") || text.equals("meta l4proto udp")) {
                return "4 udp";
            }
            if (text.equals("meta l4proto { tcp, udp }")) {
                return "4 tcp or udp";
            }
            if (text.startsWith("ip ") || text.equals("meta nfproto ipv4")) {
                return "3 ip";
            }
            return text.startsWith("ip6 ") || text.equals("meta nfproto ipv6") ? "3 ip6" : null;
        }
    }

    enum Verdict { ACCEPT, DROP, REJECT, REJECT_RESET, MARK_SET, MARK_OR, JUMP, GOTO, RETURN, VMAP, NONE }

    /** A rule before it is written: its chain (an index into the part's chains), matches, statements and verdict. */
    record Rule(int chain, List<Match> matches, boolean counter, boolean log, Verdict verdict, int jump, String vmap) {
    }

    /** A chain of the part: a base chain (base not null) or a regular one of a family's table. */
    private record Chain(String family, String name, Base base) {
    }

    private static final List<String> ALL = List.of("inet", "ip", "ip6");
    private static final List<String> IPV4 = List.of("inet", "ip");
    private static final List<String> IPV6 = List.of("inet", "ip6");
    private static final Map<String, String> TABLE = Map.of("inet", "netready", "ip", "kube-proxy", "ip6", "netready6");
    private static final List<String> REGULAR = List.of("allow", "deny");

    private NftGrammar() {
    }

    /** A part of one to three base chains and one to maxRules rules. */
    static Arbitrary<GeneratedRuleset.Part> part(int maxRules) {
        return Combinators.combine(base().list().ofMinSize(1).ofMaxSize(3), rule().list().ofMinSize(1).ofMaxSize(maxRules)
                .withSizeDistribution(RandomDistribution.uniform()),
                portElements(), Arbitraries.of("10.231.7.0/24", "10.231.7.2, 192.168.77.0/24",
                        "127.0.0.0/8, 10.231.8.0/24", "192.168.77.0/24"))
                .as(NftGrammar::write);
    }

    static Arbitrary<Base> base() {
        Arbitrary<String> family = Arbitraries.frequency(Tuple.of(4, "inet"), Tuple.of(3, "ip"), Tuple.of(1, "ip6"));
        Arbitrary<String> hook = Arbitraries.frequency(Tuple.of(3, "input"), Tuple.of(2, "prerouting"));
        Arbitrary<Tuple.Tuple2<Integer, String>> priority = Arbitraries.of(Tuple.of(-300, "-300"), Tuple.of(-300, "raw"),
                Tuple.of(-150, "-150"), Tuple.of(-150, "mangle"), Tuple.of(0, "0"), Tuple.of(0, "filter"),
                Tuple.of(10, "10"), Tuple.of(10, "filter + 10"));
        Arbitrary<Boolean> drop = Arbitraries.frequency(Tuple.of(3, false), Tuple.of(1, true));
        return Combinators.combine(family, hook, priority, drop)
                .as((f, h, p, d) -> new Base(f, h, p.get1(), p.get2(), d));
    }

    static Arbitrary<Rule> rule() {
        Arbitrary<Boolean> counter = Arbitraries.frequency(Tuple.of(2, false), Tuple.of(1, true));
        Arbitrary<Boolean> log = Arbitraries.frequency(Tuple.of(6, false), Tuple.of(1, true));
        Arbitrary<Verdict> verdict = Arbitraries.frequency(Tuple.of(4, Verdict.ACCEPT), Tuple.of(3, Verdict.DROP),
                Tuple.of(2, Verdict.REJECT), Tuple.of(2, Verdict.REJECT_RESET), Tuple.of(2, Verdict.MARK_SET),
                Tuple.of(1, Verdict.MARK_OR), Tuple.of(3, Verdict.JUMP), Tuple.of(2, Verdict.GOTO),
                Tuple.of(1, Verdict.RETURN), Tuple.of(2, Verdict.VMAP), Tuple.of(1, Verdict.NONE));
        return Combinators.combine(Arbitraries.integers().between(0, 8), match().list().ofMaxSize(3), counter, log,
                verdict, Arbitraries.integers().between(0, 5), vmap()).as(Rule::new);
    }

    static Arbitrary<Match> match() {
        Arbitrary<String> port = Arbitraries.of(Vocabulary.PORTS).map(String::valueOf);
        Arbitrary<String> range = Arbitraries.of(Vocabulary.RANGES).map(r -> r[0] + "-" + r[1]);
        Arbitrary<String> anonymous = Arbitraries.oneOf(port, range).list().ofMinSize(1).ofMaxSize(3)
                .map(items -> "{ " + String.join(", ", items) + " }");
        Arbitrary<String> address = Arbitraries.of(Vocabulary.ADDRESSES).filter(a -> !a.equals("0.0.0.0/0"));
        Arbitrary<String> iface = Arbitraries.of("\"eth0\"", "\"eth1\"", "\"cali*\"", "\"eth*\"", "\"lo\"");
        return Arbitraries.frequencyOf(
                Tuple.of(3, port.map(p -> Match.of("tcp dport " + p))),
                Tuple.of(1, port.map(p -> Match.of("tcp dport != " + p))),
                Tuple.of(1, range.map(r -> Match.of("tcp dport " + r))),
                Tuple.of(2, anonymous.map(s -> Match.of("tcp dport " + s))),
                Tuple.of(1, anonymous.map(s -> Match.of("tcp dport != " + s))),
                Tuple.of(2, Arbitraries.just(new Match("tcp dport @ports", ALL, "ports", null, null))),
                Tuple.of(1, port.map(p -> Match.of("th dport " + p))),
                Tuple.of(1, port.map(p -> Match.of("udp dport " + p))),
                Tuple.of(2, Arbitraries.of("meta l4proto tcp", "meta l4proto udp", "meta l4proto { tcp, udp }")
                        .map(Match::of)),
                Tuple.of(3, address.map(a -> new Match("ip saddr " + a, IPV4, null, null, null))),
                Tuple.of(1, address.map(a -> new Match("ip saddr != " + a, IPV4, null, null, null))),
                Tuple.of(1, Arbitraries.just(new Match("ip saddr @peers", IPV4, "peers", null, null))),
                Tuple.of(2, address.map(a -> new Match("ip daddr " + a, IPV4, null, null, null))),
                Tuple.of(1, Arbitraries.of("ip6 saddr fd00::/64", "ip6 daddr ::1")
                        .map(m -> new Match(m, IPV6, null, null, null))),
                Tuple.of(1, Arbitraries.of("meta nfproto ipv4", "meta nfproto ipv6")
                        .map(m -> new Match(m, List.of("inet"), null, null, null))),
                Tuple.of(3, iface.map(i -> Match.of("iifname " + i))),
                Tuple.of(1, iface.map(i -> Match.of("iifname != " + i))),
                Tuple.of(1, Arbitraries.of("iif \"eth0\"", "iif \"lo\"").map(Match::of)),
                Tuple.of(4, Arbitraries.of("ct state new", "ct state established,related", "ct state invalid",
                        "ct state untracked", "ct state != established", "ct state { new, untracked }")
                        .map(m -> Match.reads(m, "ct"))),
                Tuple.of(3, Arbitraries.of("meta mark & 0x8000 == 0x8000", "meta mark & 0x8000 != 0x8000",
                        "meta mark 0x4000", "meta mark 0").map(m -> Match.reads(m, "mark"))),
                Tuple.of(1, Arbitraries.just(Match.of("fib daddr type local"))),
                Tuple.of(1, Arbitraries.of(
                        new Match("numgen random mod 2 0", ALL, null, null, "numgen random: chance decides"),
                        new Match("meta cpu 1", ALL, null, null, "meta cpu: the CPU the packet is handled on"),
                        new Match("limit rate 1/second", ALL, null, null, "limit rate: a rate"))));
    }

    /** The elements of the named set "ports": ports and ranges, without overlaps (nft refuses those). */
    static Arbitrary<String> portElements() {
        Arbitrary<int[]> element = Arbitraries.oneOf(Arbitraries.of(Vocabulary.PORTS).map(p -> new int[] {p, p}),
                Arbitraries.of(Vocabulary.RANGES));
        return element.list().ofMinSize(1).ofMaxSize(3).map(NftGrammar::elements);
    }

    /** A verdict map on the destination port: one to three keys without overlaps, each to accept or drop. */
    static Arbitrary<String> vmap() {
        Arbitrary<int[]> key = Arbitraries.oneOf(Arbitraries.of(Vocabulary.PORTS).map(p -> new int[] {p, p}),
                Arbitraries.of(Vocabulary.RANGES));
        Arbitrary<String> verdict = Arbitraries.of("accept", "drop");
        return Combinators.combine(key, verdict).as((k, v) -> Tuple.of(k, v)).list().ofMinSize(1).ofMaxSize(3)
                .map(entries -> {
                    List<int[]> kept = new ArrayList<>();
                    List<String> written = new ArrayList<>();
                    for (Tuple.Tuple2<int[], String> entry : entries) {
                        if (kept.stream().noneMatch(k -> overlap(k, entry.get1()))) {
                            kept.add(entry.get1());
                            written.add(element(entry.get1()) + " : " + entry.get2());
                        }
                    }
                    return "tcp dport vmap { " + String.join(", ", written) + " }";
                });
    }

    /** Whether a tcp reset or a tcp dport vmap may follow: no layer 4 protocol named yet, or tcp. */
    private static boolean tcpOrNone(Map<Character, String> protocols) {
        return protocols.getOrDefault('4', "4 tcp").equals("4 tcp");
    }

    private static String elements(List<int[]> elements) {
        List<int[]> sorted = new ArrayList<>(elements);
        sorted.sort(Comparator.comparingInt(e -> e[0]));
        List<int[]> kept = new ArrayList<>();
        for (int[] e : sorted) {
            if (kept.stream().noneMatch(k -> overlap(k, e))) {
                kept.add(e);
            }
        }
        return String.join(", ", kept.stream().map(NftGrammar::element).toList());
    }

    private static boolean overlap(int[] a, int[] b) {
        return a[0] <= b[1] && b[0] <= a[1];
    }

    private static String element(int[] e) {
        return e[0] == e[1] ? String.valueOf(e[0]) : e[0] + "-" + e[1];
    }

    /** The nft text, with the base chains' effects and what in it cannot be decided. */
    static GeneratedRuleset.Part write(List<Base> bases, List<Rule> rules, String ports, String peers) {
        List<Chain> chains = new ArrayList<>();
        Set<String> families = new LinkedHashSet<>();
        for (int i = 0; i < bases.size(); i++) {
            Base base = bases.get(i);
            chains.add(new Chain(base.family(), base.hook() + "_" + i, base));
            families.add(base.family());
        }
        for (String family : families) {
            REGULAR.forEach(name -> chains.add(new Chain(family, name, null)));
        }
        Map<Chain, List<String>> lines = new LinkedHashMap<>();
        Map<Chain, Set<Chain>> calls = new LinkedHashMap<>();
        Map<Chain, Set<String>> writes = new LinkedHashMap<>();
        Map<Chain, Set<String>> reads = new LinkedHashMap<>();
        Set<Chain> used = new LinkedHashSet<>();
        Map<String, Set<String>> sets = new LinkedHashMap<>();
        List<String> undecidable = new ArrayList<>();
        for (Rule rule : rules) {
            Chain chain = chains.get(rule.chain() % chains.size());
            used.add(chain);
            List<String> words = new ArrayList<>();
            Map<Character, String> protocols = new LinkedHashMap<>();
            for (Match match : rule.matches()) {
                String protocol = match.protocol();
                if (!match.families().contains(chain.family()) || (protocol != null
                        && !protocols.getOrDefault(protocol.charAt(0), protocol).equals(protocol))) {
                    // nft refuses a match of another family, and tcp after udp or ip6 after ip ("conflicting protocols")
                    continue;
                }
                if (protocol != null) {
                    protocols.put(protocol.charAt(0), protocol);
                }
                words.add(match.text());
                if (match.set() != null) {
                    sets.computeIfAbsent(chain.family(), f -> new LinkedHashSet<>()).add(match.set());
                }
                if (match.reads() != null) {
                    reads.computeIfAbsent(chain, c -> new LinkedHashSet<>()).add(match.reads());
                }
                if (match.undecidable() != null) {
                    undecidable.add("nft: " + match.undecidable() + " (" + match.text() + ")");
                }
            }
            if (rule.counter()) {
                words.add("counter");
            }
            if (rule.log()) {
                words.add("log prefix \"would drop \"");
            }
            switch (rule.verdict()) {
                case ACCEPT -> words.add("accept");
                case DROP -> words.add("drop");
                case REJECT -> words.add("reject");
                case REJECT_RESET -> words.add(tcpOrNone(protocols) ? "reject with tcp reset" : "reject");
                case MARK_SET -> words.add("meta mark set 0x8000");
                case MARK_OR -> words.add("meta mark set meta mark | 0x4000");
                case RETURN -> words.add("return");
                case VMAP -> words.add(tcpOrNone(protocols) ? rule.vmap() : "drop");
                case NONE -> {
                    if (words.isEmpty()) {
                        words.add("counter");
                    }
                }
                case JUMP, GOTO -> {
                    List<Chain> callable = new ArrayList<>();
                    for (Chain c : chains.subList(chains.indexOf(chain) + 1, chains.size())) {
                        if (c.base() == null && c.family().equals(chain.family())) {
                            callable.add(c);
                        }
                    }
                    if (callable.isEmpty()) {
                        words.add("return");
                    } else {
                        Chain callee = callable.get(rule.jump() % callable.size());
                        used.add(callee);
                        calls.computeIfAbsent(chain, c -> new LinkedHashSet<>()).add(callee);
                        words.add((rule.verdict() == Verdict.JUMP ? "jump " : "goto ") + callee.name());
                    }
                }
            }
            if (rule.verdict() == Verdict.MARK_SET || rule.verdict() == Verdict.MARK_OR) {
                writes.computeIfAbsent(chain, c -> new LinkedHashSet<>()).add("mark");
            }
            lines.computeIfAbsent(chain, c -> new ArrayList<>()).add(String.join(" ", words));
        }
        StringBuilder text = new StringBuilder();
        List<GeneratedRuleset.BaseChain> baseChains = new ArrayList<>();
        for (String family : families) {
            text.append("table ").append(family).append(' ').append(TABLE.get(family)).append(" {\n");
            Set<String> named = sets.getOrDefault(family, Set.of());
            if (named.contains("ports")) {
                text.append("  set ports {\n    type inet_service\n    flags interval\n    elements = { ").append(ports)
                        .append(" }\n  }\n");
            }
            if (named.contains("peers")) {
                text.append("  set peers {\n    type ipv4_addr\n    flags interval\n    elements = { ").append(peers)
                        .append(" }\n  }\n");
            }
            for (Chain chain : chains) {
                if (!chain.family().equals(family) || (chain.base() == null && !used.contains(chain))) {
                    continue;
                }
                text.append("  chain ").append(chain.name()).append(" {\n");
                if (chain.base() != null) {
                    Base base = chain.base();
                    text.append("    type filter hook ").append(base.hook()).append(" priority ")
                            .append(base.priorityText()).append("; policy ").append(base.drop() ? "drop" : "accept")
                            .append(";\n");
                }
                lines.getOrDefault(chain, List.of()).forEach(l -> text.append("    ").append(l).append('\n'));
                text.append("  }\n");
                if (chain.base() != null && !family.equals("ip6")) {
                    // an ip6 table's hooks are IPv6's own: an IPv4 packet never meets them
                    Set<Chain> reach = IptablesGrammar.reach(chain, calls);
                    baseChains.add(new GeneratedRuleset.BaseChain("nft " + family + " " + TABLE.get(family) + " "
                            + chain.name(), chain.base().hook(), chain.base().priority(),
                            IptablesGrammar.union(reach, writes), IptablesGrammar.union(reach, reads)));
                }
            }
            text.append("}\n");
        }
        return new GeneratedRuleset.Part(text.toString(), baseChains, undecidable, rules.size());
    }
}
