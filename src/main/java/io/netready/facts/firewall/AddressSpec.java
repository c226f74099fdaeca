package io.netready.facts.firewall;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.Optional;

import io.netready.net.Cidr;

/**
 * An address literal of a dump compiled once: a CIDR ({@code 10.0.0.0/8}, also with a dotted mask), one address, or a
 * range ({@code 10.0.0.1-10.0.0.9}), held as the first and last address, compared byte by byte.
 */
final class AddressSpec {

    private final byte[] first;
    private final byte[] last;

    private AddressSpec(byte[] first, byte[] last) {
        this.first = first;
        this.last = last;
    }

    /** Empty when the text is no address (a set name, a host name). */
    static Optional<AddressSpec> parse(String spec) {
        int dash = spec.indexOf('-');
        if (dash > 0 && spec.indexOf('/') < 0) {
            Optional<InetAddress> from = Cidr.parseAddress(spec.substring(0, dash));
            Optional<InetAddress> to = Cidr.parseAddress(spec.substring(dash + 1));
            if (from.isEmpty() || to.isEmpty() || from.get().getAddress().length != to.get().getAddress().length) {
                return Optional.empty();
            }
            return Optional.of(new AddressSpec(from.get().getAddress(), to.get().getAddress()));
        }
        int slash = spec.indexOf('/');
        Optional<InetAddress> host = Cidr.parseAddress(slash < 0 ? spec : spec.substring(0, slash));
        if (host.isEmpty()) {
            return Optional.empty();
        }
        byte[] bytes = host.get().getAddress();
        int prefix = bytes.length * 8;
        if (slash >= 0) {
            String length = spec.substring(slash + 1);
            if (length.matches("\\d{1,3}")) {
                prefix = Integer.parseInt(length);
            } else {
                // iptables-legacy may print a dotted mask: 10.0.0.0/255.0.0.0
                Optional<InetAddress> mask = Cidr.parseAddress(length);
                if (mask.isEmpty()) {
                    return Optional.empty();
                }
                prefix = Addresses.value(mask.get()).bitCount();
            }
        }
        if (prefix > bytes.length * 8) {
            return Optional.empty();
        }
        byte[] first = bytes.clone();
        byte[] last = bytes.clone();
        for (int bit = prefix; bit < bytes.length * 8; bit++) {
            first[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
            last[bit / 8] |= (byte) (0x80 >>> (bit % 8));
        }
        return Optional.of(new AddressSpec(first, last));
    }

    boolean contains(InetAddress address) {
        byte[] a = address.getAddress();
        return a.length == first.length && Arrays.compareUnsigned(a, first) >= 0 && Arrays.compareUnsigned(a, last) <= 0;
    }
}
