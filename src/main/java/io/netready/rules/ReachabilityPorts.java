package io.netready.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.netready.facts.ReachabilityAttempt;
import io.netready.reportformat.Role;

/**
 * The only ports nodes try on each other, by the target's role (and, for etcd, the source's): the reachability plan is
 * built from this catalog and the peers' own node IPs, and {@code node-reachability} judges only these ports.
 */
public final class ReachabilityPorts {

    /** The probe's limit too: more would make a run long and a cluster's plans a scan. */
    public static final int MAX_CONNECTS = ReachabilityAttempt.MAX_ATTEMPTS;

    private static final int NODE_PORT_FIRST = 30000;
    private static final int NODE_PORT_COUNT = 32767 - NODE_PORT_FIRST + 1;

    private static final String UDP_WHY = "UDP has no handshake to observe: without a listener that answers, a "
            + "datagram that arrived and one that was dropped look the same. Judged by firewall-ports on each node";

    /** One port a peer must be reachable on, and what needs it. */
    public record Port(int port, String protocol, String why) {

        static Port tcp(int port, String why) {
            return new Port(port, "tcp", why);
        }

        static Port udp(int port, String why) {
            return new Port(port, "udp", why);
        }
    }

    /** The CNIs' UDP data-path ports: listed in every plan, never tried. */
    public static final List<Port> UNTESTED = List.of(
            Port.udp(8472, "VXLAN (flannel, Cilium). " + UDP_WHY),
            Port.udp(4789, "VXLAN (IANA port: Calico, others). " + UDP_WHY),
            Port.udp(6081, "Geneve (Cilium, OVN). " + UDP_WHY),
            Port.udp(51820, "WireGuard (Calico, flannel, IPv4). " + UDP_WHY),
            Port.udp(51821, "WireGuard (Calico, IPv6). " + UDP_WHY),
            Port.udp(51871, "WireGuard (Cilium). " + UDP_WHY),
            Port.udp(6783, "Weave sleeve. " + UDP_WHY),
            Port.udp(6784, "Weave fast datapath. " + UDP_WHY));

    private ReachabilityPorts() {
    }

    /** What every node needs of a control plane; etcd only between control planes. */
    public static List<Port> controlPlane(boolean fromControlPlane) {
        List<Port> ports = new ArrayList<>();
        ports.add(Port.tcp(6443, "kube-apiserver"));
        ports.add(Port.tcp(10250, "kubelet API"));
        if (fromControlPlane) {
            ports.add(Port.tcp(2379, "etcd clients (kube-apiserver, other members)"));
            ports.add(Port.tcp(2380, "etcd peers"));
        }
        return ports;
    }

    /** What every node needs of a worker: the kubelet, and the worker's NodePort sample. */
    public static List<Port> worker(String hostname) {
        return List.of(Port.tcp(10250, "kubelet API"), Port.tcp(nodePortSample(hostname),
                "a NodePort sample (30000-32767: Services of type NodePort on every node)"));
    }

    /** Every TCP port some peer may try on a node of this role and hostname: what its own firewall is judged on. */
    public static List<Port> tried(Role role, String hostname) {
        return role == Role.CONTROL_PLANE ? controlPlane(true) : worker(hostname);
    }

    /**
     * The one NodePort peers try on a worker: spread over the range by its hostname and the same on every run, so
     * unchanged outcomes stay unchanged (and the worker's own report tells which port its firewall is judged on).
     */
    public static int nodePortSample(String hostname) {
        long hash = 1125899906842597L;
        for (char c : hostname.toLowerCase(Locale.ROOT).toCharArray()) {
            hash = 31 * hash + c;
        }
        return NODE_PORT_FIRST + (int) Math.floorMod(hash * 2654435761L, (long) NODE_PORT_COUNT);
    }

    /** What a tried TCP port is for, as messages name it. */
    public static String purpose(int port) {
        return switch (port) {
            case 6443 -> "kube-apiserver";
            case 10250 -> "kubelet API";
            case 2379 -> "etcd clients";
            case 2380 -> "etcd peers";
            default -> port >= NODE_PORT_FIRST && port < NODE_PORT_FIRST + NODE_PORT_COUNT ? "a NodePort" : "port " + port;
        };
    }

    /** The ports something must accept on once the cluster runs (a NodePort sample need not: no Service may use it). */
    public static final List<Integer> COMPONENT_PORTS = List.of(6443, 10250, 2379, 2380);

    /** Whether something must accept on the port once the cluster runs. */
    public static boolean componentPort(int port) {
        return COMPONENT_PORTS.contains(port);
    }
}
