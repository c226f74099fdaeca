package io.netready.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

/** One line per key and interval; the next line says how many were held back; keys do not share a window. */
class ThrottledLogTest {

    private static final long SECOND = Duration.ofSeconds(1).toNanos();

    private final ThrottledLog log = new ThrottledLog(Logger.getLogger(ThrottledLogTest.class), Duration.ofSeconds(10));

    @Test
    void letsTheFirstLineThroughThenOnePerIntervalCountingTheRest() {
        long t = 1_000 * SECOND;
        assertEquals(0, log.admit("rule-a", t));
        for (int i = 1; i <= 5; i++) {
            assertEquals(-1, log.admit("rule-a", t + i * SECOND));
        }
        assertEquals(5, log.admit("rule-a", t + 10 * SECOND));
        assertEquals(-1, log.admit("rule-a", t + 19 * SECOND));
        assertEquals(1, log.admit("rule-a", t + 20 * SECOND));
    }

    @Test
    void keysHaveTheirOwnWindows() {
        long t = 5_000 * SECOND;
        assertEquals(0, log.admit("rule-a", t));
        assertEquals(0, log.admit("rule-b", t + SECOND));
        assertEquals(-1, log.admit("rule-a", t + 2 * SECOND));
        assertEquals(-1, log.admit("rule-b", t + 2 * SECOND));
    }
}
