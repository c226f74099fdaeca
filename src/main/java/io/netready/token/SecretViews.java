package io.netready.token;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.agroal.api.AgroalDataSource;
import io.netready.crypto.Secrets;

/**
 * The one view of a new token's secret, on the page the token form redirects to: a random handle goes to the browser
 * in the redirect; the database keeps the handle's hash and the secret sealed with a key derived from the handle, for
 * {@link #LIFETIME}, for the admin who issued the token. Taking the secret deletes its row, so a reload, the back
 * button or a bookmark of that page shows it no more; any portal instance answers (table {@code token_secret_view}).
 */
@ApplicationScoped
public class SecretViews {

    /** How long the redirect's handle shows the secret, if nobody opened it. */
    public static final Duration LIFETIME = Duration.ofMinutes(5);

    private static final int IV_BYTES = 12;

    @Inject
    AgroalDataSource dataSource;

    /** Keeps the secret for one view by {@code viewer}, in the caller's transaction; returns the handle. */
    String keep(long tokenId, String secret, String viewer) {
        String handle = Secrets.randomUrlSafe(32);
        try (Connection connection = dataSource.getConnection()) {
            try (PreparedStatement expired = connection.prepareStatement(
                    "DELETE FROM token_secret_view WHERE expires_at < now()")) {
                expired.executeUpdate();
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO token_secret_view (handle_hash, token_id, viewer, sealed, expires_at) VALUES (?, ?, ?, ?, ?)")) {
                insert.setBytes(1, id(handle));
                insert.setLong(2, tokenId);
                insert.setString(3, viewer);
                insert.setBytes(4, seal(handle, tokenId, secret));
                insert.setTimestamp(5, Timestamp.from(Instant.now().plus(LIFETIME)));
                insert.executeUpdate();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Keeping the view of token " + tokenId + "'s secret failed", e);
        }
        return handle;
    }

    /**
     * The secret behind the handle, once: the row is deleted whether it is still good or expired. Empty when the
     * handle was used, expired, is not this token's or not this viewer's (then the row stays for its viewer).
     */
    public Optional<String> takeOnce(long tokenId, String handle, String viewer) {
        if (handle == null || !Secrets.isUrlSafe32(handle)) {
            return Optional.empty();
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement take = connection.prepareStatement("""
                        DELETE FROM token_secret_view WHERE handle_hash = ? AND token_id = ? AND viewer = ?
                        RETURNING sealed, expires_at > now()""")) {
            take.setBytes(1, id(handle));
            take.setLong(2, tokenId);
            take.setString(3, viewer);
            try (ResultSet row = take.executeQuery()) {
                if (!row.next() || !row.getBoolean(2)) {
                    return Optional.empty();
                }
                return Optional.of(open(handle, tokenId, row.getBytes(1)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Reading the view of token " + tokenId + "'s secret failed", e);
        }
    }

    private static byte[] id(String handle) {
        return Secrets.sha256("netready token secret view id\0" + handle);
    }

    private static SecretKeySpec key(String handle) {
        return new SecretKeySpec(Secrets.sha256("netready token secret view key\0" + handle), "AES");
    }

    private static byte[] aad(long tokenId) {
        return ByteBuffer.allocate(Long.BYTES).putLong(tokenId).array();
    }

    private static byte[] seal(String handle, long tokenId, String secret) {
        byte[] iv = Secrets.randomBytes(IV_BYTES);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key(handle), new GCMParameterSpec(128, iv));
            cipher.updateAAD(aad(tokenId));
            byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.allocate(IV_BYTES + sealed.length).put(iv).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    private static String open(String handle, long tokenId, byte[] sealed) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key(handle), new GCMParameterSpec(128, sealed, 0, IV_BYTES));
            cipher.updateAAD(aad(tokenId));
            return new String(cipher.doFinal(Arrays.copyOfRange(sealed, IV_BYTES, sealed.length)), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The sealed secret of token " + tokenId + " does not open with its handle", e);
        }
    }
}
