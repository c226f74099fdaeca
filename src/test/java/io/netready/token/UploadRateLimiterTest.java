package io.netready.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;


/** The per-token bucket: a burst goes through, then the average rate; tokens do not share a bucket. */
class UploadRateLimiterTest {

    @Test
    void aBurstThenTheRateAndAWaitThatSaysHowLong() {
        AtomicLong now = new AtomicLong(0);
        UploadRateLimiter limiter = new UploadRateLimiter(2, 5, now::get);
        for (int i = 0; i < 5; i++) {
            assertEquals(0, limiter.secondsToWait(1), "within the burst");
        }
        long wait = limiter.secondsToWait(1);
        assertTrue(wait >= 1, "over the burst: wait " + wait);
        assertEquals(0, limiter.secondsToWait(2), "another token has its own bucket");
        now.addAndGet(1_000_000_000L);
        assertEquals(0, limiter.secondsToWait(1), "a second later, two more");
        assertEquals(0, limiter.secondsToWait(1));
        assertTrue(limiter.secondsToWait(1) >= 1);
    }
}
