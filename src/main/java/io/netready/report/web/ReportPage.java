package io.netready.report.web;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.netready.readiness.ReadinessService;
import io.netready.report.FixScript;
import io.netready.report.Report;
import io.netready.report.ReportService;
import io.netready.report.SectionContent;
import io.netready.rules.Finding;
import io.netready.rules.Status;
import io.netready.rules.catalog.RuleCatalog;
import io.netready.web.PageContext;
import io.netready.web.Pages;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** A stored report: who sent it, and each raw section as the node printed it. */
@Path("/reports")
public class ReportPage {

    /** Pages show at most this much of one section; the raw JSON download has everything. */
    static final int SHOWN_BYTES = 256 * 1024;

    @Inject
    Pages pages;

    @Inject
    ReportService reports;

    @Inject
    ReadinessService readiness;

    /** A section as the page shows it. */
    public record SectionRow(String name, SectionContent content, String text, boolean cut) {
    }

    /** Findings of one status, as the page groups them. */
    public record FindingGroup(String status, String title, List<Finding> findings) {
    }

    /** {@code ?uploaded=}: the file upload of the cluster page stored this report just now. */
    public static final String UPLOADED_NEW = "new";

    /** {@code ?uploaded=}: the file upload of the cluster page found this report stored before and stored nothing. */
    public static final String UPLOADED_AGAIN = "again";

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance report(PageContext ctx, ReportService.ReportView view, List<FindingGroup> groups,
                String catalogVersion, List<SectionRow> sections, List<Report> others, String uploaded);
    }

    @GET
    @Path("{id}")
    public TemplateInstance report(@PathParam("id") long id, @org.jboss.resteasy.reactive.RestQuery String uploaded) {
        ReportService.ReportView view = reports.findVisible(id);
        PageContext ctx = pages.context("Report " + id);
        List<SectionRow> rows = reports.sections(view.report()).entrySet().stream().map(this::row).toList();
        List<Finding> findings = readiness.storedFindingsWaived(view.cluster().id, view.report().nodeId,
                view.report().id);
        List<FindingGroup> groups = List.of(
                group("fail", "Failing", findings, Status.FAIL),
                group("warn", "Warnings", findings, Status.WARN),
                group("pass", "Passing", findings, Status.PASS),
                group("skip", "Not checked", findings, Status.SKIP),
                group("waived", "Waived", findings, null));
        return Templates.report(ctx, view, groups.stream().filter(g -> !g.findings().isEmpty()).toList(),
                RuleCatalog.VERSION, rows, comparable(view),
                UPLOADED_NEW.equals(uploaded) || UPLOADED_AGAIN.equals(uploaded) ? uploaded : null);
    }

    @GET
    @Path("{id}/report.json")
    @Produces(MediaType.APPLICATION_JSON)
    public Response download(@PathParam("id") long id) {
        ReportService.ReportView view = reports.findVisible(id);
        pages.context("download");
        String file = "netready-" + view.node().id + "-" + view.report().id + ".json";
        return Response.ok(reports.rawDocument(view.report()))
                .header("Content-Disposition", "attachment; filename=\"" + file + "\"").build();
    }

    /** {@code fix-<node>.sh}: the report's remediations as one script with a --dry-run mode. */
    @GET
    @Path("{id}/fix.sh")
    public Response fixScript(@PathParam("id") long id) {
        ReportService.ReportView view = reports.findVisible(id);
        pages.context("fix");
        List<Finding> findings = readiness.storedFindingsWaived(view.cluster().id, view.report().nodeId, id);
        return Response.ok(FixScript.render(view.report(), view.cluster().name, findings, java.time.Instant.now()),
                "text/x-shellscript; charset=utf-8")
                .header("Content-Disposition", "attachment; filename=\"" + FixScript.fileName(view.report().hostname) + "\"")
                .build();
    }

    private static FindingGroup group(String status, String title, List<Finding> findings, Status wanted) {
        // Errors before warnings within a status.
        return new FindingGroup(status, title, findings.stream()
                .filter(f -> wanted == null ? f.waiver() != null && f.isFailOrWarn()
                        : f.status() == wanted && !(f.waiver() != null && f.isFailOrWarn()))
                .sorted(java.util.Comparator.comparing(Finding::severity)).toList());
    }

    /** Reports to compare this one with: the node's other recent runs, then the other nodes' latest reports. */
    private static List<Report> comparable(ReportService.ReportView view) {
        List<Report> others = new java.util.ArrayList<>(Report.<Report> find(
                "nodeId = ?1 and id <> ?2 order by collectedAt desc", view.report().nodeId, view.report().id).range(0, 19).list());
        others.addAll(Report.<Report> find("id in (select n.lastReportId from Node n where n.clusterId = ?1 and n.id <> ?2)"
                + " order by hostname", view.cluster().id, view.report().nodeId).range(0, 49).list());
        return others;
    }

    private SectionRow row(Map.Entry<String, SectionContent> entry) {
        SectionContent content = entry.getValue();
        boolean cut = content.output.length > SHOWN_BYTES;
        String text = cut ? new String(content.output, 0, SHOWN_BYTES, java.nio.charset.StandardCharsets.UTF_8)
                : content.outputText();
        return new SectionRow(entry.getKey(), content, text, cut);
    }
}
