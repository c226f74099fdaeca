package io.netready.rules;

import java.util.List;
import java.util.Map;

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

    /** A peer's pod subnet the node cannot reach directly, and what it routes it through instead (or null). */
    record MissingRoute(long peerId, String peerHostname, String peerIp, String subnet, String routedVia) {
    }

    /** The outcome of checking a node's routes to its peers' pod subnets. */
    record PodRoutes(int checked, List<MissingRoute> missing) {
    }
}
