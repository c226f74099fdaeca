package io.netready.session.web;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.netready.api.Problem;
import io.netready.session.SessionCookie;
import io.netready.session.SessionStore;
import io.netready.web.DatabaseDown;
import io.netready.web.ErrorPage;
import io.netready.web.OutageLog;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * Looks up the request's session (its cookie's handle in table web_session) before the security layer runs, and keeps
 * what it found for the OIDC extension (session/ServerSideTokenStateManager) and the forms' CSRF check. Found here
 * because the extension takes any failure to read a session as "not signed in" and sends the browser to the
 * provider: with the database down, a signed-in user gets the portal's 503 page instead, as for every other page.
 * {@code /api} (bearer tokens), the probe script, static files and {@code /q/} read no session.
 */
@ApplicationScoped
public class SessionGate {

    /** After CORS (300), before authentication (200). */
    private static final int PRIORITY = 250;

    @Inject
    SessionStore sessions;

    @Inject
    ErrorPage errorPage;

    void register(@Observes Filters filters) {
        filters.register(this::lookUp, PRIORITY);
    }

    private void lookUp(RoutingContext ctx) {
        String handle = SessionCookie.handle(ctx);
        String path = ctx.normalizedPath();
        if (handle == null || readsNoSession(path)) {
            ctx.next();
            return;
        }
        ctx.vertx().executeBlocking(() -> sessions.open(handle).orElse(null), false).onComplete(found -> {
            if (found.succeeded()) {
                ctx.put(SessionCookie.LOOKUP, new SessionCookie.Lookup(handle, found.result()));
                ctx.next();
            } else if (DatabaseDown.isCause(found.cause()) && !ctx.response().headWritten()) {
                OutageLog.failed(path, found.cause());
                Problem problem = Problem.of(503, "Service Unavailable", "The portal's database is not reachable right "
                        + "now. Try again in " + DatabaseDown.RETRY_AFTER_SECONDS + " seconds.");
                ctx.response().setStatusCode(503).putHeader(HttpHeaders.CONTENT_TYPE, "text/html; charset=UTF-8")
                        .putHeader("Retry-After", String.valueOf(DatabaseDown.RETRY_AFTER_SECONDS))
                        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store").end(errorPage.render(problem));
            } else {
                ctx.fail(found.cause());
            }
        });
    }

    private static boolean readsNoSession(String path) {
        return path.equals("/api") || path.startsWith("/api/") || path.equals("/probe.sh") || path.startsWith("/static/")
                || path.equals("/q/health") || path.startsWith("/q/health/") || path.equals("/favicon.ico");
    }
}
