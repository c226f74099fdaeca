package io.netready.session;

import java.util.HexFormat;

import io.netready.crypto.Secrets;

/**
 * The session cookie's value: 32 random bytes, base64url. The database keeps only its SHA-256; what else is derived
 * from a handle (the forms' CSRF token) is a hash in another domain, so neither the table nor a page gives away a
 * handle.
 */
public final class SessionHandles {

    private SessionHandles() {
    }

    public static String newHandle() {
        return Secrets.randomUrlSafe(32);
    }

    /** The stored form of a handle: SHA-256, hex. */
    public static String hash(String handle) {
        return HexFormat.of().formatHex(Secrets.sha256("session\n" + handle));
    }

    /** The CSRF token of the forms of the session with this handle: changes with every sign-in, ends with the session. */
    public static String csrfToken(String handle) {
        return Secrets.urlSafe(Secrets.sha256("csrf\n" + handle));
    }

    /** Whether a cookie value can be a handle at all (43 base64url characters); anything else is never looked up. */
    public static boolean looksLikeHandle(String value) {
        return Secrets.isUrlSafe32(value);
    }
}
