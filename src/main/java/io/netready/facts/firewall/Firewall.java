package io.netready.facts.firewall;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

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

    private Firewall(List<BaseChain> chains) {
        List<BaseChain> sorted = new ArrayList<>(chains);
        sorted.sort(ORDER);
        this.chains = List.copyOf(sorted);
    }

    /** IPv4 only. Any argument may be null or empty (no such ruleset on the node). */
    public static Firewall parse(String iptablesSave, String iptablesLegacySave, String nftListRuleset) {
        return parse(iptablesSave, iptablesLegacySave, null, nftListRuleset);
    }

    /**
     * The dumps the probe collects. nftables tables that iptables-nft manages are read from the iptables dumps, in
     * iptables' own terms, when those dumps are there.
     */
    public static Firewall parse(String iptablesSave, String iptablesLegacySave, String ip6tablesSave, String nftListRuleset) {
        List<BaseChain> chains = new ArrayList<>();
        boolean iptables = present(iptablesSave);
        boolean ip6tables = present(ip6tablesSave);
        if (iptables) {
            chains.addAll(IptablesSave.parse(iptablesSave, "iptables", "ip"));
        }
        if (present(iptablesLegacySave)) {
            chains.addAll(IptablesSave.parse(iptablesLegacySave, "iptables-legacy", "ip"));
        }
        if (ip6tables) {
            chains.addAll(IptablesSave.parse(ip6tablesSave, "ip6tables", "ip6"));
        }
        if (present(nftListRuleset)) {
            for (NftListing.Table table : NftListing.parse(nftListRuleset)) {
                boolean shownByIptables = table.iptablesNft()
                        && ((table.family().equals("ip") && iptables) || (table.family().equals("ip6") && ip6tables));
                if (!shownByIptables) {
                    chains.addAll(table.bases());
                }
            }
        }
        return new Firewall(chains);
    }

    private static boolean present(String text) {
        return text != null && !text.isBlank();
    }

    /** Whether any chain on the way in holds a rule or drops by policy. */
    public boolean filters() {
        return chains.stream().anyMatch(c -> !c.chain().rules().isEmpty() || c.chain().policy() == Steps.Verdict.DROP);
    }

    public Answer judge(Connection connection) {
        Optional<InetAddress> peer = Cidr.parseAddress(connection.peerAddress());
        Optional<InetAddress> node = Cidr.parseAddress(connection.nodeAddress());
        if (peer.isEmpty() || node.isEmpty() || peer.get().getAddress().length != node.get().getAddress().length) {
            return new Answer(Outcome.UNDECIDED, List.of("not an address pair: " + connection.peerAddress() + " → "
                    + connection.nodeAddress()));
        }
        Packet packet = new Packet(node.get(), peer.get(), node.get(), connection.inInterface(), "", 40000,
                connection.port(), 0, 0, false, false, false);
        return Walk.run(chains, packet);
    }
}
