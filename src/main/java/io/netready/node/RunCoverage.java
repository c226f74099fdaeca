package io.netready.node;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How much of the catalog a node's current run checked, who ran it, and — for a run not made as root — what the node's
 * last root run showed for the rules this one could not check.
 *
 * <p>The current run is the node's latest by collection time (the probe's {@code collectedAt}), not by receipt: a
 * report spooled on the node and sent a day later never replaces a newer run. So a later run as {@code nobody} is the
 * current report even where it could check less (iptables, nft and process names need root); it is not hidden, and
 * neither is what the complete run before it showed: each rule it could not check names the last root run's status,
 * with a link to that run. Verdicts stay the current run's own: the root run is older, and the node may have changed.
 *
 * @param uid the user id the probe ran as; null where the report does not say (older probes)
 * @param checked rules judged pass, warn or fail (waived ones too); {@code rules} minus the skipped ones
 * @param notChecked every skipped rule of the current run, with its reason where known and, for a non-root run, the
 *        last root run's status of it (null when that run did not check it either, or there is none)
 * @param lastRoot the node's last root run, for a non-root current run; null otherwise or when none is stored
 */
public record RunCoverage(long reportId, Integer uid, Instant collectedAt, int checked, int rules,
        List<NotChecked> notChecked, RootRun lastRoot) {

    /** A rule the current run did not check. */
    public record NotChecked(String rule, String reason, String rootStatus) {
    }

    /** The node's latest run as root, by collection time. */
    public record RootRun(long reportId, Instant collectedAt) {
    }

    /**
     * @param statuses rule to status word (pass, warn, fail, skip, waived) of the current run, as shown
     * @param reasons rule to message of its skipped findings, where known (empty on the matrix: it reads no messages)
     * @param root the last root run, or null; ignored for a run made as root or of unknown uid
     * @param rootStatuses rule to status word of the last root run, as stored with it
     */
    public static RunCoverage of(long reportId, Integer uid, Instant collectedAt, Map<String, String> statuses,
            Map<String, String> reasons, RootRun root, Map<String, String> rootStatuses) {
        boolean nonRoot = uid != null && uid != 0;
        RootRun lastRoot = nonRoot && root != null && root.reportId() != reportId ? root : null;
        List<NotChecked> notChecked = new ArrayList<>();
        int checked = 0;
        for (Map.Entry<String, String> entry : statuses.entrySet()) {
            if (!"skip".equals(entry.getValue())) {
                checked++;
                continue;
            }
            String before = lastRoot == null ? null : rootStatuses.get(entry.getKey());
            notChecked.add(new NotChecked(entry.getKey(), reasons.get(entry.getKey()),
                    before == null || "skip".equals(before) ? null : before));
        }
        return new RunCoverage(reportId, uid, collectedAt, checked, statuses.size(), List.copyOf(notChecked), lastRoot);
    }

    /** "rule=status rule=status" as reports store their statuses, in order. */
    public static Map<String, String> parseStatuses(String line) {
        Map<String, String> statuses = new LinkedHashMap<>();
        if (line == null) {
            return statuses;
        }
        for (String pair : line.split(" ")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                statuses.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        return statuses;
    }

    /** Not made as root: the report says a uid other than 0. */
    public boolean nonRoot() {
        return uid != null && uid != 0;
    }

    /** "0 (root)", "65534 (not root)", or "unknown" for a report that does not say. */
    public String uidWord() {
        return uid == null ? "unknown (the probe did not say)" : uid == 0 ? "0 (root)" : uid + " (not root)";
    }

    /** "21 of 23 rules checked". */
    public String summary() {
        return checked + " of " + rules + " rules checked";
    }

    /** The rules this non-root run could not check that the last root run did check, with that run's status. */
    public List<NotChecked> hidden() {
        return notChecked.stream().filter(n -> n.rootStatus() != null).toList();
    }

    /** The rule's entry when the current run did not check it, else null. */
    public NotChecked notChecked(String rule) {
        return notChecked.stream().filter(n -> n.rule().equals(rule)).findFirst().orElse(null);
    }

    /** "uid 65534 (not root): 21 of 23 rules checked", for a tooltip. */
    public String title() {
        return "uid " + uidWord() + ": " + summary();
    }
}
