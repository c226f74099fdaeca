package io.netready.facts;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A network interface of the node.
 *
 * @param kind the link kind from {@code ip -d link} (veth, bridge, vxlan, ...), "loopback", or "device" when the
 *        kernel names none (a physical NIC)
 * @param up administratively up and with carrier (operstate UP, or UNKNOWN with LOWER_UP)
 */
public record NetInterface(String name, String kind, boolean up, String state, String mac, int mtu,
        List<IfAddress> addresses) {

    private static final Set<String> PLUMBING_KINDS = Set.of("bridge", "vxlan", "geneve", "ipip", "gre", "gretap",
            "ip6tnl", "sit", "tun", "tap", "wireguard", "dummy", "ifb", "openvswitch", "vti", "ip6gre", "nlmon", "erspan");
    /** Host-side ends and devices of container runtimes and CNI plugins. */
    private static final Pattern PLUMBING_NAMES = Pattern.compile(
            "(veth|cali|lxc|cni|flannel|docker|cilium|weave|vxlan|kube-|tunl|virbr|br-|genev|nodelocaldns|antrea|ovs-).*");

    /**
     * An address on an interface.
     *
     * @param dynamic the kernel will let it expire (ip prints "dynamic"): learned by SLAAC from router advertisements, or
     *        from DHCP; false where the form the node printed does not say
     */
    public record IfAddress(String family, String address, int prefixLength, String scope, boolean dynamic) {

        public boolean isIpv4() {
            return "inet".equals(family);
        }

        public boolean isGlobal() {
            return "global".equals(scope);
        }

        public String cidr() {
            return address + "/" + prefixLength;
        }
    }

    public boolean isLoopback() {
        return "loopback".equals(kind) || "lo".equals(name);
    }

    /**
     * Whether this is one of the node's own NICs, whose MAC must be unique in the cluster: not loopback, not a
     * bridge or tunnel, not the host side of a container link. A veth named eth0 inside a container node counts.
     */
    public boolean isNodeNic() {
        return !isLoopback() && !PLUMBING_KINDS.contains(kind) && !PLUMBING_NAMES.matcher(name.toLowerCase(Locale.ROOT)).matches()
                && mac != null && !mac.isBlank() && !"00:00:00:00:00:00".equals(mac);
    }

    public boolean hasGlobalIpv4() {
        return addresses.stream().anyMatch(a -> a.isIpv4() && a.isGlobal());
    }

    public boolean hasGlobalIpv6() {
        return addresses.stream().anyMatch(a -> !a.isIpv4() && a.isGlobal());
    }

    /** Whether a global IPv6 address here will expire: one SLAAC took from router advertisements (or DHCPv6 gave). */
    public boolean hasDynamicIpv6() {
        return addresses.stream().anyMatch(a -> !a.isIpv4() && a.isGlobal() && a.dynamic());
    }
}
