package io.netready.reportformat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * Large payloads are reused only for the same text, however the input is split into reads; any other text, even one
 * that starts the same or is a prefix of a remembered one, is decoded on its own.
 */
class RecentPayloadsTest {

    private final RecentPayloads payloads = new RecentPayloads(32L * 1024 * 1024);

    @Test
    void theSameTextIsDecodedOnceWhateverItsReads() throws IOException {
        byte[] data = random(1, 300_000);
        String text = Base64.getEncoder().encodeToString(data);

        byte[] first = read(text, 65_536);
        byte[] again = read(text, 1_000);
        byte[] once = read(text, 7);

        assertArrayEquals(data, first);
        assertSame(first, again);
        assertSame(first, once);
    }

    @Test
    void anotherTextWithTheSameStartIsDecodedOnItsOwn() throws IOException {
        byte[] data = random(2, 100_000);
        String text = Base64.getEncoder().encodeToString(data);
        read(text, 4096);

        for (int at : new int[] { 60, data.length / 2, data.length - 1 }) {
            byte[] changed = data.clone();
            changed[at] ^= 1;
            assertArrayEquals(changed, read(Base64.getEncoder().encodeToString(changed), 4096), "changed at " + at);
        }
        byte[] shorter = java.util.Arrays.copyOf(data, 90_000);
        assertArrayEquals(shorter, read(Base64.getEncoder().encodeToString(shorter), 4096), "a prefix");
        byte[] longer = java.util.Arrays.copyOf(data, 110_000);
        assertArrayEquals(longer, read(Base64.getEncoder().encodeToString(longer), 4096), "longer");
        assertArrayEquals(data, read(text, 3000));
    }

    @Test
    void escapesAndLineBreaksDecodeButAreNotRemembered() throws IOException {
        byte[] data = random(3, 60_000);
        String text = Base64.getEncoder().encodeToString(data);
        String escaped = text.substring(0, 40_000) + "\\n" + text.substring(40_000).replace("/", "\\/");
        byte[] first = read(escaped, 4096);
        assertArrayEquals(data, first);
        assertNotSame(first, read(escaped, 4096));
        assertArrayEquals(data, read(text, 4096));
    }

    @Test
    void shortTextIsDecodedEveryTime() throws IOException {
        String text = Base64.getEncoder().encodeToString(random(4, 3000));
        assertNotSame(read(text, 100), read(text, 100));
    }

    @Test
    void invalidTextIsRefusedEvenWhenItStartsAsARememberedOne() throws IOException {
        String text = Base64.getEncoder().encodeToString(random(5, 30_000));
        read(text, 8192);
        char[] bad = text.toCharArray();
        bad[bad.length / 2] = '*';
        assertThrows(IllegalArgumentException.class, () -> read(new String(bad), 8192));
        assertThrows(IllegalArgumentException.class, () -> read(text + "A", 8192));
    }

    @Test
    void theContentHashOfASharedPayloadIsComputedOnceAndRightForEveryOtherField() throws IOException {
        byte[] data = read(Base64.getEncoder().encodeToString(random(6, 50_000)), 4096);
        byte[] hash = payloads.contentHash("iptables-save", "ok", 0, data, new byte[0], data.length, false);
        assertSame(hash, payloads.contentHash("iptables-save", "ok", 0, data, new byte[0], data.length, false));
        assertArrayEquals(ReportSection.hash("iptables-nft-save", "ok", 0, data, new byte[0], data.length, false),
                payloads.contentHash("iptables-nft-save", "ok", 0, data, new byte[0], data.length, false));
        assertArrayEquals(ReportSection.hash("iptables-save", "ok", 0, data, new byte[0], data.length + 1, true),
                payloads.contentHash("iptables-save", "ok", 0, data, new byte[0], data.length + 1, true));
    }

    /** The payload of {"output": text}, read from input that arrives {@code chunk} bytes at a time. */
    private byte[] read(String text, int chunk) throws IOException {
        byte[] json = ("{\"output\":\"" + text + "\"}").getBytes(StandardCharsets.US_ASCII);
        JsonBytes reader = new JsonBytes(JsonBytesTest.trickle(json, chunk));
        reader.next();
        reader.next();
        reader.next();
        byte[] bytes = payloads.read(reader);
        reader.next();
        return bytes;
    }

    private static byte[] random(long seed, int size) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }
}
