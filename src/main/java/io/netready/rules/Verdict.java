package io.netready.rules;

import java.util.Collection;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonValue;

/** A node's overall readiness from its findings. */
public enum Verdict {
    READY("ready"),
    WARNING("warning"),
    NOT_READY("not-ready"),
    /** No findings to judge by (no report yet, or one stored before the rules existed). */
    UNKNOWN("unknown");

    private final String word;

    Verdict(String word) {
        this.word = word;
    }

    /** The word the API, the pages and the database use. */
    @JsonValue
    public String word() {
        return word;
    }

    public static Optional<Verdict> fromWord(String word) {
        for (Verdict verdict : values()) {
            if (verdict.word.equals(word)) {
                return Optional.of(verdict);
            }
        }
        return Optional.empty();
    }

    /**
     * not-ready if an error-severity rule fails; warning if a rule warns or a warning-severity rule fails; else ready.
     * Waived findings do not count.
     */
    public static Verdict of(Collection<Finding> findings) {
        boolean warning = false;
        for (Finding finding : findings) {
            if (!finding.isProblem()) {
                continue;
            }
            if (finding.status() == Status.FAIL && finding.severity() == Severity.ERROR) {
                return NOT_READY;
            }
            warning = true;
        }
        return warning ? WARNING : READY;
    }

    @Override
    public String toString() {
        return word;
    }
}
