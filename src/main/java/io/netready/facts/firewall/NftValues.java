package io.netready.facts.firewall;

import java.net.InetAddress;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.netready.net.Cidr;

/**
 * What an nft selector yields for a packet and how the dump writes the values it is compared with: numbers (ports,
 * protocols, marks), addresses, interface names, and the symbolic words of enumerations and flag types.
 */
final class NftValues {

    /** The type of a selector's value, which decides how the right-hand side is read. */
    enum Type {
        NUMBER, ADDRESS, NAME, FLAGS
    }

    private static final Map<String, Long> PROTOCOLS = Map.of("tcp", 6L, "udp", 17L, "icmp", 1L, "icmpv6", 58L,
            "ipv6-icmp", 58L, "sctp", 132L, "udplite", 136L, "dccp", 33L, "esp", 50L, "ah", 51L);
    private static final Map<String, Long> SYMBOLS = Map.ofEntries(
            // ct state
            Map.entry("invalid", 1L), Map.entry("established", 2L), Map.entry("related", 4L), Map.entry("new", 8L),
            Map.entry("untracked", 64L),
            // ct status
            Map.entry("expected", 1L), Map.entry("seen-reply", 2L), Map.entry("assured", 4L), Map.entry("confirmed", 8L),
            Map.entry("snat", 16L), Map.entry("dnat", 32L), Map.entry("dying", 512L),
            // nfproto, pkttype, ct direction
            Map.entry("ipv4", 2L), Map.entry("ipv6", 10L), Map.entry("host", 0L), Map.entry("unicast", 0L),
            Map.entry("broadcast", 1L), Map.entry("multicast", 2L), Map.entry("other", 3L), Map.entry("original", 0L),
            Map.entry("reply", 1L),
            // fib type (rtn types)
            Map.entry("local", 2L), Map.entry("anycast", 4L), Map.entry("blackhole", 6L), Map.entry("unreachable", 7L),
            Map.entry("prohibit", 8L),
            // fib oif
            Map.entry("missing", 0L), Map.entry("exists", 1L),
            // iiftype
            Map.entry("ether", 1L), Map.entry("loopback", 772L),
            // services nft may print by name
            Map.entry("ssh", 22L), Map.entry("http", 80L), Map.entry("https", 443L), Map.entry("domain", 53L),
            Map.entry("bgp", 179L));
    private static final Map<String, Long> TCP_FLAGS = Map.of("fin", 1L, "syn", 2L, "rst", 4L, "psh", 8L, "ack", 16L,
            "urg", 32L, "ecn", 64L, "cwr", 128L);

    private NftValues() {
    }

    /** A number or a symbol; empty when the word is neither. */
    static Optional<Long> number(String word, boolean tcpFlags) {
        String w = word.toLowerCase(Locale.ROOT);
        if (tcpFlags && TCP_FLAGS.containsKey(w)) {
            return Optional.of(TCP_FLAGS.get(w));
        }
        if (PROTOCOLS.containsKey(w)) {
            return Optional.of(PROTOCOLS.get(w));
        }
        if (SYMBOLS.containsKey(w)) {
            return Optional.of(SYMBOLS.get(w));
        }
        long n = Marks.number(w);
        return n < 0 ? Optional.empty() : Optional.of(n);
    }

    /** Flags written {@code established,related} or {@code fin|syn}: their bits ORed; empty when a word is unknown. */
    static Optional<Long> flags(String words, boolean tcpFlags) {
        long bits = 0;
        for (String w : words.split("[,|()]+")) {
            if (w.isBlank()) {
                continue;
            }
            Optional<Long> n = number(w.strip(), tcpFlags);
            if (n.isEmpty()) {
                return Optional.empty();
            }
            bits |= n.get();
        }
        return Optional.of(bits);
    }

    static String unquote(String word) {
        return word.length() >= 2 && word.startsWith("\"") && word.endsWith("\"") ? word.substring(1, word.length() - 1) : word;
    }

    static Optional<InetAddress> address(String word) {
        return Cidr.parseAddress(word);
    }
}
