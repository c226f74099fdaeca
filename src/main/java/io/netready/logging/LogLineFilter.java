package io.netready.logging;

import java.util.logging.Filter;
import java.util.logging.LogRecord;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logmanager.ExtLogRecord;

import io.quarkus.logging.LoggingFilter;
import io.quarkus.runtime.LaunchMode;

/**
 * What a log line may contain, applied by every handler ({@code quarkus.log.*.filter=netready-log}):
 * <ul>
 * <li>no secret: JWTs and upload tokens are taken out of the message and the exception ({@link Secrets});</li>
 * <li>one line per record: an exception attached to a record (ours or a library's) becomes a summary at the end of
 * its message — each exception in the cause chain as "Type: message", and where netready's own code was — instead of
 * a stack trace, and line breaks in a message (a hostname from a report, say) cannot forge extra log lines.</li>
 * <li>no line per request for an unreachable sign-in provider: quarkus-oidc and the security layer log each request
 * that meets one (a WARN and an ERROR or two, thousands a minute); the portal logs the outage itself, once
 * ({@code web/OutageLog}). Only connection failures are dropped: a provider that answers with an error is still
 * logged.</li>
 * <li>no WARN about a setting nobody made: the embedded PostgreSQL of dev mode and tests sets
 * {@code quarkus.datasource.reactive.url}, which Quarkus reports as unknown ({@link #embeddedPostgresReactiveUrl}).</li>
 * </ul>
 * {@code netready.log.stack-traces=true} (env {@code NETREADY_LOG_STACK_TRACES}) keeps full stack traces, still
 * redacted, for debugging; dev mode does.
 */
@LoggingFilter(name = "netready-log")
public final class LogLineFilter implements Filter {

    private static final int MAX_CAUSES = 8;

    private static final int MAX_MESSAGE = 300;

    private final boolean stackTraces;

    public LogLineFilter(@ConfigProperty(name = "netready.log.stack-traces", defaultValue = "false") boolean stackTraces) {
        this.stackTraces = stackTraces;
    }

    @Override
    public boolean isLoggable(LogRecord record) {
        if (providerUnreachable(record) || embeddedPostgresReactiveUrl(record, LaunchMode.current())) {
            return false;
        }
        Throwable thrown = record.getThrown();
        String message = record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage();
        message = message == null ? "" : message;
        String text = Secrets.redact(stackTraces ? message : oneLine(message));
        if (thrown != null && !stackTraces) {
            text = text + " [" + Secrets.redact(summary(thrown)) + "]";
            record.setThrown(null);
        } else if (thrown != null && Secrets.mentionsSecret(thrown)) {
            record.setThrown(Secrets.Redacted.of(thrown));
        }
        if (!text.equals(message)) {
            if (record instanceof ExtLogRecord ext) {
                ext.setMessage(text, ExtLogRecord.FormatStyle.NO_FORMAT);
            } else {
                record.setMessage(text);
            }
            record.setParameters(null);
        }
        return true;
    }

    /**
     * Quarkus' WARN that {@code quarkus.datasource.reactive.url} is unknown, in dev mode and tests only: the embedded
     * PostgreSQL extension (never in the production build) sets it beside the JDBC URL for a reactive client the
     * portal does not have, so the warning is about nothing anyone configured. In production the key is someone's
     * mistake and the warning stays.
     */
    static boolean embeddedPostgresReactiveUrl(LogRecord record, LaunchMode mode) {
        if (mode == LaunchMode.NORMAL || !"io.quarkus.config".equals(record.getLoggerName())) {
            return false;
        }
        String message = String.valueOf(record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage());
        return message.startsWith("Unrecognized configuration key \"quarkus.datasource.reactive.url\" ");
    }

    /** A library's line about one request that could not connect to the OIDC provider. */
    static boolean providerUnreachable(LogRecord record) {
        String logger = String.valueOf(record.getLoggerName());
        if (!logger.startsWith("io.quarkus.oidc.") && !logger.equals("io.quarkus.vertx.http.runtime.security.AbstractHttpAuthorizer")) {
            return false;
        }
        String message = String.valueOf(record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage());
        if (message.contains("OIDC Server is not available") || message.contains("OIDC server is not available")) {
            return true;
        }
        for (Throwable t = record.getThrown(); t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.net.ConnectException || t instanceof java.net.UnknownHostException
                    || t instanceof java.net.NoRouteToHostException || t instanceof java.net.SocketTimeoutException
                    || String.valueOf(t.getMessage()).contains("OIDC Server is not available")) {
                return true;
            }
        }
        // "Exception during the code to token exchange: Connection refused" carries no exception, only its message
        return logger.equals("io.quarkus.oidc.runtime.CodeAuthenticationMechanism")
                && (message.endsWith(": Connection refused") || message.contains("connection timed out"));
    }

    /** "Type: message <- Cause: message ... (at io.netready.X.y(X.java:12))", on one line. */
    static String summary(Throwable thrown) {
        StringBuilder summary = new StringBuilder();
        StackTraceElement ours = null;
        Throwable current = thrown;
        for (int depth = 0; current != null && depth < MAX_CAUSES; depth++) {
            if (depth > 0) {
                summary.append(" <- ");
            }
            summary.append(current.getClass().getName());
            if (current.getMessage() != null) {
                summary.append(": ").append(abbreviate(oneLine(current.getMessage())));
            }
            for (StackTraceElement frame : current.getStackTrace()) {
                if (frame.getClassName().startsWith("io.netready.")) {
                    ours = frame;
                    break;
                }
            }
            current = current.getCause() == current ? null : current.getCause();
        }
        if (ours != null) {
            summary.append(" (at ").append(ours).append(')');
        }
        return summary.toString();
    }

    private static String oneLine(String text) {
        return text.indexOf('\n') < 0 && text.indexOf('\r') < 0 ? text : text.replaceAll("\\s*[\\r\\n]+\\s*", " | ");
    }

    private static String abbreviate(String text) {
        return text.length() <= MAX_MESSAGE ? text : text.substring(0, MAX_MESSAGE) + "…";
    }
}
