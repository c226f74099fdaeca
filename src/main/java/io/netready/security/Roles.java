package io.netready.security;

/** The two netready roles, as they appear in the OIDC token. */
public final class Roles {

    /** Manages clusters, upload tokens and settings; sees every cluster. */
    public static final String ADMIN = "admin";

    /** Sees the clusters of their own teams. */
    public static final String VIEWER = "viewer";

    private Roles() {
    }
}
