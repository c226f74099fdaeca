package io.netready.facts;

import java.util.function.Function;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.netready.reportformat.ReportSection;

/**
 * Parsed firewall dumps by section content hash. A fleet's nodes carry the same kube-proxy rules, and a node's rules
 * rarely change between runs: the large sections are parsed once, not on every upload. Bounded by the size of the
 * sections it holds (Caffeine evicts by weight, the least useful first), so a burst of 20,000-rule reports cannot fill
 * the heap; parsed facts are immutable and shared. Concurrent uploads of the same dump wait for one parse.
 */
final class ParseCache {

    /** The most section bytes whose parses are kept. */
    static final long BUDGET = 32L * 1024 * 1024;

    private record Key(String kind, String contentHash) {
    }

    private record Entry(Object parsed, int weight) {
    }

    private static final Cache<Key, Entry> CACHE = Caffeine.newBuilder().maximumWeight(BUDGET)
            .weigher((Key key, Entry entry) -> entry.weight()).build();

    private ParseCache() {
    }

    /** The parser's result for this section's content, from the cache when the same bytes were parsed before. */
    @SuppressWarnings("unchecked")
    static <T> T get(String kind, ReportSection section, Function<String, T> parser) {
        int weight = section.output().length;
        if (weight > BUDGET / 4) {
            // Too large to keep: one such dump would push out the parses most uploads share.
            return parser.apply(section.text());
        }
        return (T) CACHE.get(new Key(kind, section.contentHashHex()),
                key -> new Entry(parser.apply(section.text()), weight)).parsed();
    }
}
