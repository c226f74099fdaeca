package io.netready.facts.firewall;

import java.util.List;

/**
 * The firewall's answer for one connection, with the rules (or chain policies) that decided it, as the dumps print
 * them, prefixed by where they are ("iptables filter INPUT: -A INPUT -j DROP"). For {@link Outcome#UNDECIDED} the
 * evidence names the rules whose match netready cannot evaluate and that change the answer.
 */
public record Answer(Outcome outcome, List<String> evidence) {

    public Answer {
        evidence = List.copyOf(evidence);
    }

    public boolean open() {
        return outcome == Outcome.OPEN;
    }

    public boolean blocked() {
        return outcome == Outcome.BLOCKED;
    }
}
