package io.netready.facts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.netready.net.Cidr;

/** NO_PROXY as Go's httpproxy reads it: CIDRs (host bits allowed), addresses with or without a port, domains, *. */
class NoProxyTest {

    private static InetAddress ip(String text) {
        return Cidr.parseAddress(text).orElseThrow();
    }

    private static Cidr cidr(String text) {
        return Cidr.parse(text).orElseThrow();
    }

    @Test
    void cidrEntriesCoverAddressesAndSmallerNetworks() {
        NoProxy noProxy = NoProxy.parse(" 10.0.0.0/8, 192.168.1.5/24 ,.svc");
        assertTrue(noProxy.bypasses(ip("10.96.0.1")));
        assertTrue(noProxy.bypasses(cidr("10.96.0.0/12")));
        assertTrue(noProxy.bypasses(ip("192.168.1.77")), "host bits in a CIDR entry are ignored, as net.ParseCIDR does");
        assertFalse(noProxy.bypasses(cidr("192.168.0.0/16")), "a /16 is not inside a /24");
        assertFalse(noProxy.bypasses(ip("172.16.0.1")));
        assertEquals(List.of(".svc"), noProxy.domains());
    }

    @Test
    void addressesMatchExactlyAndPortsAreIgnored() {
        NoProxy noProxy = NoProxy.parse("10.213.0.2:6443,[fd00::1]:443,fd00::2");
        assertTrue(noProxy.bypasses(ip("10.213.0.2")));
        assertTrue(noProxy.bypasses(ip("fd00::1")));
        assertTrue(noProxy.bypasses(ip("fd00::2")));
        assertFalse(noProxy.bypasses(ip("10.213.0.3")));
        assertFalse(noProxy.bypasses(cidr("10.213.0.0/24")), "an address covers no network");
    }

    @Test
    void starMatchesEverythingAndLoopbackIsNeverProxied() {
        assertTrue(NoProxy.parse("*").bypasses(cidr("10.244.0.0/16")));
        assertTrue(NoProxy.NONE.bypasses(ip("127.0.0.1")));
        assertTrue(NoProxy.NONE.bypasses(ip("::1")));
        assertFalse(NoProxy.NONE.bypasses(ip("10.0.0.1")));
    }

    @Test
    void domainsNeverCoverAddresses() {
        NoProxy noProxy = NoProxy.parse("example.com,.cluster.local,*.internal");
        assertEquals(List.of("example.com", ".cluster.local", "*.internal"), noProxy.domains());
        assertFalse(noProxy.bypasses(ip("10.0.0.1")));
    }

    @Test
    void anIpv4EntryDoesNotCoverAnIpv6Network() {
        assertFalse(NoProxy.parse("0.0.0.0/0").bypasses(cidr("fd00::/64")));
        assertTrue(NoProxy.parse("::/0").bypasses(cidr("fd00::/64")));
    }
}
