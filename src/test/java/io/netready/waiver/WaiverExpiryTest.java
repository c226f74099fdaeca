package io.netready.waiver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.LocalDate;

import org.junit.jupiter.api.Test;

/** A waiver asked until a day is in force through that day (UTC), and says so. */
class WaiverExpiryTest {

    @Test
    void untilADayMeansUntilTheEndOfThatDayUtc() {
        Instant lapses = WaiverExpiry.lapsesAfter(LocalDate.parse("2026-12-30"));
        assertEquals(Instant.parse("2026-12-31T00:00:00Z"), lapses);
        assertEquals(LocalDate.parse("2026-12-30"), WaiverExpiry.lastDay(lapses));
        assertEquals("until the end of 30 Dec 2026 (UTC)", WaiverExpiry.until(lapses));
        assertEquals("until the end of 1 Jan 2027 (UTC)", WaiverExpiry.until(WaiverExpiry.lapsesAfter(LocalDate.parse("2027-01-01"))));
        // an expiry that is not at midnight (none is made so, but the words hold): the day it lapses in
        assertEquals("until the end of 5 Mar 2027 (UTC)", WaiverExpiry.until(Instant.parse("2027-03-05T12:00:00Z")));
    }
}
