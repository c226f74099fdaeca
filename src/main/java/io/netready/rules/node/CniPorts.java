package io.netready.rules.node;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.netready.facts.CniConfig;
import io.netready.facts.Listener;
import io.netready.facts.NetInterface;
import io.netready.facts.NodeFacts;
import io.netready.facts.OverlayDevice;
import io.netready.facts.PortRange;

/**
 * The control and overlay ports the node's CNI needs from its peers, protocol by protocol, and what showed each one:
 * the CNI config's plugin, a tunnel device (with the UDP port the kernel really listens on), or a listening agent.
 * Only what the node shows is asked for: Calico's BGP where it routes without VXLAN, Typha where Typha runs here.
 */
final class CniPorts {

    /** A port the CNI needs open, why, and which CNI. */
    record CniPort(String cni, String protocol, PortRange ports, String why) {
    }

    private CniPorts() {
    }

    static List<CniPort> of(NodeFacts facts) {
        Map<String, CniPort> ports = new LinkedHashMap<>();
        Set<String> plugins = facts.activeCniConfig().filter(CniConfig::isValid).map(c -> Set.copyOf(c.pluginTypes()))
                .orElse(Set.of());
        List<OverlayDevice> tunnels = facts.overlayDevices().asOptional().orElse(List.of()).stream().filter(OverlayDevice::up)
                .toList();
        List<String> nics = facts.interfaces().asOptional().orElse(List.of()).stream().map(NetInterface::name).toList();
        boolean calico = plugins.contains("calico") || nics.stream().anyMatch(n -> n.startsWith("cali") || n.equals("vxlan.calico"));
        boolean cilium = plugins.contains("cilium-cni") || nics.contains("cilium_host");
        boolean weave = plugins.contains("weave-net") || nics.contains("weave");
        boolean kubeRouter = nics.contains("kube-bridge");
        for (OverlayDevice tunnel : tunnels) {
            String cni = tunnel.name().startsWith("flannel") ? "Flannel" : tunnel.name().contains("calico") || tunnel.name().startsWith("cali")
                    ? "Calico" : tunnel.name().startsWith("cilium") ? "Cilium" : tunnel.name().startsWith("weave") || tunnel.name().startsWith("vxlan-6784")
                            ? "Weave" : "overlay";
            switch (tunnel.kind()) {
                case "vxlan" -> {
                    int port = tunnel.port() > 0 ? tunnel.port() : cni.equals("Calico") ? 4789 : 8472;
                    put(ports, new CniPort(cni, "udp", PortRange.of(port), tunnel.name() + " (VXLAN) receives peers' pod traffic on UDP "
                            + port + (tunnel.port() > 0 ? " (its dstport)" : " (" + cni + "'s default)")));
                }
                case "geneve" -> {
                    int port = tunnel.port() > 0 ? tunnel.port() : 6081;
                    put(ports, new CniPort(cni, "udp", PortRange.of(port), tunnel.name() + " (Geneve) receives peers' pod traffic on UDP " + port));
                }
                case "wireguard" -> {
                    int port = cni.equals("Cilium") ? 51871 : tunnel.ipv6Underlay() ? 51821 : 51820;
                    put(ports, new CniPort(cni, "udp", PortRange.of(port), tunnel.name() + " (WireGuard) receives encrypted pod traffic on UDP "
                            + port + " (" + cni + "'s default listen port)"));
                }
                default -> {
                    // IP-in-IP is IP protocol 4, not a port; the evidence names it
                }
            }
        }
        boolean calicoVxlan = tunnels.stream().anyMatch(t -> t.name().equals("vxlan.calico"));
        if (calico && !calicoVxlan) {
            put(ports, new CniPort("Calico", "tcp", PortRange.of(179), "Calico without a VXLAN device routes with BGP: "
                    + "its BIRD daemons peer on TCP 179"));
        }
        if (kubeRouter) {
            put(ports, new CniPort("kube-router", "tcp", PortRange.of(179), "kube-router peers with BGP on TCP 179"));
        }
        if (cilium) {
            put(ports, new CniPort("Cilium", "tcp", PortRange.of(4240), "cilium-agent's health checks reach each node on TCP 4240"));
        }
        if (weave) {
            put(ports, new CniPort("Weave", "tcp", PortRange.of(6783), "Weave's control connections use TCP 6783"));
            put(ports, new CniPort("Weave", "udp", new PortRange(6783, 6784), "Weave's data path (sleeve and fast datapath) uses UDP 6783-6784"));
        }
        listening(facts, "calico-typha", 5473).ifPresent(p -> put(ports, new CniPort("Calico", "tcp", PortRange.of(5473),
                "Typha runs here (calico-typha listens on TCP 5473); every node's Felix connects to it")));
        return new ArrayList<>(ports.values());
    }

    private static void put(Map<String, CniPort> ports, CniPort port) {
        ports.putIfAbsent(port.protocol() + "/" + port.ports(), port);
    }

    private static Optional<Listener> listening(NodeFacts facts, String process, int port) {
        return facts.listeners().asOptional().orElse(List.of()).stream()
                .filter(l -> l.port() == port && l.process() != null && l.process().startsWith(process.substring(0, Math.min(15,
                        process.length()))))
                .findFirst();
    }
}
