package io.netready.report;

/** The plain-text answer to an upload, printed by the probe on the node. */
final class UploadSummary {

    private UploadSummary() {
    }

    static String render(UploadReceipt receipt) {
        StringBuilder text = new StringBuilder();
        text.append("netready: report ").append(receipt.id())
                .append(receipt.duplicate() ? " was already stored" : " stored")
                .append(" for node ").append(printable(receipt.node()))
                .append(" in cluster ").append(receipt.cluster()).append('\n');
        text.append("verdict:  ").append(receipt.verdict());
        if (ReportIngestService.VERDICT_UNKNOWN.equals(receipt.verdict())) {
            text.append(" (this portal does not evaluate readiness rules yet)");
        }
        text.append('\n');
        text.append("findings: ").append(receipt.findings().isEmpty() ? "none" : receipt.findings().size()).append('\n');
        text.append("details:  ").append(receipt.url()).append('\n');
        return text.toString();
    }

    /** Node-supplied text goes to a terminal: keep control characters (escape sequences) out. */
    static String printable(String value) {
        return value.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }
}
