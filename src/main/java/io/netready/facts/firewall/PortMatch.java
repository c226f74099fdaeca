package io.netready.facts.firewall;

import java.util.ArrayList;
import java.util.List;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * A match on the destination (or source) port against port ranges, compiled once. It tells the walk where its answer
 * can change ({@link #portEdges()}), so one walk answers for a whole run of ports.
 */
final class PortMatch implements Steps.Match {

    /** Which port the match reads. */
    enum Side {
        DESTINATION, SOURCE, EITHER
    }

    private final List<int[]> ranges;
    private final Side side;
    private final boolean unreadable;
    private final NavigableSet<Integer> edges = new TreeSet<>();

    private PortMatch(List<int[]> ranges, Side side, boolean unreadable) {
        this.ranges = ranges;
        this.side = side;
        this.unreadable = unreadable;
        for (int[] r : ranges) {
            edges.add(r[0]);
            edges.add(r[1] + 1);
        }
    }

    /** {@code 22}, {@code 30000:32767}, or a multiport list {@code 22,80:90}. */
    static PortMatch of(String list, Side side) {
        List<int[]> ranges = new ArrayList<>();
        boolean unreadable = false;
        for (String part : list.split(",")) {
            int[] range = Ports.range(part);
            if (range == null) {
                unreadable = true;
            } else {
                ranges.add(range);
            }
        }
        return new PortMatch(List.copyOf(ranges), side, unreadable);
    }

    @Override
    public Tri test(Packet packet) {
        Tri result = switch (side) {
            case DESTINATION -> in(packet.destinationPort());
            case SOURCE -> in(packet.sourcePort());
            case EITHER -> in(packet.destinationPort()).or(in(packet.sourcePort()));
        };
        return result == Tri.NO && unreadable ? Tri.MAYBE : result;
    }

    private Tri in(int port) {
        for (int[] r : ranges) {
            if (port >= r[0] && port <= r[1]) {
                return Tri.YES;
            }
        }
        return Tri.NO;
    }

    @Override
    public NavigableSet<Integer> portEdges() {
        return side == Side.SOURCE ? null : edges;
    }
}
