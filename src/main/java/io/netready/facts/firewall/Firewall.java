package io.netready.facts.firewall;

/** Placeholder for the lead's evaluator (replaced at merge): only the API, so that the kernel property compiles. */
public final class Firewall {

    private Firewall() {
    }

    /** Any argument may be null or empty (no such ruleset on the node). */
    public static Firewall parse(String iptablesSave, String iptablesLegacySave, String nftListRuleset) {
        throw new UnsupportedOperationException("placeholder: the evaluator is not merged yet");
    }

    public Answer judge(Connection connection) {
        throw new UnsupportedOperationException("placeholder: the evaluator is not merged yet");
    }
}
