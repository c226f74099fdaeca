package io.netready.facts.firewall;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

import io.netready.facts.firewall.NftValues.Type;
import io.netready.facts.firewall.Steps.Effect;
import io.netready.facts.firewall.Steps.Lookup;
import io.netready.facts.firewall.Steps.Match;
import io.netready.facts.firewall.Steps.Step;
import io.netready.facts.firewall.Steps.Verdict;

/**
 * One rule of {@code nft list ruleset} compiled to steps, statement by statement: matches ({@code tcp dport { 22, 80-90 }},
 * {@code ip saddr @allowed}, {@code ct state established,related}, {@code meta mark & 0x8000 == 0x8000}), verdict maps,
 * mark and NAT statements, and the verdict. A statement netready does not know makes the rule's match "maybe", so the
 * walk tries both ways; a rule it cannot read at all keeps only its verdict, behind a "maybe".
 */
final class NftRule {

    private static final Set<String> OPS = Set.of("==", "!=", "<", ">", "<=", ">=", "eq", "ne", "lt", "gt", "le", "ge");
    private static final Set<String> PAYLOADS = Set.of("ip", "ip6", "tcp", "udp", "th", "sctp", "dccp", "udplite", "icmp",
            "icmpv6", "ether", "vlan", "arp", "ah", "esp", "comp", "igmp", "gre", "geneve", "vxlan");
    private static final Set<String> BARE_META = Set.of("iif", "oif", "iifname", "oifname", "iiftype", "oiftype", "mark",
            "priority", "skuid", "skgid", "rtclassid", "cpu", "cgroup", "iifgroup", "oifgroup", "l4proto", "nfproto",
            "pkttype", "length", "protocol");
    /** Words that start a statement (or a match), where a limit's or quota's own words end. */
    private static final Set<String> STATEMENTS = Set.of("counter", "log", "accept", "drop", "return", "continue", "reject",
            "jump", "goto", "queue", "comment", "meta", "ct", "notrack", "dnat", "snat", "masquerade", "redirect");
    /** Value absent for this packet: an {@code ip saddr} match on an IPv6 packet, a {@code udp dport} one on TCP. */
    private static final Object NOT_THERE = new Object();

    /** A selector: what it reads from the packet and how its values are written. */
    private record Selector(String name, Type type, boolean tcpFlags, Function<Packet, Object> read) {
        boolean destinationPort() {
            return name.equals("dport");
        }
    }

    /** Sets and maps of the rule's table, by name, as lists of element texts. */
    private final Map<String, List<String>> sets;
    private final List<String> tokens;
    private int at;

    private NftRule(String line, Map<String, List<String>> sets) {
        this.sets = sets;
        this.tokens = NftTokens.split(line);
    }

    static List<Step> compile(String line, Map<String, List<String>> sets) {
        NftRule rule = new NftRule(line, sets);
        try {
            return List.copyOf(rule.steps());
        } catch (RuntimeException unreadable) {
            return List.of((Match) p -> Tri.MAYBE, rule.lastVerdict());
        }
    }

    private List<Step> steps() {
        List<Step> steps = new ArrayList<>();
        while (at < tokens.size()) {
            String t = tokens.get(at);
            switch (t) {
                case "counter" -> skipWords(1, Set.of("packets", "bytes"));
                case "log" -> skipWords(1, Set.of("prefix", "level", "flags", "group", "snaplen", "queue-threshold"));
                case "comment" -> at += 2;
                case "limit", "quota" -> steps.add(limit());
                case "accept" -> add(steps, Verdict.ACCEPT);
                case "drop" -> add(steps, Verdict.DROP);
                case "return" -> add(steps, Verdict.RETURN);
                case "continue" -> add(steps, Verdict.CONTINUE);
                case "reject" -> {
                    rejectFamily().ifPresent(steps::add);
                    steps.add(Verdict.REJECT);
                    at = tokens.size();
                }
                case "jump", "goto" -> {
                    String chain = NftValues.unquote(tokens.get(at + 1));
                    steps.add(t.equals("jump") ? Verdict.jump(chain) : Verdict.goTo(chain));
                    at += 2;
                }
                case "queue" -> {
                    steps.add(Verdict.unknown("queued to a program in user space, which decides"));
                    at = tokens.size();
                }
                case "notrack" -> add(steps, new Effect(Packet::withoutTracking));
                case "dnat", "redirect" -> {
                    steps.add(nat(t));
                    steps.add(Verdict.ACCEPT);
                }
                case "snat", "masquerade" -> {
                    steps.add(Verdict.ACCEPT);
                    at = tokens.size();
                }
                case "xt" -> {
                    boolean target = at + 1 < tokens.size() && tokens.get(at + 1).equals("target");
                    steps.add(target ? Verdict.unknown("an iptables target nft cannot show: " + tokens.get(at + 2))
                            : (Match) p -> Tri.MAYBE);
                    at += 3;
                }
                case "synproxy", "tproxy", "fwd" -> {
                    steps.add(Verdict.unknown(t + " decides outside the rules"));
                    at = tokens.size();
                }
                case "flow" -> at += 3;
                case "add", "update", "delete" -> skipBlock();
                case "dup" -> at = tokens.size();
                default -> steps.add(expression());
            }
        }
        return steps;
    }

    /**
     * A reject that answers with an ICMP type of one family rejects only that family's packets: in an inet table the
     * kernel lists {@code meta nfproto ipv6 reject with icmpv6 port-unreachable} as {@code reject with icmpv6
     * port-unreachable}, the family implied by the answer and no longer shown. {@code icmpx} answers either family.
     */
    private Optional<Match> rejectFamily() {
        if (at + 2 >= tokens.size() || !tokens.get(at + 1).equals("with")) {
            return Optional.empty();
        }
        return switch (tokens.get(at + 2)) {
            case "icmp" -> Optional.of(p -> Tri.of(p.ipv4()));
            case "icmpv6" -> Optional.of(p -> Tri.of(!p.ipv4()));
            default -> Optional.empty();
        };
    }

    private void add(List<Step> steps, Step step) {
        steps.add(step);
        at++;
    }

    private Step limit() {
        at++; // limit or quota: its words run to the next statement
        while (at < tokens.size() && !isStatementStart(tokens.get(at))) {
            at++;
        }
        // whether a rate or quota is exceeded depends on the traffic before this connection, which no dump shows
        return (Match) p -> Tri.MAYBE;
    }

    private static boolean isStatementStart(String t) {
        return STATEMENTS.contains(t) || PAYLOADS.contains(t);
    }

    private void skipWords(int first, Set<String> keyed) {
        at += first;
        while (at < tokens.size() && keyed.contains(tokens.get(at))) {
            at += 2;
        }
    }

    private void skipBlock() {
        int depth = 0;
        while (at < tokens.size()) {
            String t = tokens.get(at++);
            if (t.equals("{")) {
                depth++;
            } else if (t.equals("}") && --depth <= 0) {
                return;
            }
        }
    }

    private Step nat(String kind) {
        at++;
        InetAddress to = null;
        int port = 0;
        if (at < tokens.size() && (tokens.get(at).equals("ip") || tokens.get(at).equals("ip6"))) {
            at++;
        }
        if (at < tokens.size() && tokens.get(at).equals("to")) {
            String target = tokens.get(++at);
            at++;
            if (target.startsWith(":")) {
                port = Ports.first(target.substring(1));
            } else {
                String host = target;
                int colon = target.lastIndexOf(':');
                if (colon > 0 && target.indexOf(':') == colon) {
                    host = target.substring(0, colon);
                    port = Ports.first(target.substring(colon + 1));
                } else if (target.startsWith("[")) {
                    int close = target.indexOf(']');
                    host = target.substring(1, Math.max(1, close));
                    port = close > 0 && target.length() > close + 2 ? Ports.first(target.substring(close + 2)) : 0;
                }
                to = NftValues.address(host).orElse(null);
            }
        }
        at = tokens.size();
        InetAddress address = to;
        int toPort = port;
        boolean redirect = kind.equals("redirect");
        return new Effect(p -> p.translatedTo(redirect ? p.node() : address, toPort));
    }

    /** selector [. selector…] then: {@code set}, {@code vmap}, or [mask] [op] right-hand side. */
    private Step expression() {
        List<Selector> key = new ArrayList<>();
        key.add(selector());
        while (at < tokens.size() && tokens.get(at).equals(".")) {
            at++;
            key.add(selector());
        }
        String next = at < tokens.size() ? tokens.get(at) : "";
        if (next.equals("set")) {
            at++;
            return setStatement(key.get(0));
        }
        if (next.equals("vmap")) {
            at++;
            return vmap(key);
        }
        long mask = -1;
        if (next.equals("&") || next.equals("and")) {
            at++;
            mask = NftValues.flags(tokens.get(at++), key.get(0).tcpFlags()).orElseThrow();
            next = at < tokens.size() ? tokens.get(at) : "";
        }
        String op = null;
        if (OPS.contains(next)) {
            op = next;
            at++;
        }
        List<String> elements = rightHandSide();
        long slashMask = -1;
        if (at < tokens.size() && tokens.get(at).equals("/")) {
            at++;
            slashMask = NftValues.flags(tokens.get(at++), key.get(0).tcpFlags()).orElseThrow();
        }
        return match(key, mask >= 0 ? mask : slashMask, op, elements);
    }

    private Match match(List<Selector> key, long mask, String op, List<String> elements) {
        boolean negated = "!=".equals(op) || "ne".equals(op);
        boolean ordered = op != null && !negated && !op.equals("==") && !op.equals("eq");
        boolean anyBit = op == null && mask < 0 && key.size() == 1 && key.get(0).type() == Type.FLAGS;
        List<NftElement> compiled = compile(key, elements, anyBit);
        NavigableSet<Integer> edges = edges(key, compiled);
        String orderOp = op;
        return new Match() {
            @Override
            public Tri test(Packet p) {
                List<Object> values = values(key, p, mask);
                if (values == null) {
                    return Tri.NO;
                }
                if (ordered) {
                    return compare(values.get(0), orderOp, elements.get(0), key.get(0));
                }
                Tri any = Tri.NO;
                for (NftElement element : compiled) {
                    any = any.or(element.test(values));
                    if (any == Tri.YES) {
                        break;
                    }
                }
                return negated ? any.not() : any;
            }

            @Override
            public boolean readsSource() {
                return key.stream().anyMatch(k -> k.name().equals("saddr"));
            }

            @Override
            public NavigableSet<Integer> portEdges() {
                if (ordered && key.get(0).destinationPort()) {
                    // dport < N: the answer changes at N (and N + 1 for <=, >)
                    NavigableSet<Integer> around = new TreeSet<>();
                    NftValues.number(elements.get(0), false).ifPresent(n -> {
                        around.add((int) Math.min(65536, n));
                        around.add((int) Math.min(65536, n + 1));
                    });
                    return around;
                }
                return edges;
            }
        };
    }

    /** The selectors' values for this packet (masked), or null when one is absent (the match does not apply). */
    private static List<Object> values(List<Selector> key, Packet p, long mask) {
        List<Object> values = new ArrayList<>(key.size());
        for (Selector s : key) {
            Object v = s.read().apply(p);
            if (v == NOT_THERE) {
                return null;
            }
            if (v != null && mask >= 0) {
                // a masked port answers for ports its edges do not bound: left unread
                v = s.destinationPort() ? null : (Object) (((Long) v) & mask);
            }
            values.add(v);
        }
        return values;
    }

    private static List<NftElement> compile(List<Selector> key, List<String> elements, boolean anyBit) {
        List<NftValues.Type> types = key.stream().map(Selector::type).toList();
        List<Boolean> flags = key.stream().map(Selector::tcpFlags).toList();
        List<NftElement> compiled = new ArrayList<>(elements.size());
        for (String element : elements) {
            compiled.add(NftElement.compile(types, flags, element, anyBit));
        }
        return compiled;
    }

    /** Where the answer can change with the destination port: the elements' port ranges; null when no key reads it. */
    private static NavigableSet<Integer> edges(List<Selector> key, List<NftElement> elements) {
        NavigableSet<Integer> edges = null;
        for (int i = 0; i < key.size(); i++) {
            if (key.get(i).destinationPort()) {
                edges = edges == null ? new TreeSet<>() : edges;
                for (NftElement e : elements) {
                    e.addEdges(i, edges);
                }
            }
        }
        return edges;
    }

    private static Tri compare(Object value, String op, String element, Selector s) {
        if (!(value instanceof Long v)) {
            return Tri.MAYBE;
        }
        Optional<Long> n = NftValues.number(element, s.tcpFlags());
        if (n.isEmpty()) {
            return Tri.MAYBE;
        }
        long e = n.get();
        return Tri.of(switch (op) {
            case "<", "lt" -> v < e;
            case ">", "gt" -> v > e;
            case "<=", "le" -> v <= e;
            default -> v >= e;
        });
    }

    /** A value, an anonymous set, or a named set: the element texts to compare with. */
    private List<String> rightHandSide() {
        String t = tokens.get(at);
        if (t.startsWith("@")) {
            at++;
            List<String> named = sets.get(t.substring(1));
            if (named == null) {
                throw new IllegalStateException("no set " + t);
            }
            return named;
        }
        if (t.equals("{")) {
            return block();
        }
        at++;
        return List.of(t);
    }

    /** {@code { a, b . c, d : accept }}: the elements, each as its text. */
    private List<String> block() {
        at++; // {
        List<String> elements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        while (at < tokens.size()) {
            String t = tokens.get(at++);
            if (t.equals("}")) {
                break;
            }
            if (t.equals(",")) {
                elements.add(current.toString().strip());
                current.setLength(0);
            } else {
                current.append(current.isEmpty() ? "" : " ").append(t);
            }
        }
        if (!current.isEmpty()) {
            elements.add(current.toString().strip());
        }
        return elements;
    }

    private Step vmap(List<Selector> key) {
        List<String> elements = rightHandSide();
        List<String> keys = new ArrayList<>();
        List<Verdict> verdicts = new ArrayList<>();
        for (String element : elements) {
            int colon = element.lastIndexOf(" : ");
            if (colon < 0) {
                throw new IllegalStateException("not a verdict map element: " + element);
            }
            keys.add(element.substring(0, colon).strip());
            verdicts.add(verdictWord(element.substring(colon + 3).strip()));
        }
        List<NftElement> compiled = compile(key, keys, false);
        return new Lookup(p -> {
            List<Object> values = values(key, p, -1);
            if (values == null) {
                return List.of();
            }
            for (int i = 0; i < compiled.size(); i++) {
                Tri hit = compiled.get(i).test(values);
                if (hit == Tri.MAYBE) {
                    return List.of(Verdict.unknown("the verdict map's key cannot be read for this packet"));
                }
                if (hit == Tri.YES) {
                    return List.of(verdicts.get(i));
                }
            }
            return List.of();
        }, edges(key, compiled), key.stream().anyMatch(k -> k.name().equals("saddr")));
    }

    private static Verdict verdictWord(String text) {
        String[] w = text.split("\\s+");
        return switch (w[0]) {
            case "accept" -> Verdict.ACCEPT;
            case "drop" -> Verdict.DROP;
            case "return" -> Verdict.RETURN;
            case "continue" -> Verdict.CONTINUE;
            case "jump" -> Verdict.jump(NftValues.unquote(w[1]));
            case "goto" -> Verdict.goTo(NftValues.unquote(w[1]));
            default -> Verdict.unknown("verdict " + text);
        };
    }

    /** {@code meta mark set 0x1}, {@code meta mark set meta mark | 0x4000}, {@code ct mark set mark}, or another set (no effect). */
    private Step setStatement(Selector target) {
        boolean mark = target.name().equals("meta mark");
        boolean ctMark = target.name().equals("ct mark");
        String first = tokens.get(at);
        Function<Packet, Long> source;
        if (first.equals("meta") || first.equals("mark") || first.equals("ct")) {
            Selector from = selector();
            source = p -> from.read().apply(p) instanceof Long l ? l : 0L;
        } else {
            long value = NftValues.number(tokens.get(at++), false).orElse(0L);
            source = p -> value;
        }
        Function<Packet, Long> computed = source;
        if (at + 1 < tokens.size() && Set.of("|", "or", "&", "and", "^", "xor").contains(tokens.get(at))) {
            String op = tokens.get(at);
            long operand = NftValues.number(tokens.get(at + 1), false).orElseThrow();
            at += 2;
            Function<Packet, Long> base = source;
            computed = p -> switch (op) {
                case "|", "or" -> base.apply(p) | operand;
                case "&", "and" -> base.apply(p) & operand;
                default -> base.apply(p) ^ operand;
            };
        }
        Function<Packet, Long> value = computed;
        if (mark) {
            return new Effect(p -> p.withMark(value.apply(p)));
        }
        if (ctMark) {
            return new Effect(p -> p.withCtMark(value.apply(p)));
        }
        return Effect.NONE;
    }

    private Selector selector() {
        String root = tokens.get(at++);
        if (root.equals("meta")) {
            return meta(tokens.get(at++));
        }
        if (BARE_META.contains(root)) {
            return meta(root);
        }
        if (PAYLOADS.contains(root)) {
            return payload(root, tokens.get(at++));
        }
        if (root.equals("ct")) {
            return ct();
        }
        if (root.equals("fib")) {
            return fib();
        }
        throw new IllegalStateException("unknown selector " + root);
    }

    private static Selector meta(String key) {
        return switch (key) {
            case "iif", "iifname" -> new Selector(key, Type.NAME, false, Packet::inInterface);
            case "oif", "oifname" -> new Selector(key, Type.NAME, false, Packet::outInterface);
            case "mark" -> new Selector("meta mark", Type.NUMBER, false, Packet::mark);
            case "l4proto" -> new Selector(key, Type.NUMBER, false, p -> (long) p.protocol());
            case "nfproto" -> new Selector(key, Type.NUMBER, false, p -> p.ipv4() ? 2L : 10L);
            case "protocol" -> new Selector(key, Type.NUMBER, false, p -> p.ipv4() ? 0x0800L : 0x86ddL);
            case "pkttype" -> new Selector(key, Type.NUMBER, false, p -> 0L);
            case "iiftype" -> new Selector(key, Type.NUMBER, false, p -> 1L);
            default -> new Selector(key, Type.NUMBER, false, p -> null);
        };
    }

    private static Selector payload(String protocol, String field) {
        return switch (protocol) {
            case "ip", "ip6" -> {
                boolean v4 = protocol.equals("ip");
                yield switch (field) {
                    case "saddr" -> new Selector(field, Type.ADDRESS, false, p -> p.ipv4() == v4 ? p.source() : NOT_THERE);
                    case "daddr" -> new Selector(field, Type.ADDRESS, false, p -> p.ipv4() == v4 ? p.destination() : NOT_THERE);
                    case "protocol", "nexthdr" -> new Selector(field, Type.NUMBER, false,
                            p -> p.ipv4() == v4 ? (Object) (long) p.protocol() : NOT_THERE);
                    case "version" -> new Selector(field, Type.NUMBER, false, p -> p.ipv4() == v4 ? (Object) (v4 ? 4L : 6L) : NOT_THERE);
                    default -> new Selector(field, Type.NUMBER, false, p -> p.ipv4() == v4 ? null : NOT_THERE);
                };
            }
            case "tcp", "udp", "th" -> {
                // th: the transport header of either; tcp/udp: absent from a packet of the other protocol
                boolean any = protocol.equals("th");
                boolean tcp = protocol.equals("tcp");
                Function<Packet, Boolean> here = p -> any || p.tcp() == tcp;
                yield switch (field) {
                    case "dport" -> new Selector(field, Type.NUMBER, false,
                            p -> here.apply(p) ? (Object) (long) p.destinationPort() : NOT_THERE);
                    case "sport" -> new Selector(field, Type.NUMBER, false,
                            p -> here.apply(p) ? (Object) (long) p.sourcePort() : NOT_THERE);
                    case "flags" -> new Selector(field, Type.FLAGS, true, p -> p.tcp() ? (Object) (long) Packet.SYN : NOT_THERE);
                    default -> new Selector(field, Type.NUMBER, false, p -> here.apply(p) ? null : NOT_THERE);
                };
            }
            default -> new Selector(protocol + " " + field, Type.NUMBER, false, p -> NOT_THERE);
        };
    }

    private Selector ct() {
        String key = tokens.get(at++);
        return switch (key) {
            case "state" -> new Selector(key, Type.FLAGS, false, p -> p.untracked() ? 64L : p.tracked() ? 8L : 1L);
            case "status" -> new Selector(key, Type.FLAGS, false, p -> p.dnat() ? 32L : 0L);
            case "mark" -> new Selector("ct mark", Type.NUMBER, false, Packet::ctMark);
            case "direction" -> new Selector(key, Type.NUMBER, false, p -> 0L);
            case "l3proto" -> new Selector(key, Type.NUMBER, false, p -> p.ipv4() ? 2L : 10L);
            case "protocol" -> new Selector(key, Type.NUMBER, false, p -> (long) p.protocol());
            case "zone" -> new Selector(key, Type.NUMBER, false, p -> 0L);
            case "original", "reply" -> {
                // ct original ip daddr, ct original proto-dst: read what follows, answer "maybe"
                while (at < tokens.size() && !OPS.contains(tokens.get(at)) && !tokens.get(at).equals("{")
                        && !tokens.get(at).startsWith("@") && Set.of("ip", "ip6", "saddr", "daddr", "proto-src", "proto-dst",
                                "l3proto", "protocol", "bytes", "packets").contains(tokens.get(at))) {
                    at++;
                }
                yield new Selector(key, Type.NUMBER, false, p -> null);
            }
            default -> new Selector(key, Type.NUMBER, false, p -> null);
        };
    }

    /** {@code fib daddr type}, {@code fib daddr . iif type}, {@code fib saddr . iif oif}. */
    private Selector fib() {
        List<String> flags = new ArrayList<>();
        while (true) {
            String t = tokens.get(at++);
            if (t.equals(".")) {
                continue;
            }
            boolean last = (t.equals("type") || t.equals("oif") || t.equals("oifname")) && !flags.isEmpty()
                    && !tokens.get(at - 2).equals(".");
            if (last) {
                boolean daddr = flags.contains("daddr");
                return switch (t) {
                    case "type" -> new Selector("fib type", Type.NUMBER, false,
                            p -> daddr ? (p.localDestination() ? 2L : 1L) : 1L);
                    case "oifname" -> new Selector("fib oifname", Type.NAME, false, p -> daddr ? "lo" : p.inInterface());
                    default -> new Selector("fib oif", Type.NUMBER, false, p -> 1L); // a route back exists
                };
            }
            flags.add(t);
        }
    }

    private Verdict lastVerdict() {
        for (int i = tokens.size() - 1; i >= 0; i--) {
            String t = tokens.get(i);
            switch (t) {
                case "accept":
                    return Verdict.ACCEPT;
                case "drop":
                    return Verdict.DROP;
                case "reject":
                    return Verdict.REJECT;
                case "return":
                    return Verdict.RETURN;
                default:
                    if (i > 0 && (tokens.get(i - 1).equals("jump") || tokens.get(i - 1).equals("goto"))) {
                        return Verdict.unknown("a rule netready cannot read jumps to " + t);
                    }
            }
        }
        return Verdict.CONTINUE;
    }
}
