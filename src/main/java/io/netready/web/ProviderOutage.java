package io.netready.web;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.netready.api.Problem;
import io.quarkus.oidc.SecurityEvent;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * What the portal answers while its sign-in provider cannot be reached. Pages: 503 and the error page, "sign-in
 * provider unreachable", with {@code Retry-After}. {@code /api} without a token: 401, as always, since no provider is
 * needed to say a token is missing; with one: 503 problem+json with {@code Retry-After}. Uploads and plans use upload
 * tokens, not the provider, and keep working. quarkus-oidc connects again by itself on later requests, so the portal
 * recovers when the provider returns. The outage is logged once ({@link OutageLog}), not per request.
 *
 * <p>The provider's failure surfaces in two places: in the HTTP security layer, before any resource runs (a route
 * failure handler here takes it), and inside a resource that reads the user (ErrorMappers asks {@link #answer}).
 */
@ApplicationScoped
public class ProviderOutage {

    @Inject
    ErrorPage errorPage;

    @Inject
    ObjectMapper json;

    /** The provider's URL, for the log. */
    @ConfigProperty(name = "quarkus.oidc.auth-server-url", defaultValue = "(OIDC)")
    String provider;

    /** First in line among the failure handlers: every other failure goes on to the next one untouched. */
    void route(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).failureHandler(this::onFailure);
    }

    /** quarkus-oidc says so when it has connected again (or a login went through): the outage is over. */
    void onSecurityEvent(@ObservesAsync SecurityEvent event) {
        switch (event.getEventType()) {
            case OIDC_SERVER_AVAILABLE, OIDC_LOGIN -> OutageLog.providerAnswered(provider);
            case OIDC_SERVER_NOT_AVAILABLE -> OutageLog.providerUnavailable(provider);
            default -> {
            }
        }
    }

    private void onFailure(RoutingContext ctx) {
        if (ctx.response().headWritten() || !ProviderDown.isCause(ctx.failure())) {
            ctx.next();
            return;
        }
        Response answer = answer(ctx.normalizedPath(), ctx.request().getHeader(HttpHeaders.AUTHORIZATION), ctx.failure());
        var response = ctx.response().setStatusCode(answer.getStatus());
        answer.getStringHeaders().forEach((name, values) -> values.forEach(value -> response.putHeader(name, value)));
        try {
            response.end(answer.getEntity() instanceof Problem p ? json.writeValueAsString(p) : (String) answer.getEntity());
        } catch (JsonProcessingException e) {
            ctx.next();
        }
    }

    /** The answer to a request that failed because the provider cannot be reached. */
    Response answer(String path, String authorization, Throwable error) {
        boolean api = path.equals("/api") || path.startsWith("/api/");
        boolean bearer = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                && !authorization.substring(7).isBlank();
        if (api && !bearer) {
            // "Basic x" or an empty bearer: no token the provider would need to check (ApiChallenge takes none at all)
            return Response.status(401).type(Problem.MEDIA_TYPE).header("WWW-Authenticate", "Bearer")
                    .entity(Problem.of(401, "Unauthorized", "Send a bearer token from the sign-in provider "
                            + "(Authorization: Bearer <token>).")).build();
        }
        OutageLog.providerFailed(provider, path, error);
        Problem problem = Problem.of(503, "Service Unavailable", "The sign-in provider is unreachable right now, so "
                + "the portal cannot check who you are. Try again in " + ProviderDown.RETRY_AFTER_SECONDS
                + " seconds; nodes keep uploading with their upload tokens meanwhile.");
        Response.ResponseBuilder response = Response.status(503).header("Retry-After", ProviderDown.RETRY_AFTER_SECONDS)
                .header("Cache-Control", "no-store");
        if (api) {
            return response.type(Problem.MEDIA_TYPE).entity(problem).build();
        }
        return response.type("text/html; charset=UTF-8")
                .entity(errorPage.render(Problem.of(503, "Sign-in provider unreachable", problem.detail()))).build();
    }
}
