package io.netready.facts;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The distribution as /etc/os-release names it: ID, ID_LIKE (space-separated) and PRETTY_NAME, quotes removed. */
public record OsRelease(String id, List<String> idLike, String prettyName) {

    public static OsRelease parse(String text) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            String l = line.strip();
            int eq = l.indexOf('=');
            if (l.startsWith("#") || eq <= 0) {
                continue;
            }
            String value = l.substring(eq + 1).strip();
            if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"") || value.startsWith("'") && value.endsWith("'"))) {
                value = value.substring(1, value.length() - 1);
            }
            values.put(l.substring(0, eq), value);
        }
        List<String> like = new ArrayList<>();
        for (String word : values.getOrDefault("ID_LIKE", "").toLowerCase(Locale.ROOT).split("\\s+")) {
            if (!word.isEmpty()) {
                like.add(word);
            }
        }
        return new OsRelease(values.getOrDefault("ID", "linux").toLowerCase(Locale.ROOT), List.copyOf(like),
                values.getOrDefault("PRETTY_NAME", values.getOrDefault("NAME", "Linux")));
    }

    /** ID first, then ID_LIKE in its order: how a tool picks the closest known distribution. */
    public List<String> family() {
        List<String> family = new ArrayList<>();
        family.add(id);
        family.addAll(idLike);
        return family;
    }
}
