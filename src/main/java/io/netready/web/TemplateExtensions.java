package io.netready.web;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import io.netready.waiver.WaiverExpiry;
import io.quarkus.qute.TemplateExtension;

/** Formatting helpers for templates. */
@TemplateExtension
public class TemplateExtensions {

    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    /** {@code 2026-11-21 07:42:00 UTC} */
    static String utc(Instant instant) {
        return instant == null ? "—" : UTC.format(instant);
    }

    /** A waiver's expiry as the user asked for it: {@code until the end of 30 Dec 2026 (UTC)}. */
    static String waiverUntil(Instant expiresAt) {
        return expiresAt == null ? "—" : WaiverExpiry.until(expiresAt);
    }

    /** {@code 5 min ago} */
    static String ago(Instant instant) {
        if (instant == null) {
            return "never";
        }
        Duration age = Duration.between(instant, Instant.now());
        if (age.isNegative() || age.toSeconds() < 60) {
            return "just now";
        }
        if (age.toMinutes() < 60) {
            return age.toMinutes() + " min ago";
        }
        if (age.toHours() < 48) {
            return age.toHours() + " h ago";
        }
        return age.toDays() + " days ago";
    }

    /** {@code 1.2 MB} */
    static String humanSize(int bytes) {
        return humanSize((long) bytes);
    }

    static String humanSize(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1024 * 1024) {
            return String.format("%.1f kB", bytes / 1024.0);
        }
        return String.format("%.1f MB", bytes / (1024.0 * 1024));
    }
}
