package io.netready.web;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;

/**
 * Tells a sign-in provider (the OIDC server) that is down or unreachable from a bug: the first is a 503 to retry, the
 * second a 500. quarkus-oidc reports an unreachable provider as an {@code OIDCException} "OIDC Server is not available"
 * (discovery or keys at the first request, when it was down at start), or as an authentication failure caused by a
 * failed connection (the code-to-token exchange of a login).
 */
public final class ProviderDown {

    /** Seconds a client should wait before trying again. */
    public static final int RETRY_AFTER_SECONDS = 30;

    private ProviderDown() {
    }

    public static boolean isCause(Throwable error) {
        boolean oidc = false;
        boolean network = false;
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String type = t.getClass().getName();
            if (t instanceof SQLException) {
                // a connection the database refused, met while authenticating, is the database's outage
                return false;
            }
            if (type.equals("io.quarkus.oidc.OIDCException")) {
                if (String.valueOf(t.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("server is not available")) {
                    return true;
                }
                oidc = true;
            }
            if (type.startsWith("io.quarkus.security.Authentication")) {
                oidc = true;
            }
            network |= t instanceof ConnectException || t instanceof UnknownHostException
                    || t instanceof NoRouteToHostException || t instanceof SocketTimeoutException
                    || t instanceof java.util.concurrent.TimeoutException || type.equals("io.smallrye.mutiny.TimeoutException")
                    || type.equals("io.vertx.core.http.HttpClosedException");
        }
        return oidc && network;
    }
}
