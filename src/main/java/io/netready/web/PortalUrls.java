package io.netready.web;

import java.util.regex.Pattern;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

import io.netready.config.NetreadyConfig;
import io.vertx.core.http.HttpServerRequest;

/** Absolute links to the portal: from netready.public-url when set, else from the request being answered. */
@RequestScoped
public class PortalUrls {

    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.-]{1,253}(:\\d{1,5})?|\\[[0-9A-Fa-f:.]{2,45}](:\\d{1,5})?");

    @Inject
    NetreadyConfig config;

    @Inject
    HttpServerRequest request;

    public String base() {
        return config.publicUrl().filter(url -> !url.isBlank())
                .map(url -> url.endsWith("/") ? url.substring(0, url.length() - 1) : url)
                .orElseGet(this::fromRequest);
    }

    private String fromRequest() {
        String host = request.host();
        // The Host header is the client's to choose; anything but a plain host[:port] is not echoed.
        if (host == null || !HOST.matcher(host).matches()) {
            host = "localhost";
        }
        return request.scheme() + "://" + host;
    }

    public String report(long id) {
        return base() + "/reports/" + id;
    }

    public String cluster(String name) {
        return base() + "/clusters/" + name;
    }

    public String probe() {
        return base() + "/probe.sh";
    }
}
