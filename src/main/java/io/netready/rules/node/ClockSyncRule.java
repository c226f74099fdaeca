package io.netready.rules.node;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.netready.facts.NodeFacts;
import io.netready.facts.TimeSync;
import io.netready.facts.TimeSync.Reading;
import io.netready.facts.TimeSync.State;
import io.netready.rules.ClusterSettings;
import io.netready.rules.Evidence;
import io.netready.rules.Finding;
import io.netready.rules.NodeRule;
import io.netready.rules.RuleInfo;
import io.netready.rules.Rules;
import io.netready.rules.Severity;
import io.netready.rules.Snippet;
import io.netready.rules.Sources;

/**
 * Clocks out of sync break TLS (certificates not yet valid, tokens expired) and etcd (it warns above 1 s between
 * members). Two views: the node's own time tools (timedatectl, chrony, ntpd, systemd-timesyncd), and the portal's
 * measurement at a direct upload: its receipt time minus the time the probe finished collecting by the node's clock.
 */
public class ClockSyncRule extends Rules implements NodeRule {

    /**
     * More than this between the node's clock and the portal's warns. The measurement itself is off by at most about a
     * second: collectedAt is cut to the second (up to 1 s early) and the upload starts after gzip and a connection; a
     * synchronised clock is within milliseconds. So 5 s is well clear of the measurement's error and still catches a
     * clock that no service keeps.
     */
    public static final Duration BOUND = Duration.ofSeconds(5);

    public ClockSyncRule() {
        super(RuleInfo.node("clock-sync").title("The clock is synchronised")
                .category("time").severity(Severity.WARNING)
                .description("The node's time service (timedatectl, chronyc tracking, ntpq -p or systemd-timesyncd's flag) "
                        + "must say the clock is synchronised, and on a direct upload the report's collection time (collectedAt "
                        + "plus the probe's durationMs) must be within " + BOUND.toSeconds() + " s of the portal's receipt "
                        + "time. Spooled, retried and file uploads are not measured.")
                .remediation("Turn on network time (timedatectl set-ntp true, or chronyd), and step the clock once.")
                .sources(Sources.TROUBLESHOOT_TIME, Sources.ETCD_CLOCK)
                .build());
    }

    @Override
    public Finding evaluate(NodeFacts facts, ClusterSettings cluster) {
        TimeSync sync = facts.timeSync();
        List<Evidence> evidence = new ArrayList<>();
        for (Reading reading : sync.readings()) {
            evidence.add(evidence(reading.section(), reading.line()));
        }
        boolean measured = facts.clockOffset().isAvailable();
        Duration offset = measured ? facts.clockOffset().value() : null;
        if (measured) {
            evidence.add(evidence("upload", "the portal received the report " + signed(offset)
                    + " s after the probe finished collecting, by the node's clock (" + offset.toMillis() + " ms)"));
        }
        if (sync.readings().isEmpty() && !measured) {
            return skip("No time service answered (" + String.join("; ", sync.unreadable()) + "), and this upload was "
                    + "not measured: " + facts.clockOffset().problem());
        }
        List<String> problems = new ArrayList<>();
        if (!sync.readings().isEmpty() && !sync.anySynchronised()) {
            problems.add("The clock is not synchronised (" + said(sync.readings()) + ")");
        }
        boolean skewed = measured && offset.abs().compareTo(BOUND) > 0;
        if (skewed) {
            problems.add("the node's clock is " + offset.abs().toSeconds() + " s " + (offset.isNegative() ? "ahead of" : "behind")
                    + " the portal's (more than " + BOUND.toSeconds() + " s off)");
        }
        if (problems.isEmpty()) {
            String tools = sync.readings().isEmpty() ? "No time service answered"
                    : "The clock is synchronised (" + said(sync.readings().stream().filter(r -> r.state() == State.SYNCHRONISED)
                            .toList()) + ")";
            // the measured value is in the evidence; the message stays the same from one run to the next
            return pass(tools + (measured ? "; at upload it was within " + BOUND.toSeconds() + " s of the portal's" : ""),
                    evidence);
        }
        String message = String.join("; ", problems);
        message = Character.toUpperCase(message.charAt(0)) + message.substring(1);
        Snippet fix = new Snippet().why("Turn network time synchronisation on (systemd-timesyncd, or chronyd where installed).")
                .run("timedatectl set-ntp true");
        if (sync.readings().stream().anyMatch(r -> r.section().equals("chrony-tracking"))) {
            fix.why("chrony: see which sources it can reach, then step the clock now instead of slewing it for hours.")
                    .run("chronyc -n sources").run("chronyc makestep");
        }
        fix.note("A node needs a reachable NTP server (UDP 123 out); behind a firewall set one in timesyncd.conf or "
                + "chrony.conf.");
        if (skewed && sync.anySynchronised()) {
            fix.note("The node's time service says it is synchronised, yet its clock is off: check the server it follows "
                    + "(timedatectl timesync-status, chronyc sources), or whether the portal's own clock is wrong.");
        }
        return warn(message, evidence, fix.build());
    }

    /** "chronyc tracking: Leap status : Normal; systemd-timesyncd: ..." */
    private static String said(List<Reading> readings) {
        return String.join("; ", readings.stream().map(r -> tool(r.section()) + ": " + r.line()).toList());
    }

    private static String tool(String section) {
        return switch (section) {
            case "chrony-tracking" -> "chronyc tracking";
            case "ntpq-peers" -> "ntpq -p";
            case "timesync-synchronized" -> "systemd-timesyncd";
            default -> section;
        };
    }

    private static String signed(Duration d) {
        return String.format(Locale.ROOT, "%+.1f", d.toMillis() / 1000.0);
    }
}
