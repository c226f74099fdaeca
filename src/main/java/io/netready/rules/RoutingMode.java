package io.netready.rules;

import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonValue;

/** How pods of one node reach pods of another: plain routes between the nodes, an overlay, or not said. */
public enum RoutingMode {
    ROUTED("routed"),
    OVERLAY("overlay"),
    UNKNOWN("unknown");

    private final String word;

    RoutingMode(String word) {
        this.word = word;
    }

    /** The word of the cluster settings, the API and the database. */
    @JsonValue
    public String word() {
        return word;
    }

    public static Optional<RoutingMode> fromWord(String word) {
        for (RoutingMode mode : values()) {
            if (mode.word.equals(word)) {
                return Optional.of(mode);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return word;
    }
}
