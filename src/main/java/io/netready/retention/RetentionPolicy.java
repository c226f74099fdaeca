package io.netready.retention;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import io.netready.config.NetreadyConfig;

/** How long reports are kept: for a duration, or (empty) for ever. Each node's latest report is kept regardless. */
public record RetentionPolicy(Optional<Duration> keepFor) {

    public static final RetentionPolicy KEEP_EVERYTHING = new RetentionPolicy(Optional.empty());

    public RetentionPolicy {
        if (keepFor.isPresent() && (keepFor.get().isNegative() || keepFor.get().isZero())) {
            throw new IllegalArgumentException(
                    "netready.retention.keep-reports-for must be a positive duration such as P90D, got " + keepFor.get());
        }
    }

    public static RetentionPolicy keepFor(Duration duration) {
        return new RetentionPolicy(Optional.of(duration));
    }

    public static RetentionPolicy of(NetreadyConfig config) {
        return new RetentionPolicy(config.retention().keepReportsFor());
    }

    public boolean keepsEverything() {
        return keepFor.isEmpty();
    }

    /** Reports received before this instant are deleted (unless a node's latest). */
    public Instant cutoff(Instant now) {
        return now.minus(keepFor.orElseThrow());
    }

    /** The policy as configured, e.g. {@code P30D} ({@link Duration#toString()} would say PT720H). */
    public String iso() {
        if (keepFor.isEmpty()) {
            return "keep everything";
        }
        Duration d = keepFor.get();
        return d.toSeconds() % 86_400 == 0 && d.toNanosPart() == 0 ? "P" + d.toDays() + "D" : d.toString();
    }

    /** One sentence for the pages. */
    public String sentence() {
        if (keepFor.isEmpty()) {
            return "Retention: every report is kept.";
        }
        return "Retention: reports older than " + words(keepFor.get()) + " are deleted (each node's latest report is kept).";
    }

    static String words(Duration d) {
        if (d.toNanosPart() != 0) {
            return d.toString();
        }
        long seconds = d.toSeconds();
        if (seconds % 86_400 == 0) {
            return plural(seconds / 86_400, "day");
        }
        if (seconds % 3_600 == 0) {
            return plural(seconds / 3_600, "hour");
        }
        if (seconds % 60 == 0) {
            return plural(seconds / 60, "minute");
        }
        return plural(seconds, "second");
    }

    private static String plural(long n, String unit) {
        return n + " " + unit + (n == 1 ? "" : "s");
    }
}
