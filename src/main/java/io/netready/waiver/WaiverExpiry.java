package io.netready.waiver;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * What "until" means for a waiver: asked until 2026-12-30, it is in force through that whole day, UTC, and lapses at
 * the midnight (UTC) after it. Form, lists and audit log say it the same way: "until the end of 30 Dec 2026 (UTC)".
 */
public final class WaiverExpiry {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMM yyyy", Locale.ENGLISH);

    private WaiverExpiry() {
    }

    /** The instant a waiver asked until {@code lastDay} lapses: the start of the next day, UTC. */
    public static Instant lapsesAfter(LocalDate lastDay) {
        return lastDay.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** The last day (UTC) a waiver that lapses at {@code expiresAt} is in force. */
    public static LocalDate lastDay(Instant expiresAt) {
        return expiresAt.minusNanos(1).atOffset(ZoneOffset.UTC).toLocalDate();
    }

    /** {@code until the end of 30 Dec 2026 (UTC)} */
    public static String until(Instant expiresAt) {
        return "until the end of " + DAY.format(lastDay(expiresAt)) + " (UTC)";
    }
}
