package io.netready.reportformat;

import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonValue;

/** When a report was made: before kubeadm ran ({@code preflight}) or on a running node ({@code running}). */
public enum Phase {
    PREFLIGHT("preflight"),
    RUNNING("running");

    private final String word;

    Phase(String word) {
        this.word = word;
    }

    /** The word of the report format, the API and the pages. */
    @JsonValue
    public String word() {
        return word;
    }

    public static Optional<Phase> of(String word) {
        for (Phase phase : values()) {
            if (phase.word.equals(word)) {
                return Optional.of(phase);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return word;
    }
}
