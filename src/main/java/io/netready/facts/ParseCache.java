package io.netready.facts;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import io.netready.report.ReportSection;

/**
 * Parsed firewall dumps by section content hash. A fleet's nodes carry the same kube-proxy rules, and a node's rules
 * rarely change between runs: the large sections are parsed once, not on every upload. Bounded by the size of the
 * sections it holds (least recently used ones go first), so a burst of 20,000-rule reports cannot fill the heap;
 * parsed facts are immutable and shared.
 */
final class ParseCache {

    /** The most section bytes whose parses are kept. */
    static final long BUDGET = 32L * 1024 * 1024;

    private static final Map<String, Entry> CACHE = new LinkedHashMap<>(64, 0.75f, true);
    private static long held;

    private record Entry(Object parsed, long weight) {
    }

    private ParseCache() {
    }

    /** The parser's result for this section's content, from the cache when the same bytes were parsed before. */
    @SuppressWarnings("unchecked")
    static <T> T get(String kind, ReportSection section, Function<String, T> parser) {
        String key = kind + ":" + section.contentHashHex();
        synchronized (CACHE) {
            Entry cached = CACHE.get(key);
            if (cached != null) {
                return (T) cached.parsed();
            }
        }
        T parsed = parser.apply(section.text());
        long weight = section.output().length;
        if (weight <= BUDGET / 4) {
            synchronized (CACHE) {
                if (CACHE.putIfAbsent(key, new Entry(parsed, weight)) == null) {
                    held += weight;
                    Iterator<Entry> oldest = CACHE.values().iterator();
                    while (held > BUDGET && oldest.hasNext()) {
                        held -= oldest.next().weight();
                        oldest.remove();
                    }
                }
            }
        }
        return parsed;
    }
}
