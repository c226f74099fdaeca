package io.netready.facts.firewall;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableSet;
import java.util.Optional;

import io.netready.facts.firewall.NftValues.Type;

/**
 * One element of an nft set or map (or a single right-hand value), compiled once for the selectors it is compared
 * with: {@code 10.0.0.0/8}, {@code 80-90}, {@code "eth*"}, {@code established}, or a concatenation
 * {@code 10.0.0.1 . tcp . 6443}. An element netready cannot read answers "maybe".
 */
final class NftElement {

    /** One component's test. */
    private interface Part {
        Tri test(Object value);
    }

    private final List<Part> parts;
    private final List<long[]> numberRanges;

    private NftElement(List<Part> parts, List<long[]> numberRanges) {
        this.parts = parts;
        this.numberRanges = numberRanges;
    }

    static NftElement compile(List<Type> types, List<Boolean> tcpFlags, String text, boolean anyBit) {
        String[] pieces = types.size() == 1 ? new String[] { text } : text.split("\\s+\\.\\s+");
        if (pieces.length != types.size()) {
            return new NftElement(null, List.of());
        }
        List<Part> parts = new ArrayList<>();
        List<long[]> ranges = new ArrayList<>();
        for (int i = 0; i < pieces.length; i++) {
            String piece = pieces[i].strip();
            Part part = part(types.get(i), tcpFlags.get(i), piece, anyBit, ranges);
            if (part == null) {
                return new NftElement(null, List.of());
            }
            parts.add(part);
        }
        return new NftElement(List.copyOf(parts), ranges);
    }

    private static Part part(Type type, boolean tcpFlags, String piece, boolean anyBit, List<long[]> ranges) {
        switch (type) {
            case ADDRESS -> {
                Optional<AddressSpec> spec = AddressSpec.parse(piece);
                ranges.add(null);
                return spec.<Part>map(s -> v -> Tri.of(s.contains((InetAddress) v))).orElse(null);
            }
            case NAME -> {
                String pattern = NftValues.unquote(piece);
                ranges.add(null);
                return v -> Interfaces.matches(pattern, (String) v);
            }
            case FLAGS -> {
                Optional<Long> bits = NftValues.flags(piece, tcpFlags);
                ranges.add(null);
                if (bits.isEmpty()) {
                    return null;
                }
                long b = bits.get();
                return v -> {
                    long x = (Long) v;
                    return Tri.of(anyBit ? (x & b) != 0 || (b == 0 && x == 0) : x == b);
                };
            }
            default -> {
                long from;
                long to;
                int dash = piece.indexOf('-', 1);
                if (dash > 0) {
                    Optional<Long> f = NftValues.number(piece.substring(0, dash), tcpFlags);
                    Optional<Long> t = NftValues.number(piece.substring(dash + 1), tcpFlags);
                    if (f.isEmpty() || t.isEmpty()) {
                        return null;
                    }
                    from = f.get();
                    to = t.get();
                } else {
                    Optional<Long> n = NftValues.number(piece, tcpFlags);
                    if (n.isEmpty()) {
                        return null;
                    }
                    from = n.get();
                    to = from;
                }
                ranges.add(new long[] { from, to });
                long lo = from;
                long hi = to;
                return v -> {
                    long x = (Long) v;
                    return Tri.of(x >= lo && x <= hi);
                };
            }
        }
    }

    /** Whether the element holds these values (one per selector); a null value (unreadable) is "maybe". */
    Tri test(List<Object> values) {
        if (parts == null) {
            return Tri.MAYBE;
        }
        Tri all = Tri.YES;
        for (int i = 0; i < parts.size(); i++) {
            Object v = values.get(i);
            all = all.and(v == null ? Tri.MAYBE : parts.get(i).test(v));
            if (all == Tri.NO) {
                return Tri.NO;
            }
        }
        return all;
    }

    /** Adds where the element's number range for component {@code index} starts and ends to {@code edges}. */
    void addEdges(int index, NavigableSet<Integer> edges) {
        if (parts == null || index >= numberRanges.size() || numberRanges.get(index) == null) {
            return;
        }
        long[] r = numberRanges.get(index);
        edges.add((int) Math.max(0, Math.min(65536, r[0])));
        edges.add((int) Math.max(0, Math.min(65536, r[1] + 1)));
    }
}
