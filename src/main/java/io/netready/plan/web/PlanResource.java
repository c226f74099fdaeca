package io.netready.plan.web;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestQuery;

import io.netready.plan.PlanService;
import io.netready.plan.ReachabilityPlan;
import io.netready.token.UploadTokenService;
import io.netready.token.UploadTokenService.UploadGrant;
import io.vertx.core.http.HttpServerRequest;

/**
 * {@code GET /api/v1/plan?node=HOSTNAME}: the peers a node tries to connect to before it uploads, with the cluster's
 * upload token (the same authentication, rate and cluster scope as uploads).
 */
@Path("/api/v1/plan")
public class PlanResource {

    @Inject
    UploadTokenService tokens;

    @Inject
    PlanService plans;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public ReachabilityPlan plan(@RestQuery String node, @RestHeader(HttpHeaders.AUTHORIZATION) String authorization,
            HttpServerRequest request) {
        String address = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
        UploadGrant grant = tokens.authenticate(authorization, address);
        return plans.plan(grant.cluster(), node);
    }
}
