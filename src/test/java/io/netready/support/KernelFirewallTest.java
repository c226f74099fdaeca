package io.netready.support;

import static io.netready.support.KernelFirewall.NODE_ETH0;
import static io.netready.support.KernelFirewall.NODE_ETH1;
import static io.netready.support.KernelFirewall.PEER;
import static io.netready.support.KernelFirewall.PEER2;
import static io.netready.support.KernelFirewall.Reach.CONNECTED;
import static io.netready.support.KernelFirewall.Reach.REFUSED;
import static io.netready.support.KernelFirewall.Reach.TIMED_OUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The oracle itself, on rulesets whose answer is known without any evaluator: if these fail, a disagreement in
 * FirewallAgreesWithKernelProperties says nothing about the evaluator.
 */
class KernelFirewallTest {

    private static String unavailable;
    private static KernelFirewall kernel;

    @BeforeAll
    static void start() {
        unavailable = KernelFirewall.unavailable().orElse(null);
        if (unavailable == null) {
            kernel = KernelFirewall.start();
        }
    }

    /** Each test is skipped, not failed, where the oracle cannot run (not root, a tool missing). */
    @BeforeEach
    void kernelAvailable() {
        assumeTrue(unavailable == null, "the kernel firewall oracle needs root and its tools: " + unavailable);
    }

    @AfterAll
    static void stop() {
        if (kernel != null) {
            kernel.close();
        }
    }

    @Test
    void acceptAllConnects() {
        kernel.apply("*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -j ACCEPT\nCOMMIT\n", null, null);
        assertEquals(CONNECTED, kernel.connects(PEER, NODE_ETH0, 6443));
        assertEquals(CONNECTED, kernel.connects(PEER2, NODE_ETH1, 6443));
    }

    @Test
    void policyDropTimesOut() {
        KernelFirewall.Kernel dumps = kernel.apply("*filter\n:INPUT DROP [0:0]\nCOMMIT\n", null, null);
        assertTrue(dumps.iptablesSave().contains(":INPUT DROP"), dumps::toString);
        assertEquals(TIMED_OUT, kernel.connects(PEER, NODE_ETH0, 6443));
    }

    @Test
    void rejectWithTcpResetRefuses() {
        kernel.apply("*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tcp -j REJECT --reject-with tcp-reset\nCOMMIT\n", null,
                null);
        assertEquals(REFUSED, kernel.connects(PEER, NODE_ETH0, 6443));
    }

    @Test
    void defaultRejectRefusesToo() {
        kernel.apply(null, "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tcp --dport 10250 -j REJECT\nCOMMIT\n", null);
        assertEquals(Map.of(10250, REFUSED, 6443, CONNECTED), kernel.connects(PEER, NODE_ETH0, List.of(10250, 6443),
                KernelFirewall.CONNECT_TIMEOUT_MS));
    }

    /**
     * An ICMP error or a reset for the handshake's last ACK races with the peer's answer: the socket's state, not its
     * error, says that the SYN got through. Asked many times, so that the race is run.
     */
    @Test
    void aRejectAfterTheSynStillConnects() {
        kernel.apply(null, "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j REJECT\n"
                + "-A INPUT -p tcp --dport 6443 -m conntrack --ctstate ESTABLISHED -j REJECT --reject-with tcp-reset\n"
                + "COMMIT\n", null);
        for (int i = 0; i < 10; i++) {
            assertEquals(Map.of(10250, CONNECTED, 6443, CONNECTED), kernel.connects(PEER, NODE_ETH0, List.of(10250, 6443),
                    KernelFirewall.CONNECT_TIMEOUT_MS), "attempt " + i);
        }
    }

    /** The node's ICMP errors are not rate limited: every rejected SYN is refused, none merely times out. */
    @Test
    void everyRejectIsAnswered() {
        kernel.apply("*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tcp -j REJECT\nCOMMIT\n", null, null);
        for (int i = 0; i < 20; i++) {
            assertEquals(REFUSED, kernel.connects(PEER, NODE_ETH0, 6443), "attempt " + i);
        }
    }

    /** Each apply starts from nothing: what the one before loaded, in any of the three, is gone. */
    @Test
    void applyFlushesWhatCameBefore() {
        kernel.apply("*raw\n:PREROUTING DROP [0:0]\nCOMMIT\n", "*filter\n:INPUT DROP [0:0]\nCOMMIT\n",
                "table inet t {\n  chain c {\n    type filter hook input priority 0; policy drop;\n  }\n}\n");
        assertEquals(TIMED_OUT, kernel.connects(PEER, NODE_ETH0, 6443));
        KernelFirewall.Kernel dumps = kernel.apply(null, null, null);
        assertEquals(CONNECTED, kernel.connects(PEER, NODE_ETH0, 6443));
        assertEquals("", dumps.nftListRuleset(), dumps::toString);
        assertTrue(dumps.iptablesLegacySave().contains(":INPUT ACCEPT"), dumps::toString);
    }

    /** An nft drop on eth1 only leaves the peer on eth0 alone. */
    @Test
    void interfacesAreApart() {
        kernel.apply(null, null, "table ip t {\n  chain c {\n    type filter hook input priority 0; policy accept;\n"
                + "    iifname \"eth1\" tcp dport 6443 drop\n  }\n}\n");
        assertEquals(Map.of(PEER, Map.of(6443, CONNECTED), PEER2, Map.of(6443, TIMED_OUT)),
                kernel.connectsFromBoth(List.of(6443), KernelFirewall.CONNECT_TIMEOUT_MS));
    }

    @Test
    void aRulesetTheKernelRefusesFailsTheLoad() {
        assertThrows(KernelFirewall.LoadFailed.class,
                () -> kernel.apply("*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -j REJECT --reject-with tcp-reset\nCOMMIT\n",
                        null, null));
    }

    @Test
    void connectsOnlyBetweenItsOwnNamespaces() {
        assertThrows(IllegalArgumentException.class, () -> kernel.connects(PEER, "10.231.7.9", 6443));
        assertThrows(IllegalArgumentException.class, () -> kernel.connects(PEER, NODE_ETH1, 6443));
        assertThrows(IllegalArgumentException.class, () -> kernel.connects("nrf-other", NODE_ETH0, 6443));
    }
}
