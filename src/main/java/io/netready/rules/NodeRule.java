package io.netready.rules;

import io.netready.facts.NodeFacts;

/** A rule that judges one node from its own report. */
public interface NodeRule {

    RuleInfo info();

    /** Called only where {@link RuleInfo#appliesTo} holds for the report's role and phase. */
    Finding evaluate(NodeFacts facts, ClusterSettings cluster);
}
