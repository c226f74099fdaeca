package io.netready.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.netready.facts.CniConfig;
import io.netready.facts.NodeFacts;
import io.netready.net.Cidr;

/**
 * Something a node's report says about its cluster's pod or Service CIDR: a control plane's kube-controller-manager or
 * kube-apiserver flag, flannel's network, or a per-node value (the node's own pod subnet from the CNI's host-local
 * IPAM, flannel's FLANNEL_SUBNET or the kubelet's podCIDR; the kubelet's clusterDNS, a Service IP). Stored with the
 * node's identity in one line ({@link #encode()}), so the portal infers a cluster's CIDRs without re-reading reports.
 *
 * @param value a network, or kubeadm's dual-stack pair {@code 10.244.0.0/16,fd00:10:244::/56}; an address for
 *        {@link Kind#SERVICE_IP}
 */
public record CidrHint(Kind kind, Origin origin, String value) {

    /** What the value is: the cluster's pod or Service CIDR, or a value of one node. */
    public enum Kind {
        POD("pod"),
        SERVICE("service"),
        /** One node's pod subnet: inside the pod CIDR, not the pod CIDR itself. */
        NODE_POD_SUBNET("pod-subnet"),
        /** An address inside the Service CIDR (the kubelet's clusterDNS). */
        SERVICE_IP("service-ip");

        private final String word;

        Kind(String word) {
            this.word = word;
        }

        /** Whether the value names the cluster's own CIDR (counted per cluster), not one node's part of it. */
        public boolean clusterWide() {
            return this == POD || this == SERVICE;
        }
    }

    /** Where the value was read; {@code rank} orders the sources of a cluster CIDR, lower first. */
    public enum Origin {
        KUBE_CONTROLLER_MANAGER("kube-controller-manager", 1),
        KUBE_APISERVER("kube-apiserver", 1),
        FLANNEL_SUBNET_ENV("flannel-subnet-env", 2),
        FLANNEL_NET_CONF("flannel-net-conf", 2),
        KUBELET("kubelet", 3),
        CNI_IPAM("cni-ipam", 3);

        private final String word;
        private final int rank;

        Origin(String word, int rank) {
            this.word = word;
            this.rank = rank;
        }

        public int rank() {
            return rank;
        }
    }

    /** Every hint the report holds, cluster-wide ones first. */
    public static List<CidrHint> of(NodeFacts facts) {
        List<CidrHint> hints = new ArrayList<>();
        Map<String, String> kcm = facts.keyValues("cluster-cidrs/kube-controller-manager");
        add(hints, Kind.POD, Origin.KUBE_CONTROLLER_MANAGER, kcm.get("cluster-cidr"));
        add(hints, Kind.SERVICE, Origin.KUBE_CONTROLLER_MANAGER, kcm.get("service-cluster-ip-range"));
        add(hints, Kind.SERVICE, Origin.KUBE_APISERVER,
                facts.keyValues("cluster-cidrs/kube-apiserver").get("service-cluster-ip-range"));
        Map<String, String> env = facts.keyValues("cluster-cidrs/flannel-subnet-env");
        add(hints, Kind.POD, Origin.FLANNEL_SUBNET_ENV, pair(env.get("FLANNEL_NETWORK"), env.get("FLANNEL_IPV6_NETWORK")));
        Map<String, String> netConf = facts.keyValues("cluster-cidrs/flannel-net-conf");
        add(hints, Kind.POD, Origin.FLANNEL_NET_CONF, pair(netConf.get("Network"), netConf.get("IPv6Network")));
        for (String subnet : List.of(env.getOrDefault("FLANNEL_SUBNET", ""), env.getOrDefault("FLANNEL_IPV6_SUBNET", ""))) {
            // flannel writes the node's gateway address with the subnet's prefix: 10.244.1.1/24
            subnetOf(subnet).ifPresent(net -> hints.add(new CidrHint(Kind.NODE_POD_SUBNET, Origin.FLANNEL_SUBNET_ENV, net)));
        }
        Optional<CniConfig> cni = facts.activeCniConfig().filter(CniConfig::isValid);
        cni.ifPresent(c -> c.subnets().forEach(s -> add(hints, Kind.NODE_POD_SUBNET, Origin.CNI_IPAM, s)));
        String podCidr = facts.kubeletConfig().asOptional().map(config -> config.get("podCIDR")).orElse(null);
        if (podCidr != null) {
            for (String part : podCidr.split(",")) {
                add(hints, Kind.NODE_POD_SUBNET, Origin.KUBELET, part.strip());
            }
        }
        for (String dns : facts.kubeletConfigList("clusterDNS")) {
            if (Cidr.parseAddress(dns).isPresent()) {
                hints.add(new CidrHint(Kind.SERVICE_IP, Origin.KUBELET, dns));
            }
        }
        return List.copyOf(hints.stream().distinct().toList());
    }

    /** "pod kube-controller-manager 10.244.0.0/16": the form stored with the node's identity. */
    public String encode() {
        return kind.word + " " + origin.word + " " + value;
    }

    /** The hint of a stored line; empty for a line this version does not know. */
    public static Optional<CidrHint> decode(String line) {
        String[] parts = line.split(" ", 3);
        if (parts.length != 3) {
            return Optional.empty();
        }
        Optional<Kind> kind = List.of(Kind.values()).stream().filter(k -> k.word.equals(parts[0])).findFirst();
        Optional<Origin> origin = List.of(Origin.values()).stream().filter(o -> o.word.equals(parts[1])).findFirst();
        if (kind.isEmpty() || origin.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new CidrHint(kind.get(), origin.get(), parts[2]));
    }

    /** Where the value was read, for a message: "kube-controller-manager --cluster-cidr". */
    public String describe() {
        return switch (origin) {
            case KUBE_CONTROLLER_MANAGER -> "kube-controller-manager " + (kind == Kind.POD ? "--cluster-cidr" : "--service-cluster-ip-range");
            case KUBE_APISERVER -> "kube-apiserver --service-cluster-ip-range";
            case FLANNEL_SUBNET_ENV -> kind == Kind.POD ? "flannel's FLANNEL_NETWORK in /run/flannel/subnet.env"
                    : "flannel's FLANNEL_SUBNET in /run/flannel/subnet.env";
            case FLANNEL_NET_CONF -> "flannel's net-conf.json Network";
            case KUBELET -> kind == Kind.SERVICE_IP ? "the kubelet's clusterDNS" : "the kubelet's podCIDR";
            case CNI_IPAM -> "the CNI configuration's IPAM subnet (host-local)";
        };
    }

    private static void add(List<CidrHint> hints, Kind kind, Origin origin, String value) {
        if (value == null || value.isBlank()) {
            return;
        }
        List<Cidr> networks = new ArrayList<>();
        List<String> written = new ArrayList<>();
        for (String part : value.split(",", -1)) {
            Optional<Cidr> cidr = Cidr.parse(part.strip());
            if (cidr.isEmpty()) {
                return;
            }
            networks.add(cidr.get());
            written.add(part.strip());
        }
        // kubeadm's dual-stack form holds at most one network per family
        if (networks.size() > 2 || networks.size() == 2 && networks.get(0).isIpv4() == networks.get(1).isIpv4()) {
            return;
        }
        // as written (fd00:10:244::/56, not Java's long form), so messages quote the node's own text
        hints.add(new CidrHint(kind, origin, String.join(",", written)));
    }

    private static String pair(String ipv4, String ipv6) {
        if (ipv4 == null || ipv6 == null) {
            return ipv4 == null ? ipv6 : ipv4;
        }
        return ipv4 + "," + ipv6;
    }

    private static Optional<String> subnetOf(String addressWithPrefix) {
        int slash = addressWithPrefix.indexOf('/');
        if (slash < 0 || !addressWithPrefix.substring(slash + 1).matches("\\d{1,3}")) {
            return Optional.empty();
        }
        return Cidr.containing(addressWithPrefix.substring(0, slash), Integer.parseInt(addressWithPrefix.substring(slash + 1)))
                .map(Cidr::toString);
    }
}
