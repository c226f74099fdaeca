package io.netready.rules.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The numbers overlay-mtu and dns-limits judge by, for the cases the capture machine cannot build (its kernel has no
 * geneve, wireguard or ipip) and for the kubelet's way of counting search domains.
 */
class OverlayAndDnsLimitsTest {

    @Test
    void encapsulationOverheads() {
        assertEquals(50, OverlayMtuRule.overhead("vxlan", false));
        assertEquals(70, OverlayMtuRule.overhead("vxlan", true));
        assertEquals(50, OverlayMtuRule.overhead("geneve", false));
        assertEquals(60, OverlayMtuRule.overhead("wireguard", false));
        assertEquals(80, OverlayMtuRule.overhead("wireguard", true));
        assertEquals(20, OverlayMtuRule.overhead("ipip", false));
    }

    @Test
    void searchDomainsCountedAsTheKubeletCountsThem() {
        // a trailing dot is the same domain, "." is no domain
        assertEquals(List.of("corp.example", "lab.example"),
                DnsLimitsRule.kubeletSearch("search corp.example corp.example. . lab.example"));
    }
}
