package io.netready.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.util.logging.Level;

import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

class LogLineFilterTest {

    private final LogLineFilter filter = new LogLineFilter(false);

    @Test
    void anExceptionBecomesASummaryOnTheSameLine() {
        ExtLogRecord record = new ExtLogRecord(Level.WARNING, "Request %s failed", ExtLogRecord.FormatStyle.PRINTF,
                getClass().getName());
        record.setParameters(new Object[] { "/api/v1/reports" });
        record.setThrown(thrownHere());

        assertTrue(filter.isLoggable(record));

        assertNull(record.getThrown());
        String message = record.getFormattedMessage();
        assertTrue(message.startsWith("Request /api/v1/reports failed [java.lang.IllegalStateException: storing failed"
                + " <- java.sql.SQLException: Connection refused | check the host"), message);
        assertTrue(message.contains("(at io.netready.logging.LogLineFilterTest.thrownHere(LogLineFilterTest.java:"),
                message);
        assertTrue(message.indexOf('\n') < 0, message);
    }

    @Test
    void anUnknownReactiveUrlStillWarnsInProduction() {
        ExtLogRecord record = new ExtLogRecord(Level.WARNING, "Unrecognized configuration key \"quarkus.datasource.reactive.url\""
                + " was provided; it will be ignored", ExtLogRecord.FormatStyle.NO_FORMAT, "io.quarkus.config");
        record.setLoggerName("io.quarkus.config");
        assertTrue(LogLineFilter.embeddedPostgresReactiveUrl(record, io.quarkus.runtime.LaunchMode.DEVELOPMENT));
        assertTrue(LogLineFilter.embeddedPostgresReactiveUrl(record, io.quarkus.runtime.LaunchMode.TEST));
        assertFalse(LogLineFilter.embeddedPostgresReactiveUrl(record, io.quarkus.runtime.LaunchMode.NORMAL),
                "in production nobody's extension sets it: someone configured it by mistake");
    }

    @Test
    void aMultiLineMessageIsJoined() {
        ExtLogRecord record = new ExtLogRecord(Level.INFO, "host name\nFORGED 2026-11-21 ERROR line",
                ExtLogRecord.FormatStyle.NO_FORMAT, getClass().getName());

        filter.isLoggable(record);

        assertEquals("host name | FORGED 2026-11-21 ERROR line", record.getFormattedMessage());
    }

    @Test
    void stackTracesStayWhenAskedFor() {
        ExtLogRecord record = new ExtLogRecord(Level.SEVERE, "boom", ExtLogRecord.FormatStyle.NO_FORMAT, getClass().getName());
        Throwable thrown = thrownHere();
        record.setThrown(thrown);

        new LogLineFilter(true).isLoggable(record);

        assertEquals(thrown, record.getThrown());
        assertEquals("boom", record.getFormattedMessage());
    }

    private static Throwable thrownHere() {
        return new IllegalStateException("storing failed", new SQLException("Connection refused\ncheck the host"));
    }
}
