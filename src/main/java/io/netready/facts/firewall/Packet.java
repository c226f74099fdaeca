package io.netready.facts.firewall;

import java.net.InetAddress;

/**
 * The packet the model walks through the hooks: the first packet of a connection (for TCP its SYN), as the kernel sees it at one point of
 * its path. Marks and conntrack facts change on the way (MARK, CT, NOTRACK, DNAT), so each change makes a new packet.
 *
 * @param tracked whether conntrack has seen the packet yet (it runs at priority -200 in prerouting; before that every
 *        packet is in state INVALID)
 * @param untracked whether a NOTRACK / {@code notrack} rule exempted it from conntrack (state UNTRACKED)
 * @param protocol the IP protocol number: 6 (TCP) or 17 (UDP)
 * @param node the node's address the connection was sent to
 * @param outInterface the interface it leaves by: none ("") on the way in, null where forwarded (unknown)
 * @param dnat whether a DNAT rule rewrote its destination (conntrack state DNAT, {@code ct status dnat})
 */
record Packet(int protocol, InetAddress node, InetAddress source, InetAddress destination, String inInterface,
        String outInterface, int sourcePort, int destinationPort, long mark, long ctMark, boolean tracked, boolean untracked,
        boolean dnat) {

    static final int TCP = 6;
    static final int UDP = 17;
    static final int SYN = 0x02;

    /** Whether the packet is (still) for the node itself: DNAT to another address forwards it. */
    boolean localDestination() {
        return destination.equals(node) || destination.isLoopbackAddress();
    }

    boolean tcp() {
        return protocol == TCP;
    }

    boolean ipv4() {
        return source.getAddress().length == 4;
    }

    /** The conntrack state words of this packet: NEW (and DNAT), INVALID before conntrack, or UNTRACKED. */
    boolean inState(String state) {
        if (untracked) {
            return state.equals("untracked");
        }
        if (!tracked) {
            return state.equals("invalid");
        }
        return state.equals("new") || (dnat && state.equals("dnat"));
    }

    Packet withMark(long value) {
        return new Packet(protocol, node, source, destination, inInterface, outInterface, sourcePort, destinationPort, value & 0xffffffffL,
                ctMark, tracked, untracked, dnat);
    }

    Packet withCtMark(long value) {
        return new Packet(protocol, node, source, destination, inInterface, outInterface, sourcePort, destinationPort, mark,
                value & 0xffffffffL, tracked, untracked, dnat);
    }

    Packet trackedNow() {
        return tracked || untracked ? this
                : new Packet(protocol, node, source, destination, inInterface, outInterface, sourcePort, destinationPort, mark, ctMark, true,
                        false, dnat);
    }

    Packet withoutTracking() {
        return new Packet(protocol, node, source, destination, inInterface, outInterface, sourcePort, destinationPort, mark, ctMark, false,
                true, dnat);
    }

    /** This packet with destination port 0: what matches that do not read the port see alike for every port. */
    Packet translatedPortless() {
        return new Packet(protocol, node, source, destination, inInterface, outInterface, sourcePort, 0, mark, ctMark, tracked,
                untracked, dnat);
    }

    Packet translatedTo(InetAddress address, int port) {
        InetAddress to = address == null ? destination : address;
        return new Packet(protocol, node, source, to, inInterface, to.equals(node) ? outInterface : null, sourcePort,
                port > 0 ? port : destinationPort, mark, ctMark, tracked, untracked, true);
    }
}
