package io.netready.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.netready.facts.CniConfig;
import io.netready.facts.NodeFacts;
import io.netready.net.Cidr;

/**
 * The IP families the node's cluster runs, and why. Decided from what configures the cluster — its pod and Service
 * CIDRs (cluster settings), the kubelet's {@code --node-ip} and {@code clusterDNS}, the active CNI configuration's
 * subnets — never from the addresses a NIC happens to carry: a host with a ULA or global IPv6 address from router
 * advertisements can be a node of an IPv4-only cluster. Without any word on the matter the cluster is IPv4 only, as
 * Kubernetes is by default. IPv6 requirements (forwarding, an IPv6 default route, ip6tables ports) apply where
 * {@link #ipv6()} holds.
 *
 * @param ipv4Evidence where IPv4 was found (empty for an IPv4 cluster by default)
 * @param ipv6Evidence where IPv6 was found
 */
public record IpFamilies(boolean ipv4, boolean ipv6, List<Evidence> ipv4Evidence, List<Evidence> ipv6Evidence) {

    static final String SETTINGS = "cluster settings";

    public static IpFamilies of(ClusterSettings cluster, NodeFacts facts) {
        List<Evidence> v4 = new ArrayList<>();
        List<Evidence> v6 = new ArrayList<>();
        settings("pod CIDR ", cluster.podCidr(), cluster.podCidrs(), v4, v6);
        settings("Service CIDR ", cluster.serviceCidr(), cluster.serviceCidrs(), v4, v6);
        facts.kubeletFlag("node-ip").ifPresent(ips -> {
            for (String ip : ips.split(",")) {
                family(ip.strip()).ifPresent(isV4 -> (isV4 ? v4 : v6).add(new Evidence("kubelet-flags", "--node-ip=" + ips)));
            }
        });
        for (String dns : facts.kubeletConfigList("clusterDNS")) {
            family(dns).ifPresent(isV4 -> (isV4 ? v4 : v6).add(new Evidence("kubelet-config", "clusterDNS: " + dns)));
        }
        Optional<CniConfig> cni = facts.activeCniConfig().filter(CniConfig::isValid);
        cni.ifPresent(c -> c.subnets().forEach(subnet -> Cidr.parse(subnet).ifPresent(
                net -> (net.isIpv4() ? v4 : v6).add(new Evidence("cni-config/" + c.file(), "IPAM subnet " + subnet)))));
        boolean ipv6 = !v6.isEmpty();
        return new IpFamilies(!v4.isEmpty() || !ipv6, ipv6, v4.stream().distinct().toList(), v6.stream().distinct().toList());
    }

    /**
     * Why the cluster has the families it has: the IPv6 evidence first, then the IPv4; where nothing names a family,
     * one line saying so.
     */
    public List<Evidence> evidence() {
        if (ipv4Evidence.isEmpty() && ipv6Evidence.isEmpty()) {
            return List.of(new Evidence(SETTINGS, "no pod or Service CIDR, kubelet --node-ip, clusterDNS or CNI subnet "
                    + "names an IP family: IPv4 only, the Kubernetes default"));
        }
        List<Evidence> all = new ArrayList<>(ipv6Evidence);
        all.addAll(ipv4Evidence);
        return List.copyOf(all);
    }

    /** Whether the cluster runs IPv4 and IPv6 side by side. */
    public boolean dualStack() {
        return ipv4 && ipv6;
    }

    /** "IPv4", "IPv6" or "dual-stack", for messages. */
    public String describe() {
        return dualStack() ? "dual-stack" : ipv6 ? "IPv6" : "IPv4";
    }

    /** Each network of a setting as the admin wrote it (fd00:10:244::/56, not its long form). */
    private static void settings(String label, String raw, List<Cidr> networks, List<Evidence> v4, List<Evidence> v6) {
        String[] written = networks.isEmpty() ? new String[0] : raw.split(",");
        for (int i = 0; i < networks.size(); i++) {
            (networks.get(i).isIpv4() ? v4 : v6).add(new Evidence(SETTINGS, label + written[i].strip()));
        }
    }

    private static Optional<Boolean> family(String address) {
        return Cidr.parseAddress(address).map(a -> a.getAddress().length == 4);
    }
}
