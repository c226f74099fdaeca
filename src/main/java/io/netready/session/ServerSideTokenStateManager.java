package io.netready.session;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkus.oidc.AuthorizationCodeTokens;
import io.quarkus.oidc.OidcRequestContext;
import io.quarkus.oidc.OidcTenantConfig;
import io.quarkus.oidc.TokenStateManager;
import io.quarkus.oidc.common.runtime.OidcCommonUtils;
import io.quarkus.security.AuthenticationFailedException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Replaces the OIDC extension's default, which puts the tokens themselves in the (encrypted) session cookie: here the
 * tokens stay in the database ({@link SessionStore}) and the cookie holds a random handle, so a session ends on the
 * server when its user signs out, an admin revokes it or it runs past its bounds, whatever cookie is sent again.
 *
 * <p>The session is usually looked up before the security layer runs (session/web/SessionGate, which answers 503
 * itself when the database is down); this reads what it found. A session that is gone fails the authentication, and
 * the extension removes the cookie and sends the browser to sign in again.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class ServerSideTokenStateManager implements TokenStateManager {

    private static final Logger LOG = Logger.getLogger(ServerSideTokenStateManager.class);

    @Inject
    SessionStore sessions;

    @Override
    public Uni<String> createTokenState(RoutingContext ctx, OidcTenantConfig oidcConfig, AuthorizationCodeTokens tokens,
            OidcRequestContext<String> requestContext) {
        SessionCookie.Lookup current = ctx.get(SessionCookie.LOOKUP);
        String address = ctx.request().remoteAddress() == null ? null : ctx.request().remoteAddress().hostAddress();
        return requestContext.runBlocking(() -> {
            // A live session's tokens were refreshed: same handle, same start. Otherwise a sign-in: a new session.
            if (current != null && current.open() != null && sessions.refresh(current.handle(), tokens.getIdToken(),
                    tokens.getAccessToken(), tokens.getRefreshToken())) {
                return current.handle();
            }
            return sessions.start(user(tokens.getIdToken()), tokens.getIdToken(), tokens.getAccessToken(),
                    tokens.getRefreshToken(), address);
        });
    }

    @Override
    public Uni<AuthorizationCodeTokens> getTokens(RoutingContext ctx, OidcTenantConfig oidcConfig, String tokenState,
            OidcRequestContext<AuthorizationCodeTokens> requestContext) {
        SessionCookie.Lookup looked = ctx.get(SessionCookie.LOOKUP);
        if (looked != null && looked.handle().equals(tokenState)) {
            return looked.open() == null ? Uni.createFrom().failure(ended())
                    : Uni.createFrom().item(tokens(looked.open()));
        }
        return requestContext.runBlocking(() -> sessions.open(tokenState).map(ServerSideTokenStateManager::tokens)
                .orElseThrow(ServerSideTokenStateManager::ended));
    }

    @Override
    public Uni<Void> deleteTokens(RoutingContext ctx, OidcTenantConfig oidcConfig, String tokenState,
            OidcRequestContext<Void> requestContext) {
        return requestContext.runBlocking(() -> {
            sessions.end(tokenState);
            return null;
        }).onFailure().recoverWithItem(e -> {
            LOG.debugf("Ending a session failed: %s", e.getMessage());
            return null;
        });
    }

    private static AuthorizationCodeTokens tokens(SessionStore.Open open) {
        return new AuthorizationCodeTokens(open.idToken(), open.accessToken(), open.refreshToken());
    }

    private static AuthenticationFailedException ended() {
        return new AuthenticationFailedException("The session has ended (signed out, revoked, idle or too long)");
    }

    /** The ID token's user name, as CurrentUser reads it: the provider has just issued it, and the extension checked it. */
    static String user(String idToken) {
        JsonObject claims = OidcCommonUtils.decodeJwtContent(idToken);
        for (String claim : new String[] { "preferred_username", "upn", "sub" }) {
            String value = claims == null ? null : claims.getString(claim);
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return "(unknown)";
    }
}
