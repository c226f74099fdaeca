package io.netready.facts;

import java.util.Optional;

import io.netready.report.ReportDocument;
import io.netready.report.ReportSection;

/** Access to a report's raw sections with the reason when one cannot be used. */
final class Sections {

    private Sections() {
    }

    /** The section's text when its command ran fine, else why it cannot be used. */
    static Parsed<String> text(ReportDocument report, String name) {
        Optional<ReportSection> section = report.section(name);
        if (section.isEmpty()) {
            return Parsed.unavailable(name, "the report has no '" + name + "' section");
        }
        ReportSection s = section.get();
        return switch (s.status()) {
            case "ok" -> Parsed.of(name, s.text());
            case "denied" -> Parsed.unavailable(name, "'" + s.source() + "' could not be read without root (status denied)");
            case "missing" -> Parsed.unavailable(name, "'" + s.source() + "' is not installed on the node");
            case "absent" -> Parsed.unavailable(name, s.source() + " does not exist on the node");
            case "timeout" -> Parsed.unavailable(name, "'" + s.source() + "' timed out");
            default -> Parsed.unavailable(name, "'" + s.source() + "' failed with exit code " + s.exitCode());
        };
    }

    /** The section's status word, or "none" when the report lacks it. */
    static String status(ReportDocument report, String name) {
        return report.section(name).map(ReportSection::status).orElse("none");
    }

    static String source(ReportDocument report, String name) {
        return report.section(name).map(ReportSection::source).orElse(name);
    }
}
