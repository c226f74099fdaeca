package io.netready.facts;

/**
 * What a firewall does with new TCP connections to a port: accepted, or blocked — by a rule (quoted in
 * {@code evidence}) or by a chain policy.
 */
public record FirewallVerdict(boolean blocked, String where, String evidence) {

    public static FirewallVerdict accepted(String where, String evidence) {
        return new FirewallVerdict(false, where, evidence);
    }

    public static FirewallVerdict blockedBy(String where, String evidence) {
        return new FirewallVerdict(true, where, evidence);
    }
}
