package io.netready.facts.firewall;

import java.math.BigInteger;
import java.net.InetAddress;
import java.util.Optional;

import io.netready.net.Cidr;

/** Address literals as the dumps print them: {@code 10.0.0.0/8}, {@code 10.0.0.5}, {@code 10.0.0.1-10.0.0.9}. */
final class Addresses {

    private Addresses() {
    }

    /** Whether {@code address} lies in {@code spec}; empty when the spec is no address (a set name, a host name). */
    static Optional<Boolean> contains(String spec, InetAddress address) {
        int dash = spec.indexOf('-');
        if (dash > 0 && spec.indexOf('/') < 0) {
            Optional<InetAddress> from = Cidr.parseAddress(spec.substring(0, dash));
            Optional<InetAddress> to = Cidr.parseAddress(spec.substring(dash + 1));
            if (from.isEmpty() || to.isEmpty()) {
                return Optional.empty();
            }
            if (from.get().getAddress().length != address.getAddress().length) {
                return Optional.of(false);
            }
            BigInteger value = value(address);
            return Optional.of(value.compareTo(value(from.get())) >= 0 && value.compareTo(value(to.get())) <= 0);
        }
        int slash = spec.indexOf('/');
        String host = slash < 0 ? spec : spec.substring(0, slash);
        Optional<InetAddress> parsed = Cidr.parseAddress(host);
        if (parsed.isEmpty()) {
            return Optional.empty();
        }
        int bits = parsed.get().getAddress().length * 8;
        int prefix = bits;
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
                prefix = value(mask.get()).bitCount();
            }
        }
        if (prefix > bits) {
            return Optional.empty();
        }
        int p = prefix;
        return Cidr.containing(host, p).map(c -> c.contains(address));
    }

    /** The address with this numeric value, written as usual. */
    static String text(BigInteger value, int length) {
        byte[] raw = value.toByteArray();
        byte[] out = new byte[length];
        int copy = Math.min(raw.length, length);
        System.arraycopy(raw, raw.length - copy, out, length - copy, copy);
        try {
            return InetAddress.getByAddress(out).getHostAddress();
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException("an address of " + length + " bytes is always valid", e);
        }
    }

    static BigInteger value(InetAddress address) {
        return new BigInteger(1, address.getAddress());
    }
}
