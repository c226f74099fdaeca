package io.netready.facts.firewall;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import io.netready.facts.firewall.Steps.Effect;
import io.netready.facts.firewall.Steps.Match;
import io.netready.facts.firewall.Steps.Step;
import io.netready.facts.firewall.Steps.Verdict;
import io.netready.net.Cidr;

/**
 * One {@code -A} line of an iptables dump compiled to steps: every match (the built-in ones and each {@code -m}
 * module's options) and its target. Matches netready cannot evaluate (an ipset's members, a socket lookup, an unknown
 * module) answer "maybe", so the walk tries both ways.
 */
final class XtRule {

    /** Targets that change nothing about whether the packet passes. */
    private static final Set<String> PASSIVE_TARGETS = Set.of("LOG", "NFLOG", "ULOG", "TRACE", "AUDIT", "TCPMSS", "TOS", "DSCP",
            "TTL", "HL", "CLASSIFY", "CHECKSUM", "SECMARK", "CONNSECMARK", "IDLETIMER", "LED", "RATEEST", "SET", "ECN",
            "TEE", "MASQUERADE", "SNAT", "HMARK", "NETMAP_OUT");

    /** An option with its arguments, as the dump wrote it after {@code -m module}. */
    private record Option(String module, boolean negated, String name, List<String> args) {
        String arg(int i) {
            return i < args.size() ? args.get(i) : "";
        }
    }

    private XtRule() {
    }

    static List<Step> compile(List<Words.Word> words) {
        List<Option> options = new ArrayList<>();
        String module = "";
        boolean negate = false;
        String target = null;
        List<Option> targetOptions = new ArrayList<>();
        boolean goTo = false;
        for (int i = 0; i < words.size(); i++) {
            Words.Word w = words.get(i);
            String word = w.text();
            if (!w.quoted() && word.equals("!")) {
                negate = true;
                continue;
            }
            if (w.quoted() || !word.startsWith("-") || word.equals("-")) {
                continue; // a stray value: its option took what it needs
            }
            List<String> args = new ArrayList<>();
            while (i + 1 < words.size() && isValue(words.get(i + 1))) {
                args.add(words.get(++i).text());
            }
            if (word.equals("-m") || word.equals("--match")) {
                module = args.isEmpty() ? "" : args.get(0);
                negate = false;
                continue;
            }
            if (word.equals("-j") || word.equals("--jump") || word.equals("-g") || word.equals("--goto")) {
                target = args.isEmpty() ? null : args.get(0);
                goTo = word.startsWith("-g") || word.equals("--goto");
                module = "target";
                negate = false;
                continue;
            }
            Option option = new Option(module, negate, word, List.copyOf(args));
            (module.equals("target") ? targetOptions : options).add(option);
            negate = false;
        }
        List<Step> steps = new ArrayList<>();
        for (Option option : options) {
            steps.add(match(option));
        }
        steps.addAll(target(target, goTo, targetOptions));
        return List.copyOf(steps);
    }

    private static boolean isValue(Words.Word word) {
        if (word.quoted()) {
            return true;
        }
        String t = word.text();
        return !t.equals("!") && (!t.startsWith("-") || t.matches("-\\d+"));
    }

    private static Match match(Option o) {
        Match m = positive(o);
        if (!o.negated()) {
            return m;
        }
        if (o.module().equals("tcp") || o.module().equals("udp")) {
            // "-m tcp ! --dport 22": the module's own protocol must still match; only the option is negated
            boolean tcp = o.module().equals("tcp");
            return onlyFor(tcp, negated(m));
        }
        return negated(m);
    }

    private static Match negated(Match m) {
        return derived(m, p -> m.test(p).not());
    }

    private static Match positive(Option o) {
        String a = o.arg(0);
        switch (o.name()) {
            case "-p", "--protocol":
                return p -> protocol(a, p);
            case "-s", "--source":
                return addresses(a, Packet::source);
            case "-d", "--destination":
                return addresses(a, Packet::destination);
            case "-i", "--in-interface":
                return p -> Interfaces.matches(a, p.inInterface());
            case "-o", "--out-interface":
                return p -> Interfaces.matches(a, p.outInterface());
            case "-f", "--fragment":
                return p -> Tri.NO;
            default:
                break;
        }
        return switch (o.module()) {
            case "tcp", "" -> tcp(o);
            case "udp" -> udp(o);
            case "udplite", "icmp", "icmp6", "icmpv6", "sctp", "dccp", "esp", "ah" -> p -> Tri.NO;
            case "multiport" -> multiport(o);
            case "conntrack", "state" -> conntrack(o);
            case "mark" -> o.name().equals("--mark") ? mark(a, false) : unknown();
            case "connmark" -> o.name().equals("--mark") ? mark(a, true) : unknown();
            case "comment" -> p -> Tri.YES;
            case "addrtype" -> addrtype(o);
            case "iprange" -> iprange(o);
            // rates and counts depend on the traffic before this connection, which no dump shows
            case "limit", "hashlimit", "connlimit", "quota", "connbytes" -> unknown();
            case "recent" -> recent(o);
            case "pkttype" -> p -> Tri.of(a.equalsIgnoreCase("unicast") || a.equalsIgnoreCase("host"));
            case "rpfilter" -> o.name().equals("--invert") ? p -> Tri.NO : p -> Tri.YES;
            case "physdev" -> physdev(o);
            case "policy" -> policy(o);
            case "helper" -> p -> Tri.NO;
            default -> unknown();
        };
    }

    /** A match whose answer is worked out from {@code m}'s, keeping what the walk asks of it: port edges, source reads. */
    private static Match derived(Match m, java.util.function.Function<Packet, Tri> test) {
        return new Match() {
            @Override
            public Tri test(Packet p) {
                return test.apply(p);
            }

            @Override
            public java.util.NavigableSet<Integer> portEdges() {
                return m.portEdges();
            }

            @Override
            public boolean readsSource() {
                return m.readsSource();
            }
        };
    }

    private static Match unknown() {
        return p -> Tri.MAYBE;
    }

    private static Tri protocol(String name, Packet packet) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.equals("all") || n.equals("0")) {
            return Tri.YES;
        }
        return Tri.of(packet.tcp() ? n.equals("tcp") || n.equals("6") : n.equals("udp") || n.equals("17"));
    }

    /** An address list ({@code -s 10.0.0.0/8,192.168.0.0/16}) compiled once; a word that is no address makes it "maybe". */
    private static Match addresses(String list, java.util.function.Function<Packet, InetAddress> which) {
        List<AddressSpec> specs = new ArrayList<>();
        for (String spec : list.split(",")) {
            Optional<AddressSpec> parsed = AddressSpec.parse(spec);
            if (parsed.isEmpty()) {
                return p -> Tri.MAYBE; // a host name iptables-save would not print
            }
            specs.add(parsed.get());
        }
        boolean source = source(which);
        return new Match() {
            @Override
            public Tri test(Packet p) {
                InetAddress address = which.apply(p);
                for (AddressSpec spec : specs) {
                    if (spec.contains(address)) {
                        return Tri.YES;
                    }
                }
                return Tri.NO;
            }

            @Override
            public boolean readsSource() {
                return source;
            }
        };
    }

    private static boolean source(java.util.function.Function<Packet, InetAddress> which) {
        return which.apply(Sample.PACKET) == Sample.PACKET.source();
    }

    /** A packet whose source and destination differ, to tell which address a function reads. */
    private static final class Sample {
        static final Packet PACKET = new Packet(Packet.TCP, InetAddress.getLoopbackAddress(), address(1), address(2), "", "", 1, 2,
                0, 0, true, false, false);

        private static InetAddress address(int last) {
            try {
                return InetAddress.getByAddress(new byte[] { 127, 0, 0, (byte) last });
            } catch (java.net.UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static Match mark(String spec, boolean conntrack) {
        long[] vm = Marks.valueAndMask(spec);
        return p -> Tri.of(((conntrack ? p.ctMark() : p.mark()) & vm[1]) == vm[0]);
    }

    private static Match tcp(Option o) {
        String a = o.arg(0);
        Match m = switch (o.name()) {
            case "--dport", "--destination-port" -> PortMatch.of(a, PortMatch.Side.DESTINATION);
            case "--sport", "--source-port" -> PortMatch.of(a, PortMatch.Side.SOURCE);
            case "--syn" -> p -> Tri.YES;
            case "--tcp-flags" -> p -> Tri.of((TcpFlags.parse(o.arg(0)) & Packet.SYN) == TcpFlags.parse(o.arg(1)));
            default -> unknown();
        };
        // -m tcp (or a port option after -p tcp) never matches a UDP packet, negated or not
        return onlyFor(true, m);
    }

    /** The match for packets of one protocol: NO for the other, whatever the match says; keeps its port edges. */
    private static Match onlyFor(boolean tcp, Match m) {
        return derived(m, p -> p.tcp() == tcp ? m.test(p) : Tri.NO);
    }

    private static Match udp(Option o) {
        String a = o.arg(0);
        Match m = switch (o.name()) {
            case "--dport", "--destination-port" -> PortMatch.of(a, PortMatch.Side.DESTINATION);
            case "--sport", "--source-port" -> PortMatch.of(a, PortMatch.Side.SOURCE);
            default -> unknown();
        };
        return onlyFor(false, m);
    }

    private static Match multiport(Option o) {
        String list = o.arg(0);
        return switch (o.name()) {
            case "--dports", "--destination-ports" -> PortMatch.of(list, PortMatch.Side.DESTINATION);
            case "--sports", "--source-ports" -> PortMatch.of(list, PortMatch.Side.SOURCE);
            case "--ports" -> PortMatch.of(list, PortMatch.Side.EITHER);
            default -> unknown();
        };
    }

    private static Match conntrack(Option o) {
        String a = o.arg(0).toLowerCase(Locale.ROOT);
        return switch (o.name()) {
            case "--ctstate", "--state" -> p -> {
                for (String state : a.split(",")) {
                    if (p.inState(state)) {
                        return Tri.YES;
                    }
                }
                return Tri.NO;
            };
            case "--ctproto" -> p -> protocol(a, p);
            case "--ctstatus" -> p -> Tri.of(a.contains("none") || (p.dnat() && a.contains("dnat")));
            case "--ctdir" -> p -> Tri.of(a.equals("original"));
            case "--ctorigsrc" -> addresses(a, Packet::source);
            case "--ctorigdst" -> {
                Match m = addresses(a, Packet::destination);
                yield p -> p.dnat() ? Tri.MAYBE : m.test(p);
            }
            case "--ctorigdstport" -> {
                Match m = PortMatch.of(a, PortMatch.Side.DESTINATION);
                yield derived(m, p -> p.dnat() ? Tri.MAYBE : m.test(p));
            }
            default -> unknown();
        };
    }

    private static Match addrtype(Option o) {
        String a = o.arg(0).toUpperCase(Locale.ROOT);
        return switch (o.name()) {
            // the node's own address is LOCAL; a peer's is UNICAST
            case "--dst-type" -> p -> Tri.of(Set.of(a.split(",")).contains(p.localDestination() ? "LOCAL" : "UNICAST"));
            case "--src-type" -> p -> Tri.of(Set.of(a.split(",")).contains("UNICAST"));
            case "--limit-iface-in" -> p -> Tri.YES;
            case "--limit-iface-out" -> p -> Tri.NO;
            default -> unknown();
        };
    }

    private static Match iprange(Option o) {
        String a = o.arg(0);
        return switch (o.name()) {
            case "--src-range" -> addresses(a, Packet::source);
            case "--dst-range" -> addresses(a, Packet::destination);
            default -> unknown();
        };
    }

    private static Match recent(Option o) {
        return switch (o.name()) {
            case "--set" -> p -> Tri.YES;
            // whether the peer is in the list depends on its earlier connections
            case "--rcheck", "--update", "--remove" -> unknown();
            case "--name", "--rsource", "--rdest", "--mask", "--seconds", "--hitcount", "--reap", "--rttl" -> p -> Tri.YES;
            default -> unknown();
        };
    }

    private static Match physdev(Option o) {
        // a packet from the node's NIC has not crossed a bridge: the options that ask for one do not match
        return p -> Tri.NO;
    }

    private static Match policy(Option o) {
        String a = o.arg(0).toLowerCase(Locale.ROOT);
        return switch (o.name()) {
            case "--dir" -> p -> Tri.of(a.equals("in"));
            case "--pol" -> p -> Tri.of(a.equals("none"));
            default -> unknown();
        };
    }

    private static List<Step> target(String target, boolean goTo, List<Option> options) {
        if (target == null) {
            return List.of(); // a rule with no target only counts packets
        }
        switch (target) {
            case "ACCEPT":
                return List.of(Verdict.ACCEPT);
            case "DROP":
                return List.of(Verdict.DROP);
            case "REJECT":
                return List.of(Verdict.REJECT);
            case "RETURN":
                return List.of(Verdict.RETURN);
            case "MARK":
                return List.of(new Effect(p -> p.withMark(Marks.apply(options.stream().map(o -> o.name() + " " + o.arg(0)).toList(),
                        p.mark()))));
            case "CONNMARK":
                return List.of(connmark(options));
            case "NOTRACK":
                return List.of(new Effect(Packet::withoutTracking));
            case "CT":
                return List.of(options.stream().anyMatch(o -> o.name().equals("--notrack")) ? new Effect(Packet::withoutTracking)
                        : Effect.NONE);
            case "DNAT":
                return List.of(dnat(options), Verdict.ACCEPT); // a NAT target ends the NAT table's walk
            case "REDIRECT":
                return List.of(redirect(options), Verdict.ACCEPT);
            case "QUEUE", "NFQUEUE":
                return List.of(Verdict.unknown("queued to a program in user space, which decides"));
            case "SYNPROXY":
                return List.of(Verdict.unknown("SYNPROXY answers the SYN itself"));
            case "TPROXY":
                return List.of(Verdict.unknown("TPROXY hands the packet to a proxy socket"));
            default:
                break;
        }
        if (PASSIVE_TARGETS.contains(target)) {
            return List.of();
        }
        // any other target is a chain of the table (the walk says so when the dump has no such chain)
        return List.of(goTo ? Verdict.goTo(target) : Verdict.jump(target));
    }

    private static Step connmark(List<Option> options) {
        for (Option o : options) {
            switch (o.name()) {
                case "--set-xmark", "--set-mark" -> {
                    return new Effect(p -> p.withCtMark(Marks.apply(List.of(o.name() + " " + o.arg(0)), p.ctMark())));
                }
                case "--save-mark" -> {
                    return new Effect(p -> p.withCtMark(p.mark()));
                }
                case "--restore-mark" -> {
                    return new Effect(p -> p.withMark(p.ctMark()));
                }
                default -> {
                }
            }
        }
        return Effect.NONE;
    }

    private static Step dnat(List<Option> options) {
        for (Option o : options) {
            if (o.name().equals("--to-destination")) {
                String to = o.arg(0);
                String host = to;
                int port = 0;
                int colon = to.lastIndexOf(':');
                if (colon > 0 && to.indexOf(':') == colon) {
                    host = to.substring(0, colon);
                    port = Ports.first(to.substring(colon + 1));
                } else if (to.startsWith("[")) {
                    int close = to.indexOf(']');
                    host = to.substring(1, Math.max(1, close));
                    port = close > 0 && to.length() > close + 2 ? Ports.first(to.substring(close + 2)) : 0;
                }
                int dashAt = host.indexOf('-');
                Optional<InetAddress> address = Cidr.parseAddress(dashAt > 0 ? host.substring(0, dashAt) : host);
                int toPort = port;
                return new Effect(p -> p.translatedTo(address.orElse(null), toPort));
            }
        }
        return Effect.NONE;
    }

    private static Step redirect(List<Option> options) {
        for (Option o : options) {
            if (o.name().equals("--to-ports")) {
                int port = Ports.first(o.arg(0));
                return new Effect(p -> p.translatedTo(p.destination(), port));
            }
        }
        return new Effect(p -> p.translatedTo(p.destination(), 0));
    }
}
