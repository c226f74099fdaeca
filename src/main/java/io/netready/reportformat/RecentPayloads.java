package io.netready.reportformat;

import java.io.IOException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Large base64 payloads seen recently, with their decoded bytes and content hashes: a fleet's nodes upload the same
 * firewall dumps hour after hour, and node after node, so most large payloads were decoded and hashed before. A payload
 * whose text is the same, byte for byte, as a remembered one is answered with the remembered bytes: compared with it
 * as it streams in (and so neither scanned nor decoded); any other is decoded. The lookup key is a hash of the text's first
 * {@value JsonBytes#FIRST_RUN} bytes, and equality is always checked in full, so a crafted payload can cost a
 * comparison, never a wrong answer. One payload is remembered per key: another one takes its place. Bounded by a
 * memory budget; the decoded arrays it hands out are shared and never written to.
 */
final class RecentPayloads {

    /** Payloads shorter than this (as text) are decoded every time: remembering them costs more than it saves. */
    static final int MIN_TEXT = 16 * 1024;
    /** Scratch space kept per thread for decoding and for a payload's text; larger space goes after each use. */
    private static final int KEEP = 1024 * 1024;
    private static final ThreadLocal<byte[]> DECODED = ThreadLocal.withInitial(() -> new byte[64 * 1024]);
    private static final ThreadLocal<byte[]> TEXT = ThreadLocal.withInitial(() -> new byte[64 * 1024]);

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
        final byte[] text;
        final byte[] decoded;
        volatile HashedAs[] hashedAs = new HashedAs[0];

        Entry(byte[] text, byte[] decoded) {
            this.text = text;
            this.decoded = decoded;
        }

        long size() {
            return (long) text.length + decoded.length + 64;
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

    /**
     * The bytes of the base64 string {@code json} stands at: the remembered ones when the text is the same, decoded
     * otherwise. Throws IllegalArgumentException when the text is not base64 (the input cannot be read on then).
     */
    byte[] read(JsonBytes json) throws IOException {
        Reading reading = new Reading();
        try {
            json.string(reading);
            return reading.result();
        } finally {
            reading.release();
        }
    }

    private static int key(byte[] text, int from) {
        int hash = 1;
        for (int i = from; i < from + JsonBytes.FIRST_RUN; i++) {
            hash = 31 * hash + text[i];
        }
        return hash;
    }

    /**
     * One payload as it streams in: compared with the remembered text its first bytes point to for as long as it is the
     * same; from the first difference on (or with no such text), decoded, and its text kept to be remembered.
     */
    private final class Reading implements JsonBytes.StringParts {
        private boolean started;
        private boolean keyed;
        private int key;
        private Entry candidate;
        private int matched;
        private final Base64Stream decoder = new Base64Stream(DECODED.get());
        /** The plain text so far, to remember; null once the text has an escape (it could never be compared). */
        private byte[] text = TEXT.get();
        private int textLength;

        @Override
        public int known(byte[] bytes, int from, int to) {
            if (!started) {
                started = true;
                if (to - from >= JsonBytes.FIRST_RUN) {
                    keyed = true;
                    key = key(bytes, from);
                    candidate = entries.get(key);
                }
            }
            if (candidate == null) {
                return 0;
            }
            // Bytes equal to the remembered text are plain text: the reader takes them without scanning.
            int n = Math.min(to - from, candidate.text.length - matched);
            int differ = Arrays.mismatch(bytes, from, from + n, candidate.text, matched, matched + n);
            int same = differ < 0 ? n : differ;
            matched += same;
            return same;
        }

        @Override
        public void plain(byte[] bytes, int from, int to) {
            if (candidate != null) {
                differs();
            }
            decoder.feed(bytes, from, to);
            keep(bytes, from, to);
        }

        @Override
        public void character(int c) {
            if (candidate != null) {
                differs();
            }
            text = null;
            decoder.feed(c);
        }

        /** The text differs from the candidate's after {@code matched} bytes: decode (and keep) those, go on alone. */
        private void differs() {
            Entry entry = candidate;
            candidate = null;
            decoder.feed(entry.text, 0, matched);
            keep(entry.text, 0, matched);
        }

        private void keep(byte[] bytes, int from, int to) {
            if (text == null) {
                return;
            }
            int count = to - from;
            if (textLength + count > text.length) {
                text = Arrays.copyOf(text, Math.max(text.length * 2, textLength + count));
            }
            System.arraycopy(bytes, from, text, textLength, count);
            textLength += count;
        }

        byte[] result() {
            if (candidate != null) {
                if (matched == candidate.text.length) {
                    return candidate.decoded;
                }
                differs();
            }
            int length = decoder.finish();
            byte[] decoded = Arrays.copyOf(decoder.bytes(), length);
            if (keyed && text != null && textLength >= MIN_TEXT) {
                remember(key, new Entry(Arrays.copyOf(text, textLength), decoded));
            }
            return decoded;
        }

        /** Keeps the scratch arrays for the thread's next payload, unless they grew large. */
        void release() {
            byte[] room = decoder.bytes();
            if (room.length <= KEEP) {
                DECODED.set(room);
            } else {
                DECODED.remove();
            }
            if (text != null && text.length <= KEEP) {
                TEXT.set(text);
            } else if (text != null) {
                TEXT.remove();
            }
        }
    }

    /**
     * The section's content hash: remembered when its output is a payload handed out here and the other fields are
     * those it was last hashed with, computed (and remembered) otherwise.
     */
    byte[] contentHash(String source, String status, int exitCode, byte[] output, byte[] stderr, long bytes,
            boolean truncated) {
        Entry entry = output.length < MIN_TEXT / 2 ? null : owner(output);
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
