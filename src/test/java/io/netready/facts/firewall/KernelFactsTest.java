package io.netready.facts.firewall;

import static io.netready.support.KernelFirewall.NODE_ETH0;
import static io.netready.support.KernelFirewall.PEER;
import static io.netready.support.KernelFirewall.PEER_ETH0;
import static io.netready.support.KernelFirewall.Reach.CONNECTED;
import static io.netready.support.KernelFirewall.Reach.TIMED_OUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.netready.support.KernelFirewall;
import io.netready.support.KernelFirewall.Reach;

/**
 * What the kernel does that a reader of rules easily gets wrong, each shown once for real: the evaluator's author's
 * checklist, and the grammar's reasons for marking some constructs undecidable. Every case is a peer on eth0 trying
 * port 6443 of the node.
 */
class KernelFactsTest {

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

    /** raw PREROUTING (-300) runs before conntrack (-200): there a SYN is not NEW but INVALID. */
    @Test
    void inTheRawTableANewConnectionIsInvalid() {
        assertEquals(CONNECTED, iptables("*raw\n:PREROUTING ACCEPT [0:0]\n"
                + "-A PREROUTING -m conntrack --ctstate NEW -j DROP\nCOMMIT\n"));
        assertEquals(TIMED_OUT, iptables("*raw\n:PREROUTING ACCEPT [0:0]\n"
                + "-A PREROUTING -m conntrack --ctstate INVALID -j DROP\nCOMMIT\n"));
        assertEquals(TIMED_OUT, iptables("*mangle\n:PREROUTING ACCEPT [0:0]\n"
                + "-A PREROUTING -m conntrack --ctstate NEW -j DROP\nCOMMIT\n"));
    }

    /** The same in nft: ct state at prerouting priority -300 sees no conntrack yet; at input it does, whatever the priority. */
    @Test
    void inNftTheHookAndPriorityDecideWhatCtStateSees() {
        assertEquals(CONNECTED, nft("prerouting priority -300", "ct state new drop"));
        assertEquals(TIMED_OUT, nft("prerouting priority -300", "ct state invalid drop"));
        assertEquals(TIMED_OUT, nft("input priority -300", "ct state new drop"));
    }

    /** After -j CT --notrack a SYN is UNTRACKED: the RHEL-style NEW accept under policy DROP no longer lets it in. */
    @Test
    void notrackTakesTheConnectionOutOfNew() {
        String notrack = "*raw\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -j CT --notrack\nCOMMIT\n*filter\n:INPUT DROP [0:0]\n";
        assertEquals(TIMED_OUT, iptables(notrack + "-A INPUT -m conntrack --ctstate NEW -j ACCEPT\nCOMMIT\n"));
        assertEquals(CONNECTED, iptables(notrack + "-A INPUT -m conntrack --ctstate UNTRACKED -j ACCEPT\nCOMMIT\n"));
    }

    /** An accept ends one base chain only: every later hook and priority, of any table or backend, still gets a say. */
    @Test
    void anAcceptIsNotFinalAcrossBaseChains() {
        assertEquals(TIMED_OUT, iptables("*raw\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -j ACCEPT\nCOMMIT\n"
                + "*filter\n:INPUT DROP [0:0]\nCOMMIT\n"));
        assertEquals(TIMED_OUT, apply("*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -j ACCEPT\nCOMMIT\n",
                "*filter\n:INPUT DROP [0:0]\nCOMMIT\n", null));
    }

    /** kubeadm's KUBE-FIREWALL: a mark set earlier (here in raw) drops in filter; a mark set later drops nothing. */
    @Test
    void aMarkCountsOnlyWhereItWasSetBefore() {
        String markDrop = "*filter\n:INPUT ACCEPT [0:0]\n:KUBE-FIREWALL - [0:0]\n-A INPUT -j KUBE-FIREWALL\n"
                + "-A KUBE-FIREWALL -m comment --comment \"kubernetes firewall for dropping marked packets\""
                + " -m mark --mark 0x8000/0x8000 -j DROP\nCOMMIT\n";
        assertEquals(CONNECTED, iptables(markDrop));
        assertEquals(TIMED_OUT, iptables("*raw\n:PREROUTING ACCEPT [0:0]\n"
                + "-A PREROUTING -j MARK --set-xmark 0x8000/0x8000\nCOMMIT\n" + markDrop));
        assertEquals(CONNECTED, apply(markDrop, null, "table ip t {\n  chain c {\n"
                + "    type filter hook input priority 10; policy accept;\n    meta mark set 0x8000\n  }\n}\n"));
    }

    /**
     * The question is the SYN alone: a rule on what follows it (the handshake's last ACK is ESTABLISHED) does not stop
     * the connection from the peer's side, not even a reset; nor does a NEW-only accept under policy DROP.
     */
    @Test
    void onlyTheSynIsJudged() {
        assertEquals(CONNECTED, nft("input priority 0", "ct state established,related reject with tcp reset"));
        assertEquals(CONNECTED, iptables("*filter\n:INPUT DROP [0:0]\n"
                + "-A INPUT -m conntrack --ctstate NEW -j ACCEPT\nCOMMIT\n"));
    }

    /**
     * In an inet table the kernel lists {@code meta nfproto ipv6 reject} as {@code reject with icmpv6
     * port-unreachable}: the family is implied by the answer and no longer shown, so the model must read it from the
     * answer's type. icmpx answers both families. (Found by {@link FirewallAgreesWithKernelProperties}.)
     */
    @Test
    void aRejectAnswersOnlyTheFamilyOfItsIcmpType() {
        assertKernelAndModel(CONNECTED, Outcome.OPEN, "meta nfproto ipv6 reject");
        assertKernelAndModel(Reach.REFUSED, Outcome.BLOCKED, "meta nfproto ipv4 reject");
        assertKernelAndModel(Reach.REFUSED, Outcome.BLOCKED, "reject with icmpx port-unreachable");
    }

    /** The kernel's answer to a peer's SYN to 6443 under one inet rule, and the model's answer from its listing. */
    private static void assertKernelAndModel(Reach kernelSays, Outcome modelSays, String rule) {
        KernelFirewall.Kernel listed = kernel.apply(null, null, "table inet t {\n  chain c {\n"
                + "    type filter hook input priority 0; policy accept;\n    " + rule + "\n  }\n}\n");
        assertEquals(kernelSays, kernel.connects(PEER, NODE_ETH0, 6443), rule);
        Firewall model = Firewall.parse(listed.iptablesSave(), listed.iptablesLegacySave(), listed.nftListRuleset());
        assertEquals(modelSays, model.judge(new Connection(PEER_ETH0, NODE_ETH0, "eth0", 6443)).outcome(),
                rule + " listed as\n" + listed.nftListRuleset());
    }

    /** An ip6 table, even one that drops everything, never meets an IPv4 packet. */
    @Test
    void ip6TablesLeaveIpv4Alone() {
        assertEquals(CONNECTED, apply(null, null, "table ip6 t {\n  chain c {\n"
                + "    type filter hook input priority 0; policy drop;\n  }\n}\n"));
    }

    /**
     * What the dumps look like: iptables-nft's rules are listed twice (iptables-save, and nft list ruleset as
     * translated tables without their comments), -s 0.0.0.0/0 disappears, and iptables-nft refuses ! -s 0.0.0.0/0
     * where iptables-legacy takes it.
     */
    @Test
    void theDumpsAreNotTheInput() {
        KernelFirewall.Kernel dumps = kernel.apply("*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -s 0.0.0.0/0 -p tcp"
                + " -m multiport --dports 22,30000:32767 -m comment --comment \"open -j DROP\" -j ACCEPT\nCOMMIT\n",
                "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT ! -s 0.0.0.0/0 -j DROP\nCOMMIT\n", null);
        assertTrue(dumps.iptablesSave().contains(
                "-A INPUT -p tcp -m multiport --dports 22,30000:32767 -m comment --comment \"open -j DROP\" -j ACCEPT"),
                dumps::toString);
        assertTrue(dumps.nftListRuleset().contains("table ip filter {"), dumps::toString);
        assertTrue(dumps.nftListRuleset().contains("tcp dport { 22, 30000-32767 }"), dumps::toString);
        assertFalse(dumps.nftListRuleset().contains("open -j DROP"), dumps::toString);
        assertTrue(dumps.iptablesLegacySave().contains("-A INPUT ! -s 0.0.0.0/0 -j DROP"), dumps::toString);
        assertThrows(KernelFirewall.LoadFailed.class,
                () -> kernel.apply("*filter\n:INPUT ACCEPT [0:0]\n-A INPUT ! -s 0.0.0.0/0 -j DROP\nCOMMIT\n", null, null));
    }

    private static Reach iptables(String text) {
        return apply(text, null, null);
    }

    private static Reach nft(String hookAndPriority, String rule) {
        return apply(null, null, "table inet t {\n  chain c {\n    type filter hook " + hookAndPriority
                + "; policy accept;\n    " + rule + "\n  }\n}\n");
    }

    /** Loads the three and answers for the peer on eth0 to the node's port 6443. */
    private static Reach apply(String iptables, String legacy, String nft) {
        kernel.apply(iptables, legacy, nft);
        return kernel.connects(PEER, NODE_ETH0, 6443);
    }
}
