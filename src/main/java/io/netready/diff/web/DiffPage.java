package io.netready.diff.web;

import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestQuery;

import io.netready.api.ProblemException;
import io.netready.diff.DiffService;
import io.netready.diff.ReportDiff;
import io.netready.web.PageContext;
import io.netready.web.Pages;
import io.netready.web.PortalUrls;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** {@code /diff?from=&to=}: what changed between two runs of a node, or between two nodes; and its Markdown export. */
@Path("/")
public class DiffPage {

    @Inject
    Pages pages;

    @Inject
    DiffService diffs;

    @Inject
    PortalUrls urls;

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance diff(PageContext ctx, DiffService.Comparison c, List<ReportDiff.GroupDiff> changed,
                String permalink);
    }

    @GET
    @Path("diff")
    public TemplateInstance diff(@RestQuery Long from, @RestQuery Long to) {
        DiffService.Comparison c = diffs.compare(required(from, "from"), required(to, "to"));
        return Templates.diff(pages.context("Diff"), c, c.diff().facts().stream().filter(g -> !g.isEmpty()).toList(),
                permalink(from, to));
    }

    @GET
    @Path("diff.md")
    public Response markdown(@RestQuery Long from, @RestQuery Long to) {
        DiffService.Comparison c = diffs.compare(required(from, "from"), required(to, "to"));
        pages.context("diff");
        return Response.ok(DiffService.markdown(c, permalink(from, to)), "text/markdown; charset=utf-8")
                .header("Content-Disposition", "attachment; filename=\"netready-diff-" + from + "-" + to + ".md\"").build();
    }

    private String permalink(Long from, Long to) {
        return urls.base() + "/diff?from=" + from + "&to=" + to;
    }

    private static long required(Long value, String name) {
        if (value == null) {
            throw ProblemException.badRequest("Say which reports to compare: /diff?from=<report id>&to=<report id> (" + name
                    + " is missing).");
        }
        return value;
    }
}
