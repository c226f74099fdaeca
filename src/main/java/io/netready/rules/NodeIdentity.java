package io.netready.rules;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.netready.facts.CniConfig;
import io.netready.facts.NetInterface;
import io.netready.facts.NodeFacts;
import io.netready.facts.Route;
import io.netready.net.Cidr;

/**
 * The few facts of a node's latest report that cluster rules compare across nodes. Small on purpose: stored per
 * node and indexed, so cluster rules never re-read every node's report.
 *
 * @param macs "interface mac" of the node's own NICs
 * @param networks the networks of the node's own NICs, in CIDR notation
 * @param podSubnets the pod subnet(s) this node hands out (CNI host-local subnet, else flannel's FLANNEL_SUBNET or the
 *        kubelet's podCIDR, else a connected route in the pod CIDR)
 * @param routes "destination gateway" of the node's routes via a gateway
 * @param cidrHints what the report says of the cluster's pod and Service CIDRs, as {@link CidrHint#encode()} lines
 * @param phase the report's phase word (preflight, running): whether peers should find the node's ports accepting
 * @param ownFirewall what the node's own firewall does to the ports peers try on it, as {@link OwnFirewall} lines
 * @param since since when the node has reported its hostname, machine-id, product_uuid, node IP and each MAC (the
 *        portal's receive time): of two nodes sharing a value, the first keeps it
 */
public record NodeIdentity(long nodeId, long reportId, String hostname, String machineId, String productUuid,
        String nodeIp, Integer mtu, List<String> macs, List<String> networks, List<String> podSubnets, List<String> routes,
        List<String> cidrHints, String phase, List<String> ownFirewall, IdentitySince since) {

    /** Without the times (a sample, a report not stored yet): {@link IdentitySince#UNKNOWN}. */
    public NodeIdentity(long nodeId, long reportId, String hostname, String machineId, String productUuid, String nodeIp,
            Integer mtu, List<String> macs, List<String> networks, List<String> podSubnets, List<String> routes,
            List<String> cidrHints, String phase, List<String> ownFirewall) {
        this(nodeId, reportId, hostname, machineId, productUuid, nodeIp, mtu, macs, networks, podSubnets, routes, cidrHints,
                phase, ownFirewall, IdentitySince.UNKNOWN);
    }

    public static NodeIdentity of(long nodeId, long reportId, NodeFacts facts, ClusterSettings cluster) {
        List<String> macs = new ArrayList<>();
        List<String> networks = new ArrayList<>();
        for (NetInterface nic : facts.interfaces().asOptional().orElse(List.of())) {
            if (!nic.isNodeNic()) {
                continue;
            }
            macs.add(nic.name() + " " + nic.mac().toLowerCase(java.util.Locale.ROOT));
            for (NetInterface.IfAddress address : nic.addresses()) {
                if (address.isGlobal()) {
                    network(address).ifPresent(networks::add);
                }
            }
        }
        List<String> routes = new ArrayList<>();
        Map<String, String> connected = new LinkedHashMap<>();
        for (Route route : facts.routes().asOptional().orElse(List.of())) {
            if (route.gateway() != null && !route.isDefault()) {
                routes.add(route.destination() + " " + route.gateway());
            } else if (route.gateway() == null && !route.isDefault()) {
                connected.put(route.destination(), route.device());
            }
        }
        List<CidrHint> hints = CidrHint.of(facts);
        List<String> podSubnets = new ArrayList<>();
        Optional<CniConfig> cni = facts.activeCniConfig().filter(CniConfig::isValid);
        cni.ifPresent(c -> podSubnets.addAll(c.subnets()));
        if (podSubnets.isEmpty()) {
            // flannel's CNI config delegates without a subnet: its subnet.env (or the kubelet's podCIDR) names it
            hints.stream().filter(h -> h.kind() == CidrHint.Kind.NODE_POD_SUBNET).map(CidrHint::value).forEach(podSubnets::add);
        }
        if (podSubnets.isEmpty()) {
            // the node's own word on the pod CIDR (a control plane's flags, flannel's network) where the settings have none
            ClusterSettings own = InferredCidrs.effective(cluster, hints.stream().filter(h -> h.kind().clusterWide())
                    .map(h -> new ClusterView.CidrHintCount(h.encode(), 1, facts.hostname())).toList());
            own.pods().ifPresent(pods -> connected.keySet().stream()
                    .filter(dst -> Cidr.parse(dst).filter(c -> pods.contains(c.network()) && c.prefixLength() >= pods.prefixLength()).isPresent())
                    .forEach(podSubnets::add));
        }
        String machineId = facts.report().machineId().orElse(null);
        String uuid = facts.report().productUuid().orElse(null);
        Integer mtu = facts.primaryInterface().map(NetInterface::mtu).orElse(null);
        return new NodeIdentity(nodeId, reportId, facts.hostname(), machineId, uuid, facts.nodeIp().orElse(null), mtu,
                List.copyOf(macs), List.copyOf(networks), List.copyOf(podSubnets.stream().distinct().toList()),
                List.copyOf(routes), hints.stream().map(CidrHint::encode).toList(), facts.report().phase().word(),
                OwnFirewall.judge(facts));
    }

    /** The report's hints of one kind (those this version can read). */
    public List<CidrHint> hints(CidrHint.Kind kind) {
        return cidrHints.stream().map(CidrHint::decode).flatMap(Optional::stream).filter(h -> h.kind() == kind).toList();
    }

    /**
     * The node's subnet: the network of its own NICs that holds its node IP, else that address alone (/32, /128); null
     * without a node IP. node-reachability names it in its notes; the reachability matrix groups nodes by it.
     */
    public String subnet() {
        return nodeIp == null ? null : subnetOf(nodeIp, networks);
    }

    /** The network of {@code networks} that holds the address, else the address alone (/32, /128). */
    public static String subnetOf(String address, List<String> networks) {
        Optional<java.net.InetAddress> ip = Cidr.parseAddress(address);
        for (String network : networks) {
            Optional<Cidr> cidr = Cidr.parse(network);
            if (cidr.isPresent() && ip.filter(cidr.get()::contains).isPresent()) {
                return cidr.get().toString();
            }
        }
        return ip.map(a -> a.getHostAddress() + (a.getAddress().length == 4 ? "/32" : "/128")).orElse("its address");
    }

    /** The MAC addresses alone, without their interface names. */
    public List<String> macValues() {
        return macs.stream().map(m -> m.substring(m.lastIndexOf(' ') + 1)).toList();
    }

    /** The same facts as the identity of the given node and report. */
    public NodeIdentity withIds(long nodeId, long reportId) {
        return new NodeIdentity(nodeId, reportId, hostname, machineId, productUuid, nodeIp, mtu, macs, networks, podSubnets,
                routes, cidrHints, phase, ownFirewall, since);
    }

    /** The same facts with these times. */
    public NodeIdentity withSince(IdentitySince times) {
        return new NodeIdentity(nodeId, reportId, hostname, machineId, productUuid, nodeIp, mtu, macs, networks, podSubnets,
                routes, cidrHints, phase, ownFirewall, times == null ? IdentitySince.UNKNOWN : times);
    }

    private static Optional<String> network(NetInterface.IfAddress address) {
        return Cidr.containing(address.address(), address.prefixLength()).map(Cidr::toString);
    }
}
