package io.netready.report;

import java.time.Instant;
import java.util.List;

import io.netready.rules.Finding;
import io.netready.rules.Shell;
import io.netready.rules.catalog.RuleCatalog;

/**
 * {@code fix-<node>.sh}: every remediation of a report in one POSIX sh script. Each command runs through {@code run},
 * which only prints it under {@code --dry-run}. The commands are the snippets' own (validated, quoted values only),
 * passed to {@code run} single-quoted; report values in comments are reduced to printable characters. The header and
 * the last line name the file as the download does ({@link #fileName}), so the commands shown can be copied as they are.
 */
public final class FixScript {

    /** How node-reachability's notes for what lies between the nodes (a security group, an ACL) start. */
    static final String BETWEEN_THE_NODES = "Between the nodes";

    private FixScript() {
    }

    public static String render(Report report, String cluster, List<Finding> findings, Instant now) {
        List<Finding> problems = findings.stream().filter(Finding::isProblem).toList();
        List<Finding> fixes = problems.stream().filter(f -> !elsewhere(f)).toList();
        List<Finding> elsewhere = problems.stream().filter(FixScript::elsewhere).toList();
        StringBuilder sh = new StringBuilder();
        sh.append("#!/bin/sh\n");
        sh.append("# netready fix script for node ").append(comment(report.hostname)).append(" in cluster ").append(comment(cluster)).append('\n');
        sh.append("# Made ").append(now).append(" from report ").append(report.id).append(" (collected ")
                .append(report.collectedAt).append(", ").append(report.role).append(", ").append(report.phase)
                .append("), rule catalog ").append(RuleCatalog.VERSION).append(".\n");
        if (fixes.isEmpty()) {
            sh.append(elsewhere.isEmpty() ? "# The report has no failing or warning finding: there is nothing to fix.\n"
                    : "# Nothing to fix on this node itself.\n");
        } else {
            sh.append("# It fixes:\n");
            fixes.forEach(f -> sh.append("#   ").append(f.rule()).append(" (").append(f.status().word()).append("): ")
                    .append(comment(f.message())).append('\n'));
        }
        if (!elsewhere.isEmpty()) {
            sh.append("# Not on this node (between the nodes: the cluster page lists the paths to open):\n");
            elsewhere.forEach(f -> sh.append("#   ").append(f.rule()).append(" (").append(f.status().word()).append(")\n"));
        }
        String file = fileName(report.hostname);
        sh.append("#\n# Read it first. Run as root on that node: sh ").append(file).append(" --dry-run   (prints the commands only)\n");
        sh.append("#                                          sh ").append(file).append("             (runs them)\n");
        sh.append("# The commands are idempotent where the command allows: running the script twice is safe.\n\n");
        sh.append("set -eu\n");
        sh.append("DRY_RUN=0\n");
        sh.append("case \"${1:-}\" in\n  --dry-run) DRY_RUN=1 ;;\n  '') ;;\n  *) echo \"usage: $0 [--dry-run]\" >&2; exit 2 ;;\nesac\n");
        sh.append("run() {\n    if [ \"$DRY_RUN\" -eq 1 ]; then\n        printf '%s\\n' \"$1\"\n    else\n")
                .append("        printf '+ %s\\n' \"$1\"\n        eval \"$1\"\n    fi\n}\n");
        for (Finding finding : problems) {
            sh.append("\n# ---- ").append(finding.rule()).append(": ").append(comment(finding.message())).append('\n');
            if (finding.remediation().script() != null) {
                for (String line : finding.remediation().script().split("\n")) {
                    if (line.isBlank()) {
                        continue;
                    }
                    if (line.startsWith("#")) {
                        sh.append(comment(line)).append('\n');
                    } else {
                        sh.append("run ").append(Shell.quote(line)).append('\n');
                    }
                }
            }
            for (String note : finding.remediation().notes()) {
                sh.append(external(note) ? "# not for this node (the cluster page's \"Paths to open\" lists it): " : "# note: ")
                        .append(comment(external(note) ? withoutExamples(note) : note)).append('\n');
            }
        }
        sh.append("\nif [ \"$DRY_RUN\" -eq 1 ]; then\n")
                .append("    echo 'netready: dry run, nothing was changed. To apply: sh ").append(file).append("'\n")
                .append("else\n    echo 'netready: done. Run the probe again to see the new verdict.'\nfi\n");
        return sh.toString();
    }

    /** A note for whoever runs the network between the nodes, not for this node's root. */
    static boolean external(String note) {
        return note.startsWith(BETWEEN_THE_NODES);
    }

    /** A finding this node cannot fix itself: no commands, and every note is for the network between the nodes. */
    static boolean elsewhere(Finding finding) {
        String script = finding.remediation().script();
        List<String> notes = finding.remediation().notes();
        return (script == null || script.isBlank()) && !notes.isEmpty() && notes.stream().allMatch(FixScript::external);
    }

    /** The note without its cloud CLI examples: a script should not carry commands for another machine. */
    private static String withoutExamples(String note) {
        int examples = note.indexOf(", e.g. ");
        return examples < 0 ? note : note.substring(0, examples) + ".";
    }

    /** Text for a comment line: printable, one line. */
    static String comment(String text) {
        return text.codePoints().map(c -> Character.isISOControl(c) ? ' ' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }

    /** A file name built from the hostname: only safe characters. */
    public static String fileName(String hostname) {
        String safe = hostname.replaceAll("[^A-Za-z0-9._-]", "_");
        return "fix-" + (safe.isEmpty() ? "node" : safe) + ".sh";
    }
}
