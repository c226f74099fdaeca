package io.netready.facts.firewall;

import java.util.ArrayList;
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
 * iptables-restore input (for iptables-nft and iptables-legacy alike) over the matches and targets of issue 13: raw
 * PREROUTING, mangle PREROUTING and INPUT, filter INPUT, nested user chains, policies, jumps and gotos. Every text is
 * one the loaders take: what a table cannot hold (REJECT outside filter, CT outside raw, a jump round a loop) is
 * replaced when the text is written, not filtered out, so shrinking keeps working.
 */
final class IptablesGrammar {

    /** A chain a rule can go into: a built-in one on a hook, or a user chain (hook null). */
    record Chain(String table, String name, String hook, int priority) {

        boolean builtIn() {
            return hook != null;
        }
    }

    static final List<Chain> CHAINS = List.of(
            new Chain("raw", "PREROUTING", "prerouting", -300),
            new Chain("mangle", "PREROUTING", "prerouting", -150),
            new Chain("mangle", "INPUT", "input", -150),
            new Chain("filter", "INPUT", "input", 0),
            new Chain("raw", "cali-PREROUTING", null, 0),
            new Chain("mangle", "cali-mangle-INPUT", null, 0),
            new Chain("filter", "KUBE-FIREWALL", null, 0),
            new Chain("filter", "cali-INPUT", null, 0),
            new Chain("filter", "f2b-sshd", null, 0));

    private static final List<String> TABLES = List.of("raw", "mangle", "filter");
    private static final Map<String, List<String>> BUILT_IN = Map.of(
            "raw", List.of("PREROUTING", "OUTPUT"),
            "mangle", List.of("PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"),
            "filter", List.of("INPUT", "FORWARD", "OUTPUT"));

    enum Target { ACCEPT, DROP, REJECT, REJECT_RESET, LOG, MARK, MARK_4000, NOTRACK, RETURN, JUMP, GOTO, NONE }

    /**
     * One match: which option it is ("s", "d", "i": a rule holds each at most once, written before -p; else the text
     * itself), its text, what packet state it reads ("mark", "ct" or null) and, for a construct no evaluator can be
     * asked to decide, why.
     */
    record Match(String option, String text, String reads, String undecidable) {

        static Match of(String text) {
            return new Match(text, text, null, null);
        }
    }

    /** A rule before it is written: which chain, protocol ("" none), port match ("" none), matches, target. */
    record Rule(int chain, String protocol, String port, List<Match> matches, Target target, int jump) {
    }

    /** The policies of the built-in chains that can have DROP: raw PREROUTING, mangle PREROUTING and INPUT, filter INPUT. */
    record Policies(boolean raw, boolean manglePrerouting, boolean mangleInput, boolean filterInput) {
    }

    private IptablesGrammar() {
    }

    /** A part of one to maxRules rules; label names the loader in the reasons ("iptables-nft", "iptables-legacy"). */
    static Arbitrary<GeneratedRuleset.Part> part(String label, int maxRules) {
        return Combinators.combine(rule().list().ofMinSize(1).ofMaxSize(maxRules)
                .withSizeDistribution(RandomDistribution.uniform()), policies())
                .as((rules, policies) -> write(label, rules, policies));
    }

    static Arbitrary<Rule> rule() {
        Arbitrary<Integer> chain = Arbitraries.frequency(Tuple.of(1, 0), Tuple.of(1, 1), Tuple.of(1, 2), Tuple.of(6, 3),
                Tuple.of(1, 4), Tuple.of(1, 5), Tuple.of(2, 6), Tuple.of(2, 7), Tuple.of(1, 8));
        Arbitrary<String> protocol = Arbitraries.frequency(Tuple.of(5, ""), Tuple.of(4, "tcp"), Tuple.of(1, "udp"));
        Arbitrary<Target> target = Arbitraries.frequency(Tuple.of(4, Target.ACCEPT), Tuple.of(3, Target.DROP),
                Tuple.of(2, Target.REJECT), Tuple.of(2, Target.REJECT_RESET), Tuple.of(1, Target.LOG),
                Tuple.of(2, Target.MARK), Tuple.of(1, Target.MARK_4000), Tuple.of(1, Target.NOTRACK),
                Tuple.of(1, Target.RETURN), Tuple.of(3, Target.JUMP), Tuple.of(2, Target.GOTO),
                Tuple.of(1, Target.NONE));
        return Combinators.combine(chain, protocol, port(), match().list().ofMaxSize(3), target,
                Arbitraries.integers().between(0, 5)).as(Rule::new);
    }

    static Arbitrary<Policies> policies() {
        Arbitrary<Boolean> rare = Arbitraries.frequency(Tuple.of(9, false), Tuple.of(1, true));
        Arbitrary<Boolean> often = Arbitraries.frequency(Tuple.of(2, false), Tuple.of(1, true));
        return Combinators.combine(rare, rare, rare, often).as(Policies::new);
    }

    static Arbitrary<String> port() {
        Arbitrary<String> port = Arbitraries.of(Vocabulary.PORTS).map(String::valueOf);
        Arbitrary<String> range = Arbitraries.of(Vocabulary.RANGES).map(r -> r[0] + ":" + r[1]);
        Arbitrary<String> list = Arbitraries.oneOf(port, range).list().ofMinSize(1).ofMaxSize(3)
                .map(items -> String.join(",", items));
        return Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just("")), Tuple.of(3, port.map(p -> "--dport " + p)),
                Tuple.of(1, port.map(p -> "! --dport " + p)), Tuple.of(1, range.map(r -> "--dport " + r)),
                Tuple.of(1, range.map(r -> "! --dport " + r)), Tuple.of(2, list.map(l -> "-m multiport --dports " + l)),
                Tuple.of(1, list.map(l -> "-m multiport ! --dports " + l)));
    }

    static Arbitrary<Match> match() {
        Arbitrary<String> address = Arbitraries.of(Vocabulary.ADDRESSES);
        Arbitrary<String> negatable = address.filter(a -> !a.equals("0.0.0.0/0"));
        Arbitrary<String> iface = Arbitraries.of("eth0", "eth1", "cali+", "eth+", "lo");
        return Arbitraries.frequencyOf(
                Tuple.of(3, address.map(a -> new Match("s", "-s " + a, null, null))),
                Tuple.of(1, negatable.map(a -> new Match("s", "! -s " + a, null, null))),
                Tuple.of(2, address.map(a -> new Match("d", "-d " + a, null, null))),
                Tuple.of(1, negatable.map(a -> new Match("d", "! -d " + a, null, null))),
                Tuple.of(3, iface.map(i -> new Match("i", "-i " + i, null, null))),
                Tuple.of(1, iface.map(i -> new Match("i", "! -i " + i, null, null))),
                Tuple.of(5, Arbitraries.of("-m conntrack --ctstate NEW", "-m conntrack --ctstate RELATED,ESTABLISHED",
                        "-m conntrack --ctstate INVALID", "-m conntrack ! --ctstate NEW",
                        "-m conntrack --ctstate UNTRACKED", "-m state --state NEW",
                        "-m state --state RELATED,ESTABLISHED").map(m -> new Match(m, m, "ct", null))),
                Tuple.of(2, Arbitraries.of("kubernetes firewall for dropping marked packets", "-j DROP", "would drop",
                        "cali:\\\"x\\\" -j ACCEPT").map(c -> Match.of("-m comment --comment \"" + c + "\""))),
                Tuple.of(2, Arbitraries.of("-m addrtype --dst-type LOCAL", "-m addrtype ! --dst-type LOCAL",
                        "-m addrtype --src-type LOCAL").map(Match::of)),
                Tuple.of(3, Arbitraries.of("-m mark --mark 0x8000/0x8000", "-m mark ! --mark 0x8000/0x8000",
                        "-m mark --mark 0x4000/0x4000").map(m -> new Match(m, m, "mark", null))),
                Tuple.of(1, Arbitraries.of(
                        new Match("statistic", "-m statistic --mode random --probability 0.5", null,
                                "-m statistic --mode random: chance decides"),
                        new Match("u32", "-m u32 --u32 \"0x0>>0x16&0x3c@0xc>>0x1a&0x3f=0x2\"", null,
                                "-m u32: raw packet bytes"),
                        new Match("recent", "-m recent --rcheck --name nrf", null, "-m recent: a list kept in the kernel"),
                        new Match("string", "-m string --string \"GET\" --algo bm", null, "-m string: the payload"),
                        new Match("limit", "-m limit --limit 1/sec", null, "-m limit: a rate"))));
    }

    /** The restore text of the given rules, with the base chains' effects and what in it cannot be decided. */
    static GeneratedRuleset.Part write(String label, List<Rule> rules, Policies policies) {
        Map<Chain, List<String>> lines = new LinkedHashMap<>();
        Map<Chain, Set<Chain>> calls = new LinkedHashMap<>();
        Map<Chain, Set<String>> writes = new LinkedHashMap<>();
        Map<Chain, Set<String>> reads = new LinkedHashMap<>();
        Set<String> tables = new LinkedHashSet<>();
        Set<Chain> used = new LinkedHashSet<>();
        List<String> undecidable = new ArrayList<>();
        for (Rule rule : rules) {
            Chain chain = CHAINS.get(rule.chain());
            tables.add(chain.table());
            used.add(chain);
            Target target = target(chain, rule.target());
            String targetText = switch (target) {
                case ACCEPT, DROP, REJECT, RETURN -> "-j " + target;
                case REJECT_RESET -> "-j REJECT --reject-with tcp-reset";
                case LOG -> "-j LOG --log-prefix \"would drop \"";
                case MARK -> "-j MARK --set-xmark 0x8000/0x8000";
                case MARK_4000 -> "-j MARK --set-mark 0x4000";
                case NOTRACK -> "-j CT --notrack";
                case NONE -> "";
                case JUMP, GOTO -> {
                    List<Chain> callable = callable(chain);
                    if (callable.isEmpty()) {
                        yield "-j RETURN";
                    }
                    Chain callee = callable.get(rule.jump() % callable.size());
                    used.add(callee);
                    calls.computeIfAbsent(chain, c -> new LinkedHashSet<>()).add(callee);
                    yield (target == Target.JUMP ? "-j " : "-g ") + callee.name();
                }
            };
            if (target == Target.MARK || target == Target.MARK_4000) {
                writes.computeIfAbsent(chain, c -> new LinkedHashSet<>()).add("mark");
            }
            if (target == Target.NOTRACK) {
                writes.computeIfAbsent(chain, c -> new LinkedHashSet<>()).add("ct");
            }
            String protocol = target == Target.REJECT_RESET ? "tcp" : rule.protocol();
            StringBuilder line = new StringBuilder("-A ").append(chain.name());
            Set<String> options = new LinkedHashSet<>();
            List<Match> kept = new ArrayList<>();
            for (Match match : rule.matches()) {
                if (options.add(match.option())) {
                    kept.add(match);
                }
            }
            kept.stream().filter(m -> m.option().length() == 1).forEach(m -> line.append(' ').append(m.text()));
            if (!protocol.isEmpty()) {
                line.append(" -p ").append(protocol);
                if (!rule.port().isEmpty()) {
                    line.append(' ').append(rule.port());
                }
            }
            kept.stream().filter(m -> m.option().length() > 1).forEach(m -> line.append(' ').append(m.text()));
            if (!targetText.isEmpty()) {
                line.append(' ').append(targetText);
            }
            for (Match match : kept) {
                if (match.reads() != null) {
                    reads.computeIfAbsent(chain, c -> new LinkedHashSet<>()).add(match.reads());
                }
                if (match.undecidable() != null) {
                    undecidable.add(label + ": " + match.undecidable() + " (" + line + ")");
                }
            }
            lines.computeIfAbsent(chain, c -> new ArrayList<>()).add(line.toString());
        }
        if (policies.filterInput()) {
            tables.add("filter");
        }
        if (tables.isEmpty()) {
            return GeneratedRuleset.Part.EMPTY;
        }
        StringBuilder text = new StringBuilder();
        List<GeneratedRuleset.BaseChain> baseChains = new ArrayList<>();
        for (String table : TABLES) {
            if (!tables.contains(table)) {
                continue;
            }
            text.append('*').append(table).append('\n');
            for (String name : BUILT_IN.get(table)) {
                text.append(':').append(name).append(' ').append(drop(policies, table, name) ? "DROP" : "ACCEPT")
                        .append(" [0:0]\n");
            }
            for (Chain chain : CHAINS) {
                if (chain.table().equals(table) && !chain.builtIn() && used.contains(chain)) {
                    text.append(':').append(chain.name()).append(" - [0:0]\n");
                }
            }
            for (Chain chain : CHAINS) {
                if (chain.table().equals(table)) {
                    lines.getOrDefault(chain, List.of()).forEach(l -> text.append(l).append('\n'));
                }
            }
            text.append("COMMIT\n");
            for (Chain chain : CHAINS) {
                if (chain.table().equals(table) && chain.builtIn()) {
                    Set<Chain> reach = reach(chain, calls);
                    baseChains.add(new GeneratedRuleset.BaseChain(label + " " + table + " " + chain.name(),
                            chain.hook(), chain.priority(), union(reach, writes), union(reach, reads)));
                }
            }
        }
        return new GeneratedRuleset.Part(text.toString(), baseChains, undecidable, rules.size());
    }

    /** What a table can hold: REJECT only in filter, CT only in raw. */
    private static Target target(Chain chain, Target target) {
        if ((target == Target.REJECT || target == Target.REJECT_RESET) && !chain.table().equals("filter")) {
            return Target.DROP;
        }
        if (target == Target.NOTRACK && !chain.table().equals("raw")) {
            return Target.LOG;
        }
        return target;
    }

    /** The user chains a rule in this chain may call without a loop: those of its table listed after it. */
    private static List<Chain> callable(Chain from) {
        List<Chain> callable = new ArrayList<>();
        for (Chain chain : CHAINS.subList(CHAINS.indexOf(from) + 1, CHAINS.size())) {
            if (!chain.builtIn() && chain.table().equals(from.table())) {
                callable.add(chain);
            }
        }
        return callable;
    }

    private static boolean drop(Policies policies, String table, String chain) {
        return switch (table + " " + chain) {
            case "raw PREROUTING" -> policies.raw();
            case "mangle PREROUTING" -> policies.manglePrerouting();
            case "mangle INPUT" -> policies.mangleInput();
            case "filter INPUT" -> policies.filterInput();
            default -> false;
        };
    }

    static <C> Set<C> reach(C start, Map<C, Set<C>> calls) {
        Set<C> reach = new LinkedHashSet<>();
        List<C> todo = new ArrayList<>(List.of(start));
        while (!todo.isEmpty()) {
            C next = todo.remove(todo.size() - 1);
            if (reach.add(next)) {
                todo.addAll(calls.getOrDefault(next, Set.of()));
            }
        }
        return reach;
    }

    static <C> List<String> union(Set<C> chains, Map<C, Set<String>> effects) {
        Set<String> all = new LinkedHashSet<>();
        chains.forEach(c -> all.addAll(effects.getOrDefault(c, Set.of())));
        return List.copyOf(all);
    }
}
