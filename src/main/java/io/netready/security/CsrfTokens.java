package io.netready.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.LocalDate;
import java.util.Base64;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.netready.api.ProblemException;
import io.netready.config.NetreadyConfig;

/**
 * CSRF tokens for the pages' forms: an HMAC of the user's name and the day, so a token from another site or
 * another user never matches, and an old one stops working after a day.
 */
@ApplicationScoped
public class CsrfTokens {

    public static final String FORM_FIELD = "csrf";

    private final byte[] key;
    private final Clock clock;

    @Inject
    public CsrfTokens(NetreadyConfig config) {
        this.key = config.security().csrfSecret().filter(s -> !s.isBlank())
                .map(s -> s.getBytes(StandardCharsets.UTF_8))
                .orElseGet(CsrfTokens::randomKey);
        this.clock = Clock.systemUTC();
    }

    public String tokenFor(String user) {
        return sign(user, LocalDate.now(clock));
    }

    /** Accepts today's and yesterday's token of this user, so a form left open over midnight still works. */
    public void verify(String user, String token) {
        LocalDate today = LocalDate.now(clock);
        if (token == null || !(matches(sign(user, today), token) || matches(sign(user, today.minusDays(1)), token))) {
            throw ProblemException.forbidden("The form's CSRF token is missing or stale; reload the page and try again.");
        }
    }

    private String sign(String user, LocalDate day) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] digest = mac.doFinal((user + "\n" + day).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    private static boolean matches(String expected, String given) {
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] randomKey() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }
}
