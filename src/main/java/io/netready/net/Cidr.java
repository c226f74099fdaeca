package io.netready.net;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/** An IPv4 or IPv6 network in CIDR notation, parsed strictly (never a DNS lookup). */
public record Cidr(InetAddress network, int prefixLength) {

    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    /** Parses {@code a.b.c.d/n} or {@code x::y/n}; the address bits past the prefix must be zero. */
    public static Optional<Cidr> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        int slash = text.indexOf('/');
        if (slash < 0 || slash != text.lastIndexOf('/')) {
            return Optional.empty();
        }
        Optional<InetAddress> address = parseAddress(text.substring(0, slash));
        String prefix = text.substring(slash + 1);
        if (address.isEmpty() || !prefix.matches("\\d{1,3}")) {
            return Optional.empty();
        }
        int length = Integer.parseInt(prefix);
        int bits = address.get().getAddress().length * 8;
        if (length > bits) {
            return Optional.empty();
        }
        BigInteger value = new BigInteger(1, address.get().getAddress());
        if (!value.equals(value.and(mask(bits, length)))) {
            return Optional.empty();
        }
        return Optional.of(new Cidr(address.get(), length));
    }

    /**
     * The network an address lies in: {@code 192.0.2.17} with prefix 24 is {@code 192.0.2.0/24}. Empty when the text is
     * not an address literal or the prefix does not fit it.
     */
    public static Optional<Cidr> containing(String address, int prefixLength) {
        return parseAddress(address).filter(a -> prefixLength >= 0 && prefixLength <= a.getAddress().length * 8)
                .map(a -> {
                    int bits = a.getAddress().length * 8;
                    return new Cidr(toAddress(new BigInteger(1, a.getAddress()).and(mask(bits, prefixLength)), bits / 8),
                            prefixLength);
                });
    }

    /** The network's first address after its own (the usual gateway); empty where the network has no room (/31, /32). */
    public Optional<InetAddress> firstHost() {
        int bits = network.getAddress().length * 8;
        if (bits - prefixLength < 2) {
            return Optional.empty();
        }
        return Optional.of(toAddress(value().add(BigInteger.ONE), bits / 8));
    }

    /** Parses an IPv4 or IPv6 address literal; anything else (a host name, say) is empty. */
    public static Optional<InetAddress> parseAddress(String text) {
        if (text == null) {
            return Optional.empty();
        }
        boolean v4 = IPV4.matcher(text).matches();
        boolean v6 = text.indexOf(':') >= 0 && IPV6.matcher(text).matches();
        if (!v4 && !v6) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(text));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    public boolean isIpv4() {
        return network.getAddress().length == 4;
    }

    /** Whether the two networks share any address. */
    public boolean overlaps(Cidr other) {
        if (isIpv4() != other.isIpv4()) {
            return false;
        }
        int shorter = Math.min(prefixLength, other.prefixLength);
        int bits = network.getAddress().length * 8;
        BigInteger mask = mask(bits, shorter);
        return value().and(mask).equals(other.value().and(mask));
    }

    public boolean contains(InetAddress address) {
        if (address.getAddress().length != network.getAddress().length) {
            return false;
        }
        BigInteger mask = mask(network.getAddress().length * 8, prefixLength);
        return new BigInteger(1, address.getAddress()).and(mask).equals(value());
    }

    private BigInteger value() {
        return new BigInteger(1, network.getAddress());
    }

    private static BigInteger mask(int bits, int prefixLength) {
        BigInteger all = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE);
        return all.xor(BigInteger.ONE.shiftLeft(bits - prefixLength).subtract(BigInteger.ONE));
    }

    private static InetAddress toAddress(BigInteger value, int length) {
        byte[] raw = value.toByteArray();
        byte[] out = new byte[length];
        int copy = Math.min(raw.length, length);
        System.arraycopy(raw, raw.length - copy, out, length - copy, copy);
        try {
            return InetAddress.getByAddress(out);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("an address of " + length + " bytes is always valid", e);
        }
    }

    @Override
    public String toString() {
        return network.getHostAddress() + "/" + prefixLength;
    }
}
