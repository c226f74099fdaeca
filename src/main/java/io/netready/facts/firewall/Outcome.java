package io.netready.facts.firewall;

/** What the node's firewall does with a {@link Connection}. */
public enum Outcome { OPEN, BLOCKED, UNDECIDED }
