package io.netready.logging;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

/**
 * Warnings that the outside world can trigger again and again (a database outage met by thousands of retrying probes,
 * a report crafted to make a rule fail on every upload) without flooding the log: per key, the first one, then at most
 * one line per interval, which says how many were held back meanwhile. Keys must come from a small fixed set (rule
 * ids, not report values): one window is kept per key.
 */
public final class ThrottledLog {

    private final Logger log;
    private final long intervalNanos;
    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

    /** When a key last logged, and how many lines it held back since. */
    private static final class Window {
        final AtomicLong lastLogged;
        final AtomicLong heldBack = new AtomicLong();

        Window(long lastLogged) {
            this.lastLogged = new AtomicLong(lastLogged);
        }
    }

    public ThrottledLog(Logger log, Duration interval) {
        this.log = log;
        this.intervalNanos = interval.toNanos();
    }

    /** Logs {@code message} (with {@code error} as the log filter shows it) unless this key logged within the interval. */
    public void warn(String key, Throwable error, Supplier<String> message) {
        long heldBack = admit(key, System.nanoTime());
        if (heldBack >= 0) {
            log.warn(message.get() + (heldBack == 0 ? "" : " (" + heldBack + " more like it in the last "
                    + Duration.ofNanos(intervalNanos).toSeconds() + " s not logged)"), error);
        }
    }

    /** -1 if a line for {@code key} at {@code now} is held back, else how many were held back since the last one. */
    long admit(String key, long now) {
        Window window = windows.computeIfAbsent(key, k -> new Window(now - intervalNanos));
        long last = window.lastLogged.get();
        if (now - last < intervalNanos || !window.lastLogged.compareAndSet(last, now)) {
            window.heldBack.incrementAndGet();
            return -1;
        }
        return window.heldBack.getAndSet(0);
    }
}
