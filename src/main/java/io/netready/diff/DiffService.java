package io.netready.diff;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.netready.api.ProblemException;
import io.netready.facts.NodeFacts;
import io.netready.readiness.ReadinessService;
import io.netready.report.ReportService;
import io.netready.report.ReportService.ReportView;
import io.netready.rules.Finding;

/** Compares two reports the user may see: two runs of a node, or two nodes of one cluster. */
@ApplicationScoped
public class DiffService {

    @Inject
    ReportService reports;

    @Inject
    ReadinessService readiness;

    /** The two reports and what changed from the first to the second. */
    public record Comparison(ReportView from, ReportView to, ReportDiff diff) {

        public boolean sameNode() {
            return from.report().nodeId.equals(to.report().nodeId);
        }
    }

    public Comparison compare(long fromId, long toId) {
        ReportView from = reports.findVisible(fromId);
        ReportView to = reports.findVisible(toId);
        if (!from.cluster().id.equals(to.cluster().id)) {
            throw ProblemException.unprocessable("Reports " + fromId + " and " + toId
                    + " belong to different clusters; compare runs of one node or nodes of one cluster.");
        }
        NodeFacts before = NodeFacts.from(reports.document(from.report()));
        NodeFacts after = NodeFacts.from(reports.document(to.report()));
        ReportDiff diff = ReportDiff.between(ReportDiff.metadata(metadata(from), metadata(to)), FactLines.of(before),
                readiness.storedFindings(fromId), FactLines.of(after), readiness.storedFindings(toId));
        return new Comparison(from, to, diff);
    }

    /** A report's fields the diff compares ({@link ReportDiff#META_FIELDS}). */
    private Map<String, String> metadata(ReportView view) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("role", view.report().role);
        fields.put("phase", view.report().phase);
        Integer uid = view.report().probeUid;
        fields.put("uid", uid == null ? "unknown" : uid == 0 ? "0 (root)" : uid + " (not root)");
        fields.put("probe version", view.report().probeVersion);
        String catalog = readiness.storedCatalogVersion(view.report().id);
        fields.put("catalog version", catalog == null ? "none (not judged)" : catalog);
        return fields;
    }

    /**
     * The comparison as Markdown, to paste into a change-review ticket. Every value from a report (hostnames, finding
     * messages, fact lines) is literal text in a code span or a fenced block ({@link Markdown}); the only link is the
     * permalink to the portal's own diff page.
     */
    public static String markdown(Comparison c, String permalink) {
        StringBuilder md = new StringBuilder();
        md.append("## netready diff: ").append(label(c.from())).append(" → ").append(label(c.to())).append("\n\n");
        md.append("Cluster ").append(Markdown.code(c.to().cluster().name)).append(". ").append("Verdict ")
                .append(c.from().report().verdict).append(" → **").append(c.to().report().verdict).append("**. ")
                .append("[Open in netready](<").append(permalink).append(">)\n\n");
        md.append("### Report\n\n");
        if (c.diff().metadata().isEmpty()) {
            md.append("Same role, phase, uid, probe version and catalog version: ")
                    .append(Markdown.code(c.to().report().role)).append(", ").append(Markdown.code(c.to().report().phase))
                    .append(".\n\n");
        }
        for (ReportDiff.MetaChange change : c.diff().metadata()) {
            md.append("- ").append(change.field()).append(": ").append(Markdown.code(change.from())).append(" → ")
                    .append(Markdown.code(change.to())).append('\n');
        }
        if (!c.diff().metadata().isEmpty()) {
            md.append('\n');
        }
        md.append("### Findings\n\n");
        section(md, "Newly failing", c.diff().newlyFailing());
        section(md, "Fixed", c.diff().fixed());
        section(md, "Still failing", c.diff().stillFailing());
        md.append("**Newly not checked** (").append(c.diff().newlyNotChecked().size()).append(")");
        md.append(c.diff().newlyNotChecked().isEmpty() ? ": none\n\n" : "\n\n");
        c.diff().newlyNotChecked().forEach(n -> md.append("- ").append(Markdown.code(n.finding().rule())).append(' ')
                .append(n.before()).append(" → skip: ").append(Markdown.code(n.finding().message())).append('\n'));
        if (!c.diff().newlyNotChecked().isEmpty()) {
            md.append('\n');
        }
        md.append("### Facts\n\n");
        if (c.diff().factsUnchanged()) {
            md.append("No change in interfaces, addresses, routes, listeners, sysctls, modules, firewall, CNI, DNS or reachability.\n");
        }
        for (ReportDiff.GroupDiff group : c.diff().facts()) {
            if (group.isEmpty()) {
                continue;
            }
            md.append("#### ").append(group.group()).append("\n\n");
            changed(md, group.changed());
            if (group.removed().isEmpty() && group.added().isEmpty() && group.moved().isEmpty()) {
                continue;
            }
            List<String> lines = new ArrayList<>();
            group.removed().forEach(line -> lines.add("- " + Markdown.visible(line)));
            group.added().forEach(line -> lines.add("+ " + Markdown.visible(line)));
            group.moved().forEach(line -> lines.add("~ " + Markdown.visible(line)));
            // Every line starts with its marker, so none can close the fence; the fence is longer than any backtick
            // run inside all the same.
            String fence = Markdown.fence(lines);
            md.append(fence).append("diff\n");
            lines.forEach(line -> md.append(line).append('\n'));
            md.append(fence).append("\n\n");
        }
        return md.toString();
    }

    /** Changed values as a list, the node's values in code spans: "- `10.0.2.7 10250`: `connected` → `timeout`". */
    private static void changed(StringBuilder md, List<String> lines) {
        if (lines.isEmpty()) {
            return;
        }
        md.append("Changed:\n\n");
        for (String line : lines) {
            int end = line.indexOf(": ");
            int arrow = line.lastIndexOf(ReportDiff.CHANGED_TO);
            if (end < 0 || arrow < end) {
                md.append("- ").append(Markdown.code(line)).append('\n');
                continue;
            }
            md.append("- ").append(Markdown.code(line.substring(0, end))).append(": ")
                    .append(Markdown.code(line.substring(end + 2, arrow))).append(" → ")
                    .append(Markdown.code(line.substring(arrow + ReportDiff.CHANGED_TO.length()))).append('\n');
        }
        md.append('\n');
    }

    private static void section(StringBuilder md, String title, List<Finding> findings) {
        md.append("**").append(title).append("** (").append(findings.size()).append(")");
        md.append(findings.isEmpty() ? ": none\n\n" : "\n\n");
        // A message names the node's own values (a hostname, an interface): the whole message is one code span.
        findings.forEach(f -> md.append("- ").append(Markdown.code(f.rule())).append(' ').append(f.status().word())
                .append(": ").append(Markdown.code(f.message())).append('\n'));
        if (!findings.isEmpty()) {
            md.append('\n');
        }
    }

    private static String label(ReportView view) {
        return Markdown.code(view.report().hostname) + " report " + view.report().id + " (" + view.report().collectedAt + ")";
    }
}
