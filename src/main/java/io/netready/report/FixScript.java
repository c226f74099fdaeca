package io.netready.report;

import java.time.Instant;
import java.util.List;

import io.netready.rules.Finding;
import io.netready.rules.Shell;
import io.netready.rules.Snippet;
import io.netready.rules.catalog.RuleCatalog;

/**
 * {@code fix-<node>.sh}: every remediation of a report in one POSIX sh script. Each command runs through {@code run},
 * which only prints it under {@code --dry-run}. Commands that change the node's identity ({@link Snippet#IDENTITY_CHANGE}:
 * a new machine-id, a new MAC) run through {@code change_identity}, which skips them unless the script is given
 * {@code --change-identity}; the header says what they break. The commands are the snippets' own (validated, quoted values only),
 * passed to {@code run} single-quoted; report values in comments are reduced to printable characters. The header and
 * the last line name the file as the download does ({@link #fileName}), so the commands shown can be copied as they are.
 */
public final class FixScript {

    /**
     * Rules whose every command changes the node's identity. Their findings mark such commands
     * ({@link Snippet#IDENTITY_CHANGE}); findings stored before they did are treated the same, so no stored fix of
     * theirs ever runs without {@code --change-identity}.
     */
    static final java.util.Set<String> IDENTITY_RULES = java.util.Set.of("unique-mac", "unique-machine-id");

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
        // run and change_identity take each command single-quoted and eval it: its $(...) expands when it runs
        sh.append("# shellcheck disable=SC2016\n");
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
        sh.append("# The commands are idempotent where the command allows: running the script twice is safe.\n");
        List<String[]> identity = identityChanges(fixes);
        if (!identity.isEmpty()) {
            sh.append("#\n# It does NOT change this node's identity unless you ask: the commands marked change_identity run only with\n")
                    .append("#   sh ").append(file).append(" --change-identity\n")
                    .append("# and only on the node that reported the value after another node (the one that reported it first keeps it).\n")
                    .append("# What they break:\n");
            identity.forEach(change -> sh.append("#   ").append(change[0]).append(": ").append(comment(change[1])).append('\n'));
        }
        sh.append('\n');
        sh.append("set -eu\n");
        sh.append("DRY_RUN=0\n");
        sh.append("CHANGE_IDENTITY=0\n");
        sh.append("SKIPPED_IDENTITY=0\n");
        sh.append("for arg in \"$@\"; do\n    case \"$arg\" in\n        --dry-run) DRY_RUN=1 ;;\n")
                .append("        --change-identity) CHANGE_IDENTITY=1 ;;\n")
                .append("        *) echo \"usage: $0 [--dry-run] [--change-identity]\" >&2; exit 2 ;;\n    esac\ndone\n");
        sh.append("run() {\n    if [ \"$DRY_RUN\" -eq 1 ]; then\n        printf '%s\\n' \"$1\"\n    else\n")
                .append("        printf '+ %s\\n' \"$1\"\n        eval \"$1\"\n    fi\n}\n");
        sh.append("# Changes the node's identity (see the header): only with --change-identity.\n");
        sh.append("change_identity() {\n    if [ \"$CHANGE_IDENTITY\" -eq 1 ]; then\n        run \"$1\"\n    else\n")
                .append("        printf 'skipped (changes this node'\"'\"'s identity; --change-identity runs it): %s\\n' \"$1\"\n")
                .append("        SKIPPED_IDENTITY=1\n    fi\n}\n");
        for (Finding finding : problems) {
            sh.append("\n# ---- ").append(finding.rule()).append(": ").append(comment(finding.message())).append('\n');
            if (finding.remediation().script() != null) {
                for (String line : finding.remediation().script().split("\n")) {
                    if (line.isBlank()) {
                        continue;
                    }
                    if (line.startsWith(Snippet.IDENTITY_CHANGE)) {
                        sh.append("change_identity ").append(Shell.quote(line.substring(Snippet.IDENTITY_CHANGE.length())))
                                .append('\n');
                    } else if (!line.startsWith("#") && IDENTITY_RULES.contains(finding.rule())) {
                        sh.append("change_identity ").append(Shell.quote(line)).append('\n');
                    } else if (line.startsWith("#")) {
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
        sh.append("\nif [ \"$SKIPPED_IDENTITY\" -eq 1 ]; then\n")
                .append("    echo 'netready: the node'\"'\"'s identity was left as it is. Read the header, then: sh ").append(file)
                .append(" --change-identity'\nfi\n");
        sh.append("if [ \"$DRY_RUN\" -eq 1 ]; then\n")
                .append("    echo 'netready: dry run, nothing was changed. To apply: sh ").append(file).append("'\n")
                .append("else\n    echo 'netready: done. Run the probe again to see the new verdict.'\nfi\n");
        return sh.toString();
    }

    /** Per fix that changes the node's identity: its rule and what the change breaks (from the snippet's comment). */
    private static List<String[]> identityChanges(List<Finding> fixes) {
        List<String[]> changes = new java.util.ArrayList<>();
        for (Finding finding : fixes) {
            String script = finding.remediation().script();
            if (script == null || !(script.contains(Snippet.IDENTITY_CHANGE) || IDENTITY_RULES.contains(finding.rule()))) {
                continue;
            }
            String breaks = script.lines().filter(l -> l.startsWith(Snippet.BREAKS)).findFirst()
                    .map(l -> l.substring(Snippet.BREAKS.length()))
                    .orElse("the node's identity as the network and the kubelet know it (see the commands below)");
            changes.add(new String[] { finding.rule(), breaks });
        }
        return changes;
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
