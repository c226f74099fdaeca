package io.netready.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;

import org.junit.jupiter.api.Test;

class CidrTest {

    @Test
    void theNetworkOfAnAddressClearsItsHostBits() {
        assertEquals("192.0.2.0/24", Cidr.containing("192.0.2.17", 24).orElseThrow().toString());
        assertEquals("198.51.100.128/25", Cidr.containing("198.51.100.200", 25).orElseThrow().toString());
        assertEquals("0.0.0.0/0", Cidr.containing("203.0.113.9", 0).orElseThrow().toString());
        assertEquals("2001:db8:0:0:0:0:0:0/64", Cidr.containing("2001:db8::42", 64).orElseThrow().toString());
        assertTrue(Cidr.containing("192.0.2.17", 33).isEmpty());
        assertTrue(Cidr.containing("node-1", 24).isEmpty());
    }

    @Test
    void theFirstHostFollowsTheNetworkWhereThereIsRoom() {
        assertEquals("192.0.2.1", Cidr.parse("192.0.2.0/24").flatMap(Cidr::firstHost).map(InetAddress::getHostAddress).orElseThrow());
        assertEquals("192.0.2.9", Cidr.parse("192.0.2.8/30").flatMap(Cidr::firstHost).map(InetAddress::getHostAddress).orElseThrow());
        assertTrue(Cidr.parse("192.0.2.8/31").flatMap(Cidr::firstHost).isEmpty());
        assertTrue(Cidr.parse("192.0.2.8/32").flatMap(Cidr::firstHost).isEmpty());
    }
}
