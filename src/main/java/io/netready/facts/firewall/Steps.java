package io.netready.facts.firewall;

import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The common form iptables and nftables rules are compiled to: a rule is a sequence of steps (matches, statements
 * that change the packet, and at most one verdict), run in order as the kernel runs them.
 */
final class Steps {

    private Steps() {
    }

    /** One step of a rule. */
    sealed interface Step permits Match, Effect, Verdict, Lookup {
    }

    /** A match: a rule stops at the first one that does not match. */
    @FunctionalInterface
    non-sealed interface Match extends Step {
        Tri test(Packet packet);

        /**
         * For a match that reads the destination port: the ports where its answer can change (a port {@code e} in the
         * set: the answer for {@code e} may differ from that for {@code e - 1}); null for a match that does not read it.
         */
        default java.util.NavigableSet<Integer> portEdges() {
            return null;
        }

        /** Whether the answer depends on the packet's source address (then it may differ from peer to peer). */
        default boolean readsSource() {
            return false;
        }
    }

    /** A statement that changes the packet and goes on: MARK, CT mark, NOTRACK, DNAT, or one with no effect (LOG, counter). */
    record Effect(UnaryOperator<Packet> change) implements Step {
        static final Effect NONE = new Effect(UnaryOperator.identity());
    }

    /** What the chain does with the packet; {@code chain} for jumps and gotos, {@code reason} for unknown targets. */
    record Verdict(Kind kind, String chain, String reason) implements Step {
        static final Verdict ACCEPT = new Verdict(Kind.ACCEPT, null, null);
        static final Verdict DROP = new Verdict(Kind.DROP, null, null);
        static final Verdict REJECT = new Verdict(Kind.REJECT, null, null);
        static final Verdict RETURN = new Verdict(Kind.RETURN, null, null);
        static final Verdict CONTINUE = new Verdict(Kind.CONTINUE, null, null);

        static Verdict jump(String chain) {
            return new Verdict(Kind.JUMP, chain, null);
        }

        static Verdict goTo(String chain) {
            return new Verdict(Kind.GOTO, chain, null);
        }

        static Verdict unknown(String reason) {
            return new Verdict(Kind.UNKNOWN, null, reason);
        }
    }

    /** The verdicts a rule can give. */
    enum Kind {
        ACCEPT, DROP, REJECT, RETURN, CONTINUE, JUMP, GOTO, UNKNOWN
    }

    /**
     * A verdict map ({@code vmap}): the verdict of the element the packet's key selects; none when no element matches,
     * an unknown verdict when the key cannot be evaluated. {@code portEdges} as for a {@link Match}.
     */
    record Lookup(Function<Packet, List<Verdict>> verdicts, java.util.NavigableSet<Integer> portEdges, boolean readsSource)
            implements Step {
    }

    /** A rule: its steps and the text of the dump it came from, quoted as evidence. */
    record Rule(List<Step> steps, String text) {
    }

    /** A chain: its rules and, for a base chain, its policy (ACCEPT or DROP; null for a regular chain). */
    record Chain(String name, List<Rule> rules, Verdict policy) {
    }
}
