package io.netready.plan;

import java.util.ArrayList;
import java.util.List;

/**
 * The only ports a plan ever names, by the target's role (and, for etcd, the source's): a plan is built from this
 * catalog and the peers' own node IPs, never from anything in a request or a report.
 */
final class PortCatalog {

    /** The probe's limit too: more would make a run long and a cluster's plans a scan. */
    static final int MAX_CONNECTS = 64;

    private static final int NODE_PORT_FIRST = 30000;
    private static final int NODE_PORT_COUNT = 32767 - NODE_PORT_FIRST + 1;

    private static final String UDP_WHY = "UDP has no handshake to observe: without a listener that answers, a "
            + "datagram that arrived and one that was dropped look the same. Judged by firewall-ports on each node";

    /** The CNIs' UDP data-path ports: listed, not tried. */
    static final List<PlanPort> UNTESTED = List.of(
            PlanPort.udp(8472, "VXLAN (flannel, Cilium). " + UDP_WHY),
            PlanPort.udp(4789, "VXLAN (IANA port: Calico, others). " + UDP_WHY),
            PlanPort.udp(6081, "Geneve (Cilium, OVN). " + UDP_WHY),
            PlanPort.udp(51820, "WireGuard (Calico, flannel, IPv4). " + UDP_WHY),
            PlanPort.udp(51821, "WireGuard (Calico, IPv6). " + UDP_WHY),
            PlanPort.udp(51871, "WireGuard (Cilium). " + UDP_WHY),
            PlanPort.udp(6783, "Weave sleeve. " + UDP_WHY),
            PlanPort.udp(6784, "Weave fast datapath. " + UDP_WHY));

    private PortCatalog() {
    }

    /** What every node needs of a control plane; etcd only between control planes. */
    static List<PlanPort> controlPlane(boolean fromControlPlane) {
        List<PlanPort> ports = new ArrayList<>();
        ports.add(PlanPort.tcp(6443, "kube-apiserver"));
        ports.add(PlanPort.tcp(10250, "kubelet API"));
        if (fromControlPlane) {
            ports.add(PlanPort.tcp(2379, "etcd clients (kube-apiserver, other members)"));
            ports.add(PlanPort.tcp(2380, "etcd peers"));
        }
        return ports;
    }

    /**
     * What every node needs of a worker: the kubelet, and one NodePort per worker, spread over the range by the node's
     * id and the same on every run, so that unchanged outcomes stay unchanged.
     */
    static List<PlanPort> worker(long nodeId) {
        int nodePort = NODE_PORT_FIRST + (int) Math.floorMod(nodeId * 2654435761L, (long) NODE_PORT_COUNT);
        return List.of(PlanPort.tcp(10250, "kubelet API"),
                PlanPort.tcp(nodePort, "a NodePort sample (30000-32767: Services of type NodePort on every node)"));
    }
}
