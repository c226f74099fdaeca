package io.netready.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import io.netready.api.ProblemException;
import io.netready.node.NodeService;
import io.netready.readiness.ReadinessService;
import io.netready.node.NodeSummary;
import io.netready.report.ReportDocument;
import io.netready.report.ReportIngestService;
import io.netready.report.ReportReader;
import io.netready.security.CurrentUser;
import io.netready.token.UploadToken;
import io.netready.token.UploadTokenService;
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
    ReportReader reader;

    @Inject
    ReportIngestService ingest;

    @Inject
    PortalUrls urls;

    @Inject
    ReadinessService readiness;

    @Inject
    io.netready.readiness.ReevaluationService reevaluation;

    /** One line of the clusters list. */
    public record ClusterRow(Cluster cluster, long nodes, java.time.Instant lastUpload) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(PageContext ctx, List<ClusterRow> clusters);

        static native TemplateInstance detail(PageContext ctx, Cluster cluster, List<NodeSummary> nodes,
                List<UploadToken> tokens, String probeCommand);

        static native TemplateInstance tokenIssued(PageContext ctx, Cluster cluster, UploadToken token, String secret,
                String probeCommand);
    }

    @GET
    public TemplateInstance list() {
        PageContext ctx = pages.context("Clusters");
        Map<Long, NodeService.ClusterActivity> activity = nodes.activityByCluster();
        List<ClusterRow> rows = clusters.listVisible().stream().map(cluster -> {
            NodeService.ClusterActivity a = activity.get(cluster.id);
            return new ClusterRow(cluster, a == null ? 0 : a.nodes(), a == null ? null : a.lastUpload());
        }).toList();
        return Templates.list(ctx, rows);
    }

    @POST
    public Response create(@RestForm String csrf, @RestForm String name, @RestForm String team,
            @RestForm String podCidr, @RestForm String serviceCidr, @RestForm String routingMode) {
        pages.verifyForm(csrf);
        Cluster cluster = clusters.create(new ClusterService.NewCluster(name, team, podCidr, serviceCidr, routingMode));
        return Response.seeOther(URI.create("/clusters/" + cluster.name)).build();
    }

    @GET
    @Path("{name}")
    public TemplateInstance detail(@PathParam("name") String name) {
        Cluster cluster = clusters.findVisible(name);
        PageContext ctx = pages.context(cluster.name);
        List<UploadToken> clusterTokens = user.isAdmin() ? UploadToken.listForCluster(cluster.id) : List.of();
        return Templates.detail(ctx, cluster, nodes.listForCluster(cluster.id), clusterTokens,
                ProbeCommand.forPortal(urls.base(), "<upload token>"));
    }

    @POST
    @Path("{name}/settings")
    public Response updateSettings(@PathParam("name") String name, @RestForm String csrf, @RestForm String podCidr,
            @RestForm String serviceCidr, @RestForm String routingMode) {
        pages.verifyForm(csrf);
        clusters.updateSettings(name, new ClusterService.Settings(podCidr, serviceCidr, routingMode));
        return Response.seeOther(URI.create("/clusters/" + name + "#settings")).build();
    }

    @POST
    @Path("{name}/reevaluate")
    public Response reevaluate(@PathParam("name") String name, @RestForm String csrf) {
        pages.verifyForm(csrf);
        user.requireAdmin();
        reevaluation.reevaluate(clusters.findVisible(name));
        return Response.seeOther(URI.create("/clusters/" + name)).build();
    }

    @POST
    @Path("{name}/tokens")
    public TemplateInstance issueToken(@PathParam("name") String name, @RestForm String csrf, @RestForm String tokenName) {
        pages.verifyForm(csrf);
        user.requireAdmin();
        Cluster cluster = clusters.findVisible(name);
        UploadTokenService.IssuedToken issued = tokens.issue(cluster, tokenName, user.name());
        return Templates.tokenIssued(pages.context("Token issued"), cluster, issued.record(), issued.token(),
                ProbeCommand.forPortal(urls.base(), issued.token()));
    }

    @POST
    @Path("{name}/tokens/{id}/revoke")
    public Response revokeToken(@PathParam("name") String name, @PathParam("id") long id, @RestForm String csrf) {
        pages.verifyForm(csrf);
        user.requireAdmin();
        Cluster cluster = clusters.findVisible(name);
        tokens.revoke(cluster, id, user.name());
        return Response.seeOther(URI.create("/clusters/" + cluster.name + "#tokens")).build();
    }

    /** A report file uploaded in the browser, for nodes that cannot reach the portal (probe --output). */
    @POST
    @Path("{name}/reports")
    public Response uploadReport(@PathParam("name") String name, @RestForm String csrf, @RestForm("report") FileUpload file,
            HttpServerRequest request) {
        pages.verifyForm(csrf);
        user.requireAdmin();
        Cluster cluster = clusters.findVisible(name);
        if (file == null || file.uploadedFile() == null) {
            throw ProblemException.badRequest("Choose a report file (made with netready-probe.sh --output) to upload.");
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file.uploadedFile())) {
            bytes = reader.readBody(in, MediaType.APPLICATION_JSON, isGzip(file) ? "gzip" : null);
        } catch (IOException e) {
            throw ProblemException.badRequest("The uploaded file could not be read.");
        }
        ReportDocument document = reader.parse(bytes);
        ReadinessService.NodeEvaluation evaluation = readiness.evaluateNode(document, cluster);
        String address = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
        ReportIngestService.Stored stored = ingest.store(cluster, document, evaluation, bytes.length,
                new ReportIngestService.Origin(null, user.name(), address));
        return Response.seeOther(URI.create("/reports/" + stored.reportId())).build();
    }

    private static boolean isGzip(FileUpload file) {
        try (InputStream in = Files.newInputStream(file.uploadedFile())) {
            return in.read() == 0x1f && in.read() == 0x8b;
        } catch (IOException e) {
            return false;
        }
    }
}
