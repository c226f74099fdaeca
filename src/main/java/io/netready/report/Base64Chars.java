package io.netready.report;

import java.util.Arrays;

/**
 * Decodes standard base64 straight from a char buffer (the JSON parser's), faster than decoding through strings or
 * Jackson's byte-at-a-time reader. Line breaks are skipped; any other character outside the alphabet, or a bad
 * length or padding, is an error that names the offset.
 */
final class Base64Chars {

    private static final byte[] VALUES = new byte[128];

    static {
        Arrays.fill(VALUES, (byte) -1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < alphabet.length(); i++) {
            VALUES[alphabet.charAt(i)] = (byte) i;
        }
    }

    private Base64Chars() {
    }

    static byte[] decode(char[] chars, int offset, int length) {
        byte[] out = new byte[length / 4 * 3 + 3];
        int written = 0;
        int bits = 0;
        int count = 0;
        int padding = 0;
        int end = offset + length;
        int i = offset;
        // Fast path: whole groups of four plain alphabet characters, as the probe sends them.
        while (i + 4 <= end) {
            char c0 = chars[i];
            char c1 = chars[i + 1];
            char c2 = chars[i + 2];
            char c3 = chars[i + 3];
            if (((c0 | c1 | c2 | c3) & ~0x7F) != 0) {
                break;
            }
            int v0 = VALUES[c0];
            int v1 = VALUES[c1];
            int v2 = VALUES[c2];
            int v3 = VALUES[c3];
            if ((v0 | v1 | v2 | v3) < 0) {
                break;
            }
            int group = v0 << 18 | v1 << 12 | v2 << 6 | v3;
            out[written] = (byte) (group >> 16);
            out[written + 1] = (byte) (group >> 8);
            out[written + 2] = (byte) group;
            written += 3;
            i += 4;
        }
        // The rest, one character at a time: line breaks, padding, and errors with their offset.
        for (; i < end; i++) {
            char c = chars[i];
            if (c == '\n' || c == '\r') {
                continue;
            }
            if (c == '=') {
                padding++;
                continue;
            }
            int value = c < 128 ? VALUES[c] : -1;
            if (value < 0 || padding > 0) {
                throw new IllegalArgumentException("illegal character '" + (c < 32 || c > 126 ? "\\u" + (int) c : c)
                        + "' at offset " + (i - offset));
            }
            bits = bits << 6 | value;
            if (++count == 4) {
                out[written++] = (byte) (bits >> 16);
                out[written++] = (byte) (bits >> 8);
                out[written++] = (byte) bits;
                bits = 0;
                count = 0;
            }
        }
        if (count == 1 || padding > 2 || (padding > 0 && count + padding != 4)) {
            throw new IllegalArgumentException("the length or padding is wrong");
        }
        if (count == 2) {
            out[written++] = (byte) (bits >> 4);
        } else if (count == 3) {
            out[written++] = (byte) (bits >> 10);
            out[written++] = (byte) (bits >> 2);
        }
        return written == out.length ? out : Arrays.copyOf(out, written);
    }
}
