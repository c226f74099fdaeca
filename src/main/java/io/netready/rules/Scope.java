package io.netready.rules;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/** Node rules judge one report; cluster rules compare the latest reports of all nodes of a cluster. */
public enum Scope {
    NODE, CLUSTER;

    @JsonValue
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
