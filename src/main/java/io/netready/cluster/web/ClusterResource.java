package io.netready.cluster.web;

import java.time.Instant;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

import io.netready.api.ProblemException;
import io.netready.cluster.Cluster;
import io.netready.cluster.ClusterService;
import io.netready.node.Node;
import io.netready.node.NodeService;
import io.netready.node.NodeSummary;
import io.netready.readiness.ReadinessService;
import io.netready.report.ReevaluationService;
import io.netready.rules.Verdict;
import io.netready.security.CurrentUser;
import io.netready.token.UploadToken;
import io.netready.token.UploadTokenService;
import io.netready.web.PortalUrls;

/** The JSON API for clusters and their upload tokens, for scripts with an OIDC bearer token. */
@Path("/api/v1/clusters")
public class ClusterResource {

    @Inject
    ClusterService clusters;

    @Inject
    NodeService nodes;

    @Inject
    UploadTokenService tokens;

    @Inject
    CurrentUser user;

    @Inject
    PortalUrls urls;

    @Inject
    ReadinessService readiness;

    @Inject
    ReevaluationService reevaluation;

    public record ClusterJson(String name, String team, String podCidr, String serviceCidr, String routingMode,
            String nodeNetworks, Instant createdAt, String createdBy, String url) {
    }

    public record TokenJson(long id, String name, String hint, Instant createdAt, String createdBy, Instant revokedAt,
            String revokedBy, Instant lastUsedAt, String lastUsedFrom) {

        static TokenJson of(UploadToken token) {
            return new TokenJson(token.id, token.name, token.tokenHint, token.createdAt, token.createdBy, token.revokedAt,
                    token.revokedBy, token.lastUsedAt, token.lastUsedFrom);
        }
    }

    /** Answer to issuing a token: the only time the token itself is shown. */
    public record IssuedTokenJson(TokenJson token, String secret, String probeCommand) {
    }

    public record NewTokenJson(String name) {
    }

    @GET
    public List<ClusterJson> list() {
        return clusters.listVisible().stream().map(this::json).toList();
    }

    @POST
    public Response create(ClusterService.NewCluster request) {
        Cluster cluster = clusters.create(request == null ? new ClusterService.NewCluster(null, null, null, null) : request);
        return Response.status(Response.Status.CREATED).entity(json(cluster)).build();
    }

    @GET
    @Path("{name}")
    public ClusterJson get(@PathParam("name") String name) {
        return json(clusters.findVisible(name));
    }

    /** Changes the pod CIDR, Service CIDR and routing mode; re-evaluate to apply them to stored reports. */
    @jakarta.ws.rs.PUT
    @Path("{name}/settings")
    public ClusterJson updateSettings(@PathParam("name") String name, ClusterService.Settings settings) {
        return json(clusters.updateSettings(name,
                settings == null ? new ClusterService.Settings(null, null, null) : settings));
    }

    /** Judges the cluster's stored reports again with the current rules and settings. */
    @POST
    @Path("{name}/reevaluate")
    public ReevaluationService.Outcome reevaluate(@PathParam("name") String name) {
        user.requireAdmin();
        return reevaluation.reevaluate(clusters.findVisible(name), user.name());
    }

    @GET
    @Path("{name}/nodes")
    public List<NodeSummary> nodes(@PathParam("name") String name) {
        return nodes.listForCluster(clusters.findVisible(name).id);
    }

    /** A node's current findings: its latest report's node rules and the cluster rules as the cluster stands now. */
    @GET
    @Path("{name}/nodes/{id}/findings")
    public ReadinessService.Judgement nodeFindings(@PathParam("name") String name, @PathParam("id") long id) {
        Cluster cluster = clusters.findVisible(name);
        Node node = Node.<Node> findByIdOptional(id).filter(n -> n.clusterId.equals(cluster.id))
                .orElseThrow(() -> ProblemException.notFound("Cluster '" + name + "' has no node " + id + "."));
        if (node.lastReportId == null) {
            return new ReadinessService.Judgement(Verdict.UNKNOWN, List.of());
        }
        return readiness.current(cluster.id, cluster.settings(), node.id, node.lastReportId);
    }

    @GET
    @Path("{name}/tokens")
    public List<TokenJson> listTokens(@PathParam("name") String name) {
        user.requireAdmin();
        return UploadToken.listForCluster(clusters.findVisible(name).id).stream().map(TokenJson::of).toList();
    }

    @POST
    @Path("{name}/tokens")
    public Response issueToken(@PathParam("name") String name, NewTokenJson request) {
        user.requireAdmin();
        Cluster cluster = clusters.findVisible(name);
        UploadTokenService.IssuedToken issued = tokens.issue(cluster, request == null ? null : request.name(), user.name());
        return Response.status(Response.Status.CREATED).entity(new IssuedTokenJson(TokenJson.of(issued.record()),
                issued.token(), ProbeCommand.forPortal(urls.base(), issued.token()))).build();
    }

    @DELETE
    @Path("{name}/tokens/{id}")
    public TokenJson revokeToken(@PathParam("name") String name, @PathParam("id") long id) {
        user.requireAdmin();
        return TokenJson.of(tokens.revoke(clusters.findVisible(name), id, user.name()));
    }

    private ClusterJson json(Cluster cluster) {
        return new ClusterJson(cluster.name, cluster.team, cluster.podCidr, cluster.serviceCidr, cluster.routingMode,
                cluster.nodeNetworks, cluster.createdAt,
                cluster.createdBy, urls.cluster(cluster.name));
    }
}
