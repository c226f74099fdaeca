package io.netready.node.web;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

import io.netready.api.ProblemException;
import io.netready.cluster.Cluster;
import io.netready.cluster.ReachabilityMatrix;
import io.netready.diff.DiffService;
import io.netready.node.Node;
import io.netready.node.RunCoverage;
import io.netready.readiness.ReadinessService;
import io.netready.report.Report;
import io.netready.rules.Finding;
import io.netready.rules.Status;
import io.netready.rules.Verdict;
import io.netready.security.CurrentUser;
import io.netready.waiver.Waiver;
import io.netready.web.PageContext;
import io.netready.web.Pages;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** {@code /nodes/{id}}: a node's timeline, its current findings, and what changed since it was last ready. */
@Path("/nodes")
public class NodePage {

    /** The timeline shows this many of the latest runs. */
    static final int TIMELINE = 200;

    @Inject
    Pages pages;

    @Inject
    CurrentUser user;

    @Inject
    ReadinessService readiness;

    @Inject
    DiffService diffs;

    @Inject
    ReachabilityMatrix reachability;

    /** A run on the timeline. */
    public record Run(long id, java.time.Instant collectedAt, String verdict) {
    }

    /** The diff against the last ready report, or why there is none. */
    public record SinceReady(String sentence, DiffService.Comparison comparison) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance node(PageContext ctx, Cluster cluster, Node node, List<Run> timeline, long runs,
                ReadinessService.Judgement current, RunCoverage coverage, ReachabilityMatrix.NodeReach reach,
                SinceReady sinceReady,
                List<Waiver> waivers, String defaultExpiry);
    }

    @GET
    @Path("{id}")
    public TemplateInstance node(@PathParam("id") long id) {
        user.requireMember();
        Node node = Node.findById(id);
        Cluster cluster = node == null ? null : Cluster.findById(node.clusterId);
        if (cluster == null || !user.canSee(cluster.team)) {
            throw ProblemException.notFound("No node " + id + " that you may see.");
        }
        PageContext ctx = pages.context(node.hostname);
        List<Run> timeline = new ArrayList<>(Report.listForNode(node.id, TIMELINE).stream()
                .map(r -> new Run(r.id, r.collectedAt, r.verdict)).toList());
        Collections.reverse(timeline);
        long runs = Report.count("nodeId", node.id);
        ReadinessService.Judgement current = node.lastReportId == null
                ? new ReadinessService.Judgement(Verdict.UNKNOWN, List.of())
                : readiness.current(cluster.id, cluster.settings(), node.id, node.lastReportId);
        List<Waiver> waivers = Waiver.activeForCluster(cluster.id).stream()
                .filter(w -> w.nodeId == null || w.nodeId.equals(node.id)).toList();
        return Templates.node(ctx, cluster, node, timeline, runs, current, coverage(node, current), reachability.forNode(node.id),
                sinceReady(node, current), waivers,
                LocalDate.now(ZoneOffset.UTC).plusDays(30).toString());
    }

    /** The current run's uid and coverage, and what the last root run showed where a non-root run could not check. */
    static RunCoverage coverage(Node node, ReadinessService.Judgement current) {
        Report latest = node.lastReportId == null ? null : Report.findById(node.lastReportId);
        if (latest == null) {
            return null;
        }
        Map<String, String> statuses = new LinkedHashMap<>();
        Map<String, String> reasons = new HashMap<>();
        for (Finding f : current.findings()) {
            statuses.put(f.rule(), f.status().word());
            if (f.status() == Status.SKIP) {
                reasons.put(f.rule(), f.message());
            }
        }
        boolean nonRoot = latest.probeUid != null && latest.probeUid != 0;
        Report root = nonRoot && node.lastRootReportId != null ? Report.findById(node.lastRootReportId) : null;
        return RunCoverage.of(latest.id, latest.probeUid, latest.collectedAt, statuses, reasons,
                root == null ? null : new RunCoverage.RootRun(root.id, root.collectedAt),
                root == null ? Map.of() : RunCoverage.parseStatuses(root.statuses));
    }

    private SinceReady sinceReady(Node node, ReadinessService.Judgement current) {
        if (node.lastReportId == null) {
            return new SinceReady("The node has not reported yet.", null);
        }
        if (Verdict.READY.equals(current.verdict())) {
            return new SinceReady("The node is ready now.", null);
        }
        Report latest = Report.findById(node.lastReportId);
        // The probe's clock has one-second steps: two runs can share a time, the report id breaks the tie.
        Report lastReady = Report.<Report> find("nodeId = ?1 and verdict = ?2 and id <> ?3 and (collectedAt < ?4"
                + " or (collectedAt = ?4 and id < ?3)) order by collectedAt desc, id desc",
                node.id, Verdict.READY.word(), latest.id, latest.collectedAt).firstResult();
        if (lastReady == null) {
            return new SinceReady("The node has never been ready: there is no earlier run to compare with.", null);
        }
        return new SinceReady("Since report " + lastReady.id + ", the last time it was ready:",
                diffs.compare(lastReady.id, latest.id));
    }
}
