package io.netready.waiver.web;

import java.time.Instant;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

import io.netready.cluster.ClusterService;
import io.netready.waiver.Waiver;
import io.netready.waiver.WaiverService;

/** The JSON API for waivers. */
@Path("/api/v1/clusters/{name}/waivers")
public class WaiverResource {

    @Inject
    ClusterService clusters;

    @Inject
    WaiverService waivers;

    public record WaiverJson(long id, String rule, Long nodeId, String reason, Instant expiresAt, Instant createdAt,
            String createdBy, Instant revokedAt, String revokedBy) {

        static WaiverJson of(Waiver w) {
            return new WaiverJson(w.id, w.rule, w.nodeId, w.reason, w.expiresAt, w.createdAt, w.createdBy, w.revokedAt,
                    w.revokedBy);
        }
    }

    /** The cluster's waivers in force. */
    @GET
    public List<WaiverJson> list(@PathParam("name") String name) {
        return Waiver.activeForCluster(clusters.findVisible(name).id).stream().map(WaiverJson::of).toList();
    }

    /** {@code {rule, nodeId | wholeCluster: true, reason, expires: "2026-12-31"}} */
    @POST
    public Response create(@PathParam("name") String name, WaiverService.NewWaiver request) {
        Waiver waiver = waivers.create(clusters.findVisible(name),
                request == null ? new WaiverService.NewWaiver(null, null, false, null, null) : request);
        return Response.status(Response.Status.CREATED).entity(WaiverJson.of(waiver)).build();
    }

    @DELETE
    @Path("{id}")
    public WaiverJson revoke(@PathParam("name") String name, @PathParam("id") long id) {
        return WaiverJson.of(waivers.revoke(clusters.findVisible(name), id));
    }
}
