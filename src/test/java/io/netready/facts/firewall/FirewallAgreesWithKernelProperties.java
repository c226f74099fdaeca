package io.netready.facts.firewall;

import static io.netready.support.KernelFirewall.NODE_ETH0;
import static io.netready.support.KernelFirewall.NODE_ETH1;
import static io.netready.support.KernelFirewall.PEER;
import static io.netready.support.KernelFirewall.PEER2;
import static io.netready.support.KernelFirewall.PEER2_ETH0;
import static io.netready.support.KernelFirewall.PEER_ETH0;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.netready.support.KernelFirewall;
import io.netready.support.KernelFirewall.Reach;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.PropertyDefaults;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.BeforeProperty;
import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;
import net.jqwik.api.statistics.Statistics;

/**
 * The firewall evaluator against the kernel (issue 13, item 6): generated rulesets (see {@link GeneratedRuleset}) are
 * loaded for real into a namespace, a peer on eth0 and one on eth1 each try the node on two or three ports, and the
 * evaluator, fed what iptables-save, iptables-legacy-save and nft list ruleset print back, must say the same: OPEN
 * exactly where the kernel connected, BLOCKED where it refused or dropped, UNDECIDED only where the ruleset holds a
 * construct marked undecidable. Needs root and the tools ({@link KernelFirewall#unavailable()}), else it is skipped.
 * {@code -Dfirewall.kernel.tries=N} raises the number of tries.
 */
@PropertyDefaults(tries = 200)
class FirewallAgreesWithKernelProperties {

    static final String TRIES = "firewall.kernel.tries";
    /** A dropped SYN the evaluator calls open is tried again with this much time, so that a slow kernel is no failure. */
    private static final int CONFIRM_TIMEOUT_MS = 2000;

    private KernelFirewall kernel;
    private long started;
    private int tries;

    @BeforeProperty
    void start() {
        kernel = KernelFirewall.start();
        started = System.nanoTime();
    }

    @AfterProperty
    void stop() {
        if (kernel != null) {
            kernel.close();
            System.out.printf("FirewallAgreesWithKernelProperties: %d tries against the kernel in %.1f s%n", tries,
                    (System.nanoTime() - started) / 1e9);
        }
    }

    @Property
    @AddLifecycleHook(KernelRequired.class)
    @AddLifecycleHook(TriesFromSystemProperty.class)
    void evaluatorAgreesWithTheKernel(@ForAll("rulesets") GeneratedRuleset ruleset, @ForAll("ports") List<Integer> ports) {
        tries++;
        KernelFirewall.Kernel dumps = kernel.apply(ruleset.iptables(), ruleset.legacy(), ruleset.nft());
        Map<String, Map<Integer, Reach>> reach = kernel.connectsFromBoth(ports, KernelFirewall.CONNECT_TIMEOUT_MS);
        Statistics.label("rules").collect(ruleset.rules());
        Statistics.label("undecidable constructs").collect(!ruleset.undecidable().isEmpty());
        reach.values().forEach(answers -> answers.values().forEach(r -> Statistics.label("kernel").collect(r)));

        List<Verdict> verdicts = new ArrayList<>();
        Firewall firewall;
        try {
            firewall = Firewall.parse(dumps.iptablesSave(), dumps.iptablesLegacySave(), dumps.nftListRuleset());
        } catch (RuntimeException e) {
            throw new AssertionError("Firewall.parse threw " + e + "\n" + report(ruleset, dumps, reach, verdicts), e);
        }
        for (Map.Entry<String, Map<Integer, Reach>> peer : reach.entrySet()) {
            for (Map.Entry<Integer, Reach> answer : peer.getValue().entrySet()) {
                Connection connection = connection(peer.getKey(), answer.getKey());
                Answer judged;
                try {
                    judged = firewall.judge(connection);
                } catch (RuntimeException e) {
                    throw new AssertionError("judge(" + connection + ") threw " + e + "\n"
                            + report(ruleset, dumps, reach, verdicts), e);
                }
                Reach kernelSays = answer.getValue();
                if (kernelSays == Reach.TIMED_OUT && judged.outcome() == Outcome.OPEN) {
                    kernelSays = kernel.connects(peer.getKey(), connection.nodeAddress(), List.of(connection.port()),
                            CONFIRM_TIMEOUT_MS).get(connection.port());
                }
                verdicts.add(new Verdict(peer.getKey(), connection, kernelSays, judged,
                        agree(kernelSays, judged.outcome(), ruleset)));
                Statistics.label("evaluator").collect(judged.outcome());
            }
        }
        if (verdicts.stream().anyMatch(v -> !v.agrees())) {
            throw new AssertionError("the evaluator disagrees with the kernel\n" + report(ruleset, dumps, reach,
                    verdicts));
        }
    }

    @Provide
    Arbitrary<GeneratedRuleset> rulesets() {
        return GeneratedRuleset.rulesets();
    }

    @Provide
    Arbitrary<List<Integer>> ports() {
        return Arbitraries.of(KernelFirewall.LISTENING).set().ofMinSize(2).ofMaxSize(3)
                .map(set -> set.stream().sorted().toList());
    }

    /** OPEN exactly where the kernel connected, BLOCKED where it did not; UNDECIDED only on an undecidable ruleset. */
    static boolean agree(Reach kernel, Outcome outcome, GeneratedRuleset ruleset) {
        return switch (outcome) {
            case OPEN -> kernel == Reach.CONNECTED;
            case BLOCKED -> kernel == Reach.REFUSED || kernel == Reach.TIMED_OUT;
            case UNDECIDED -> !ruleset.undecidable().isEmpty();
        };
    }

    private static Connection connection(String peer, int port) {
        return PEER.equals(peer) ? new Connection(PEER_ETH0, NODE_ETH0, "eth0", port)
                : new Connection(PEER2_ETH0, NODE_ETH1, "eth1", port);
    }

    /** One connection: what the kernel did, what the evaluator said, and whether they agree. */
    record Verdict(String peer, Connection connection, Reach kernel, Answer answer, boolean agrees) {
    }

    private static String report(GeneratedRuleset ruleset, KernelFirewall.Kernel dumps,
            Map<String, Map<Integer, Reach>> reach, List<Verdict> verdicts) {
        StringBuilder out = new StringBuilder();
        out.append("--- connections (peer -> node:port on the node's interface): kernel | evaluator\n");
        Map<String, Verdict> judged = new LinkedHashMap<>();
        verdicts.forEach(v -> judged.put(v.peer() + ":" + v.connection().port(), v));
        for (Map.Entry<String, Map<Integer, Reach>> peer : reach.entrySet()) {
            for (Map.Entry<Integer, Reach> answer : peer.getValue().entrySet()) {
                Connection connection = connection(peer.getKey(), answer.getKey());
                Verdict verdict = judged.get(peer.getKey() + ":" + answer.getKey());
                out.append(String.format("%s %s -> %s:%d on %s: %s | %s%n", verdict == null || verdict.agrees() ? "  "
                        : "✗ ", connection.peerAddress(), connection.nodeAddress(), connection.port(),
                        connection.inInterface(), verdict == null ? answer.getValue() : verdict.kernel(),
                        verdict == null ? "-" : verdict.answer().outcome() + " " + verdict.answer().evidence()));
            }
        }
        out.append(ruleset).append(dumps);
        return out.toString();
    }

    /** Skips the property where the kernel cannot be asked: not root, or iproute2, iptables, nft or python3 missing. */
    static final class KernelRequired implements SkipExecutionHook {

        @Override
        public SkipResult shouldBeSkipped(LifecycleContext context) {
            return KernelFirewall.unavailable().map(why -> SkipResult.skip("the kernel firewall oracle: " + why))
                    .orElse(SkipResult.doNotSkip());
        }
    }

    /** {@code -Dfirewall.kernel.tries=N}: N tries instead of the default. */
    static final class TriesFromSystemProperty implements AroundPropertyHook {

        @Override
        public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
            Integer tries = Integer.getInteger(TRIES);
            if (tries != null) {
                context.attributes().setTries(tries);
            }
            return property.execute();
        }
    }
}
