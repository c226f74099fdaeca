package io.netready.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.netready.api.ProblemException;
import io.netready.session.CurrentSession;

/**
 * CSRF tokens for the pages' forms: each signed-in session has its own, derived from the session's handle
 * (session/SessionHandles), so it changes with every sign-in and stops working when the session ends; a token from
 * another session, user or site never matches.
 */
@ApplicationScoped
public class CsrfTokens {

    public static final String FORM_FIELD = "csrf";

    @Inject
    CurrentSession session;

    /** The current session's token; empty without a session (such a request is refused anyway). */
    public String token() {
        String token = session.csrfToken();
        return token == null ? "" : token;
    }

    /** Refuses a form without the current session's token. */
    public void verify(String token) {
        String expected = session.csrfToken();
        if (expected == null || token == null || !MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                token.getBytes(StandardCharsets.UTF_8))) {
            throw ProblemException.forbidden("The form's CSRF token is missing or stale; reload the page and try again.");
        }
    }
}
