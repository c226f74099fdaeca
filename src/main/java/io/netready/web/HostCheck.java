package io.netready.web;

import java.util.Locale;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.netready.api.Problem;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.RoutingContext;

/**
 * Pages answer only to the portal's own host name (that of the public URL; in dev mode and tests also localhost):
 * another {@code Host} gets 421 Misdirected Request, before anything is rendered or a login is started, so no page,
 * probe command or sign-in redirect is ever built for a host the client made up. With forwarding from trusted
 * proxies configured ({@code quarkus.http.proxy.*}), the host is the one they forward. {@code /api} (nodes reach it
 * by whatever address routes to the portal; its answers carry the public URL only), {@code /probe.sh}, the static
 * files and {@code /q/} health checks answer to any host.
 */
@ApplicationScoped
public class HostCheck {

    /** Before the security handlers (authentication 200), and before ApiChallenge (400): nothing runs first. */
    private static final int PRIORITY = 500;

    private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

    @Inject
    PortalUrls urls;

    @Inject
    ErrorPage errorPage;

    void register(@Observes Filters filters) {
        filters.register(this::check, PRIORITY);
    }

    private void check(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        if (anyHost(path) || allowed(host(ctx))) {
            ctx.next();
            return;
        }
        Problem problem = Problem.of(421, "Misdirected Request", "This portal answers at " + urls.base() + ".");
        ctx.response().setStatusCode(421).putHeader(HttpHeaders.CONTENT_TYPE, "text/html; charset=UTF-8")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store").end(errorPage.render(problem));
    }

    private boolean allowed(String host) {
        if (host == null) {
            return false;
        }
        return host.equals(urls.host()) || (LaunchMode.current() != LaunchMode.NORMAL && LOOPBACK.contains(host));
    }

    /** The host name the request was sent to, lower case, without its port; null without one. */
    private static String host(RoutingContext ctx) {
        HostAndPort authority = ctx.request().authority();
        String host = authority == null ? null : authority.host();
        return host == null || host.isEmpty() ? null : host.toLowerCase(Locale.ROOT);
    }

    private static boolean anyHost(String path) {
        return path.equals("/api") || path.startsWith("/api/") || path.equals("/probe.sh") || path.startsWith("/static/")
                || path.startsWith("/q/") || path.equals("/favicon.ico");
    }
}
