package io.netready.support;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Every log record of the JVM, at every level the categories let through, from {@link #start()} until closed. */
public final class LogCapture extends Handler implements AutoCloseable {

    private final ConcurrentLinkedQueue<LogRecord> records = new ConcurrentLinkedQueue<>();

    private LogCapture() {
    }

    public static LogCapture start() {
        LogCapture capture = new LogCapture();
        capture.setLevel(Level.ALL);
        Logger.getLogger("").addHandler(capture);
        return capture;
    }

    /** The records captured so far, oldest first. */
    public List<LogRecord> records() {
        return List.copyOf(records);
    }

    /** The formatted message: JBoss' records format printf-style parameters themselves. */
    public static String message(LogRecord record) {
        try {
            Object formatted = record.getClass().getMethod("getFormattedMessage").invoke(record);
            return String.valueOf(formatted);
        } catch (ReflectiveOperationException e) {
            return new java.util.logging.SimpleFormatter().formatMessage(record);
        }
    }

    @Override
    public void publish(LogRecord record) {
        records.add(record);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        Logger.getLogger("").removeHandler(this);
    }
}
