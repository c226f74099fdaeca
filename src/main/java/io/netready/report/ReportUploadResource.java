package io.netready.report;

import java.io.InputStream;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestHeader;

import io.netready.cluster.Cluster;
import io.netready.readiness.ReadinessService;
import io.netready.token.UploadTokenService;
import io.netready.token.UploadTokenService.UploadGrant;
import io.netready.web.PortalUrls;
import io.vertx.core.http.HttpServerRequest;

/**
 * {@code POST /api/v1/reports}: where nodes upload, with an upload token instead of a login. Answers JSON, or a
 * human summary for {@code Accept: text/plain} (what the probe prints).
 */
@Path("/api/v1/reports")
public class ReportUploadResource {

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

    @POST
    public Response upload(InputStream body, @RestHeader(HttpHeaders.AUTHORIZATION) String authorization,
            @RestHeader(HttpHeaders.CONTENT_TYPE) String contentType,
            @RestHeader(HttpHeaders.CONTENT_ENCODING) String contentEncoding,
            @RestHeader(HttpHeaders.ACCEPT) String accept, HttpServerRequest request) {
        String address = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
        UploadGrant grant = tokens.authenticate(authorization, address);
        ReportReader.Read read = reader.read(body, contentType, contentEncoding);
        ReportDocument document = read.document();
        ReadinessService.NodeEvaluation evaluation = readiness.evaluateNode(document, grant.cluster());
        ReportIngestService.Stored stored = ingest.store(grant.cluster(), document, evaluation, read.bytes(),
                new ReportIngestService.Origin(grant.token().id, grant.token().name, null, address));
        UploadReceipt receipt = receipt(grant.cluster(), document, stored);
        Response.ResponseBuilder response = Response.status(stored.duplicate() ? Response.Status.OK : Response.Status.CREATED)
                .location(java.net.URI.create(receipt.url()));
        if (wantsText(accept)) {
            return response.type(MediaType.TEXT_PLAIN_TYPE.withCharset("UTF-8")).entity(UploadSummary.render(receipt)).build();
        }
        return response.type(MediaType.APPLICATION_JSON_TYPE).entity(receipt).build();
    }

    UploadReceipt receipt(Cluster cluster, ReportDocument document, ReportIngestService.Stored stored) {
        return new UploadReceipt(stored.reportId(), cluster.name, document.hostname(), stored.nodeId(), stored.receivedAt(),
                stored.verdict(), stored.findings(), urls.report(stored.reportId()), stored.duplicate());
    }

    private static boolean wantsText(String accept) {
        return accept != null && accept.contains("text/plain") && !accept.contains("application/json");
    }
}
