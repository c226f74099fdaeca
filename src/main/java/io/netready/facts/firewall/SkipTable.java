package io.netready.facts.firewall;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.netready.facts.firewall.Steps.Chain;
import io.netready.facts.firewall.Steps.Match;
import io.netready.facts.firewall.Steps.Rule;
import io.netready.facts.firewall.Steps.Step;

/**
 * Which rules of a long chain a packet can reach a verdict in, worked out once per packet (all but its destination
 * port): a rule whose leading matches that do not read the port say "no" cannot match whatever the port is, so the
 * walk skips it. kube-proxy's KUBE-SERVICES holds one rule per Service IP, none of which matches the node's own
 * address; the walk of each NodePort run then touches a handful of rules instead of thousands.
 */
final class SkipTable {

    /** Shorter chains are walked rule by rule. */
    private static final int MIN_RULES = 32;
    /** Packets remembered per firewall (each table one int per rule of its chain). */
    private static final int MAX_TABLES = 4096;

    /**
     * A chain (by identity: a record's hash would walk its thousands of rules on every lookup, 12 % of an upload's
     * CPU) and a packet.
     */
    private record Key(Chain chain, Packet packet) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && key.chain == chain && key.packet.equals(packet);
        }

        @Override
        public int hashCode() {
            return 31 * System.identityHashCode(chain) + packet.hashCode();
        }
    }

    private static final int[] NOT_YET = new int[0];

    private final Map<Key, int[]> tables = new ConcurrentHashMap<>();

    /** The first rule at or after {@code index} the packet can match in; {@code chain.rules().size()} when none. */
    int next(Chain chain, int index, Packet packet) {
        List<Rule> rules = chain.rules();
        if (rules.size() < MIN_RULES || index >= rules.size()) {
            return index;
        }
        Key key = new Key(chain, packet.translatedPortless());
        int[] table = tables.get(key);
        if (table == null) {
            // a packet seen once (a DNAT to one endpoint, say) is walked rule by rule; the table pays from the second
            if (tables.size() < MAX_TABLES) {
                tables.put(key, NOT_YET);
            }
            return index;
        }
        if (table == NOT_YET) {
            table = build(rules, key.packet());
            tables.put(key, table);
        }
        return table[index];
    }

    private static int[] build(List<Rule> rules, Packet packet) {
        int[] next = new int[rules.size() + 1];
        next[rules.size()] = rules.size();
        for (int i = rules.size() - 1; i >= 0; i--) {
            next[i] = canMatch(rules.get(i), packet) ? i : next[i + 1];
        }
        return next;
    }

    private static boolean canMatch(Rule rule, Packet packet) {
        for (Step step : rule.steps()) {
            if (!(step instanceof Match match)) {
                return true;
            }
            // a skip must hold for every port and every peer: matches that read either decide nothing here
            if (match.portEdges() == null && !match.readsSource() && match.test(packet) == Tri.NO) {
                return false;
            }
        }
        return true;
    }
}
