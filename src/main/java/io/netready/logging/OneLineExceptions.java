package io.netready.logging;

import java.util.logging.Filter;
import java.util.logging.LogRecord;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logmanager.ExtLogRecord;

import io.quarkus.logging.LoggingFilter;

/**
 * Keeps every log record on one line: an exception attached to a record (ours or a library's) becomes a summary at
 * the end of its message — each exception in the cause chain as "Type: message", and where netready's own code was
 * when it was thrown — instead of a multi-line stack trace. Log shippers see one event per line, and a stack trace
 * cannot carry a report's content or a request's details into the log. {@code netready.log.stack-traces=true}
 * (env {@code NETREADY_LOG_STACK_TRACES}) brings full stack traces back when debugging.
 */
@LoggingFilter(name = "one-line-exceptions")
public final class OneLineExceptions implements Filter {

    private static final int MAX_CAUSES = 8;

    private static final int MAX_MESSAGE = 300;

    private final boolean stackTraces;

    public OneLineExceptions(@ConfigProperty(name = "netready.log.stack-traces", defaultValue = "false") boolean stackTraces) {
        this.stackTraces = stackTraces;
    }

    @Override
    public boolean isLoggable(LogRecord record) {
        Throwable thrown = record.getThrown();
        if (stackTraces) {
            return true;
        }
        String message = record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage();
        String oneLine = oneLine(message == null ? "" : message);
        if (thrown == null && oneLine.equals(message)) {
            return true;
        }
        String text = thrown == null ? oneLine : oneLine + " [" + summary(thrown) + "]";
        if (record instanceof ExtLogRecord ext) {
            ext.setMessage(text, ExtLogRecord.FormatStyle.NO_FORMAT);
        } else {
            record.setMessage(text);
        }
        record.setParameters(null);
        record.setThrown(null);
        return true;
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
