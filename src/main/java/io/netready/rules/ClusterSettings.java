package io.netready.rules;

import java.util.Optional;

import io.netready.net.Cidr;

/**
 * What the rules know of a node's cluster.
 *
 * @param routingMode routed (pod subnets reached by plain routes between nodes), overlay, or unknown
 */
public record ClusterSettings(String podCidr, String serviceCidr, RoutingMode routingMode) {

    public static final ClusterSettings NONE = new ClusterSettings(null, null, RoutingMode.UNKNOWN);

    public Optional<Cidr> pods() {
        return Cidr.parse(podCidr);
    }

    public Optional<Cidr> services() {
        return Cidr.parse(serviceCidr);
    }

    public boolean isRouted() {
        return routingMode == RoutingMode.ROUTED;
    }
}
