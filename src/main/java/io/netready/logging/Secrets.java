package io.netready.logging;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * JWTs (access, ID and refresh tokens, the encrypted session cookie) and upload tokens, found and taken out of text
 * that goes to the log. The portal never logs them itself, but libraries do at DEBUG: the OIDC extension logs a
 * rejected bearer token inside jose4j's error message, the provider's token response and the logout URL with its
 * {@code id_token_hint}. {@link LogLineFilter} applies it to every line.
 */
final class Secrets {

    /** A JWS or JWE in compact form: a base64url JSON header ({@code eyJ}), then two to four more parts. */
    static final Pattern SECRET = Pattern.compile("eyJ[A-Za-z0-9_-]{8,}(?:\\.[A-Za-z0-9_-]*){1,4}|(nrt_[A-Za-z0-9_-]{4})[A-Za-z0-9_-]+");

    private Secrets() {
    }

    static boolean in(String text) {
        return text != null && SECRET.matcher(text).find();
    }

    /** The text with each JWT replaced by a marker and each upload token cut to its hint, as the pages show it. */
    static String redact(String text) {
        Matcher matcher = SECRET.matcher(text);
        StringBuilder result = new StringBuilder();
        while (matcher.find()) {
            matcher.appendReplacement(result, matcher.group(1) != null
                    ? Matcher.quoteReplacement(matcher.group(1) + "…[redacted]")
                    : "[JWT redacted]");
        }
        return matcher.appendTail(result).toString();
    }

    static boolean mentionsSecret(Throwable thrown) {
        for (Throwable t = thrown; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null && SECRET.matcher(t.getMessage()).find()) {
                return true;
            }
            for (Throwable suppressed : t.getSuppressed()) {
                if (mentionsSecret(suppressed)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A throwable's stand-in with the same class name, stack frames and causes, its messages redacted. */
    static final class Redacted extends RuntimeException {

        private final String className;

        private Redacted(String className, String message, Throwable cause) {
            super(message, cause, false, true);
            this.className = className;
        }

        static Redacted of(Throwable original) {
            Throwable cause = original.getCause() == null || original.getCause() == original ? null : of(original.getCause());
            String message = original.getMessage() == null ? null : redact(original.getMessage());
            Redacted copy = new Redacted(original.getClass().getName(), message, cause);
            copy.setStackTrace(original.getStackTrace());
            for (Throwable suppressed : original.getSuppressed()) {
                copy.addSuppressed(of(suppressed));
            }
            return copy;
        }

        @Override
        public String toString() {
            return getMessage() == null ? className : className + ": " + getMessage();
        }
    }
}
