package io.netready.reportformat;

import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonValue;

/** A node's role in its cluster, as a report says it ({@code role}). */
public enum Role {
    CONTROL_PLANE("control-plane"),
    WORKER("worker");

    private final String word;

    Role(String word) {
        this.word = word;
    }

    /** The word of the report format, the API and the pages. */
    @JsonValue
    public String word() {
        return word;
    }

    public static Optional<Role> of(String word) {
        for (Role role : values()) {
            if (role.word.equals(word)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return word;
    }
}
