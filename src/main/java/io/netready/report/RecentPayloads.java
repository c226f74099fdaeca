package io.netready.report;

import java.io.IOException;
import java.io.Writer;
import java.util.Arrays;
import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Large base64 payloads seen recently, with their decoded bytes and content hash: a fleet's nodes upload the same
 * firewall dumps hour after hour, and node after node, so most large payloads were decoded and hashed before. A payload
 * is reused only when its encoded text is equal, character for character, to the one remembered (the lookup key is its
 * length; equality is always checked in full), so a crafted payload can cost a comparison, never a wrong answer. One
 * payload is remembered per length: another one of the same length takes its place. Bounded by a memory budget; the
 * decoded arrays it hands out are shared and never written to.
 */
final class RecentPayloads {

    /** Payloads shorter than this are decoded every time: remembering them costs more than it saves. */
    static final int MIN_CHARS = 16 * 1024;

    private final long budgetBytes;
    private final ConcurrentHashMap<Integer, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicLong usedBytes = new AtomicLong();

    RecentPayloads(long budgetBytes) {
        this.budgetBytes = budgetBytes;
    }

    /**
     * A remembered payload: its text, its bytes, and the content hashes of the last few sections that carried it (two
     * sections can share one payload: {@code iptables-nft} sent as {@code sameAs: iptables}).
     */
    private static final class Entry {
        static final int HASHES = 4;
        final char[] encoded;
        final byte[] decoded;
        volatile HashedAs[] hashedAs = new HashedAs[0];

        Entry(char[] encoded, byte[] decoded) {
            this.encoded = encoded;
            this.decoded = decoded;
        }

        long size() {
            return 2L * encoded.length + decoded.length + 64;
        }
    }

    /** The fields of a section besides its output, and the content hash they made with the output. */
    private record HashedAs(String source, String status, int exitCode, byte[] stderr, long bytes, boolean truncated,
            byte[] hash) {

        boolean sameAs(String source, String status, int exitCode, byte[] stderr, long bytes, boolean truncated) {
            return this.source.equals(source) && this.status.equals(status) && this.exitCode == exitCode
                    && Arrays.equals(this.stderr, stderr) && this.bytes == bytes && this.truncated == truncated;
        }
    }

    /** A payload's text as the JSON parser holds it, perhaps in several chunks; it can be written out more than once. */
    interface Text {
        void writeTo(Writer out) throws IOException;
    }

    /**
     * The bytes of a base64 text of {@code length} characters; throws IllegalArgumentException if invalid. The text is
     * compared with the remembered one of the same length chunk by chunk, so a payload seen before is neither copied
     * into one array nor decoded again (a 330 kB dump would otherwise cost the heap two large arrays per upload).
     */
    byte[] decode(int length, Text text) throws IOException {
        Entry entry = length < MIN_CHARS ? null : entries.get(length);
        if (entry != null) {
            SameText same = new SameText(entry.encoded);
            text.writeTo(same);
            if (same.equal()) {
                return entry.decoded;
            }
        }
        char[] chars = new char[length];
        Collect collect = new Collect(chars);
        text.writeTo(collect);
        if (collect.written != length) {
            throw new IllegalStateException("the parser handed out " + collect.written + " of " + length + " characters");
        }
        byte[] decoded = Base64Chars.decode(chars, 0, length);
        if (length >= MIN_CHARS) {
            remember(length, new Entry(chars, decoded));
        }
        return decoded;
    }

    /** Compares the chunks written to it with a remembered text. */
    private static final class SameText extends Writer {
        private final char[] expected;
        private int position;
        private boolean equal = true;

        SameText(char[] expected) {
            this.expected = expected;
        }

        @Override
        public void write(char[] chunk, int offset, int length) {
            if (equal && (position + length > expected.length
                    || !Arrays.equals(expected, position, position + length, chunk, offset, offset + length))) {
                equal = false;
            }
            position += length;
        }

        boolean equal() {
            return equal && position == expected.length;
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

    /** Copies the chunks written to it into one array of the text's length. */
    private static final class Collect extends Writer {
        private final char[] into;
        private int written;

        Collect(char[] into) {
            this.into = into;
        }

        @Override
        public void write(char[] chunk, int offset, int length) {
            if (written + length <= into.length) {
                System.arraycopy(chunk, offset, into, written, length);
            }
            written += length;
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

    /**
     * The section's content hash: remembered when its output is a payload handed out here and the other fields are
     * those it was last hashed with, computed (and remembered) otherwise.
     */
    byte[] contentHash(String source, String status, int exitCode, byte[] output, byte[] stderr, long bytes,
            boolean truncated) {
        Entry entry = output.length < MIN_CHARS / 2 ? null : owner(output);
        if (entry != null) {
            for (HashedAs hashed : entry.hashedAs) {
                if (hashed.sameAs(source, status, exitCode, stderr, bytes, truncated)) {
                    return hashed.hash;
                }
            }
        }
        byte[] hash = ReportSection.hash(source, status, exitCode, output, stderr, bytes, truncated);
        if (entry != null) {
            HashedAs[] known = entry.hashedAs;
            HashedAs[] more = Arrays.copyOf(known, Math.min(known.length + 1, Entry.HASHES));
            System.arraycopy(known, 0, more, 1, more.length - 1);
            more[0] = new HashedAs(source, status, exitCode, stderr.clone(), bytes, truncated, hash);
            entry.hashedAs = more;
        }
        return hash;
    }

    /** The entry whose decoded bytes are this very array (identity, not equality), or null. */
    private Entry owner(byte[] output) {
        for (Entry entry : entries.values()) {
            if (entry.decoded == output) {
                return entry;
            }
        }
        return null;
    }

    private synchronized void remember(int key, Entry entry) {
        if (entry.size() > budgetBytes / 4) {
            return;
        }
        Entry replaced = entries.put(key, entry);
        long used = usedBytes.addAndGet(entry.size() - (replaced == null ? 0 : replaced.size()));
        // Over budget: forget arbitrary entries until under it (the hot ones come back on their next upload).
        for (Iterator<Entry> it = entries.values().iterator(); used > budgetBytes && it.hasNext();) {
            Entry evicted = it.next();
            if (evicted != entry) {
                it.remove();
                used = usedBytes.addAndGet(-evicted.size());
            }
        }
    }
}
