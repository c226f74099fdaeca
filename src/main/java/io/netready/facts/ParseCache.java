package io.netready.facts;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import io.netready.report.ReportSection;

/**
 * Parsed firewall dumps by section content hash. A fleet's nodes carry the same kube-proxy rules, and a node's rules
 * rarely change between runs: the large sections are parsed once, not on every upload. Bounded (least recently
 * used entries go), and safe to share: parsed facts are immutable.
 */
final class ParseCache {

    private static final int ENTRIES = 256;

    private static final Map<String, Object> CACHE = new LinkedHashMap<>(ENTRIES * 2, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Object> eldest) {
            return size() > ENTRIES;
        }
    };

    private ParseCache() {
    }

    /** The parser's result for this section's content, from the cache when the same bytes were parsed before. */
    @SuppressWarnings("unchecked")
    static <T> T get(String kind, ReportSection section, Function<String, T> parser) {
        String key = kind + ":" + section.contentHashHex();
        synchronized (CACHE) {
            Object cached = CACHE.get(key);
            if (cached != null) {
                return (T) cached;
            }
        }
        T parsed = parser.apply(section.text());
        synchronized (CACHE) {
            CACHE.put(key, parsed);
        }
        return parsed;
    }
}
