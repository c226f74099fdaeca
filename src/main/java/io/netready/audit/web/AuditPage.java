package io.netready.audit.web;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import org.jboss.resteasy.reactive.RestQuery;

import io.netready.audit.AuditAction;
import io.netready.audit.AuditEvent;
import io.netready.audit.AuditLog;
import io.netready.config.NetreadyConfig;
import io.netready.retention.RetentionPolicy;
import io.netready.security.CurrentUser;
import io.netready.web.PageContext;
import io.netready.web.Pages;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** {@code /audit} (admins): the audit trail, filtered by action, actor and cluster; and its CSV export, streamed. */
@Path("/")
public class AuditPage {

    static final int PAGE = 500;

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
        StreamingOutput csv = out -> {
            Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            writer.write("when,who,action,cluster,target,detail,from\r\n");
            audit.export(action, actor, cluster, (at, who, what, clusterName, target, detail, address) -> writer
                    .write(cell(at.toString()) + ',' + cell(who) + ',' + cell(what) + ',' + cell(clusterName) + ','
                            + cell(target) + ',' + cell(detail) + ',' + cell(address) + "\r\n"));
            writer.flush();
        };
        return Response.ok(csv, "text/csv; charset=utf-8")
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
