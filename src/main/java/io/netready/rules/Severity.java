package io.netready.rules;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/** A failing error-severity rule makes a node not-ready; a failing warning-severity rule makes it a warning. */
public enum Severity {
    ERROR, WARNING;

    @JsonValue
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Severity of(String word) {
        return valueOf(word.toUpperCase(Locale.ROOT));
    }
}
