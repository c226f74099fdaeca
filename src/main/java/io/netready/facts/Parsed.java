package io.netready.facts;

import java.util.Optional;
import java.util.function.Function;

/**
 * A fact parsed from a report section, or why it is not available (section missing, unreadable, or not in a
 * form the parser knows). Rules that need an unavailable fact answer {@code skip} with that reason.
 */
public record Parsed<T>(T value, String problem, String section) {

    public static <T> Parsed<T> of(String section, T value) {
        return new Parsed<>(value, null, section);
    }

    public static <T> Parsed<T> unavailable(String section, String problem) {
        return new Parsed<>(null, problem, section);
    }

    public boolean isAvailable() {
        return value != null;
    }

    public Optional<T> asOptional() {
        return Optional.ofNullable(value);
    }

    public <R> Parsed<R> map(Function<T, R> mapper) {
        return isAvailable() ? new Parsed<>(mapper.apply(value), null, section) : new Parsed<>(null, problem, section);
    }
}
