package io.netready.session.web;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.impl.ServerCookie;
import io.vertx.ext.web.RoutingContext;

/**
 * The OIDC extension's login-state cookies ({@code q_auth…}, while a sign-in is under way) go out with SameSite=Lax,
 * like the session cookie: quarkus-oidc 3.29 puts {@code cookie-same-site} on the session cookie only, and has no
 * setting for the others. Lax, not Strict: the provider's redirect back is a cross-site navigation that must carry it.
 */
@ApplicationScoped
public class LoginCookies {

    /** Before the security layer, which sets these cookies. */
    private static final int PRIORITY = 260;

    void register(@Observes Filters filters) {
        filters.register(this::onResponse, PRIORITY);
    }

    private void onResponse(RoutingContext ctx) {
        ctx.addHeadersEndHandler(v -> {
            // the request's and the response's cookies are one jar; only those set in this response are sent
            for (Cookie cookie : ctx.request().cookies()) {
                if (cookie instanceof ServerCookie set && set.isChanged() && cookie.getSameSite() == null
                        && (cookie.getName().startsWith("q_auth") || cookie.getName().startsWith("q_post_logout"))) {
                    cookie.setSameSite(CookieSameSite.LAX);
                }
            }
        });
        ctx.next();
    }
}
