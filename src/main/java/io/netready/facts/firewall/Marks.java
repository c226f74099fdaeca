package io.netready.facts.firewall;

import java.util.List;

/** Packet and conntrack marks: {@code --mark value[/mask]} matches and the MARK target's arithmetic. */
final class Marks {

    private static final long ALL = 0xffffffffL;

    private Marks() {
    }

    /** Applies MARK/CONNMARK options ("--set-xmark 0x8000/0x8000", "--or-mark 0x1", ...) in order. */
    static long apply(List<String> options, long mark) {
        long result = mark;
        for (String option : options) {
            int space = option.indexOf(' ');
            String name = space < 0 ? option : option.substring(0, space);
            String arg = space < 0 ? "" : option.substring(space + 1).strip();
            long[] vm = valueAndMask(arg);
            result = switch (name) {
                case "--set-xmark" -> (result & ~vm[1]) ^ vm[0];
                case "--set-mark" -> (result & ~vm[1]) | vm[0];
                case "--and-mark" -> result & vm[0];
                case "--or-mark" -> result | vm[0];
                case "--xor-mark" -> result ^ vm[0];
                default -> result;
            };
        }
        return result & ALL;
    }

    static long number(String text) {
        String t = text.strip().toLowerCase(java.util.Locale.ROOT);
        try {
            return t.startsWith("0x") ? Long.parseLong(t.substring(2), 16) & ALL : Long.parseLong(t) & ALL;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static long[] valueAndMask(String spec) {
        int slash = spec.indexOf('/');
        long value = number(slash < 0 ? spec : spec.substring(0, slash));
        long mask = slash < 0 ? ALL : number(spec.substring(slash + 1));
        return new long[] { value, mask };
    }
}
