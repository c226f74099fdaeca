package io.netready.rules.node;

import java.util.List;

/** Lists in messages as people write them: "a", "a and b", "a, b and c". */
final class Words {

    private Words() {
    }

    static String list(List<String> items, String conjunction) {
        if (items.size() <= 1) {
            return String.join("", items);
        }
        return String.join(", ", items.subList(0, items.size() - 1)) + " " + conjunction + " " + items.get(items.size() - 1);
    }
}
