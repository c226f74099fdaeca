package io.netready.facts.firewall;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One dump compiled, on its own: an iptables family dump's base chains, or nft's tables. Immutable, so the parse of a
 * dump many nodes share is kept once (see the facts' parse cache) and {@link Firewall#of} combines a node's dumps.
 */
public final class Ruleset {

    private static final Pattern IPV4 = Pattern.compile("(?<![\\d.])(\\d{1,3}(?:\\.\\d{1,3}){3})(?:/(\\d{1,2}))?(?![\\d.])");
    private static final Pattern NUMBER = Pattern.compile("(?<![\\w.:/-])(\\d{1,5})(?![\\w.])");

    private final List<BaseChain> chains;
    private final List<NftListing.Table> tables;
    private final Set<String> addresses;
    private final Set<Integer> numbers;

    private Ruleset(List<BaseChain> chains, List<NftListing.Table> tables, String text) {
        this.chains = chains;
        this.tables = tables;
        Set<String> a = new TreeSet<>();
        Matcher m = IPV4.matcher(text);
        while (m.find()) {
            a.add(m.group());
        }
        Set<Integer> n = new TreeSet<>();
        Matcher p = NUMBER.matcher(text);
        while (p.find()) {
            int value = Integer.parseInt(p.group(1));
            if (value <= 65535) {
                n.add(value);
            }
        }
        this.addresses = Set.copyOf(a);
        this.numbers = Set.copyOf(n);
    }

    /** {@code iptables-save} output; {@code label} names it in evidence ("iptables", "iptables-legacy", "ip6tables"). */
    public static Ruleset iptables(String text, String label) {
        return new Ruleset(IptablesSave.parse(text, label, label.startsWith("ip6") ? "ip6" : "ip"), List.of(), text);
    }

    /** {@code nft list ruleset} output. */
    public static Ruleset nft(String text) {
        return new Ruleset(List.of(), NftListing.parse(text), text);
    }

    /** Every IPv4 address or CIDR the dump mentions: where a rule's source match can start or end. */
    Set<String> addresses() {
        return addresses;
    }

    /** Every number up to 65535 the dump mentions: where a rule's port match can start or end. */
    Set<Integer> numbers() {
        return numbers;
    }

    List<BaseChain> chains() {
        return chains;
    }

    List<NftListing.Table> tables() {
        return tables;
    }
}
