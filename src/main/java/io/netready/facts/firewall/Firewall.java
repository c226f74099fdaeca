package io.netready.facts.firewall;

import java.math.BigInteger;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import io.netready.net.Cidr;

/**
 * What the node's packet filter does with a new TCP connection, modelled as the kernel runs it: the packet crosses
 * ingress, prerouting (raw, conntrack, mangle, DNAT), the routing decision, then input (or forward, when DNAT sent it
 * elsewhere); on each hook every base chain of iptables-nft, iptables-legacy and native nftables runs in priority
 * order, and each must accept it. Matches narrow rules exactly (interfaces, addresses, conntrack state, marks,
 * negations, sets, verdict maps); where a match cannot be evaluated from the dumps (an ipset's members, an unknown
 * module) and changes the answer, the answer is {@link Outcome#UNDECIDED} with that rule as evidence.
 */
public final class Firewall {

    private static final Comparator<BaseChain> ORDER = Comparator.comparing(BaseChain::hook)
            .thenComparingInt(BaseChain::priority);

    private final List<BaseChain> chains;
    private final SkipTable skips = new SkipTable();
    /** Connections judged so far, at most {@value #MAX_JUDGED}. */
    private final Map<Connection, Run> judged = new ConcurrentHashMap<>();
    private static final int MAX_JUDGED = 4096;

    /** The IPv4 ranges the rules mention (each dump parses its own once, {@link Ruleset#mentioned}). */
    private final Set<Ruleset.Mentioned> mentioned = new LinkedHashSet<>();

    private Firewall(List<BaseChain> chains, List<Ruleset> sources) {
        List<BaseChain> sorted = new ArrayList<>(chains);
        sorted.sort(ORDER);
        this.chains = List.copyOf(sorted);
        for (Ruleset r : sources) {
            mentioned.addAll(r.mentioned());
        }
    }

    /** IPv4 only. Any argument may be null or empty (no such ruleset on the node). */
    public static Firewall parse(String iptablesSave, String iptablesLegacySave, String nftListRuleset) {
        return parse(iptablesSave, iptablesLegacySave, null, nftListRuleset);
    }

    /** The dumps the probe collects: {@code iptables-nft-save}, {@code iptables-legacy-save}, {@code ip6tables-save}, nft. */
    public static Firewall parse(String iptablesNftSave, String iptablesLegacySave, String ip6tablesSave, String nftListRuleset) {
        return of(present(iptablesNftSave) ? Ruleset.iptables(iptablesNftSave, "iptables") : null,
                present(iptablesLegacySave) ? Ruleset.iptables(iptablesLegacySave, "iptables-legacy") : null,
                present(ip6tablesSave) ? Ruleset.iptables(ip6tablesSave, "ip6tables") : null,
                present(nftListRuleset) ? Ruleset.nft(nftListRuleset) : null);
    }

    /**
     * A node's compiled dumps, any of them null. nftables tables that iptables-nft manages are taken from the iptables
     * dump, in iptables' own terms, when that dump is there (nft shows their rules as {@code xt} expressions).
     */
    public static Firewall of(Ruleset iptablesNft, Ruleset iptablesLegacy, Ruleset ip6tables, Ruleset nft) {
        List<BaseChain> chains = new ArrayList<>();
        List<Ruleset> sources = new ArrayList<>();
        for (Ruleset r : new Ruleset[] { iptablesNft, iptablesLegacy, ip6tables, nft }) {
            if (r != null) {
                chains.addAll(r.chains());
                sources.add(r);
            }
        }
        if (nft != null) {
            for (NftListing.Table table : nft.tables()) {
                boolean shownByIptables = table.iptablesNft() && ((table.family().equals("ip") && iptablesNft != null)
                        || (table.family().equals("ip6") && ip6tables != null));
                if (!shownByIptables) {
                    chains.addAll(table.bases());
                }
            }
        }
        return new Firewall(chains, sources);
    }

    private static boolean present(String text) {
        return text != null && !text.isBlank();
    }

    /** Whether any chain on the way in holds a rule or drops by policy. */
    public boolean filters() {
        return chains.stream().anyMatch(c -> !c.chain().rules().isEmpty() || c.chain().policy() == Steps.Verdict.DROP);
    }

    /**
     * Peers that stand for every peer in {@code network}: one address on each side of every address or CIDR edge
     * the rules mention, so a rule that lets in only part of the network is seen. At most {@code limit}, the node
     * itself left out.
     */
    public List<String> peersIn(Cidr network, String node, int limit) {
        SortedSet<BigInteger> candidates = new TreeSet<>();
        BigInteger first = Addresses.value(network.network());
        int bits = network.network().getAddress().length * 8;
        BigInteger last = first.add(BigInteger.ONE.shiftLeft(bits - network.prefixLength())).subtract(BigInteger.ONE);
        BigInteger low = bits - network.prefixLength() >= 2 ? first.add(BigInteger.ONE) : first;
        BigInteger high = bits - network.prefixLength() >= 2 ? last.subtract(BigInteger.ONE) : last;
        candidates.add(low);
        candidates.add(high);
        for (Ruleset.Mentioned range : network.isIpv4() ? mentioned : Set.<Ruleset.Mentioned> of()) {
            BigInteger start = range.start();
            BigInteger end = range.end();
            for (BigInteger edge : List.of(start.subtract(BigInteger.ONE), start, end, end.add(BigInteger.ONE))) {
                if (edge.compareTo(low) >= 0 && edge.compareTo(high) <= 0) {
                    candidates.add(edge);
                }
            }
        }
        BigInteger self = Cidr.parseAddress(node).map(Addresses::value).orElse(BigInteger.valueOf(-1));
        List<String> peers = new ArrayList<>();
        for (BigInteger candidate : candidates) {
            if (!candidate.equals(self) && peers.size() < limit) {
                peers.add(Addresses.text(candidate, bits / 8));
            }
        }
        if (peers.isEmpty() && !self.equals(low.add(BigInteger.ONE)) && low.add(BigInteger.ONE).compareTo(high) <= 0) {
            peers.add(Addresses.text(low.add(BigInteger.ONE), bits / 8));
        }
        return peers;
    }

    /**
     * An answer and what it holds for: every port from {@code from} to {@code to}, and every peer when
     * {@code anyPeer} (no rule on the way looked at the source address).
     */
    public record Run(Answer answer, int from, int to, boolean anyPeer) {
    }

    public Answer judge(Connection connection) {
        return judgeRun(connection).answer();
    }

    /**
     * The answer for the connection's port, and the run of ports around it that the rules treat the same. Remembered
     * for this firewall (a node's, for one upload): firewall-ports and the node's own-firewall verdicts on the ports
     * peers try ask for many of the same connections.
     */
    public Run judgeRun(Connection connection) {
        Run known = judged.get(connection);
        if (known != null) {
            return known;
        }
        Run run = walk(connection);
        if (judged.size() < MAX_JUDGED) {
            judged.put(connection, run);
        }
        return run;
    }

    private Run walk(Connection connection) {
        Optional<InetAddress> peer = Cidr.parseAddress(connection.peerAddress());
        Optional<InetAddress> node = Cidr.parseAddress(connection.nodeAddress());
        if (peer.isEmpty() || node.isEmpty() || peer.get().getAddress().length != node.get().getAddress().length) {
            return new Run(new Answer(Outcome.UNDECIDED, List.of("not an address pair: " + connection.peerAddress() + " → "
                    + connection.nodeAddress())), connection.port(), connection.port(), false);
        }
        int protocol = "udp".equalsIgnoreCase(connection.protocol()) ? Packet.UDP : Packet.TCP;
        Packet packet = new Packet(protocol, node.get(), peer.get(), node.get(), connection.inInterface(), "", 40000,
                connection.port(), 0, 0, false, false, false);
        Walk.Result result = Walk.run(chains, skips, packet);
        return new Run(result.answer(), result.from(), result.to(), result.anySource());
    }
}
