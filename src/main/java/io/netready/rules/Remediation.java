package io.netready.rules;

import java.util.List;

/**
 * How to fix a finding on the node: a shell snippet built only from validated, shell-quoted values, with a comment
 * saying why, and notes for what netready could not turn into a command (a value that failed validation, say).
 */
public record Remediation(String script, List<String> notes) {

    public static Remediation none() {
        return new Remediation(null, List.of());
    }

    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isEmpty() {
        return (script == null || script.isBlank()) && notes.isEmpty();
    }
}
