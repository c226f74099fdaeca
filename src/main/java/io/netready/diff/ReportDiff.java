package io.netready.diff;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

import io.netready.rules.Finding;

/**
 * What changed between two reports: per fact group the lines added and removed, and the findings that newly fail,
 * were fixed, or still fail.
 */
public record ReportDiff(List<GroupDiff> facts, List<Finding> newlyFailing, List<Finding> fixed, List<Finding> stillFailing) {

    /** One fact group's change. */
    public record GroupDiff(String group, List<String> added, List<String> removed) {

        public boolean isEmpty() {
            return added.isEmpty() && removed.isEmpty();
        }
    }

    public static ReportDiff between(Map<String, SortedSet<String>> fromFacts, List<Finding> fromFindings,
            Map<String, SortedSet<String>> toFacts, List<Finding> toFindings) {
        List<GroupDiff> groups = new ArrayList<>();
        for (String group : toFacts.keySet()) {
            SortedSet<String> before = fromFacts.getOrDefault(group, new TreeSet<>());
            SortedSet<String> after = toFacts.get(group);
            List<String> added = after.stream().filter(line -> !before.contains(line)).toList();
            List<String> removed = before.stream().filter(line -> !after.contains(line)).toList();
            groups.add(new GroupDiff(group, added, removed));
        }
        Map<String, Finding> before = problems(fromFindings);
        Map<String, Finding> after = problems(toFindings);
        List<Finding> newly = after.values().stream().filter(f -> !before.containsKey(f.rule())).toList();
        List<Finding> still = after.values().stream().filter(f -> before.containsKey(f.rule())).toList();
        List<Finding> fixed = before.values().stream().filter(f -> !after.containsKey(f.rule())).toList();
        return new ReportDiff(groups, newly, fixed, still);
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
