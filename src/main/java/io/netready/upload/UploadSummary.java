package io.netready.upload;

import java.util.List;

import io.netready.rules.Finding;
import io.netready.rules.Status;

/** The plain-text answer to an upload, printed by the probe on the node: verdict, problems and how to fix them. */
public final class UploadSummary {

    private UploadSummary() {
    }

    public static String render(UploadReceipt receipt) {
        StringBuilder text = new StringBuilder();
        text.append("netready: report ").append(receipt.id())
                .append(receipt.duplicate() ? " was already stored" : " stored")
                .append(" for node ").append(printable(receipt.node()))
                .append(" in cluster ").append(receipt.cluster()).append('\n');
        long passed = receipt.findings().stream().filter(f -> f.status() == Status.PASS).count();
        long problems = receipt.findings().stream().filter(Finding::isProblem).count();
        List<Finding> skipped = receipt.findings().stream().filter(f -> f.status() == Status.SKIP).toList();
        text.append("verdict:  ").append(receipt.verdict()).append(" (").append(passed).append(" passed, ")
                .append(problems).append(problems == 1 ? " problem" : " problems");
        if (!skipped.isEmpty()) {
            text.append(", ").append(skipped.size()).append(" not checked");
        }
        text.append(" of ").append(receipt.findings().size()).append(" rules)\n");
        if (!skipped.isEmpty()) {
            // a node is never read as fully checked when it was not: each rule not checked, and why
            text.append("not checked:\n");
            skipped.forEach(f -> text.append("    ").append(f.rule()).append(": ").append(printable(f.message())).append('\n'));
        }
        for (Finding finding : receipt.findings()) {
            if (!finding.isProblem()) {
                continue;
            }
            text.append('\n').append(finding.status().word().toUpperCase()).append("  ").append(finding.rule())
                    .append(" (").append(finding.severity().word()).append("): ").append(printable(finding.message())).append('\n');
            if (finding.remediation().script() != null) {
                finding.remediation().script().lines()
                        .forEach(line -> text.append(line.isBlank() ? "" : "    " + printable(line)).append('\n'));
            }
            finding.remediation().notes().forEach(note -> text.append("    note: ").append(printable(note)).append('\n'));
        }
        text.append("\ndetails:  ").append(receipt.url()).append('\n');
        return text.toString();
    }

    /** Node-supplied text goes to a terminal: keep control characters (escape sequences) out. */
    static String printable(String value) {
        return value.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }
}
