package io.netready.session.web;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.netready.audit.AuditAction;
import io.netready.audit.AuditLog;
import io.netready.security.CurrentUser;
import io.netready.session.CurrentSession;
import io.netready.session.SessionCookie;
import io.netready.session.SessionStore;
import io.netready.web.PageContext;
import io.netready.web.Pages;
import io.netready.web.PortalUrls;
import io.quarkus.oidc.OidcConfigurationMetadata;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * {@code /logout}: signing out is a form (POST, with the session's CSRF token, checked by security/CsrfFilter), so a
 * link or an image on another site cannot sign anyone out. It ends the session on the server at once (its row is
 * deleted: the cookie, saved or not, signs nobody in again), removes the cookie and sends the browser to the
 * provider's end-session endpoint, which returns it to {@code /signed-out}. A GET shows the form.
 */
@Path("/logout")
public class SignOutPage {

    @Inject
    Pages pages;

    @Inject
    CurrentUser user;

    @Inject
    CurrentSession session;

    @Inject
    SessionStore sessions;

    @Inject
    AuditLog audit;

    @Inject
    PortalUrls urls;

    @Inject
    Instance<OidcConfigurationMetadata> metadata;

    @ConfigProperty(name = "quarkus.oidc.client-id")
    String clientId;

    @ConfigProperty(name = "quarkus.oidc.authentication.cookie-force-secure", defaultValue = "false")
    boolean secureCookies;

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance confirm(PageContext ctx);
    }

    @GET
    public TemplateInstance confirm() {
        return Templates.confirm(pages.context("Sign out"));
    }

    @POST
    public Response signOut() {
        String idToken = session.idToken();
        String handle = session.handle();
        if (handle != null && sessions.end(handle)) {
            audit.record(user.name(), AuditAction.LOGOUT, null, null, null, String.join(",", user.roles()));
        }
        return Response.seeOther(endSession(idToken))
                .header("Set-Cookie", SessionCookie.NAME + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax"
                        + (secureCookies ? "; Secure" : ""))
                .header("Cache-Control", "no-store").build();
    }

    /** The provider's end-session endpoint (RP-initiated logout), back to /signed-out; /signed-out without one. */
    private URI endSession(String idToken) {
        String back = urls.base() + "/signed-out";
        Optional<String> endpoint = metadata.isResolvable()
                ? Optional.ofNullable(metadata.get().getEndSessionUri()).filter(s -> !s.isBlank())
                : Optional.empty();
        if (endpoint.isEmpty()) {
            return URI.create(back);
        }
        StringBuilder uri = new StringBuilder(endpoint.get()).append(endpoint.get().contains("?") ? '&' : '?')
                .append("post_logout_redirect_uri=").append(encode(back)).append("&client_id=").append(encode(clientId));
        if (idToken != null) {
            uri.append("&id_token_hint=").append(encode(idToken));
        }
        return URI.create(uri.toString());
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
