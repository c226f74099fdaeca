package io.netready.facts.firewall;

import java.util.ArrayList;
import java.util.List;

/** Splits a dump's line into words as the shell and nft do: blanks separate, double quotes group, backslash escapes. */
final class Words {

    /** A word, and whether it was quoted (a quoted "-x" is a value, not an option). */
    record Word(String text, boolean quoted) {
    }

    private Words() {
    }

    static List<Word> split(String line) {
        List<Word> words = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean inWord = false;
        boolean quoted = false;
        boolean inQuotes = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (inQuotes) {
                if (c == '\\' && i + 1 < line.length()) {
                    current.append(line.charAt(++i));
                } else if (c == '"') {
                    inQuotes = false;
                } else {
                    current.append(c);
                }
            } else if (c == '"') {
                inQuotes = true;
                inWord = true;
                quoted = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(new Word(current.toString(), quoted));
                    current.setLength(0);
                    inWord = false;
                    quoted = false;
                }
            } else {
                current.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(new Word(current.toString(), quoted));
        }
        return words;
    }
}
