package io.netready.security;

import java.util.Optional;
import java.util.Set;

import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.WithFormRead;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;
import org.jboss.resteasy.reactive.server.multipart.FormValue;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveContainerRequestContext;

/**
 * Every state-changing request to the pages must carry the signed-in session's CSRF token in its
 * {@value CsrfTokens#FORM_FIELD} form field (the {@code form} tag puts it there); without it, or with another session's,
 * it is refused with 403 before any handler runs. {@code /api} is not covered: it authenticates with bearer tokens, which a browser never sends on its
 * own.
 */
public class CsrfFilter {

    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    @Inject
    CsrfTokens tokens;

    /** Empty: the request goes on; a request without the user's token ends here with a 403 problem. */
    @ServerRequestFilter
    @WithFormRead
    public Optional<Response> verify(ResteasyReactiveContainerRequestContext request) {
        if (SAFE_METHODS.contains(request.getMethod()) || isApi(request.getUriInfo().getPath())) {
            return Optional.empty();
        }
        ResteasyReactiveRequestContext context = (ResteasyReactiveRequestContext) request.getServerRequestContext();
        Object token = context.getFormParameter(CsrfTokens.FORM_FIELD, true, false);
        tokens.verify(token instanceof FormValue field && !field.isFileItem() ? field.getValue()
                : token instanceof String value ? value : null);
        return Optional.empty();
    }

    private static boolean isApi(String path) {
        return path.equals("/api") || path.startsWith("/api/");
    }
}
