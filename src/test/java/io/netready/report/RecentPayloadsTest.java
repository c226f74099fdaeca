package io.netready.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.Base64;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * Large payloads are reused only for equal text, however the parser splits it into chunks; any other text of the same
 * length is decoded on its own.
 */
class RecentPayloadsTest {

    private final RecentPayloads payloads = new RecentPayloads(32L * 1024 * 1024);

    @Test
    void theSameTextIsDecodedOnceWhateverItsChunks() throws IOException {
        byte[] data = random(1, 300_000);
        char[] text = Base64.getEncoder().encodeToString(data).toCharArray();

        byte[] first = payloads.decode(text.length, chunked(text, 65_536));
        byte[] again = payloads.decode(text.length, chunked(text, 1_000));

        assertArrayEquals(data, first);
        assertSame(first, again);
    }

    @Test
    void anotherTextOfTheSameLengthIsDecodedOnItsOwn() throws IOException {
        byte[] data = random(2, 100_000);
        char[] text = Base64.getEncoder().encodeToString(data).toCharArray();
        payloads.decode(text.length, chunked(text, 4096));

        for (int at : new int[] { 0, text.length / 2, text.length - 5 }) {
            byte[] changed = data.clone();
            changed[at * 3 / 4] ^= 1;
            char[] other = Base64.getEncoder().encodeToString(changed).toCharArray();
            byte[] decoded = payloads.decode(other.length, chunked(other, 4096));
            assertArrayEquals(changed, decoded, "changed at " + at);
        }
        byte[] back = payloads.decode(text.length, chunked(text, 4096));
        assertArrayEquals(data, back);
    }

    @Test
    void shortTextIsDecodedEveryTime() throws IOException {
        char[] text = Base64.getEncoder().encodeToString(random(3, 3000)).toCharArray();
        assertNotSame(payloads.decode(text.length, chunked(text, 100)), payloads.decode(text.length, chunked(text, 100)));
    }

    @Test
    void invalidTextIsRefusedEvenWhenItsLengthIsKnown() throws IOException {
        char[] text = Base64.getEncoder().encodeToString(random(4, 30_000)).toCharArray();
        payloads.decode(text.length, chunked(text, 8192));
        char[] bad = text.clone();
        bad[bad.length / 2] = '*';
        assertThrows(IllegalArgumentException.class, () -> payloads.decode(bad.length, chunked(bad, 8192)));
    }

    private static RecentPayloads.Text chunked(char[] text, int chunk) {
        return out -> {
            for (int at = 0; at < text.length; at += chunk) {
                out.write(text, at, Math.min(chunk, text.length - at));
            }
        };
    }

    private static byte[] random(long seed, int size) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }
}
