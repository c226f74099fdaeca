package io.netready.facts.firewall;

/** Interface name matches: iptables' {@code eth+} and nft's {@code "eth*"} are prefixes; a null interface is unknown. */
final class Interfaces {

    private Interfaces() {
    }

    static Tri matches(String pattern, String name) {
        if (name == null) {
            return Tri.MAYBE;
        }
        if (pattern.endsWith("+") || (pattern.endsWith("*") && !pattern.endsWith("\\*"))) {
            return Tri.of(name.startsWith(pattern.substring(0, pattern.length() - 1)));
        }
        return Tri.of(name.equals(pattern.replace("\\*", "*")));
    }
}
