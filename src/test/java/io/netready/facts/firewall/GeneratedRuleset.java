package io.netready.facts.firewall;

import java.util.ArrayList;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * One generated firewall: what iptables-nft-restore, iptables-legacy-restore and nft -f each get (empty: nothing),
 * the constructs in it whose effect the rules alone do not decide (empty: an evaluator must decide every connection)
 * and how many rules it has.
 */
record GeneratedRuleset(String iptables, String legacy, String nft, List<String> undecidable, int rules) {

    /** A base chain of any of the three, with what its rules (and the chains they reach) change and look at. */
    record BaseChain(String name, String hook, int priority, List<String> writes, List<String> reads) {
    }

    /** One of the three parts and its base chains. */
    record Part(String text, List<BaseChain> baseChains, List<String> undecidable, int rules) {

        static final Part EMPTY = new Part("", List.of(), List.of(), 0);
    }

    /**
     * Rulesets of up to 13 rules: iptables-nft (up to 5), iptables-legacy (up to 3) and nft (up to 5), each present
     * or not, so that each alone and all together are tried.
     */
    static Arbitrary<GeneratedRuleset> rulesets() {
        Arbitrary<Part> iptables = Arbitraries.frequencyOf(Tuple.of(2, Arbitraries.just(Part.EMPTY)),
                Tuple.of(3, IptablesGrammar.part("iptables-nft", 5)));
        Arbitrary<Part> legacy = Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just(Part.EMPTY)),
                Tuple.of(1, IptablesGrammar.part("iptables-legacy", 3)));
        Arbitrary<Part> nft = Arbitraries.frequencyOf(Tuple.of(2, Arbitraries.just(Part.EMPTY)),
                Tuple.of(3, NftGrammar.part(5)));
        return Combinators.combine(iptables, legacy, nft).as(GeneratedRuleset::of);
    }

    static GeneratedRuleset of(Part iptables, Part legacy, Part nft) {
        List<String> undecidable = new ArrayList<>();
        undecidable.addAll(iptables.undecidable());
        undecidable.addAll(legacy.undecidable());
        undecidable.addAll(nft.undecidable());
        List<BaseChain> chains = new ArrayList<>();
        chains.addAll(iptables.baseChains());
        chains.addAll(legacy.baseChains());
        chains.addAll(nft.baseChains());
        undecidable.addAll(registrationOrder(chains));
        return new GeneratedRuleset(iptables.text(), legacy.text(), nft.text(), List.copyOf(undecidable),
                iptables.rules() + legacy.rules() + nft.rules());
    }

    /**
     * Base chains on the same hook with the same priority run in the order they were registered, which no dump shows:
     * where one changes what the other looks at (a mark; conntrack state after a notrack), the answer depends on it.
     */
    private static List<String> registrationOrder(List<BaseChain> chains) {
        List<String> reasons = new ArrayList<>();
        for (BaseChain a : chains) {
            for (BaseChain b : chains) {
                if (a != b && a.hook().equals(b.hook()) && a.priority() == b.priority()
                        && a.writes().stream().anyMatch(b.reads()::contains)) {
                    reasons.add(a.name() + " changes what " + b.name() + " reads, both on hook " + a.hook()
                            + " at priority " + a.priority() + ": their registration order decides");
                }
            }
        }
        return reasons;
    }

    @Override
    public String toString() {
        return "--- iptables-nft-restore input\n" + iptables + "--- iptables-legacy-restore input\n" + legacy
                + "--- nft -f input\n" + nft + "--- undecidable constructs: " + (undecidable.isEmpty() ? "none"
                        : String.join("; ", undecidable)) + "\n";
    }
}
