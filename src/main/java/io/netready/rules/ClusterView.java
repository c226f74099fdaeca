package io.netready.rules;

import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import io.netready.facts.ReachabilityAttempt.Outcome;

/**
 * What cluster rules see of a cluster. Evaluating one node on upload must not read every node: the indexed view
 * holds only the nodes that share an identity value with it, plus aggregates the database computes; the in-memory
 * view (pages, re-evaluation) holds every node.
 */
public interface ClusterView {

    /** The nodes the rules compare: at least the targets and every node sharing a hostname, id, IP or MAC with one. */
    List<NodeIdentity> nodes();

    /** Node count by primary-interface MTU over the whole cluster. */
    Map<Integer, Integer> mtuCounts();

    /** For {@code node}: the peers' pod subnets it has no route to (via the peer), and how many it checked. */
    PodRoutes podRoutes(NodeIdentity node);

    /**
     * How many nodes report each cluster-wide {@link CidrHint} (its stored line), and the first of their hostnames in
     * code-point order: what the pod and Service CIDRs are inferred from where the settings leave them empty.
     */
    List<CidrHintCount> cidrHints();

    /**
     * What the node's peers met when they last tried it on its current node IP: every attempt's count by port and
     * outcome, and the attempts themselves, those that did not connect first, at most {@code limit}.
     */
    Inbound inbound(NodeIdentity target, int limit);

    /** The node's own latest attempts on the given peers: whether it reaches those that cannot reach it. */
    List<Attempt> outbound(NodeIdentity source, Collection<Long> targets);

    /** A source node's latest attempt on a target node's port, as the source's report says. */
    record Attempt(long sourceId, String sourceHostname, String sourceIp, List<String> sourceNetworks, long targetId,
            int port, Outcome outcome, Double seconds, Instant observedAt) {
    }

    /** Who tried a node: counts per "PORT OUTCOME" over every attempt, and a bounded list of the attempts. */
    record Inbound(Map<String, Integer> counts, List<Attempt> attempts) {

        public static final Inbound NONE = new Inbound(Map.of(), List.of());

        public int total() {
            return counts.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    /** One cluster-wide hint: its stored line, how many nodes report it, the first of their hostnames. */
    record CidrHintCount(String hint, int nodes, String hostname) {

        /** Code-point order: how PostgreSQL's "C" collation orders the same strings (UTF-8 byte order). */
        public static final Comparator<String> ORDER = (a, b) -> {
            int i = 0;
            int j = 0;
            while (i < a.length() && j < b.length()) {
                int ca = a.codePointAt(i);
                int cb = b.codePointAt(j);
                if (ca != cb) {
                    return Integer.compare(ca, cb);
                }
                i += Character.charCount(ca);
                j += Character.charCount(cb);
            }
            return Boolean.compare(i < a.length(), j < b.length());
        };

        /** Both counts together: the nodes added, the first hostname kept. */
        public CidrHintCount plus(CidrHintCount other) {
            String first = hostname == null || other.hostname != null && ORDER.compare(other.hostname, hostname) < 0
                    ? other.hostname : hostname;
            return new CidrHintCount(hint, nodes + other.nodes, first);
        }
    }

    /** A peer's pod subnet the node cannot reach directly, and what it routes it through instead (or null). */
    record MissingRoute(long peerId, String peerHostname, String peerIp, String subnet, String routedVia) {
    }

    /** The outcome of checking a node's routes to its peers' pod subnets. */
    record PodRoutes(int checked, List<MissingRoute> missing) {
    }
}
