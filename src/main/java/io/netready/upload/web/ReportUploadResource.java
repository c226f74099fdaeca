package io.netready.upload.web;

import java.io.InputStream;
import java.net.URI;

import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestHeader;

import io.netready.token.UploadTokenService;
import io.netready.token.UploadTokenService.UploadGrant;
import io.netready.upload.Origin;
import io.netready.upload.Stored;
import io.netready.upload.UploadReceipt;
import io.netready.upload.UploadService;
import io.netready.upload.UploadSummary;
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
    UploadService uploads;

    @Inject
    PortalUrls urls;

    @POST
    public Response upload(InputStream body, @RestHeader(HttpHeaders.AUTHORIZATION) String authorization,
            @RestHeader(HttpHeaders.CONTENT_TYPE) String contentType,
            @RestHeader(HttpHeaders.CONTENT_ENCODING) String contentEncoding,
            @RestHeader(HttpHeaders.ACCEPT) String accept, @RestHeader(Origin.UPLOAD_HEADER) String uploadKind,
            HttpServerRequest request) {
        String address = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
        UploadGrant grant = tokens.authenticate(authorization, address);
        Stored stored = uploads.upload(grant.cluster(), body, contentType, contentEncoding,
                Origin.token(grant.token().id, grant.token().name, address, uploadKind));
        UploadReceipt receipt = new UploadReceipt(stored.reportId(), grant.cluster().name, stored.hostname(),
                stored.nodeId(), stored.receivedAt(), stored.verdict().word(), stored.findings(), urls.report(stored.reportId()),
                stored.duplicate());
        Response.ResponseBuilder response = Response.status(stored.duplicate() ? Response.Status.OK : Response.Status.CREATED)
                .location(URI.create(receipt.url()));
        if (wantsText(accept)) {
            return response.type(MediaType.TEXT_PLAIN_TYPE.withCharset("UTF-8")).entity(UploadSummary.render(receipt)).build();
        }
        return response.type(MediaType.APPLICATION_JSON_TYPE).entity(receipt).build();
    }

    private static boolean wantsText(String accept) {
        return accept != null && accept.contains("text/plain") && !accept.contains("application/json");
    }
}
