package io.netready.facts.firewall;

import java.math.BigInteger;
import java.net.InetAddress;

/** Addresses as numbers and back, for the model's edges between peers (the literals themselves: {@link AddressSpec}). */
final class Addresses {

    private Addresses() {
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
