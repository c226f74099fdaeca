package io.netready.report;

import java.util.Arrays;
import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Large base64 payloads seen recently, with their decoded bytes and content hash: a fleet's nodes upload the same
 * firewall dumps hour after hour, and node after node, so most large payloads were decoded and hashed before. A payload
 * is reused only when its encoded text is equal, character for character, to the one remembered (the lookup key is a
 * cheap fingerprint; equality is always checked in full), so a crafted payload can cost a comparison, never a wrong
 * answer. Bounded by a memory budget; the decoded arrays it hands out are shared and never written to.
 */
final class RecentPayloads {

    /** Payloads shorter than this are decoded every time: remembering them costs more than it saves. */
    static final int MIN_CHARS = 16 * 1024;

    private static final int SAMPLES = 64;

    private final long budgetBytes;
    private final ConcurrentHashMap<Long, Entry> entries = new ConcurrentHashMap<>();
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

    /** The bytes of base64 text {@code chars[offset, offset + length)}; throws IllegalArgumentException if invalid. */
    byte[] decode(char[] chars, int offset, int length) {
        if (length < MIN_CHARS) {
            return Base64Chars.decode(chars, offset, length);
        }
        long key = fingerprint(chars, offset, length);
        Entry entry = entries.get(key);
        if (entry != null && entry.encoded.length == length
                && Arrays.equals(entry.encoded, 0, length, chars, offset, offset + length)) {
            return entry.decoded;
        }
        byte[] decoded = Base64Chars.decode(chars, offset, length);
        remember(key, new Entry(Arrays.copyOfRange(chars, offset, offset + length), decoded));
        return decoded;
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

    private synchronized void remember(long key, Entry entry) {
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

    /** Length, the first and last characters and evenly spread samples: cheap, and equal for equal text. */
    private static long fingerprint(char[] chars, int offset, int length) {
        long h = length;
        int step = Math.max(1, length / SAMPLES);
        for (int i = 0; i < length; i += step) {
            h = h * 31 + chars[offset + i];
        }
        for (int i = Math.max(0, length - 32); i < length; i++) {
            h = h * 31 + chars[offset + i];
        }
        return h;
    }
}
