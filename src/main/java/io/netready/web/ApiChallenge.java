package io.netready.web;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.netready.api.Problem;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

/**
 * A call to {@code /api} without a token is refused here with 401 problem+json, like every other API error, and
 * {@code WWW-Authenticate: Bearer}: the security layer's own challenge has no body, and it would first need the sign-in
 * provider (it answers 500 while quarkus-oidc cannot reach it), which is not needed to see that there is no token.
 * The two routes nodes call with upload tokens (permitted in application.properties) check their tokens themselves.
 */
@ApplicationScoped
public class ApiChallenge {

    /** Before the security handlers (CORS 300, authentication 200, authorization 100). */
    private static final int PRIORITY = 400;

    private static final String BODY = "{\"type\":\"about:blank\",\"title\":\"Unauthorized\",\"status\":401,\"detail\":"
            + "\"Send a bearer token from the sign-in provider (Authorization: Bearer <token>).\"}";

    void register(@Observes Filters filters) {
        filters.register(this::challenge, PRIORITY);
    }

    private void challenge(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        if ((path.equals("/api") || path.startsWith("/api/")) && !uploadTokenRoute(ctx.request().method(), path)
                && ctx.request().getHeader(HttpHeaders.AUTHORIZATION) == null) {
            ctx.response().setStatusCode(401).putHeader("WWW-Authenticate", "Bearer")
                    .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE).end(BODY);
            return;
        }
        ctx.next();
    }

    /** quarkus.http.auth.permission.upload and .plan: the node's routes, which answer a missing upload token themselves. */
    private static boolean uploadTokenRoute(HttpMethod method, String path) {
        return method == HttpMethod.POST && path.equals("/api/v1/reports") || method == HttpMethod.GET && path.equals("/api/v1/plan");
    }
}
