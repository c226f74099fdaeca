package io.netready.audit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.inject.Inject;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.oidc.SecurityEvent;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.ext.web.RoutingContext;

/** Records logins and logouts from the OIDC extension's security events (asynchronously, off the event loop). */
@ApplicationScoped
public class LoginAuditor {

    @Inject
    AuditLog audit;

    void onSecurityEvent(@ObservesAsync SecurityEvent event) {
        String action = switch (event.getEventType()) {
            case OIDC_LOGIN -> AuditAction.LOGIN;
            case OIDC_LOGOUT_RP_INITIATED, OIDC_BACKCHANNEL_LOGOUT_COMPLETED, OIDC_FRONTCHANNEL_LOGOUT_COMPLETED -> AuditAction.LOGOUT;
            default -> null;
        };
        SecurityIdentity identity = event.getSecurityIdentity();
        if (action == null || identity == null || identity.isAnonymous()) {
            return;
        }
        audit.recordFrom(address(identity), name(identity), action, null, null, null, String.join(",", identity.getRoles()));
    }

    private static String name(SecurityIdentity identity) {
        if (identity.getPrincipal() instanceof JsonWebToken jwt && jwt.getClaim("preferred_username") != null) {
            return jwt.getClaim("preferred_username").toString();
        }
        return identity.getPrincipal().getName();
    }

    private static String address(SecurityIdentity identity) {
        Object context = identity.getAttribute(RoutingContext.class.getName());
        if (context instanceof RoutingContext routing && routing.request().remoteAddress() != null) {
            return routing.request().remoteAddress().hostAddress();
        }
        return null;
    }
}
