package io.netready.facts;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import io.netready.net.Cidr;

/**
 * A {@code NO_PROXY} value read the way Go's {@code golang.org/x/net/http/httpproxy} reads it, which is what the kubelet,
 * kubeadm, containerd, CRI-O and dockerd use: comma-separated entries, each {@code *} (no proxy for anything), an IP
 * prefix in CIDR notation ({@code 10.96.0.0/12}; host bits may be set), an IP address, or a domain name
 * ({@code example.com} matches it and its subdomains, {@code .example.com} and {@code *.example.com} only subdomains),
 * each optionally with a port. Go never proxies {@code localhost} or loopback addresses, whatever the value says.
 * Other programs differ: curl understands CIDRs only from 7.86, wget and Python's urllib never; so the value a fix
 * writes lists IPs and CIDRs, which every reader takes at least as addresses.
 */
public record NoProxy(String value, List<String> entries, boolean matchesAll, List<Cidr> prefixes, List<InetAddress> addresses,
        List<String> domains) {

    public static final NoProxy NONE = parse("");

    public static NoProxy parse(String value) {
        List<String> entries = new ArrayList<>();
        List<Cidr> prefixes = new ArrayList<>();
        List<InetAddress> addresses = new ArrayList<>();
        List<String> domains = new ArrayList<>();
        boolean all = false;
        for (String raw : (value == null ? "" : value).split(",")) {
            String entry = raw.strip().toLowerCase(Locale.ROOT);
            if (entry.isEmpty()) {
                continue;
            }
            entries.add(entry);
            if (entry.equals("*")) {
                all = true;
                continue;
            }
            Optional<Cidr> prefix = prefix(entry);
            if (prefix.isPresent()) {
                prefixes.add(prefix.get());
                continue;
            }
            Optional<InetAddress> address = Cidr.parseAddress(withoutPort(entry));
            if (address.isPresent()) {
                addresses.add(address.get());
            } else {
                domains.add(entry);
            }
        }
        return new NoProxy(value == null ? "" : value, List.copyOf(entries), all, List.copyOf(prefixes),
                List.copyOf(addresses), List.copyOf(domains));
    }

    /** Whether a request to this IP address goes direct, not through the proxy. */
    public boolean bypasses(InetAddress address) {
        if (matchesAll || address.isLoopbackAddress()) {
            return true;
        }
        return addresses.contains(address) || prefixes.stream().anyMatch(p -> p.contains(address));
    }

    /** Whether every address of the network goes direct: one entry holds it whole (or the value is {@code *}). */
    public boolean bypasses(Cidr network) {
        if (matchesAll) {
            return true;
        }
        return prefixes.stream().anyMatch(p -> p.isIpv4() == network.isIpv4() && p.prefixLength() <= network.prefixLength()
                && p.overlaps(network));
    }

    private static Optional<Cidr> prefix(String entry) {
        int slash = entry.indexOf('/');
        if (slash < 0 || !entry.substring(slash + 1).matches("\\d{1,3}")) {
            return Optional.empty();
        }
        return Cidr.containing(entry.substring(0, slash), Integer.parseInt(entry.substring(slash + 1)));
    }

    /** {@code 10.0.0.1:6443} and {@code [fd00::1]:6443} without the port; a bare IPv6 address as it is. */
    private static String withoutPort(String entry) {
        if (entry.startsWith("[")) {
            int end = entry.indexOf(']');
            return end > 0 ? entry.substring(1, end) : entry;
        }
        int colon = entry.indexOf(':');
        return colon > 0 && colon == entry.lastIndexOf(':') ? entry.substring(0, colon) : entry;
    }
}
