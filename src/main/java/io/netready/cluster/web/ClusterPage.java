package io.netready.cluster.web;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.context.ManagedExecutor;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import io.netready.api.ProblemException;
import io.netready.audit.AuditAction;
import io.netready.audit.AuditEvent;
import io.netready.cluster.Cluster;
import io.netready.cluster.ClusterMatrix;
import io.netready.cluster.ClusterService;
import io.netready.cluster.ReachabilityMatrix;
import io.netready.node.NodeService;
import io.netready.node.NodeSummary;
import io.netready.readiness.ReadinessService;
import io.netready.report.ReevaluationService;
import io.netready.report.web.ReportPage;
import io.netready.rules.ClusterSettings;
import io.netready.security.CurrentUser;
import io.netready.token.SecretViews;
import io.netready.token.UploadToken;
import io.netready.token.UploadTokenService;
import io.netready.upload.Origin;
import io.netready.upload.Stored;
import io.netready.upload.UploadService;
import io.netready.web.PageContext;
import io.netready.web.Pages;
import io.netready.web.PortalUrls;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.vertx.core.http.HttpServerRequest;

/** The clusters list, a cluster's nodes and tokens, and the admin forms that change them. */
@Path("/clusters")
public class ClusterPage {

    @Inject
    Pages pages;

    @Inject
    CurrentUser user;

    @Inject
    ClusterService clusters;

    @Inject
    NodeService nodes;

    @Inject
    UploadTokenService tokens;

    @Inject
    SecretViews secretViews;

    @Inject
    UploadService uploads;

    @Inject
    PortalUrls urls;

    @Inject
    ClusterMatrix matrix;

    @Inject
    ReachabilityMatrix reachability;

    @Inject
    ReadinessService readiness;

    @Inject
    io.netready.rules.catalog.RuleCatalog catalog;

    @Inject
    io.netready.config.NetreadyConfig config;

    @Inject
    ReevaluationService reevaluation;

    @Inject
    ManagedExecutor executor;

    /** The matrix shows this many nodes a page. */
    static final int PAGE_SIZE = 200;

    /** Which page of the matrix this is. */
    public record Paging(int page, int pages) {
        public boolean hasPrevious() {
            return page > 1;
        }

        public boolean hasNext() {
            return page < pages;
        }
    }

    /** A node's failing cluster rules, for the cluster findings list. */
    public record NodeProblems(NodeSummary node, List<String> problems) {
    }

    /** One line of the fleet overview. */
    public record ClusterRow(Cluster cluster, NodeService.ClusterActivity activity) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(PageContext ctx, List<ClusterRow> clusters, String staleAfter);

        static native TemplateInstance detail(PageContext ctx, Cluster cluster, ClusterSettings effective,
                List<ClusterMatrix.Row> rows, int nodeCount,
                int matchingCount, Paging paging,
                List<io.netready.rules.RuleInfo> columns, ClusterMatrix.Filters filters, List<io.netready.rules.RuleInfo> rules,
                List<NodeProblems> clusterFindings, ReachabilityMatrix.View reachability, List<UploadToken> tokens,
                String probeCommand, AuditEvent reevaluated);

        static native TemplateInstance tokenIssued(PageContext ctx, Cluster cluster, UploadToken token, String secret,
                String probeCommand, long minutes);
    }

    @GET
    public TemplateInstance list() {
        PageContext ctx = pages.context("Clusters");
        Map<Long, NodeService.ClusterActivity> activity = nodes.activityByCluster(staleBefore());
        NodeService.ClusterActivity none = new NodeService.ClusterActivity(0, 0, 0, 0, 0, 0, null);
        List<ClusterRow> rows = clusters.listVisible().stream()
                .map(cluster -> new ClusterRow(cluster, activity.getOrDefault(cluster.id, none))).toList();
        return Templates.list(ctx, rows, config.staleAfter().toString().substring(2).toLowerCase());
    }

    @POST
    public Response create(@RestForm String name, @RestForm String team,
            @RestForm String podCidr, @RestForm String serviceCidr, @RestForm String routingMode) {
        Cluster cluster = clusters.create(new ClusterService.NewCluster(name, team, podCidr, serviceCidr, routingMode));
        return Response.seeOther(URI.create("/clusters/" + cluster.name)).build();
    }

    @GET
    @Path("{name}")
    public TemplateInstance detail(@PathParam("name") String name, @org.jboss.resteasy.reactive.RestQuery String role,
            @org.jboss.resteasy.reactive.RestQuery String verdict, @org.jboss.resteasy.reactive.RestQuery String rule,
            @org.jboss.resteasy.reactive.RestQuery Integer page,
            @org.jboss.resteasy.reactive.RestQuery Long reevaluated) {
        Cluster cluster = clusters.findVisible(name);
        PageContext ctx = pages.context(cluster.name);
        List<UploadToken> clusterTokens = user.isAdmin() ? UploadToken.listForCluster(cluster.id) : List.of();
        ClusterMatrix.Filters filters = new ClusterMatrix.Filters(role, verdict, rule);
        // The reachability aggregates (PostgreSQL's part, most of it at thousands of nodes) are read while the nodes are.
        CompletableFuture<ReachabilityMatrix.Overview> reading = executor.supplyAsync(() -> reachability.overview(cluster.id));
        // Every row once: the cluster findings below count every node whatever the filters keep.
        List<ClusterMatrix.Row> everyRow = matrix.rows(cluster, () -> joined(reading).liveStatuses(), staleBefore(),
                new ClusterMatrix.Filters(null, null, null));
        ReachabilityMatrix.Overview reach = joined(reading);
        List<ClusterMatrix.Row> matching = everyRow.stream().filter(filters::keeps).toList();
        int pages = Math.max(1, (matching.size() + PAGE_SIZE - 1) / PAGE_SIZE);
        int current = page == null ? 1 : Math.max(1, Math.min(page, pages));
        List<ClusterMatrix.Row> rows = matching.subList((current - 1) * PAGE_SIZE, Math.min(matching.size(), current * PAGE_SIZE));
        List<NodeProblems> clusterProblems = new java.util.ArrayList<>();
        List<String> clusterRuleIds = catalog.clusterRules().stream().map(r -> r.info().id()).toList();
        for (ClusterMatrix.Row row : everyRow) {
            if (clusterProblems.size() == 200) {
                break;
            }
            List<String> failing = clusterRuleIds.stream().filter(id -> row.cell(id).problem()).toList();
            if (!failing.isEmpty()) {
                clusterProblems.add(new NodeProblems(row.node(), failing));
            }
        }
        return Templates.detail(ctx, cluster, readiness.effectiveSettings(cluster.id, cluster.settings()), rows, everyRow.size(), matching.size(), new Paging(current, pages),
                matrix.columns(filters), filters, catalog.all(), clusterProblems, reach.view(), clusterTokens,
                ProbeCommand.forPortal(urls.base(), "<upload token>"), reevaluation(cluster, reevaluated));
    }

    /** What the reading gave, or its exception as thrown (so a database outage is the outage page, as elsewhere). */
    private static <T> T joined(CompletableFuture<T> reading) {
        try {
            return reading.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** The re-evaluation the form's redirect names ({@code ?reevaluated=<audit event>}): this cluster's, for admins. */
    private AuditEvent reevaluation(Cluster cluster, Long eventId) {
        if (eventId == null || !user.isAdmin()) {
            return null;
        }
        return AuditEvent.<AuditEvent> findByIdOptional(eventId)
                .filter(e -> cluster.id.equals(e.clusterId) && AuditAction.REEVALUATE.equals(e.action)).orElse(null);
    }

    private java.time.Instant staleBefore() {
        return java.time.Instant.now().minus(config.staleAfter());
    }

    @POST
    @Path("{name}/settings")
    public Response updateSettings(@PathParam("name") String name, @RestForm String podCidr,
            @RestForm String serviceCidr, @RestForm String routingMode, @RestForm String nodeNetworks) {
        clusters.updateSettings(name, new ClusterService.Settings(podCidr, serviceCidr, routingMode, nodeNetworks));
        return Response.seeOther(URI.create("/clusters/" + name + "#settings")).build();
    }

    @POST
    @Path("{name}/reevaluate")
    public Response reevaluate(@PathParam("name") String name) {
        user.requireAdmin();
        Cluster cluster = clusters.findVisible(name);
        ReevaluationService.Outcome outcome = reevaluation.reevaluate(cluster, user.name());
        // PRG: the page after the redirect says what was done, from the audit event that records it
        return Response.seeOther(URI.create("/clusters/" + cluster.name + "?reevaluated=" + outcome.auditEventId())).build();
    }

    /**
     * Issues a token and redirects to the page that shows its secret once (POST-redirect-GET): a reload, the back button
     * or a bookmark of that page never issues another token.
     */
    @POST
    @Path("{name}/tokens")
    public Response issueToken(@PathParam("name") String name, @RestForm String tokenName) {
        user.requireAdmin();
        Cluster cluster = clusters.findVisible(name);
        UploadTokenService.PageIssue issued = tokens.issueForPage(cluster, tokenName, user.name());
        return Response.seeOther(URI.create("/clusters/" + cluster.name + "/tokens/" + issued.record().id
                + "/secret?once=" + issued.handle())).build();
    }

    /** Where the token form posts; a bookmark of it (or an old link) gets the tokens of the cluster page. */
    @GET
    @Path("{name}/tokens")
    public Response tokensBookmark(@PathParam("name") String name) {
        user.requireAdmin();
        return Response.seeOther(URI.create("/clusters/" + clusters.findVisible(name).name + "#tokens")).build();
    }

    /**
     * A new token's secret, shown once to the admin who issued it; opened again (or after {@link SecretViews#LIFETIME})
     * the page says the secret was shown and how to get a new token. Never cached: back does not show it either.
     */
    @GET
    @Path("{name}/tokens/{id}/secret")
    public Response tokenSecret(@PathParam("name") String name, @PathParam("id") long id,
            @org.jboss.resteasy.reactive.RestQuery String once) {
        user.requireAdmin();
        Cluster cluster = clusters.findVisible(name);
        UploadToken token = UploadToken.<UploadToken> findByIdOptional(id).filter(t -> t.clusterId.equals(cluster.id))
                .orElseThrow(() -> ProblemException.notFound("Cluster '" + cluster.name + "' has no token " + id + "."));
        String secret = secretViews.takeOnce(token.id, once, user.name()).orElse(null);
        String command = ProbeCommand.forPortal(urls.base(), secret == null ? "<upload token>" : secret);
        PageContext ctx = pages.context(secret == null ? "Token " + token.name : "Token issued");
        return Response.ok(Templates.tokenIssued(ctx, cluster, token, secret, command, SecretViews.LIFETIME.toMinutes()))
                .header("Cache-Control", "no-store").build();
    }

    @POST
    @Path("{name}/tokens/{id}/revoke")
    public Response revokeToken(@PathParam("name") String name, @PathParam("id") long id) {
        user.requireAdmin();
        Cluster cluster = clusters.findVisible(name);
        tokens.revoke(cluster, id, user.name());
        return Response.seeOther(URI.create("/clusters/" + cluster.name + "#tokens")).build();
    }

    /**
     * A report file uploaded in the browser, for nodes that cannot reach the portal (probe --output). Redirects to the
     * report, saying whether it is new or was stored before; a file that is no report gets an error page in the user's
     * words with a link back to this cluster.
     */
    @POST
    @Path("{name}/reports")
    public Response uploadReport(@PathParam("name") String name, @RestForm("report") FileUpload file,
            HttpServerRequest request) {
        user.requireAdmin();
        Cluster cluster = clusters.findVisible(name);
        if (file == null || file.uploadedFile() == null) {
            throw ProblemException.badRequest("Choose a report file (made with netready-probe.sh --output) to upload.")
                    .withBackLink("/clusters/" + cluster.name, "Back to " + cluster.name);
        }
        String address = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
        byte[] head = ReportFileProblem.head(file.uploadedFile());
        boolean gzip = isGzip(file);
        Stored stored;
        try (InputStream in = Files.newInputStream(file.uploadedFile())) {
            stored = uploads.upload(cluster, in, MediaType.APPLICATION_JSON, gzip ? "gzip" : null,
                    Origin.user(user.name(), address));
        } catch (ProblemException e) {
            throw ReportFileProblem.explain(e, head, gzip, cluster.name);
        } catch (IOException e) {
            throw ProblemException.badRequest("The uploaded file could not be read.")
                    .withBackLink("/clusters/" + cluster.name, "Back to " + cluster.name);
        }
        return Response.seeOther(URI.create("/reports/" + stored.reportId() + "?uploaded="
                + (stored.duplicate() ? ReportPage.UPLOADED_AGAIN : ReportPage.UPLOADED_NEW))).build();
    }

    private static boolean isGzip(FileUpload file) {
        try (InputStream in = Files.newInputStream(file.uploadedFile())) {
            return ReportFileProblem.isGzip(in.readNBytes(2));
        } catch (IOException e) {
            return false;
        }
    }
}
