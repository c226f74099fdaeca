package io.netready.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Random values handed out once (upload tokens, session handles, the token page's one-view handle) and the hashes the
 * database keeps of them instead.
 */
public final class Secrets {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** Characters of a 32-byte value in unpadded base64url. */
    public static final int URL_SAFE_32_LENGTH = 43;

    private Secrets() {
    }

    public static byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /** {@code count} random bytes as unpadded base64url: safe in a cookie, a URL and a shell word. */
    public static String randomUrlSafe(int count) {
        return urlSafe(randomBytes(count));
    }

    public static String urlSafe(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Whether {@code value} can be a 32-byte value made by {@link #randomUrlSafe} (so it is worth looking up). */
    public static boolean isUrlSafe32(String value) {
        return value != null && value.length() == URL_SAFE_32_LENGTH && value.chars().allMatch(c -> (c >= 'A' && c <= 'Z')
                || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_');
    }

    public static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
