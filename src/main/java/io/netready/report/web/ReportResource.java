package io.netready.report.web;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

import io.netready.readiness.ReadinessService;
import io.netready.report.Report;
import io.netready.report.ReportService;
import io.netready.rules.Finding;
import io.netready.web.PortalUrls;

/** The JSON API for stored reports, for users with an OIDC bearer token. */
@Path("/api/v1/reports/{id}")
public class ReportResource {

    @Inject
    ReportService reports;

    @Inject
    PortalUrls urls;

    @Inject
    ReadinessService readiness;

    public record SectionJson(String name, String source, String status, int exitCode, long bytes, boolean truncated) {
    }

    public record ReportJson(long id, String reportId, String cluster, long nodeId, String node, String role, String phase,
            Instant collectedAt, Instant receivedAt, String probeVersion, String verdict, int sizeBytes,
            List<SectionJson> sections, String url) {
    }

    @GET
    public ReportJson get(@PathParam("id") long id) {
        ReportService.ReportView view = reports.findVisible(id);
        Report report = view.report();
        List<SectionJson> sections = reports.sections(report).entrySet().stream()
                .map(e -> new SectionJson(e.getKey(), e.getValue().source, e.getValue().status, e.getValue().exitCode,
                        e.getValue().bytes, e.getValue().truncated))
                .toList();
        return new ReportJson(report.id, report.probeReportId, view.cluster().name, report.nodeId, report.hostname,
                report.role, report.phase, report.collectedAt, report.receivedAt, report.probeVersion, report.verdict,
                report.sizeBytes, sections, urls.report(report.id));
    }

    /** The report as uploaded, re-assembled from its stored sections. */
    @GET
    @Path("raw")
    public Map<String, Object> raw(@PathParam("id") long id) {
        return reports.rawDocument(reports.findVisible(id).report());
    }

    /** The findings stored with this report: node rules and cluster rules as of its upload. */
    @GET
    @Path("findings")
    public List<Finding> findings(@PathParam("id") long id) {
        return readiness.storedFindings(reports.findVisible(id).report().id);
    }
}
