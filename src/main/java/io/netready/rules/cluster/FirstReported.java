package io.netready.rules.cluster;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.Comparator;
import java.util.function.Function;

import io.netready.rules.NodeIdentity;

/**
 * Who keeps an identity value several nodes report: the node that reported it first, by the portal's receive time
 * ({@link io.netready.rules.IdentitySince}); where times are equal or unknown, the older node (the lower node id). A
 * node that copies (or forges) a real node's value is the newcomer: it alone is flagged and fixed.
 */
final class FirstReported {

    private FirstReported() {
    }

    /** The node that reported the value first, of {@code nodes} (not empty), given when each one did. */
    static NodeIdentity first(Collection<NodeIdentity> nodes, Function<NodeIdentity, Instant> since) {
        Comparator<NodeIdentity> order = Comparator.comparing(since, Comparator.nullsLast(Comparator.naturalOrder()));
        return nodes.stream().min(order.thenComparingLong(NodeIdentity::nodeId)).orElseThrow();
    }

    /** " at 2026-12-02T18:04:06Z", or nothing where the time is unknown. */
    static String at(Instant time) {
        return time == null ? "" : " at " + time.truncatedTo(ChronoUnit.SECONDS);
    }

    /** " since 2026-12-02T18:04:06Z", or nothing where the time is unknown. */
    static String since(Instant time) {
        return time == null ? "" : " since " + time.truncatedTo(ChronoUnit.SECONDS);
    }

    /** "node-a (node 7)". */
    static String name(NodeIdentity node) {
        return node.hostname() + " (node " + node.nodeId() + ")";
    }

    /** "1 other node" / "2 other nodes". */
    static String otherNodes(int count) {
        return count + (count == 1 ? " other node" : " other nodes");
    }

    /** "has" / "have" for {@code count} subjects. */
    static String have(int count) {
        return count == 1 ? "has" : "have";
    }
}
