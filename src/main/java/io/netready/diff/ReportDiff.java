package io.netready.diff;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.netready.rules.Finding;
import io.netready.rules.Status;

/**
 * What changed between two reports: the report's own fields (role, phase, the probe's uid and version, the rule
 * catalog that judged it), per fact group the lines added and removed (and, where order matters, the lines that moved),
 * and the findings that newly fail, were fixed, still fail, or are no longer checked.
 *
 * @param metadata the report fields that differ, in a fixed order
 * @param newlyNotChecked findings the second report skips (not checked: a non-root run, a missing section) that the
 *        first one judged pass, warn or fail, each with that earlier status; a fail that became a skip is here, not
 *        among the fixed
 */
public record ReportDiff(List<MetaChange> metadata, List<GroupDiff> facts, List<Finding> newlyFailing, List<Finding> fixed,
        List<Finding> stillFailing, List<NotChecked> newlyNotChecked) {

    /** One report field that differs: "uid", "0 (root)", "65534 (not root)". */
    public record MetaChange(String field, String from, String to) {
    }

    /** A finding the second report did not check, and what the first one said. */
    public record NotChecked(Finding finding, String before) {
    }

    /** The report fields a diff compares, in order, and how each is named. */
    public static final List<String> META_FIELDS = List.of("role", "phase", "uid", "probe version", "catalog version");

    /** The fields of one report for {@link #between}: field name (of {@link #META_FIELDS}) to value. */
    public static List<MetaChange> metadata(Map<String, String> from, Map<String, String> to) {
        List<MetaChange> changes = new ArrayList<>();
        for (String field : META_FIELDS) {
            String before = from.getOrDefault(field, "unknown");
            String after = to.getOrDefault(field, "unknown");
            if (!before.equals(after)) {
                changes.add(new MetaChange(field, before, after));
            }
        }
        return List.copyOf(changes);
    }

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
        return between(List.of(), fromFacts, fromFindings, toFacts, toFindings);
    }

    public static ReportDiff between(List<MetaChange> metadata, Map<String, List<String>> fromFacts,
            List<Finding> fromFindings, Map<String, List<String>> toFacts, List<Finding> toFindings) {
        List<GroupDiff> groups = new ArrayList<>();
        for (String group : toFacts.keySet()) {
            List<String> before = fromFacts.getOrDefault(group, List.of());
            List<String> after = toFacts.get(group);
            groups.add(FactLines.isOrdered(group) ? OrderedDiff.of(group, before, after)
                    : FactLines.isKeyed(group) ? keyedDiff(group, before, after)
                    : FactLines.LISTENERS.equals(group) ? listenerDiff(group, before, after) : setDiff(group, before, after));
        }
        Map<String, Finding> before = problems(fromFindings);
        Map<String, Finding> after = problems(toFindings);
        Map<String, Finding> skippedNow = new LinkedHashMap<>();
        toFindings.stream().filter(f -> f.status() == Status.SKIP).forEach(f -> skippedNow.put(f.rule(), f));
        List<NotChecked> notChecked = new ArrayList<>();
        for (Finding earlier : fromFindings) {
            Finding now = skippedNow.get(earlier.rule());
            if (now != null && earlier.status() != Status.SKIP) {
                notChecked.add(new NotChecked(now, earlier.status().word()));
            }
        }
        List<Finding> newly = after.values().stream().filter(f -> !before.containsKey(f.rule())).toList();
        List<Finding> still = after.values().stream().filter(f -> before.containsKey(f.rule())).toList();
        List<Finding> fixed = before.values().stream()
                .filter(f -> !after.containsKey(f.rule()) && !skippedNow.containsKey(f.rule())).toList();
        return new ReportDiff(metadata, groups, newly, fixed, still, List.copyOf(notChecked));
    }

    /**
     * Listeners as a set, keyed by "PROTOCOL ADDRESS:PORT": the same socket held by another process is one changed line
     * ("tcp 0.0.0.0:10250: kubelet → python3"), and one whose process only one of the runs could see (a probe not run as
     * root sees only its own processes' sockets) is the same listener, not a change.
     */
    static GroupDiff listenerDiff(String group, List<String> before, List<String> after) {
        Map<String, String> had = byListener(before);
        Map<String, String> has = byListener(after);
        List<String> added = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        has.forEach((key, process) -> {
            String old = had.get(key);
            if (old == null) {
                added.add(key + (process.isEmpty() ? "" : " " + process));
            } else if (!old.equals(process) && !old.isEmpty() && !process.isEmpty()) {
                changed.add(key + FactLines.KEY_END + old + CHANGED_TO + process);
            }
        });
        List<String> removed = new ArrayList<>();
        had.forEach((key, process) -> {
            if (!has.containsKey(key)) {
                removed.add(key + (process.isEmpty() ? "" : " " + process));
            }
        });
        return new GroupDiff(group, List.copyOf(added), List.copyOf(removed), List.of(), List.copyOf(changed));
    }

    /** "tcp 0.0.0.0:22 sshd" to "tcp 0.0.0.0:22" and "sshd" ("" where the run did not see the process). */
    private static Map<String, String> byListener(List<String> lines) {
        Map<String, String> keyed = new LinkedHashMap<>();
        for (String line : lines) {
            int protocolEnd = line.indexOf(' ');
            int end = protocolEnd < 0 ? -1 : line.indexOf(' ', protocolEnd + 1);
            String key = end < 0 ? line : line.substring(0, end);
            String process = end < 0 ? "" : line.substring(end + 1);
            keyed.merge(key, process, (a, b) -> a.isEmpty() ? b : a);
        }
        return keyed;
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
            // Keys (addresses and ports) hold no ": "; a value might.
            int end = line.indexOf(FactLines.KEY_END);
            keyed.putIfAbsent(end < 0 ? line : line.substring(0, end), end < 0 ? "" : line.substring(end + FactLines.KEY_END.length()));
        }
        return keyed;
    }

    /** Whether anything about the findings changed or still fails. */
    public boolean findingsQuiet() {
        return newlyFailing.isEmpty() && fixed.isEmpty() && stillFailing.isEmpty() && newlyNotChecked.isEmpty();
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
