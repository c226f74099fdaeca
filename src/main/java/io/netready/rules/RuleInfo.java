package io.netready.rules;

import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import io.netready.reportformat.Phase;
import io.netready.reportformat.Role;

/**
 * What a rule is: its public id (a contract used by the API, the pages and users' scripts), title, category, scope,
 * severity, where it applies, an explanation and the sources it rests on. Built by name:
 * {@code RuleInfo.node("ip-forward").title(...).category("kernel").severity(Severity.ERROR)...build()}.
 */
public record RuleInfo(String id, String title, String category, Scope scope, Severity severity, Set<Role> roles,
        Set<Phase> phases, String description, String remediation, List<String> sources) {

    public static final Set<Role> ALL_ROLES = Collections.unmodifiableSet(EnumSet.allOf(Role.class));
    public static final Set<Phase> ALL_PHASES = Collections.unmodifiableSet(EnumSet.allOf(Phase.class));

    public boolean appliesTo(Role role, Phase phase) {
        return roles.contains(role) && phases.contains(phase);
    }

    /** A rule that judges one node from its own report; it applies to every role and phase unless narrowed. */
    public static Builder node(String id) {
        return new Builder(id, Scope.NODE);
    }

    /** A rule that compares the nodes of a cluster; it applies to every role and phase. */
    public static Builder cluster(String id) {
        return new Builder(id, Scope.CLUSTER);
    }

    /** Names each part of a rule's description; {@link #build()} checks that none is missing. */
    public static final class Builder {
        private final String id;
        private final Scope scope;
        private String title;
        private String category;
        private Severity severity;
        private Set<Role> roles = ALL_ROLES;
        private Set<Phase> phases = ALL_PHASES;
        private String description;
        private String remediation;
        private List<String> sources = List.of();

        private Builder(String id, Scope scope) {
            this.id = id;
            this.scope = scope;
        }

        public Builder title(String title) {
            this.title = title;
            return this;
        }

        public Builder category(String category) {
            this.category = category;
            return this;
        }

        public Builder severity(Severity severity) {
            this.severity = severity;
            return this;
        }

        /** The node roles it applies to (default: all). */
        public Builder roles(Set<Role> roles) {
            this.roles = Collections.unmodifiableSet(EnumSet.copyOf(roles));
            return this;
        }

        /** The phases it applies in (default: both). */
        public Builder phases(Set<Phase> phases) {
            this.phases = Collections.unmodifiableSet(EnumSet.copyOf(phases));
            return this;
        }

        public Builder description(String description) {
            this.description = description;
            return this;
        }

        /** The remedy in one sentence, for the rules page; findings carry the filled-in fix. */
        public Builder remediation(String remediation) {
            this.remediation = remediation;
            return this;
        }

        public Builder sources(String... sources) {
            this.sources = List.of(sources);
            return this;
        }

        public RuleInfo build() {
            return new RuleInfo(id, Objects.requireNonNull(title, "title"), Objects.requireNonNull(category, "category"),
                    scope, Objects.requireNonNull(severity, "severity"), roles, phases,
                    Objects.requireNonNull(description, "description"), Objects.requireNonNull(remediation, "remediation"),
                    sources);
        }
    }
}
