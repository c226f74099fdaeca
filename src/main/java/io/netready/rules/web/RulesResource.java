package io.netready.rules.web;

import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

import io.netready.api.ProblemException;
import io.netready.rules.RuleInfo;
import io.netready.rules.catalog.RuleCatalog;
import io.netready.security.CurrentUser;

/** {@code GET /api/v1/rules}: the rule catalog, whose ids are a public contract. */
@Path("/api/v1/rules")
public class RulesResource {

    @Inject
    RuleCatalog catalog;

    @Inject
    CurrentUser user;

    public record CatalogJson(String version, List<RuleInfo> rules) {
    }

    @GET
    public CatalogJson list() {
        user.requireMember();
        return new CatalogJson(RuleCatalog.VERSION, catalog.all());
    }

    @GET
    @Path("{id}")
    public RuleInfo get(@PathParam("id") String id) {
        user.requireMember();
        return catalog.find(id).orElseThrow(() -> ProblemException.notFound("No rule '" + id + "'."));
    }
}
