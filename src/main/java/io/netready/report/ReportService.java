package io.netready.report;

import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.netready.api.ProblemException;
import io.netready.cluster.Cluster;
import io.netready.node.Node;
import io.netready.reportformat.Phase;
import io.netready.reportformat.ReportDocument;
import io.netready.reportformat.ReportSection;
import io.netready.reportformat.Role;
import io.netready.security.CurrentUser;

/** Reads stored reports for the pages and the API, for users who may see their cluster. */
@ApplicationScoped
public class ReportService {

    @Inject
    CurrentUser user;

    /** A report with its cluster and node, once access is checked. */
    public record ReportView(Report report, Cluster cluster, Node node) {
    }

    /** The report, or 404 when it does not exist or its cluster belongs to a team the user is not in. */
    public ReportView findVisible(long id) {
        user.requireMember();
        Report report = Report.findById(id);
        Cluster cluster = report == null ? null : Cluster.findById(report.clusterId);
        if (cluster == null || !user.canSee(cluster.team)) {
            throw ProblemException.notFound("No report " + id + " that you may see.");
        }
        return new ReportView(report, cluster, Node.findById(report.nodeId));
    }

    /** The report's sections with their stored content, by name. */
    public Map<String, SectionContent> sections(Report report) {
        HexFormat hex = HexFormat.of();
        List<byte[]> keys = new ArrayList<>();
        report.sections.values().forEach(hash -> keys.add(hex.parseHex(hash)));
        Map<String, SectionContent> byHash = new HashMap<>();
        List<SectionContent> contents = SectionContent.list("hash in ?1", keys);
        contents.forEach(content -> byHash.put(hex.formatHex(content.hash), content));
        Map<String, SectionContent> result = new LinkedHashMap<>();
        report.sections.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(entry -> result.put(entry.getKey(), byHash.get(entry.getValue())));
        return result;
    }

    /** The report re-read from storage as the document it was uploaded as, for evaluating it again. */
    public ReportDocument document(Report report) {
        java.util.SortedMap<String, ReportSection> sections = new java.util.TreeMap<>();
        sections(report).forEach((name, c) -> sections.put(name,
                ReportSection.of(name, c.source, c.status, c.exitCode, c.output, c.stderr, c.bytes, c.truncated)));
        return new ReportDocument(report.format, report.probeReportId, report.collectedAt, report.probeVersion,
                report.probeUid, Role.of(report.role).orElseThrow(), Phase.of(report.phase).orElseThrow(), sections);
    }

    /** The report as the probe sent it: a netready.report/v1 document with base64 sections. */
    public Map<String, Object> rawDocument(Report report) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("format", report.format);
        document.put("reportId", report.probeReportId);
        document.put("collectedAt", report.collectedAt.toString());
        Map<String, Object> probe = new LinkedHashMap<>();
        probe.put("version", report.probeVersion);
        probe.put("uid", report.probeUid);
        document.put("probe", probe);
        document.put("role", report.role);
        document.put("phase", report.phase);
        Map<String, Object> sections = new LinkedHashMap<>();
        Base64.Encoder base64 = Base64.getEncoder();
        sections(report).forEach((name, content) -> {
            Map<String, Object> section = new LinkedHashMap<>();
            section.put("source", content.source);
            section.put("status", content.status);
            section.put("exitCode", content.exitCode);
            section.put("encoding", "base64");
            section.put("output", base64.encodeToString(content.output));
            section.put("stderr", base64.encodeToString(content.stderr));
            section.put("bytes", content.bytes);
            section.put("truncated", content.truncated);
            sections.put(name, section);
        });
        document.put("sections", sections);
        return document;
    }
}
