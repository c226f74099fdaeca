package io.netready.facts;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code key = value} lines, as the {@code sysctl} command prints them. */
final class SysctlParser {

    private SysctlParser() {
    }

    static Parsed<Map<String, String>> parse(io.netready.reportformat.ReportDocument report) {
        // sysctl exits non-zero when one key is unknown (br_netfilter not loaded); the others are still printed.
        return report.section("sysctl")
                .filter(s -> "ok".equals(s.status()) || "error".equals(s.status()))
                .map(s -> Parsed.of("sysctl", read(s.text())))
                .orElseGet(() -> Parsed.unavailable("sysctl", Sections.text(report, "sysctl").problem() == null
                        ? "the sysctl section could not be read"
                        : Sections.text(report, "sysctl").problem()));
    }

    static Map<String, String> read(String text) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf(" = ");
            if (eq > 0) {
                values.put(line.substring(0, eq).strip(), line.substring(eq + 3).strip());
            }
        }
        return values;
    }
}
