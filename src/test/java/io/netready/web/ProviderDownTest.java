package io.netready.web;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.sql.SQLException;

import org.junit.jupiter.api.Test;

import io.quarkus.oidc.OIDCException;
import io.quarkus.security.AuthenticationCompletionException;
import io.quarkus.security.AuthenticationFailedException;

/** Which failures answer 503 (the sign-in provider is unreachable: retry later) rather than 500 or 401. */
class ProviderDownTest {

    @Test
    void aProviderThatCannotBeReachedIsUnavailable() {
        assertTrue(ProviderDown.isCause(new OIDCException("OIDC Server is not available",
                new RuntimeException("OIDC Server is not available"))));
        assertTrue(ProviderDown.isCause(new AuthenticationCompletionException(new ConnectException("Connection refused"))));
        assertTrue(ProviderDown.isCause(new AuthenticationFailedException(
                new OIDCException(new java.net.UnknownHostException("idp.example")))));
    }

    @Test
    void otherFailuresAreNot() {
        assertFalse(ProviderDown.isCause(new IllegalStateException("boom")));
        assertFalse(ProviderDown.isCause(new AuthenticationFailedException("invalid token")));
        assertFalse(ProviderDown.isCause(new OIDCException("Tenant configuration is invalid")));
        assertFalse(ProviderDown.isCause(new RuntimeException(new ConnectException("Connection refused"))),
                "a connection failure outside authentication is not the provider's (DatabaseDown decides)");
        assertFalse(ProviderDown.isCause(new AuthenticationFailedException(
                new SQLException("Connection refused", "08001", new ConnectException("Connection refused")))),
                "the database, met while authenticating");
    }
}
