package io.netready.token;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.netready.config.NetreadyConfig;

/**
 * A token bucket per upload token: a leaked or runaway token cannot flood the portal. A whole cluster usually
 * shares one token, so the defaults are generous; the probe's curl retries a 429 after its Retry-After.
 */
@ApplicationScoped
public class UploadRateLimiter {

    private final double perSecond;
    private final double burst;
    private final LongSupplier nanoTime;
    private final Map<Long, Bucket> buckets = new ConcurrentHashMap<>();

    @Inject
    public UploadRateLimiter(NetreadyConfig config) {
        this(config.upload().ratePerToken(), config.upload().burstPerToken(), System::nanoTime);
    }

    UploadRateLimiter(double perSecond, double burst, LongSupplier nanoTime) {
        this.perSecond = perSecond;
        this.burst = burst;
        this.nanoTime = nanoTime;
    }

    /** 0 when the upload may go ahead, else the seconds to wait before the token has room again. */
    public long secondsToWait(long tokenId) {
        return buckets.computeIfAbsent(tokenId, id -> new Bucket(burst, nanoTime.getAsLong())).take(perSecond, burst,
                nanoTime.getAsLong());
    }

    private static final class Bucket {
        private double tokens;
        private long last;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.last = now;
        }

        synchronized long take(double perSecond, double burst, long now) {
            tokens = Math.min(burst, tokens + (now - last) / 1e9 * perSecond);
            last = now;
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((1 - tokens) / perSecond));
        }
    }
}
