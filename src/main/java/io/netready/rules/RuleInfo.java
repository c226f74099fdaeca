package io.netready.rules;

import java.util.List;
import java.util.Set;

/**
 * What a rule is: its public id (a contract used by the API, the pages and users' scripts), title, category, scope,
 * severity, where it applies, an explanation and the sources it rests on.
 */
public record RuleInfo(String id, String title, String category, Scope scope, Severity severity, Set<String> roles,
        Set<String> phases, String description, String remediation, List<String> sources) {

    public static final Set<String> ALL_ROLES = Set.of("control-plane", "worker");
    public static final Set<String> ALL_PHASES = Set.of("preflight", "running");

    public boolean appliesTo(String role, String phase) {
        return roles.contains(role) && phases.contains(phase);
    }
}
