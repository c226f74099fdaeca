package io.netready.diff;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The diff of an ordered group of lines (firewall rules): a longest common subsequence keeps what stayed in place;
 * what is left over is added, removed, or — where the same line is on both sides — moved. A set difference would hide a
 * DROP moved above an ACCEPT.
 */
final class OrderedDiff {

    /**
     * The largest table built (lines changed on one side times the other, after the common start and end are set
     * aside); beyond it the rules are compared as sets.
     */
    static final long MAX_CELLS = 4_000_000;

    private OrderedDiff() {
    }

    static ReportDiff.GroupDiff of(String group, List<String> before, List<String> after) {
        // Runs of a ruleset mostly differ in a few places: the common start and end stay in place.
        int start = 0;
        while (start < before.size() && start < after.size() && before.get(start).equals(after.get(start))) {
            start++;
        }
        int end = 0;
        while (end < before.size() - start && end < after.size() - start
                && before.get(before.size() - 1 - end).equals(after.get(after.size() - 1 - end))) {
            end++;
        }
        List<String> from = before.subList(start, before.size() - end);
        List<String> to = after.subList(start, after.size() - end);
        if ((long) from.size() * to.size() > MAX_CELLS) {
            return ReportDiff.setDiff(group, before, after);
        }
        boolean[][] kept = lcs(from, to);
        List<String> gone = new ArrayList<>();
        List<String> come = new ArrayList<>();
        for (int i = 0; i < from.size(); i++) {
            if (!kept[0][i]) {
                gone.add(from.get(i));
            }
        }
        for (int j = 0; j < to.size(); j++) {
            if (!kept[1][j]) {
                come.add(to.get(j));
            }
        }
        // A line that left one place and appears at another moved; the rest were added or removed.
        Map<String, Integer> left = new HashMap<>();
        gone.forEach(line -> left.merge(line, 1, Integer::sum));
        List<String> added = new ArrayList<>();
        List<String> moved = new ArrayList<>();
        for (String line : come) {
            if (left.getOrDefault(line, 0) > 0) {
                left.merge(line, -1, Integer::sum);
                moved.add(line + "  (now " + position(after, line) + ", was " + position(before, line) + ")");
            } else {
                added.add(line);
            }
        }
        List<String> removed = new ArrayList<>();
        for (String line : gone) {
            if (left.getOrDefault(line, 0) > 0) {
                left.merge(line, -1, Integer::sum);
                removed.add(line);
            }
        }
        return new ReportDiff.GroupDiff(group, List.copyOf(added), List.copyOf(removed), List.copyOf(moved));
    }

    /** Which lines of each side are in a longest common subsequence: [0] for {@code a}, [1] for {@code b}. */
    private static boolean[][] lcs(List<String> a, List<String> b) {
        int n = a.size();
        int m = b.size();
        int[][] length = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                length[i][j] = a.get(i).equals(b.get(j)) ? length[i + 1][j + 1] + 1
                        : Math.max(length[i + 1][j], length[i][j + 1]);
            }
        }
        boolean[][] kept = { new boolean[n], new boolean[m] };
        int i = 0;
        int j = 0;
        while (i < n && j < m) {
            if (a.get(i).equals(b.get(j))) {
                kept[0][i++] = true;
                kept[1][j++] = true;
            } else if (length[i + 1][j] >= length[i][j + 1]) {
                i++;
            } else {
                j++;
            }
        }
        return kept;
    }

    /** "rule 2 of iptables INPUT": the line's place among the lines of its chain (its first occurrence). */
    private static String position(List<String> lines, String line) {
        String chain = FactLines.chainOf(line);
        int n = 0;
        for (String other : lines) {
            if (chain == null || chain.equals(FactLines.chainOf(other))) {
                n++;
            }
            if (other.equals(line)) {
                break;
            }
        }
        return "rule " + n + (chain == null ? "" : " of " + chain);
    }
}
