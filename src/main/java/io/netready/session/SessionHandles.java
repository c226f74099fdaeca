package io.netready.session;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The session cookie's value: 32 random bytes, base64url. The database keeps only its SHA-256; what else is derived
 * from a handle (the forms' CSRF token) is a hash in another domain, so neither the table nor a page gives away a
 * handle.
 */
public final class SessionHandles {

    private static final SecureRandom RANDOM = new SecureRandom();

    private SessionHandles() {
    }

    public static String newHandle() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The stored form of a handle: SHA-256, hex. */
    public static String hash(String handle) {
        return HexFormat.of().formatHex(sha256("session\n" + handle));
    }

    /** The CSRF token of the forms of the session with this handle: changes with every sign-in, ends with the session. */
    public static String csrfToken(String handle) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(sha256("csrf\n" + handle));
    }

    /** Whether a cookie value can be a handle at all (43 base64url characters); anything else is never looked up. */
    public static boolean looksLikeHandle(String value) {
        return value != null && value.length() == 43 && value.chars().allMatch(c -> (c >= 'A' && c <= 'Z')
                || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_');
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
