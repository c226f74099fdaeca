package io.netready.web;

import java.time.Duration;

import org.jboss.logging.Logger;

import io.netready.logging.ThrottledLog;

/**
 * Logs a database outage without flooding the log: the first failed request, then at most one line every ten seconds
 * with how many requests were answered 503 meanwhile. Thousands of probes retrying make thousands of failures a minute.
 */
final class OutageLog {

    private static final ThrottledLog LOG = new ThrottledLog(Logger.getLogger(OutageLog.class), Duration.ofSeconds(10));

    private OutageLog() {
    }

    static void failed(String path, Throwable error) {
        LOG.warn("database", null, () -> "Request " + path + " answered 503: the database is not reachable ("
                + rootMessage(error) + ")");
    }

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }
}
