package io.netready.facts.firewall;

import java.util.Map;

import io.netready.facts.firewall.Steps.Chain;

/**
 * A chain attached to a hook: iptables' built-in chains (at their table's priority) and nftables' base chains.
 *
 * @param where how evidence names it: "iptables filter INPUT", "nftables inet filter input"
 * @param family "ip", "ip6", "inet" or "netdev"; which packets it sees
 * @param device for a netdev ingress chain, the interface it is bound to
 * @param chains every chain of its table, by name, for jumps and gotos
 * @param nat whether it is a NAT chain (an accept there ends only the NAT lookup)
 */
record BaseChain(String where, String family, Hook hook, int priority, String device, Chain chain, Map<String, Chain> chains,
        boolean nat) {

    boolean sees(Packet packet) {
        if ((hook == Hook.INPUT && !packet.localDestination()) || (hook == Hook.FORWARD && packet.localDestination())) {
            return false; // routing sent it the other way
        }
        return switch (family) {
            case "ip" -> packet.ipv4();
            case "ip6" -> !packet.ipv4();
            case "inet" -> true;
            case "netdev" -> device == null || device.equals(packet.inInterface());
            default -> false;
        };
    }
}
