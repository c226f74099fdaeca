package io.netready.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

/** {@code GET /probe.sh}: the node probe, served without login so nodes can {@code curl | sh} it. */
@Path("/probe.sh")
public class ProbeScriptResource {

    static final String RESOURCE = "/probe/netready-probe.sh";
    private static final byte[] SCRIPT = load();

    @GET
    public Response script() {
        return Response.ok(SCRIPT, "text/x-shellscript; charset=utf-8")
                .header("Content-Disposition", "inline; filename=\"netready-probe.sh\"")
                .header("Cache-Control", "no-cache")
                .build();
    }

    private static byte[] load() {
        try (InputStream in = ProbeScriptResource.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("The probe script " + RESOURCE + " is not on the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
