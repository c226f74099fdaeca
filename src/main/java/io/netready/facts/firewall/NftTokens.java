package io.netready.facts.firewall;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits an nft rule into tokens: words (quoted strings keep their quotes, so an interface name stays one token), and
 * the braces and commas of sets as tokens of their own. A flag group {@code (fin | syn)} becomes one word, and so does a
 * flag list outside braces ({@code established,related}).
 */
final class NftTokens {

    private NftTokens() {
    }

    static List<String> split(String line) {
        StringBuilder grouped = new StringBuilder();
        int depth = 0;
        for (char c : line.toCharArray()) {
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            }
            if (depth > 0 && c == ' ') {
                continue;
            }
            grouped.append(c);
        }
        List<String> tokens = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean inQuotes = false;
        int braces = 0;
        String s = grouped.toString();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (inQuotes) {
                current.append(c);
                if (c == '"') {
                    inQuotes = false;
                }
            } else if (c == '"') {
                current.append(c);
                inQuotes = true;
            } else if (Character.isWhitespace(c)) {
                flush(tokens, current);
            } else if (c == '{' || c == '}' || (c == ',' && braces > 0)) {
                // outside braces a comma joins flags: established,related
                flush(tokens, current);
                tokens.add(String.valueOf(c));
                braces += c == '{' ? 1 : c == '}' ? -1 : 0;
            } else {
                current.append(c);
            }
        }
        flush(tokens, current);
        return tokens;
    }

    private static void flush(List<String> tokens, StringBuilder current) {
        if (!current.isEmpty()) {
            tokens.add(current.toString());
            current.setLength(0);
        }
    }
}
