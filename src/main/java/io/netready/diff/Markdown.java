package io.netready.diff;

import java.util.Collection;

/**
 * Report values in Markdown, as literal text whatever they hold. A node chooses its hostname, interface and process
 * names; pasted into a change review, none of them may become a link, an image or HTML. Every value goes in a code
 * span (or a fenced block) whose backtick delimiter is longer than any backtick run in it, the CommonMark rule, so
 * nothing inside is read as Markdown; control characters, line breaks first, become visible control pictures, so a
 * value never ends its span, its list item or its block.
 */
final class Markdown {

    private Markdown() {
    }

    /** The value as an inline code span: {@code `eth0`}, {@code `` a`b ``}, {@code `` `x ``}. */
    static String code(String value) {
        String text = visible(value);
        String fence = "`".repeat(longestBacktickRun(text) + 1);
        // CommonMark strips one space from each end when both ends have one; a value that starts or ends with a
        // backtick needs a space between it and the delimiter. One space each side covers both.
        boolean pad = text.startsWith("`") || text.endsWith("`")
                || (text.length() > 1 && text.startsWith(" ") && text.endsWith(" ") && !text.isBlank());
        String inner = text.isEmpty() ? " " : pad ? " " + text + " " : text;
        return fence + inner + fence;
    }

    /** A fence for a code block holding {@code lines}: three backticks, or one more than the longest run inside. */
    static String fence(Collection<String> lines) {
        int longest = 0;
        for (String line : lines) {
            longest = Math.max(longest, longestBacktickRun(visible(line)));
        }
        return "`".repeat(Math.max(3, longest + 1));
    }

    /**
     * The value on one line, every control character shown as its Unicode control picture ({@code ␊} for a line feed,
     * {@code ␍}, {@code ␉}, {@code ␛}, {@code ␡}); C1 controls as {@code �}.
     */
    static String visible(String value) {
        StringBuilder out = new StringBuilder(value.length());
        value.codePoints().forEach(c -> {
            if (c < 0x20) {
                out.appendCodePoint(0x2400 + c);
            } else if (c == 0x7f) {
                out.appendCodePoint(0x2421);
            } else if (Character.isISOControl(c)) {
                out.appendCodePoint(0xfffd);
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }

    static int longestBacktickRun(String text) {
        int longest = 0;
        int run = 0;
        for (int i = 0; i < text.length(); i++) {
            run = text.charAt(i) == '`' ? run + 1 : 0;
            longest = Math.max(longest, run);
        }
        return longest;
    }
}
