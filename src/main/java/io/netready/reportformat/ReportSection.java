package io.netready.reportformat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One named section of a report: the command or file it came from, how that went, and its raw bytes.
 *
 * @param status ok, error, missing, denied, absent or timeout (see the README's report format)
 * @param bytes size of the full output on the node; larger than {@code output} when {@code truncated}
 */
public record ReportSection(String name, String source, String status, int exitCode, byte[] output, byte[] stderr,
        long bytes, boolean truncated, byte[] contentHash) {

    public static final String OK = "ok";

    /** A section with its content hash, computed once here (or given by {@link RecentPayloads}, which computed it). */
    public static ReportSection of(String name, String source, String status, int exitCode, byte[] output, byte[] stderr,
            long bytes, boolean truncated) {
        return new ReportSection(name, source, status, exitCode, output, stderr, bytes, truncated,
                hash(source, status, exitCode, output, stderr, bytes, truncated));
    }

    /** SHA-256 over every field but the name: equal content is stored once, whatever section it came from. */
    static byte[] hash(String source, String status, int exitCode, byte[] output, byte[] stderr, long bytes,
            boolean truncated) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            updateString(digest, source);
            updateString(digest, status);
            digest.update(ByteBuffer.allocate(17).putInt(exitCode).putLong(bytes).put((byte) (truncated ? 1 : 0)).array());
            updateBytes(digest, output);
            updateBytes(digest, stderr);
            return digest.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    public String contentHashHex() {
        return HexFormat.of().formatHex(contentHash);
    }

    public boolean isOk() {
        return OK.equals(status);
    }

    /** The output as text; bytes that are not UTF-8 become U+FFFD. */
    public String text() {
        return new String(output, StandardCharsets.UTF_8);
    }

    private static void updateString(MessageDigest digest, String value) {
        updateBytes(digest, value.getBytes(StandardCharsets.UTF_8));
    }

    private static void updateBytes(MessageDigest digest, byte[] value) {
        digest.update(ByteBuffer.allocate(4).putInt(value.length).array());
        digest.update(value);
    }
}
