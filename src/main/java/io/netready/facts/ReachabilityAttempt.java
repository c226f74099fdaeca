package io.netready.facts;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.netready.net.Cidr;

/**
 * One TCP connect the probe tried from this node to a peer of its reachability plan, as its {@code reachability}
 * section says ({@code tcp ADDRESS PORT OUTCOME}), with the seconds from {@code reachability-times} where it says.
 *
 * @param address the peer's address as the probe tried it: as the plan named it, the peer's node IP as it reported it
 * @param seconds how long the attempt took (curl's time_connect when connected, else its total), or null
 */
public record ReachabilityAttempt(String address, int port, Outcome outcome, Double seconds) {

    /** The probe's limit on connects per run; a report's lines beyond it are not read. */
    public static final int MAX_ATTEMPTS = 64;

    /** What one connect met. */
    public enum Outcome {
        /** The handshake completed: something accepts on the port. */
        CONNECTED("connected"),
        /** A reset (or an ICMP port-unreachable): the path is open and nothing listens, or a REJECT answered. */
        REFUSED("refused"),
        /** No answer within the bound: dropped on the way, or the peer is down. */
        TIMEOUT("timeout"),
        /** ICMP host/net unreachable or admin-prohibited: a router's REJECT, or nobody at the address. */
        UNREACHABLE("unreachable"),
        /** Anything else, such as the source's own OUTPUT firewall. */
        ERROR("error");

        private final String word;

        Outcome(String word) {
            this.word = word;
        }

        public String word() {
            return word;
        }

        public static Optional<Outcome> of(String word) {
            for (Outcome outcome : values()) {
                if (outcome.word.equals(word)) {
                    return Optional.of(outcome);
                }
            }
            return Optional.empty();
        }

        @Override
        public String toString() {
            return word;
        }
    }

    /**
     * The attempts of a report: lines that are not {@code tcp ADDRESS PORT OUTCOME} with an IP literal, a port of
     * 1-65535 and a known outcome are left out, and so is everything after the probe's limit of
     * {@value #MAX_ATTEMPTS}; an address and port tried twice counts once (the first line).
     */
    public static List<ReachabilityAttempt> parse(String outcomes, String times) {
        Map<String, Double> seconds = new HashMap<>();
        for (String line : lines(times)) {
            String[] words = line.trim().split("\\s+");
            if (words.length == 5) {
                seconds.putIfAbsent(key(words), parseSeconds(words[4]));
            }
        }
        Map<String, ReachabilityAttempt> attempts = new LinkedHashMap<>();
        for (String line : lines(outcomes)) {
            if (attempts.size() == MAX_ATTEMPTS) {
                break;
            }
            String[] words = line.trim().split("\\s+");
            if (words.length != 4 || !words[0].equals("tcp")) {
                continue;
            }
            Optional<InetAddress> address = Cidr.parseAddress(words[1]);
            Optional<Outcome> outcome = Outcome.of(words[3].toLowerCase(Locale.ROOT));
            int port = port(words[2]);
            if (address.isEmpty() || outcome.isEmpty() || port == 0) {
                continue;
            }
            attempts.putIfAbsent(address.get().getHostAddress() + " " + port, new ReachabilityAttempt(words[1], port, outcome.get(),
                    seconds.get(key(words))));
        }
        return List.copyOf(new ArrayList<>(attempts.values()));
    }

    private static String key(String[] words) {
        return words[1] + " " + words[2] + " " + words[3];
    }

    private static List<String> lines(String text) {
        return text == null || text.isEmpty() ? List.of() : List.of(text.split("\n"));
    }

    private static int port(String text) {
        if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(Character::isDigit)) {
            return 0;
        }
        int port = Integer.parseInt(text);
        return port >= 1 && port <= 65535 ? port : 0;
    }

    private static Double parseSeconds(String text) {
        if (text.length() > 16 || !text.matches("[0-9]+(\\.[0-9]+)?")) {
            return null;
        }
        double value = Double.parseDouble(text);
        return value <= 3600 ? value : null;
    }
}
