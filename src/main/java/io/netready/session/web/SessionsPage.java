package io.netready.session.web;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestQuery;

import io.netready.api.ProblemException;
import io.netready.config.NetreadyConfig;
import io.netready.security.CurrentUser;
import io.netready.session.SessionStore;
import io.netready.session.SessionSummary;
import io.netready.web.PageContext;
import io.netready.web.Pages;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** {@code /sessions} (admins): who is signed in, since when, last seen; and ending every session of one user. */
@Path("/sessions")
public class SessionsPage {

    @Inject
    Pages pages;

    @Inject
    CurrentUser user;

    @Inject
    SessionStore sessions;

    @Inject
    NetreadyConfig config;

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance sessions(PageContext ctx, List<SessionSummary> sessions, String revoked,
                Long ended, String idle, String max);
    }

    @GET
    public TemplateInstance page(@RestQuery String revoked, @RestQuery Long ended) {
        PageContext ctx = pages.context("Sessions");
        user.requireAdmin();
        return Templates.sessions(ctx, sessions.active(), revoked, ended, words(config.session().idleTimeout()),
                words(config.session().maxLength()));
    }

    /** Ends every session of the user named in the form, then back to the list with what happened. */
    @POST
    @Path("revoke")
    public Response revoke(@RestForm String name) {
        pages.context("Sessions");
        user.requireAdmin();
        if (name == null || name.isBlank() || name.length() > 200) {
            throw ProblemException.badRequest("Field 'name' must name the user whose sessions end (1-200 characters).");
        }
        long ended = sessions.revoke(user.name(), name);
        return Response.seeOther(URI.create("/sessions?revoked=" + URLEncoder.encode(name, StandardCharsets.UTF_8)
                + "&ended=" + ended)).build();
    }

    /** PT1H as "1h", PT12H30M as "12h30m". */
    static String words(java.time.Duration duration) {
        return duration.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
    }
}
