package io.netready.audit;

import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestQuery;

import io.netready.config.NetreadyConfig;
import io.netready.retention.RetentionPolicy;
import io.netready.security.CurrentUser;
import io.netready.web.PageContext;
import io.netready.web.Pages;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** {@code /audit} (admins): the audit trail, filtered by action, actor and cluster; and its CSV export. */
@Path("/")
public class AuditPage {

    static final int PAGE = 500;
    static final int EXPORT = 100_000;

    @Inject
    Pages pages;

    @Inject
    CurrentUser user;

    @Inject
    AuditLog audit;

    @Inject
    NetreadyConfig config;

    /** The filters as given, for the form and the export link. */
    public record Filters(String action, String actor, String cluster) {

        public String query() {
            return "action=" + encode(action) + "&actor=" + encode(actor) + "&cluster=" + encode(cluster);
        }

        private static String encode(String value) {
            return value == null ? "" : java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance audit(PageContext ctx, List<AuditEvent> events, Filters filters, List<String> actions,
                int limit, String retention);
    }

    @GET
    @Path("audit")
    public TemplateInstance page(@RestQuery String action, @RestQuery String actor, @RestQuery String cluster) {
        PageContext ctx = pages.context("Audit log");
        user.requireAdmin();
        return Templates.audit(ctx, audit.search(action, actor, cluster, PAGE), new Filters(action, actor, cluster),
                AuditAction.ALL, PAGE, RetentionPolicy.of(config).sentence());
    }

    @GET
    @Path("audit.csv")
    public Response csv(@RestQuery String action, @RestQuery String actor, @RestQuery String cluster) {
        pages.context("audit");
        user.requireAdmin();
        StringBuilder csv = new StringBuilder("when,who,action,cluster,target,detail,from\r\n");
        for (AuditEvent e : audit.search(action, actor, cluster, EXPORT)) {
            csv.append(cell(e.at.toString())).append(',').append(cell(e.actor)).append(',').append(cell(e.action)).append(',')
                    .append(cell(e.clusterName)).append(',').append(cell(e.target)).append(',').append(cell(e.detail))
                    .append(',').append(cell(e.address)).append("\r\n");
        }
        return Response.ok(csv.toString(), "text/csv; charset=utf-8")
                .header("Content-Disposition", "attachment; filename=\"netready-audit.csv\"").build();
    }

    /**
     * One CSV cell, RFC 4180 quoted. Cells that a spreadsheet would run as a formula (=, +, -, @) get a leading
     * apostrophe: audit values come from users and nodes.
     */
    static String cell(String value) {
        if (value == null) {
            return "";
        }
        String v = value;
        if (!v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0) {
            v = "'" + v;
        }
        return "\"" + v.replace("\"", "\"\"") + "\"";
    }
}
