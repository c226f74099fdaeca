package io.netready.facts.firewall;

import java.util.List;

/** An {@link Outcome} and the rule lines that decided it. */
public record Answer(Outcome outcome, List<String> evidence) {
}
