package io.netready.facts;

import java.util.Optional;

import io.netready.reportformat.ReportDocument;
import io.netready.reportformat.ReportSection;

/** Access to a report's raw sections with the reason when one cannot be used. */
final class Sections {

    private Sections() {
    }

    /** The section's text when its command ran fine, else why it cannot be used. */
    static Parsed<String> text(ReportDocument report, String name) {
        String problem = problem(report, name);
        return problem == null ? Parsed.of(name, report.section(name).orElseThrow().text()) : Parsed.unavailable(name, problem);
    }

    /** Why the section cannot be used, or null when its command ran fine (without decoding its text). */
    static String problem(ReportDocument report, String name) {
        Optional<ReportSection> section = report.section(name);
        if (section.isEmpty()) {
            return "the report has no '" + name + "' section";
        }
        ReportSection s = section.get();
        return switch (s.status()) {
            case "ok" -> null;
            case "denied" -> "'" + s.source() + "' could not be read without root (status denied)";
            case "missing" -> "'" + s.source() + "' is not installed on the node";
            case "absent" -> s.source() + " does not exist on the node";
            case "timeout" -> "'" + s.source() + "' timed out";
            default -> "'" + s.source() + "' failed with exit code " + s.exitCode();
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
