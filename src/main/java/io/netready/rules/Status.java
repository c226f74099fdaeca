package io.netready.rules;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/** How a node fares against one rule. */
public enum Status {
    PASS, WARN, FAIL, SKIP;

    @JsonValue
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Status of(String word) {
        return valueOf(word.toUpperCase(Locale.ROOT));
    }
}
