package io.netready.rules.node;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.netready.facts.CniConfig;
import io.netready.facts.NetInterface;
import io.netready.facts.NodeFacts;
import io.netready.facts.OverlayDevice;
import io.netready.rules.ClusterSettings;
import io.netready.rules.Evidence;
import io.netready.rules.Finding;
import io.netready.rules.IpFamilies;
import io.netready.rules.NodeRule;
import io.netready.rules.Remediation;
import io.netready.rules.RuleInfo;
import io.netready.rules.Rules;
import io.netready.rules.Severity;
import io.netready.rules.Shell;
import io.netready.rules.Snippet;
import io.netready.rules.Sources;

/**
 * An overlay wraps every pod packet in its own headers: the tunnel's MTU, and the MTU the CNI gives pods, must leave
 * room for them under the MTU of the interface the tunnel runs over, or large packets between nodes are fragmented or
 * silently dropped while small ones (ping, DNS) work.
 */
public class OverlayMtuRule extends Rules implements NodeRule {

    public OverlayMtuRule() {
        super(RuleInfo.node("overlay-mtu").title("The overlay's MTU leaves room for its encapsulation")
                .category("cni").severity(Severity.WARNING)
                .description("An overlay CNI sends pods' packets through a tunnel device (vxlan, geneve, wireguard, ipip) that "
                        + "adds its headers: VXLAN and Geneve 50 bytes (70 over IPv6; Geneve options add more), WireGuard 60 "
                        + "(80 over IPv6), IPIP 20. The tunnel's MTU and the MTU in the CNI configuration must be at most the "
                        + "underlying interface's MTU minus that, or large packets between nodes are fragmented or dropped "
                        + "while ping and DNS still work.")
                .remediation("Set the overlay's MTU to the underlying interface's MTU minus the encapsulation, in the CNI's own "
                        + "configuration (Calico's Installation or calico-config, Cilium's MTU, flannel's interface).")
                .sources(Sources.OVERLAY_MTU, Sources.NETWORK_MODEL)
                .build());
    }

    /** What one tunnel may carry: its underlying device and the room left under it. */
    private record Room(OverlayDevice device, NetInterface lower, int overhead) {
        int max() {
            return lower.mtu() - overhead;
        }
    }

    @Override
    public Finding evaluate(NodeFacts facts, ClusterSettings cluster) {
        if (!facts.overlayDevices().isAvailable()) {
            return skip(facts.overlayDevices().problem());
        }
        List<OverlayDevice> tunnels = facts.overlayDevices().value().stream().filter(OverlayDevice::up).toList();
        if (tunnels.isEmpty()) {
            return skip("No overlay device (vxlan, geneve, wireguard, ipip) is up on the node, so there is no "
                    + "encapsulation to leave room for");
        }
        IpFamilies families = IpFamilies.of(cluster, facts);
        List<Evidence> evidence = new ArrayList<>();
        List<Room> rooms = new ArrayList<>();
        for (OverlayDevice tunnel : tunnels) {
            Optional<NetInterface> lower = tunnel.lowerDevice() != null ? facts.interfaces().asOptional()
                    .flatMap(list -> list.stream().filter(i -> i.name().equals(tunnel.lowerDevice())).findFirst())
                    : facts.primaryInterface();
            if (lower.isEmpty() || lower.get().mtu() <= 0) {
                evidence.add(evidence("links", tunnel.name() + " (" + tunnel.kind() + ") mtu " + tunnel.mtu()
                        + ": the interface it runs over is not known"));
                continue;
            }
            boolean ipv6Underlay = tunnel.ipv6Underlay() || !families.ipv4();
            Room room = new Room(tunnel, lower.get(), overhead(tunnel.kind(), ipv6Underlay));
            rooms.add(room);
            evidence.add(evidence("links", tunnel.name() + " (" + label(tunnel.kind()) + ") mtu " + tunnel.mtu() + " over "
                    + lower.get().name() + " mtu " + lower.get().mtu() + ": " + room.overhead() + " bytes of "
                    + label(tunnel.kind()) + (ipv6Underlay && !"ipip".equals(tunnel.kind()) ? " over IPv6" : "")
                    + " leave at most " + room.max()));
        }
        if (rooms.isEmpty()) {
            return skip("The interface the overlay runs over is not in the report, so its MTU is not known");
        }
        Optional<CniConfig> cni = facts.activeCniConfig().filter(CniConfig::isValid);
        Room tightest = rooms.stream().min((a, b) -> Integer.compare(a.max(), b.max())).get();
        cni.filter(c -> c.mtu() != null).ifPresent(c -> evidence.add(evidence("cni-config/" + c.file(), "mtu " + c.mtu())));
        List<Room> tooLarge = rooms.stream().filter(r -> r.device().mtu() > r.max()).toList();
        boolean cniTooLarge = cni.map(CniConfig::mtu).filter(m -> m > tightest.max()).isPresent();
        if (tooLarge.isEmpty() && !cniTooLarge) {
            String tunnelsFit = String.join("; ", rooms.stream().map(r -> r.device().name() + " MTU " + r.device().mtu()
                    + " leaves the " + r.overhead() + " bytes " + label(r.device().kind()) + " needs under "
                    + r.lower().name() + "'s " + r.lower().mtu()).toList());
            return pass(tunnelsFit + cni.map(CniConfig::mtu).map(m -> "; the CNI's MTU " + m + " fits too").orElse(""),
                    evidence);
        }
        List<String> problems = new ArrayList<>();
        tooLarge.forEach(r -> problems.add(r.device().name() + " (" + label(r.device().kind()) + ") has MTU "
                + r.device().mtu() + ", but " + r.lower().name() + "'s " + r.lower().mtu() + " leaves room for at most "
                + r.max()));
        if (cniTooLarge) {
            problems.add(cni.get().file() + " gives pods MTU " + cni.get().mtu() + ", but " + tightest.device().name()
                    + " over " + tightest.lower().name() + " carries at most " + tightest.max());
        }
        return fail(String.join("; ", problems), evidence, fix(tooLarge, cniTooLarge ? cni.get() : null, tightest, cni));
    }

    private static Remediation fix(List<Room> tooLarge, CniConfig cniTooLarge, Room tightest,
            Optional<CniConfig> cni) {
        Snippet fix = new Snippet();
        for (Room room : tooLarge) {
            Optional<String> name = Shell.interfaceName(room.device().name());
            if (name.isPresent()) {
                fix.why("Leave room for " + label(room.device().kind()) + "'s " + room.overhead() + " bytes under "
                        + room.lower().name() + "'s MTU " + room.lower().mtu() + " now; the CNI sets its own value again "
                        + "when it restarts, so change that too (see the notes).")
                        .run("ip link set dev " + Shell.arg(name.get()) + " mtu " + room.max());
            } else {
                fix.note("Set the MTU of the " + label(room.device().kind()) + " device to " + room.max() + " (its name is "
                        + "not one netready puts into a command).");
            }
        }
        if (cniTooLarge != null) {
            Optional<String> file = Shell.identifier(cniTooLarge.file());
            if (file.isPresent()) {
                fix.why("New pods get the MTU of the CNI configuration: " + tightest.max() + " fits through "
                        + tightest.device().name() + ". The CNI may rewrite this file from its own setting (see the notes).")
                        .run("sed -i " + Shell.quote("s/\"mtu\": *" + cniTooLarge.mtu() + "\\b/\"mtu\": " + tightest.max()
                                + "/") + " " + Shell.arg("/etc/cni/net.d/" + file.get()));
            } else {
                fix.note("Set \"mtu\" to " + tightest.max() + " in the CNI configuration file.");
            }
            fix.note("Pods that exist keep their MTU until they are recreated.");
        }
        fix.note(where(cni, tightest));
        return fix.build();
    }

    /** Where the CNI keeps its MTU, so the fix survives a restart. */
    private static String where(Optional<CniConfig> cni, Room tightest) {
        List<String> types = cni.map(CniConfig::pluginTypes).orElse(List.of());
        String mtu = String.valueOf(tightest.max());
        String name = tightest.device().name();
        if (types.contains("calico") || name.contains("calico") || name.equals("tunl0")) {
            return "Calico: set the MTU to " + mtu + " in the Installation resource (spec.calicoNetwork.mtu) or, for a "
                    + "manifest install, veth_mtu in the calico-config ConfigMap, then restart calico-node; it rewrites the "
                    + "CNI file and the tunnel from that.";
        }
        if (types.contains("flannel") || name.startsWith("flannel")) {
            return "flannel: it sizes " + name + " from the interface it runs over (" + tightest.lower().name()
                    + ", MTU " + tightest.lower().mtu() + "): check --iface picks the right one; pods get FLANNEL_MTU from "
                    + "/run/flannel/subnet.env, which should then be " + mtu + ".";
        }
        if (types.contains("cilium-cni") || name.startsWith("cilium")) {
            return "Cilium: set MTU to " + mtu + " in its Helm values (mtu in the cilium-config ConfigMap), then restart "
                    + "the cilium agents.";
        }
        return "Set the MTU to " + mtu + " in your CNI's own configuration, so it survives the CNI's restarts.";
    }

    /** Bytes the encapsulation adds to each packet. */
    static int overhead(String kind, boolean ipv6Underlay) {
        return switch (kind) {
            case "vxlan", "geneve" -> ipv6Underlay ? 70 : 50;
            case "wireguard" -> ipv6Underlay ? 80 : 60;
            case "ipip" -> 20;
            default -> 0;
        };
    }

    private static String label(String kind) {
        return switch (kind) {
            case "vxlan" -> "VXLAN";
            case "geneve" -> "Geneve";
            case "wireguard" -> "WireGuard";
            case "ipip" -> "IPIP";
            default -> kind;
        };
    }
}
