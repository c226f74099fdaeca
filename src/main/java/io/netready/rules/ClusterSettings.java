package io.netready.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.netready.net.Cidr;

/**
 * What the rules know of a node's cluster. The pod and Service CIDR may each be one network or, for a dual-stack
 * cluster, kubeadm's form of one network per family: {@code 10.244.0.0/16,fd00:10:244::/56}.
 *
 * @param routingMode routed (pod subnets reached by plain routes between nodes), overlay, or unknown
 * @param podOrigin where the pod CIDR came from when the nodes' reports named it ("kube-controller-manager
 *        --cluster-cidr on cp-1"); null when it is the admin's setting or unset
 * @param serviceOrigin the same for the Service CIDR
 */
public record ClusterSettings(String podCidr, String serviceCidr, RoutingMode routingMode, String podOrigin,
        String serviceOrigin) {

    public static final ClusterSettings NONE = new ClusterSettings(null, null, RoutingMode.UNKNOWN);

    /** The settings as an admin made them. */
    public ClusterSettings(String podCidr, String serviceCidr, RoutingMode routingMode) {
        this(podCidr, serviceCidr, routingMode, null, null);
    }

    /** Where the pod CIDR comes from, for evidence: "cluster settings", or the node value it was inferred from. */
    public String podSource() {
        return podOrigin == null ? "cluster settings" : podOrigin;
    }

    public String serviceSource() {
        return serviceOrigin == null ? "cluster settings" : serviceOrigin;
    }

    /** The pod network the IPv4 rules judge: the IPv4 one of a dual-stack pair, else the only one. */
    public Optional<Cidr> pods() {
        return preferIpv4(podCidrs());
    }

    public Optional<Cidr> services() {
        return preferIpv4(serviceCidrs());
    }

    /** Every pod network, one per family for a dual-stack cluster; empty when unset or not valid. */
    public List<Cidr> podCidrs() {
        return networks(podCidr);
    }

    public List<Cidr> serviceCidrs() {
        return networks(serviceCidr);
    }

    public boolean isRouted() {
        return routingMode == RoutingMode.ROUTED;
    }

    /** Splits kubeadm's comma-separated form; a list with any part that is not a network counts as none. */
    private static List<Cidr> networks(String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        List<Cidr> networks = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            Optional<Cidr> cidr = Cidr.parse(part.strip());
            if (cidr.isEmpty()) {
                return List.of();
            }
            networks.add(cidr.get());
        }
        return List.copyOf(networks);
    }

    private static Optional<Cidr> preferIpv4(List<Cidr> networks) {
        return networks.stream().filter(Cidr::isIpv4).findFirst().or(() -> networks.stream().findFirst());
    }
}
