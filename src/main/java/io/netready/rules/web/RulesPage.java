package io.netready.rules.web;

import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

import io.netready.rules.RuleInfo;
import io.netready.rules.catalog.RuleCatalog;
import io.netready.web.PageContext;
import io.netready.web.Pages;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** {@code /rules}: what each rule checks, where it applies, how to fix it and where it comes from. */
@Path("/rules")
public class RulesPage {

    @Inject
    Pages pages;

    @Inject
    RuleCatalog catalog;

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance rules(PageContext ctx, String version, List<RuleInfo> rules);
    }

    @GET
    public TemplateInstance rules() {
        return Templates.rules(pages.context("Rules"), RuleCatalog.VERSION, catalog.all());
    }
}
