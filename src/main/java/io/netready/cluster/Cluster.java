package io.netready.cluster;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;

import io.netready.net.Cidr;
import io.netready.rules.ClusterSettings;
import io.netready.rules.RoutingMode;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A Kubernetes cluster whose nodes report to netready; it belongs to one team. */
@Entity
public class Cluster extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false, unique = true)
    public String name;

    @Column(nullable = false)
    public String team;

    @Column(name = "pod_cidr")
    public String podCidr;

    @Column(name = "service_cidr")
    public String serviceCidr;

    /**
     * The networks the cluster's nodes live in (comma-separated CIDRs), or null: a reachability plan names a node's
     * address inside them even when the node uploads through NAT or a proxy (else only the address it uploaded from).
     */
    @Column(name = "node_networks")
    public String nodeNetworks;

    /** routed, overlay or unknown: whether pod subnets are reached by plain routes between nodes. */
    @Column(name = "routing_mode", nullable = false)
    public String routingMode = "unknown";

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "created_by", nullable = false)
    public String createdBy;

    /** What the rules know of this cluster. */
    public ClusterSettings settings() {
        return new ClusterSettings(podCidr, serviceCidr, RoutingMode.fromWord(routingMode).orElse(RoutingMode.UNKNOWN));
    }

    /** The declared node networks; empty when none are set. */
    public List<Cidr> nodeNetworkList() {
        return nodeNetworks == null ? List.of() : java.util.Arrays.stream(nodeNetworks.split(","))
                .map(n -> Cidr.parse(n.strip())).flatMap(Optional::stream).toList();
    }

    /** Whether {@code address} (an IP literal) lies inside one of the declared node networks. */
    public boolean inNodeNetworks(String address) {
        List<Cidr> networks = nodeNetworkList();
        return !networks.isEmpty() && Cidr.parseAddress(address).filter(a -> networks.stream().anyMatch(n -> n.contains(a)))
                .isPresent();
    }

    public static Optional<Cluster> findByName(String name) {
        return find("name", name).firstResultOptional();
    }

    public static List<Cluster> listAllByName() {
        return list("order by name");
    }

    public static List<Cluster> listForTeams(Set<String> teams) {
        if (teams.isEmpty()) {
            return List.of();
        }
        return list("team in ?1 order by name", teams);
    }
}
