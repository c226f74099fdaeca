package io.netready.facts.firewall;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.netready.facts.firewall.Steps.Chain;
import io.netready.facts.firewall.Steps.Effect;
import io.netready.facts.firewall.Steps.Kind;
import io.netready.facts.firewall.Steps.Lookup;
import io.netready.facts.firewall.Steps.Match;
import io.netready.facts.firewall.Steps.Rule;
import io.netready.facts.firewall.Steps.Step;
import io.netready.facts.firewall.Steps.Verdict;

/**
 * Runs a packet through base chains in the order the kernel does: every base chain must accept it (an accept ends only
 * its own chain); a drop or reject anywhere ends it. A match netready cannot evaluate forks the walk — one branch as if
 * it matched, one as if not — and the answer is decided only when every branch ends the same way.
 */
final class Walk {

    /** Enough for any real ruleset's unknown matches on one path; beyond it the answer is undecided. */
    private static final int MAX_BRANCHES = 512;
    /** Steps per walk: a hostile dump could loop (the kernel refuses loops; a report need not). */
    private static final int MAX_STEPS = 1_000_000;
    private static final int MAX_DEPTH = 64;

    /** The call stack: each frame a chain and the index of the next rule to run. */
    private record Frame(Chain chain, int next, Frame caller, int depth) {
        Frame advanced() {
            return new Frame(chain, next + 1, caller, depth);
        }
    }

    /** One branch: which base chain, where in it, the packet, and what decided so far. */
    private record State(int base, Frame frame, Rule rule, int step, Packet packet, List<String> accepts,
            List<String> unknowns) {
    }

    private record Leaf(Outcome outcome, List<String> evidence, List<String> unknowns) {
    }

    /** The answer, and the run of destination ports around the packet's for which every step would go the same way. */
    record Result(Answer answer, int from, int to, boolean anySource) {
    }

    private final List<BaseChain> path;
    private final SkipTable skips;
    private final Deque<State> work = new ArrayDeque<>();
    private final List<Leaf> leaves = new ArrayList<>();
    private int steps;
    private int port;
    private int from = 0;
    private int to = 65535;
    private boolean sourceRead;

    private Walk(List<BaseChain> path, SkipTable skips) {
        this.path = path;
        this.skips = skips;
    }

    static Result run(List<BaseChain> path, SkipTable skips, Packet packet) {
        Walk walk = new Walk(path, skips);
        walk.port = packet.destinationPort();
        Answer answer = walk.answer(packet);
        return new Result(answer, walk.from, walk.to, !walk.sourceRead);
    }

    /** A step that reads the destination port answers alike only between its edges around the packet's port. */
    private void narrow(java.util.NavigableSet<Integer> edges, Packet packet) {
        if (edges == null || packet.destinationPort() != port) {
            return;
        }
        Integer below = edges.floor(port);
        Integer above = edges.higher(port);
        if (below != null) {
            from = Math.max(from, below);
        }
        if (above != null) {
            to = Math.min(to, above - 1);
        }
    }

    private Answer answer(Packet packet) {
        work.push(new State(0, null, null, 0, packet, List.of(), List.of()));
        while (!work.isEmpty()) {
            if (leaves.size() + work.size() > MAX_BRANCHES || steps > MAX_STEPS) {
                from = port;
                to = port;
                sourceRead = true;
                return new Answer(Outcome.UNDECIDED, List.of("the rules are too many or too intricate to follow ("
                        + MAX_BRANCHES + " branches, " + MAX_STEPS + " steps)"));
            }
            run(work.pop());
        }
        Set<Outcome> outcomes = new LinkedHashSet<>();
        leaves.forEach(l -> outcomes.add(l.outcome()));
        if (outcomes.size() == 1) {
            Leaf first = leaves.get(0);
            return new Answer(first.outcome(), first.outcome() == Outcome.UNDECIDED ? first.unknowns() : first.evidence());
        }
        Set<String> unknowns = new LinkedHashSet<>();
        leaves.forEach(l -> unknowns.addAll(l.unknowns()));
        for (Leaf leaf : leaves) {
            if (leaf.outcome() == Outcome.BLOCKED) {
                unknowns.addAll(leaf.evidence());
                break;
            }
        }
        return new Answer(Outcome.UNDECIDED, List.copyOf(unknowns));
    }

    private void run(State s) {
        int base = s.base();
        Frame frame = s.frame();
        Rule rule = s.rule();
        int step = s.step();
        Packet packet = s.packet();
        List<String> accepts = s.accepts();
        List<String> unknowns = s.unknowns();
        while (true) {
            steps++;
            if (steps > MAX_STEPS) {
                return;
            }
            if (frame == null) {
                // the next base chain on the path that sees this packet
                while (base < path.size() && !path.get(base).sees(packet)) {
                    base++;
                }
                if (base == path.size()) {
                    leaves.add(new Leaf(Outcome.OPEN, accepts, unknowns));
                    return;
                }
                BaseChain chain = path.get(base);
                if (chain.hook() != Hook.INGRESS && (chain.hook() != Hook.PREROUTING || chain.priority() >= Hook.CONNTRACK_PRIORITY)) {
                    packet = packet.trackedNow();
                }
                frame = new Frame(chain.chain(), 0, null, 0);
                rule = null;
            }
            BaseChain current = path.get(base);
            if (rule == null) {
                int skipTo = skips.next(frame.chain(), frame.next(), packet);
                if (skipTo != frame.next()) {
                    frame = new Frame(frame.chain(), skipTo, frame.caller(), frame.depth());
                }
                if (frame.next() >= frame.chain().rules().size()) {
                    if (frame.caller() != null) {
                        frame = frame.caller();
                        continue;
                    }
                    Verdict policy = frame.chain().policy() == null ? Verdict.ACCEPT : frame.chain().policy();
                    String evidence = current.where() + ": policy " + policy.kind().name().toLowerCase(java.util.Locale.ROOT);
                    if (policy.kind() == Kind.DROP) {
                        leaves.add(new Leaf(Outcome.BLOCKED, List.of(evidence), unknowns));
                        return;
                    }
                    if (!frame.chain().rules().isEmpty()) {
                        accepts = with(accepts, evidence);
                    }
                    base++;
                    frame = null;
                    continue;
                }
                rule = frame.chain().rules().get(frame.next());
                frame = frame.advanced();
                step = 0;
                if (failsRegardless(rule, packet)) {
                    rule = null;
                    continue;
                }
            }
            if (step >= rule.steps().size()) {
                rule = null;
                continue;
            }
            Step next = rule.steps().get(step++);
            if (next instanceof Match match) {
                narrow(match.portEdges(), packet);
                sourceRead |= match.readsSource();
                Tri answer = match.test(packet);
                if (answer == Tri.NO) {
                    rule = null;
                } else if (answer == Tri.MAYBE) {
                    List<String> more = with(unknowns, current.where() + ": " + rule.text());
                    work.push(new State(base, frame, null, 0, packet, accepts, more));
                    unknowns = more;
                }
                continue;
            }
            if (next instanceof Effect effect) {
                packet = effect.change().apply(packet);
                continue;
            }
            Verdict verdict;
            if (next instanceof Lookup lookup) {
                narrow(lookup.portEdges(), packet);
                sourceRead |= lookup.readsSource();
                List<Verdict> found = lookup.verdicts().apply(packet);
                if (found.isEmpty()) {
                    continue;
                }
                verdict = found.get(0);
            } else {
                verdict = (Verdict) next;
            }
            String evidence = current.where() + ": " + rule.text();
            switch (verdict.kind()) {
                case CONTINUE -> {
                }
                case ACCEPT -> {
                    accepts = with(accepts, evidence);
                    base++;
                    frame = null;
                }
                case DROP, REJECT -> {
                    leaves.add(new Leaf(Outcome.BLOCKED, List.of(evidence), unknowns));
                    return;
                }
                case UNKNOWN -> {
                    leaves.add(new Leaf(Outcome.UNDECIDED, List.of(evidence),
                            with(unknowns, evidence + " (" + verdict.reason() + ")")));
                    return;
                }
                case RETURN -> {
                    rule = null;
                    if (frame.caller() != null) {
                        frame = frame.caller();
                    } else {
                        frame = new Frame(frame.chain(), frame.chain().rules().size(), null, 0);
                    }
                }
                case JUMP, GOTO -> {
                    Chain target = current.chains().get(verdict.chain());
                    if (target == null || frame.depth() >= MAX_DEPTH) {
                        leaves.add(new Leaf(Outcome.UNDECIDED, List.of(evidence), with(unknowns,
                                evidence + (target == null ? " (no chain " + verdict.chain() + " in the dump)" : " (too deep)"))));
                        return;
                    }
                    rule = null;
                    Frame caller = verdict.kind() == Kind.JUMP ? frame : frame.caller();
                    if (verdict.kind() == Kind.GOTO && caller == null) {
                        // a goto from the base chain: the target's end is the base chain's end
                        caller = new Frame(frame.chain(), frame.chain().rules().size(), null, 0);
                    }
                    frame = new Frame(target, 0, caller, frame.depth() + 1);
                }
                default -> throw new IllegalStateException(verdict.kind().name());
            }
            if (verdict.kind() != Kind.CONTINUE && verdict.kind() != Kind.RETURN && verdict.kind() != Kind.JUMP
                    && verdict.kind() != Kind.GOTO) {
                rule = null;
            }
        }
    }

    /**
     * Whether one of the rule's leading matches that reads neither the port nor the source says "no": then the rule
     * fails for every port and every peer, and the matches that do read them decide nothing (matches have no effects,
     * so their order does not change the answer).
     */
    private static boolean failsRegardless(Rule rule, Packet packet) {
        for (Step step : rule.steps()) {
            if (!(step instanceof Match match)) {
                return false;
            }
            if (match.portEdges() == null && !match.readsSource() && match.test(packet) == Tri.NO) {
                return true;
            }
        }
        return false;
    }

    private static List<String> with(List<String> list, String item) {
        List<String> copy = new ArrayList<>(list.size() + 1);
        copy.addAll(list);
        copy.add(item);
        return List.copyOf(copy);
    }
}
