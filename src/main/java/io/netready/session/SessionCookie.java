package io.netready.session;

import io.vertx.core.http.Cookie;
import io.vertx.ext.web.RoutingContext;

/**
 * The portal's session cookie ({@code q_session}, the OIDC extension's name for the default tenant): its value is a
 * handle (see {@link SessionHandles}), and {@link #LOOKUP} is where a request keeps what the handle led to.
 */
public final class SessionCookie {

    public static final String NAME = "q_session";

    /** Routing-context key of the request's {@link Lookup}, set before the security layer runs. */
    public static final String LOOKUP = "netready.session.lookup";

    /** A request's session cookie and the live session it names; {@code open} is null when it names none. */
    public record Lookup(String handle, SessionStore.Open open) {
    }

    private SessionCookie() {
    }

    public static String handle(RoutingContext ctx) {
        Cookie cookie = ctx.request().getCookie(NAME);
        return cookie == null || cookie.getValue().isEmpty() ? null : cookie.getValue();
    }
}
