package io.netready.support;

import java.util.Set;

import io.quarkus.test.oidc.server.OidcWiremockTestResource;

/**
 * Bearer tokens signed by the tests' OIDC server (WireMock), as an OIDC provider would issue them. Roles and teams
 * travel in the {@code groups} claim; teams carry the {@code team-} prefix (see application.properties).
 */
public final class Users {

    private Users() {
    }

    public static String token(String user, String... groups) {
        return OidcWiremockTestResource.getAccessToken(user, Set.of(groups));
    }

    /** An admin (of team platform; admins see every team's clusters anyway). */
    public static String admin() {
        return token("alice", "admin", "team-platform");
    }

    public static String viewer(String team) {
        return token("viewer-of-" + team, "viewer", "team-" + team);
    }

    /** Logged in, but with no netready role. */
    public static String outsider() {
        return token("mallory", "team-platform");
    }
}
