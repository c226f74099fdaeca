package io.netready.facts;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.netready.reportformat.ReportDocument;

/**
 * Whether the node's clock is synchronised, as each time tool on it says: {@code timedatectl} (NTPSynchronized, or
 * "System clock synchronized" in its status form), chrony ({@code chronyc tracking}: Leap status), ntpd
 * ({@code ntpq -pn}: a system peer marked {@code *} or {@code o}), and systemd-timesyncd's flag file
 * /run/systemd/timesync/synchronized. A tool that is not installed, not running or unreadable gives no reading; its
 * reason is kept.
 */
public record TimeSync(List<Reading> readings, List<String> unreadable) {

    /** What one tool says. */
    public enum State {
        SYNCHRONISED, NOT_SYNCHRONISED
    }

    /** One tool's answer, with the line that decided it. */
    public record Reading(String section, State state, String line) {
    }

    static final List<String> SECTIONS = List.of("timedatectl", "chrony-tracking", "ntpq-peers", "timesync-synchronized");

    public static TimeSync from(ReportDocument report) {
        List<Reading> readings = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        for (String section : SECTIONS) {
            Parsed<String> text = Sections.text(report, section);
            if (!text.isAvailable()) {
                if (!"timesync-synchronized".equals(section) || !"absent".equals(Sections.status(report, section))) {
                    unreadable.add(text.problem());
                }
                continue;
            }
            Reading reading = switch (section) {
                case "timedatectl" -> timedatectl(text.value());
                case "chrony-tracking" -> chrony(text.value());
                case "ntpq-peers" -> ntpq(text.value());
                default -> new Reading(section, State.SYNCHRONISED, "/run/systemd/timesync/synchronized exists");
            };
            if (reading != null) {
                readings.add(reading);
            } else {
                unreadable.add("'" + Sections.source(report, section) + "' printed nothing netready knows");
            }
        }
        return new TimeSync(List.copyOf(readings), List.copyOf(unreadable));
    }

    public boolean anySynchronised() {
        return readings.stream().anyMatch(r -> r.state() == State.SYNCHRONISED);
    }

    static Reading timedatectl(String text) {
        for (String line : text.split("\n")) {
            String l = line.strip();
            String value = null;
            if (l.startsWith("NTPSynchronized=")) {
                value = l.substring(l.indexOf('=') + 1);
            } else if (l.startsWith("System clock synchronized:") || l.startsWith("NTP synchronized:")) {
                value = l.substring(l.indexOf(':') + 1).strip();
            }
            if (value != null) {
                return new Reading("timedatectl", "yes".equals(value) ? State.SYNCHRONISED : State.NOT_SYNCHRONISED, l);
            }
        }
        return null;
    }

    static Reading chrony(String text) {
        for (String line : text.split("\n")) {
            String l = line.strip();
            if (l.startsWith("Leap status")) {
                String value = l.substring(l.indexOf(':') + 1).strip().toLowerCase(Locale.ROOT);
                return new Reading("chrony-tracking", value.startsWith("not synchronised") ? State.NOT_SYNCHRONISED
                        : State.SYNCHRONISED, "Leap status: " + l.substring(l.indexOf(':') + 1).strip());
            }
        }
        return null;
    }

    static Reading ntpq(String text) {
        boolean table = false;
        for (String line : text.split("\n")) {
            if (line.startsWith("=====")) {
                table = true;
            } else if (table && (line.startsWith("*") || line.startsWith("o"))) {
                return new Reading("ntpq-peers", State.SYNCHRONISED, line.strip());
            }
        }
        return table ? new Reading("ntpq-peers", State.NOT_SYNCHRONISED, "no peer is selected (none marked * or o)") : null;
    }
}
