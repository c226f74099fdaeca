package io.netready.web;

import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.netready.api.Problem;
import io.netready.api.ProblemException;
import io.netready.web.ErrorPage;
import io.quarkus.security.ForbiddenException;

/**
 * Every error the portal answers, in one place: problem+json under /api, an HTML page elsewhere. A 5xx never shows
 * internals; its cause goes to the log with an id the answer repeats.
 */
public class ErrorMappers {

    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

    @Inject
    UriInfo uriInfo;

    @Inject
    ErrorPage errorPage;

    @Inject
    ProviderOutage providerOutage;

    @Inject
    jakarta.ws.rs.core.HttpHeaders headers;

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        Response.ResponseBuilder response = respond(e.toProblem(), e.backLink());
        e.headers().forEach(response::header);
        return response.build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return respond(Problem.of(403, "Forbidden", "You may not do this.")).build();
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        Response original = e.getResponse();
        int status = original.getStatus();
        if (status >= 500) {
            return unexpected(e);
        }
        String title = original.getStatusInfo().getReasonPhrase();
        String detail = switch (status) {
            case 404 -> "There is nothing at " + uriInfo.getPath() + ".";
            case 405 -> "This address does not take that HTTP method.";
            case 406 -> "The portal cannot answer in any of the accepted media types.";
            case 415 -> "The request body's media type is not accepted here.";
            default -> title;
        };
        Response.ResponseBuilder response = respond(Problem.of(status, title, detail));
        for (Map.Entry<String, java.util.List<Object>> header : original.getHeaders().entrySet()) {
            if (!header.getKey().equalsIgnoreCase("Content-Type")) {
                header.getValue().forEach(value -> response.header(header.getKey(), value));
            }
        }
        return response.build();
    }

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER + 1000)
    public Response unexpected(Throwable e) {
        // First: an unreachable provider's ConnectException is no database outage.
        if (ProviderDown.isCause(e)) {
            return providerOutage.answer(uriInfo.getPath(), headers.getHeaderString("Authorization"), e);
        }
        if (DatabaseDown.isCause(e)) {
            OutageLog.failed(uriInfo.getPath(), e);
            return respond(Problem.of(503, "Service Unavailable", "The portal's database is not reachable right now; "
                    + "nothing was stored. Try again in " + DatabaseDown.RETRY_AFTER_SECONDS + " seconds (the probe keeps "
                    + "the report and sends it on its next run)."))
                    .header("Retry-After", DatabaseDown.RETRY_AFTER_SECONDS).build();
        }
        String incident = Long.toHexString(System.nanoTime());
        LOG.errorf(e, "Request %s failed (incident %s)", uriInfo.getPath(), incident);
        return respond(Problem.of(500, "Internal Server Error",
                "The portal failed to answer; the administrators can find incident " + incident + " in its log.")).build();
    }

    private Response.ResponseBuilder respond(Problem problem) {
        return respond(problem, null);
    }

    private Response.ResponseBuilder respond(Problem problem, ProblemException.Link back) {
        if (uriInfo.getPath().startsWith("/api/")) {
            return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem);
        }
        return Response.status(problem.status()).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .entity(errorPage.render(problem, back));
    }
}
