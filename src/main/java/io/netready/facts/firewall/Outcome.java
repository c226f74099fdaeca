package io.netready.facts.firewall;

/** What the kernel does with a {@link Connection}: lets it in, drops or rejects it, or the rules cannot tell. */
public enum Outcome {
    OPEN, BLOCKED, UNDECIDED
}
