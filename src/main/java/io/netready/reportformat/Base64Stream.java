package io.netready.reportformat;

import java.util.Arrays;

/**
 * Decodes standard base64 fed in pieces, into one growing array. Line breaks are skipped; any other character outside
 * the alphabet, or a bad length or padding, is an IllegalArgumentException that names the offset.
 */
final class Base64Stream {

    private static final byte[] VALUES = new byte[256];

    static {
        Arrays.fill(VALUES, (byte) -1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < alphabet.length(); i++) {
            VALUES[alphabet.charAt(i)] = (byte) i;
        }
    }

    private byte[] out;
    private int written;
    private int bits;
    private int count;
    private int padding;
    private long offset;

    /** Decodes into {@code room}, or into a larger copy once it is full. */
    Base64Stream(byte[] room) {
        this.out = room;
    }

    /** Feeds ASCII bytes {@code from} (inclusive) {@code to} (exclusive). */
    void feed(byte[] text, int from, int to) {
        int i = from;
        while (i < to && (count != 0 || padding != 0)) {
            feed(text[i++] & 0xFF);
        }
        // Fast path: whole groups of four alphabet characters, as the probe sends them.
        int start = i;
        int groups = (to - i) / 4;
        room(groups * 3);
        byte[] o = out;
        int w = written;
        int end = i + groups * 4;
        while (i < end) {
            int v0 = VALUES[text[i] & 0xFF];
            int v1 = VALUES[text[i + 1] & 0xFF];
            int v2 = VALUES[text[i + 2] & 0xFF];
            int v3 = VALUES[text[i + 3] & 0xFF];
            if ((v0 | v1 | v2 | v3) < 0) {
                break;
            }
            int group = v0 << 18 | v1 << 12 | v2 << 6 | v3;
            o[w] = (byte) (group >> 16);
            o[w + 1] = (byte) (group >> 8);
            o[w + 2] = (byte) group;
            w += 3;
            i += 4;
        }
        offset += i - start;
        written = w;
        // The rest one character at a time: line breaks, padding, errors and a partial group.
        for (; i < to; i++) {
            feed(text[i] & 0xFF);
        }
    }

    /** Feeds one character. */
    void feed(int c) {
        long at = offset++;
        if (c == '\n' || c == '\r') {
            return;
        }
        if (c == '=') {
            padding++;
            return;
        }
        int value = c < 256 ? VALUES[c] : -1;
        if (value < 0 || padding > 0) {
            throw new IllegalArgumentException("illegal character '" + (c < 32 || c > 126 ? "\\u" + c : (char) c)
                    + "' at offset " + at);
        }
        bits = bits << 6 | value;
        if (++count == 4) {
            room(3);
            out[written++] = (byte) (bits >> 16);
            out[written++] = (byte) (bits >> 8);
            out[written++] = (byte) bits;
            bits = 0;
            count = 0;
        }
    }

    /** Ends the text: checks its length and padding and writes the last partial group; returns the decoded length. */
    int finish() {
        if (count == 1 || padding > 2 || (padding > 0 && count + padding != 4)) {
            throw new IllegalArgumentException("the length or padding is wrong");
        }
        room(2);
        if (count == 2) {
            out[written++] = (byte) (bits >> 4);
        } else if (count == 3) {
            out[written++] = (byte) (bits >> 10);
            out[written++] = (byte) (bits >> 2);
        }
        count = 0;
        return written;
    }

    /** The array decoded into: its first {@link #finish()} bytes. */
    byte[] bytes() {
        return out;
    }

    private void room(int more) {
        if (written + more > out.length) {
            out = Arrays.copyOf(out, Math.max(out.length * 2, written + more));
        }
    }
}
