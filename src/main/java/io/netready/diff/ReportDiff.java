package io.netready.diff;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.netready.rules.Finding;

/**
 * What changed between two reports: per fact group the lines added and removed (and, where order matters, the lines
 * that moved), and the findings that newly fail, were fixed, or still fail.
 */
public record ReportDiff(List<GroupDiff> facts, List<Finding> newlyFailing, List<Finding> fixed, List<Finding> stillFailing) {

    /**
     * One fact group's change.
     *
     * @param moved lines of an ordered group (the firewall) that both reports hold, at another place among the rules
     *        of their chain: a DROP moved above an ACCEPT changes what the node lets in
     * @param changed keys of a keyed group (reachability) whose value changed: "10.0.2.7 10250: connected → timeout"
     */
    public record GroupDiff(String group, List<String> added, List<String> removed, List<String> moved,
            List<String> changed) {

        public GroupDiff(String group, List<String> added, List<String> removed, List<String> moved) {
            this(group, added, removed, moved, List.of());
        }

        public boolean isEmpty() {
            return added.isEmpty() && removed.isEmpty() && moved.isEmpty() && changed.isEmpty();
        }
    }

    /** Separates a changed line's old value from its new one. */
    public static final String CHANGED_TO = " → ";

    public static ReportDiff between(Map<String, List<String>> fromFacts, List<Finding> fromFindings,
            Map<String, List<String>> toFacts, List<Finding> toFindings) {
        List<GroupDiff> groups = new ArrayList<>();
        for (String group : toFacts.keySet()) {
            List<String> before = fromFacts.getOrDefault(group, List.of());
            List<String> after = toFacts.get(group);
            groups.add(FactLines.isOrdered(group) ? OrderedDiff.of(group, before, after)
                    : FactLines.isKeyed(group) ? keyedDiff(group, before, after) : setDiff(group, before, after));
        }
        Map<String, Finding> before = problems(fromFindings);
        Map<String, Finding> after = problems(toFindings);
        List<Finding> newly = after.values().stream().filter(f -> !before.containsKey(f.rule())).toList();
        List<Finding> still = after.values().stream().filter(f -> before.containsKey(f.rule())).toList();
        List<Finding> fixed = before.values().stream().filter(f -> !after.containsKey(f.rule())).toList();
        return new ReportDiff(groups, newly, fixed, still);
    }

    /** The lines only one side holds, as sets: where order does not matter. */
    static GroupDiff setDiff(String group, List<String> before, List<String> after) {
        Set<String> had = new HashSet<>(before);
        Set<String> has = new HashSet<>(after);
        return new GroupDiff(group, after.stream().filter(line -> !had.contains(line)).toList(),
                before.stream().filter(line -> !has.contains(line)).toList(), List.of());
    }

    /** "KEY: VALUE" lines: a key on both sides with another value is one changed line, not a removal and an addition. */
    static GroupDiff keyedDiff(String group, List<String> before, List<String> after) {
        Map<String, String> had = keyed(before);
        Map<String, String> has = keyed(after);
        List<String> added = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        has.forEach((key, value) -> {
            String old = had.get(key);
            if (old == null) {
                added.add(key + FactLines.KEY_END + value);
            } else if (!old.equals(value)) {
                changed.add(key + FactLines.KEY_END + old + CHANGED_TO + value);
            }
        });
        List<String> removed = new ArrayList<>();
        had.forEach((key, value) -> {
            if (!has.containsKey(key)) {
                removed.add(key + FactLines.KEY_END + value);
            }
        });
        return new GroupDiff(group, List.copyOf(added), List.copyOf(removed), List.of(), List.copyOf(changed));
    }

    private static Map<String, String> keyed(List<String> lines) {
        Map<String, String> keyed = new LinkedHashMap<>();
        for (String line : lines) {
            int end = line.lastIndexOf(FactLines.KEY_END);
            keyed.putIfAbsent(end < 0 ? line : line.substring(0, end), end < 0 ? "" : line.substring(end + FactLines.KEY_END.length()));
        }
        return keyed;
    }

    public boolean factsUnchanged() {
        return facts.stream().allMatch(GroupDiff::isEmpty);
    }

    private static Map<String, Finding> problems(List<Finding> findings) {
        Map<String, Finding> problems = new LinkedHashMap<>();
        findings.stream().filter(Finding::isFailOrWarn).forEach(f -> problems.put(f.rule(), f));
        return problems;
    }
}
