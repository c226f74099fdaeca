package io.netready.web;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.jboss.logging.Logger;

import io.netready.logging.ThrottledLog;

/**
 * Logs a database outage without flooding the log: the first failed request, then at most one line every ten seconds
 * with how many requests were answered 503 meanwhile. Thousands of probes retrying make thousands of failures a minute.
 * An outage of the sign-in provider: one warning when it starts, one line when it is over.
 */
public final class OutageLog {

    private static final ThrottledLog LOG = new ThrottledLog(Logger.getLogger(OutageLog.class), Duration.ofSeconds(10));

    private OutageLog() {
    }

    public static void failed(String path, Throwable error) {
        LOG.warn("database", null, () -> "Request " + path + " answered 503: the database is not reachable ("
                + rootMessage(error) + ")");
    }

    private static final Logger PROVIDER = Logger.getLogger(OutageLog.class);
    private static final AtomicReference<Instant> providerDownSince =
            new AtomicReference<>();
    private static final AtomicLong providerFailures = new AtomicLong();

    /**
     * A request answered 503 because the sign-in provider cannot be reached: one warning when the outage starts, none
     * for the requests after it, until {@link #providerAnswered()}.
     */
    static void providerFailed(String provider, String path, Throwable error) {
        providerFailures.incrementAndGet();
        if (providerDownSince.compareAndSet(null, Instant.now())) {
            PROVIDER.warn("Request " + path + " answered 503: the sign-in provider " + provider + " is not reachable ("
                    + rootMessage(error) + "); pages and /api with a token answer 503 until it is, uploads go on. "
                    + "Logged once per outage.");
        }
    }

    /** quarkus-oidc could not reach the provider (at start, or connecting again): the outage starts, if it had not. */
    static void providerUnavailable(String provider) {
        if (providerDownSince.compareAndSet(null, Instant.now())) {
            PROVIDER.warn("The sign-in provider " + provider + " is not reachable; pages and /api with a token answer 503 until "
                    + "it is, uploads go on. Logged once per outage.");
        }
    }

    /** The provider answered again: the outage, if there was one, is over. */
    static void providerAnswered(String provider) {
        Instant since = providerDownSince.getAndSet(null);
        if (since != null) {
            PROVIDER.infof("The sign-in provider " + provider + " is reachable again after %d s; %d requests were answered 503 "
                    + "meanwhile", Duration.between(since, Instant.now()).toSeconds(), providerFailures.getAndSet(0));
        }
    }

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }
}
