package io.netready.facts.firewall;

/** The netfilter hooks a packet for the node crosses, in the order it crosses them. */
enum Hook {
    INGRESS, PREROUTING, INPUT, FORWARD;

    /** conntrack's own priority in prerouting: chains before it see every packet as INVALID. */
    static final int CONNTRACK_PRIORITY = -200;

    static Hook of(String word) {
        return switch (word.toLowerCase(java.util.Locale.ROOT)) {
            case "ingress" -> INGRESS;
            case "prerouting" -> PREROUTING;
            case "input" -> INPUT;
            case "forward" -> FORWARD;
            default -> null;
        };
    }
}
