package io.netready.api;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.jboss.logging.Logger;

/**
 * Logs a database outage without flooding the log: the first failed request, then at most one line every ten seconds
 * with how many requests were answered 503 meanwhile. Thousands of probes retrying make thousands of failures a minute.
 */
final class OutageLog {

    private static final Logger LOG = Logger.getLogger(OutageLog.class);

    private static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private static final AtomicLong lastLogged = new AtomicLong(System.nanoTime() - INTERVAL_NANOS);

    private static final AtomicLong unlogged = new AtomicLong();

    private OutageLog() {
    }

    static void failed(String path, Throwable error) {
        long now = System.nanoTime();
        long last = lastLogged.get();
        if (now - last < INTERVAL_NANOS || !lastLogged.compareAndSet(last, now)) {
            unlogged.incrementAndGet();
            return;
        }
        long more = unlogged.getAndSet(0);
        LOG.warnf("Request %s answered 503: the database is not reachable (%s)%s", path, rootMessage(error),
                more == 0 ? "" : "; " + more + " more requests answered 503 in the last seconds");
    }

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }
}
