package io.netready.facts.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * One walk answers for a run of ports (and, where no rule read the source, for every peer): that shortcut must never
 * change an answer. For generated rulesets (the kernel property's grammar, read as the model reads dumps) every port
 * of a run, and another peer where the run says "any peer", gets the run's answer. No kernel needed: this checks
 * the model against itself, port by port.
 */
class PortRunsProperties {

    @Property(tries = 300)
    void everyPortOfARunGetsTheRunsAnswer(@ForAll("rulesets") GeneratedRuleset ruleset, @ForAll("ports") int start,
            @ForAll("offsets") int offset) {
        Firewall model = Firewall.parse(ruleset.iptables(), ruleset.legacy(), ruleset.nft());
        Connection first = new Connection(KernelPeers.PEER, KernelPeers.NODE, "eth0", start);
        Firewall.Run run = model.judgeRun(first);
        assertTrue(run.from() <= start && start <= run.to(), "the run holds its own port: " + run);
        int other = Math.min(run.to(), run.from() + offset);
        Answer alone = model.judge(new Connection(KernelPeers.PEER, KernelPeers.NODE, "eth0", other));
        assertEquals(run.answer().outcome(), alone.outcome(), "port " + other + " in run " + run.from() + "-" + run.to()
                + " of " + ruleset);
        if (run.anyPeer()) {
            Answer elsewhere = model.judge(new Connection(KernelPeers.OTHER_PEER, KernelPeers.NODE, "eth0", start));
            assertEquals(run.answer().outcome(), elsewhere.outcome(), "another peer, where the run says any peer: " + ruleset);
        }
    }

    @Provide
    Arbitrary<GeneratedRuleset> rulesets() {
        return GeneratedRuleset.rulesets();
    }

    @Provide
    Arbitrary<Integer> ports() {
        return Arbitraries.oneOf(Arbitraries.of(22, 80, 2379, 6443, 10250, 30000, 31000, 32767), Arbitraries.integers().between(1, 65535));
    }

    @Provide
    Arbitrary<Integer> offsets() {
        return Arbitraries.integers().between(0, 40000);
    }

    /** The addresses the grammar draws its rules around. */
    static final class KernelPeers {
        static final String NODE = io.netready.support.KernelFirewall.NODE_ETH0;
        static final String PEER = io.netready.support.KernelFirewall.PEER_ETH0;
        static final String OTHER_PEER = "10.231.7.77";

        private KernelPeers() {
        }
    }
}
