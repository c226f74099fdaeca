package io.netready.session;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.ext.web.RoutingContext;

/** The current request's signed-in session, if it has a live one. */
@RequestScoped
public class CurrentSession {

    @Inject
    CurrentVertxRequest request;

    /** The handle of the request's live session; null without one. */
    public String handle() {
        RoutingContext ctx = request.getCurrent();
        SessionCookie.Lookup lookup = ctx == null ? null : ctx.get(SessionCookie.LOOKUP);
        return lookup == null || lookup.open() == null ? null : lookup.handle();
    }

    /** The CSRF token of the session's forms; null without a session. */
    public String csrfToken() {
        String handle = handle();
        return handle == null ? null : SessionHandles.csrfToken(handle);
    }

    /** The session's ID token (for the provider's sign-out); null without a session. */
    public String idToken() {
        RoutingContext ctx = request.getCurrent();
        SessionCookie.Lookup lookup = ctx == null ? null : ctx.get(SessionCookie.LOOKUP);
        return lookup == null || lookup.open() == null ? null : lookup.open().idToken();
    }
}
