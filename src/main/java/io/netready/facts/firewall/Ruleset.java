package io.netready.facts.firewall;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.netready.net.Cidr;

/**
 * One dump compiled, on its own: an iptables family dump's base chains, or nft's tables. Immutable, so the parse of a
 * dump many nodes share is kept once (see the facts' parse cache) and {@link Firewall#of} combines a node's dumps.
 */
public final class Ruleset {

    private static final Pattern IPV4 = Pattern.compile("(?<![\\d.])(\\d{1,3}(?:\\.\\d{1,3}){3})(?:/(\\d{1,2}))?(?![\\d.])");

    private final List<BaseChain> chains;
    private final List<NftListing.Table> tables;
    private final List<Mentioned> mentioned;

    /** An IPv4 address or CIDR the dump mentions (where a rule's source match can start or end), as a range. */
    record Mentioned(BigInteger start, BigInteger end) {
    }

    private Ruleset(List<BaseChain> chains, List<NftListing.Table> tables, String text) {
        this.chains = chains;
        this.tables = tables;
        Set<String> addresses = new TreeSet<>();
        Matcher m = IPV4.matcher(text);
        while (m.find()) {
            addresses.add(m.group());
        }
        // parsed here, once per dump: the cache keeps the Ruleset, and every upload's rules ask for peers several times
        List<Mentioned> ranges = new ArrayList<>();
        for (String literal : addresses) {
            String[] parts = literal.split("/");
            int prefix = parts.length > 1 ? Integer.parseInt(parts[1]) : 32;
            Optional<Cidr> cidr = prefix <= 32 ? Cidr.containing(parts[0], prefix) : Optional.empty();
            if (cidr.isPresent()) {
                BigInteger start = Addresses.value(cidr.get().network());
                ranges.add(new Mentioned(start, start.add(BigInteger.ONE.shiftLeft(32 - prefix)).subtract(BigInteger.ONE)));
            }
        }
        this.mentioned = List.copyOf(ranges);
    }

    /** {@code iptables-save} output; {@code label} names it in evidence ("iptables", "iptables-legacy", "ip6tables"). */
    public static Ruleset iptables(String text, String label) {
        return new Ruleset(IptablesSave.parse(text, label, label.startsWith("ip6") ? "ip6" : "ip"), List.of(), text);
    }

    /** {@code nft list ruleset} output. */
    public static Ruleset nft(String text) {
        return new Ruleset(List.of(), NftListing.parse(text), text);
    }

    /** Every IPv4 address or CIDR the dump mentions, as ranges (those that are addresses at all). */
    List<Mentioned> mentioned() {
        return mentioned;
    }

    List<BaseChain> chains() {
        return chains;
    }

    List<NftListing.Table> tables() {
        return tables;
    }
}
