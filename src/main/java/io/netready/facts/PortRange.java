package io.netready.facts;

/** A port or an inclusive port range, as firewall rules name them. */
public record PortRange(int from, int to) {

    public static PortRange of(int port) {
        return new PortRange(port, port);
    }

    /** "10250", "30000:32767" (iptables) or "30000-32767" (nft, firewalld). */
    public static PortRange parse(String text) {
        String t = text.strip();
        int sep = Math.max(t.indexOf(':'), t.indexOf('-'));
        if (sep > 0) {
            return new PortRange(Integer.parseInt(t.substring(0, sep).strip()), Integer.parseInt(t.substring(sep + 1).strip()));
        }
        return of(Integer.parseInt(t));
    }

    public boolean contains(int port) {
        return port >= from && port <= to;
    }

    public boolean containsAll(PortRange other) {
        return from <= other.from && other.to <= to;
    }

    public boolean overlaps(PortRange other) {
        return from <= other.to && other.from <= to;
    }

    @Override
    public String toString() {
        return from == to ? Integer.toString(from) : from + "-" + to;
    }
}
