package io.netready.waiver.web;

import java.net.URI;

import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;

import io.netready.cluster.ClusterService;
import io.netready.waiver.WaiverService;

/** The waiver forms of the node page: accept a finding for a node or the cluster; revoke a waiver. */
@Path("/clusters/{name}/waivers")
public class WaiverPage {

    @Inject
    ClusterService clusters;

    @Inject
    WaiverService waivers;

    @POST
    public Response create(@PathParam("name") String name, @RestForm String rule,
            @RestForm Long nodeId, @RestForm String scope, @RestForm String reason, @RestForm String expires) {
        waivers.create(clusters.findVisible(name),
                new WaiverService.NewWaiver(rule, nodeId, "cluster".equals(scope), reason, expires));
        return Response.seeOther(URI.create(nodeId == null ? "/clusters/" + name : "/nodes/" + nodeId)).build();
    }

    @POST
    @Path("{id}/revoke")
    public Response revoke(@PathParam("name") String name, @PathParam("id") long id, @RestForm Long nodeId) {
        waivers.revoke(clusters.findVisible(name), id);
        return Response.seeOther(URI.create(nodeId == null ? "/clusters/" + name : "/nodes/" + nodeId)).build();
    }
}
