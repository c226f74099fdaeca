package io.netready.web;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;

import io.netready.config.NetreadyConfig;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;

/**
 * Absolute links to the portal, from configuration only ({@code netready.public-url}, env {@code NETREADY_PUBLIC_URL}):
 * never from a request's Host header, which the client chooses. They go into the commands users copy and run as root
 * on their nodes. Production must set it; dev mode and tests default to {@code http://localhost:<port>}.
 */
@ApplicationScoped
public class PortalUrls {

    /** Names the setting in messages. */
    public static final String VARIABLE = "NETREADY_PUBLIC_URL";

    @Inject
    NetreadyConfig config;

    private volatile String base;

    /** Fails the start on a public URL that is not an absolute http(s) address, or on none at all in production. */
    void check(@Observes StartupEvent start) {
        Optional<String> configured = configured();
        if (configured.isEmpty() && LaunchMode.current() == LaunchMode.NORMAL) {
            throw new IllegalStateException(VARIABLE + " is '" + config.publicUrl() + "': set it to the address nodes and "
                    + "browsers use to reach the portal (netready.public-url), e.g. https://netready.example.com");
        }
        configured.ifPresent(PortalUrls::parse);
        var settings = ConfigProvider.getConfig();
        boolean forwarding = settings.getOptionalValue("quarkus.http.proxy.proxy-address-forwarding", Boolean.class)
                .orElse(false);
        if (forwarding && settings.getOptionalValue("quarkus.http.proxy.trusted-proxies", String.class)
                .filter(list -> !list.isBlank()).isEmpty()) {
            throw new IllegalStateException("NETREADY_PROXY_FORWARDING=true needs NETREADY_TRUSTED_PROXIES, the addresses "
                    + "of the proxies whose X-Forwarded-* headers count; without it every client could set them");
        }
    }

    /** {@code https://netready.example.com}, without a trailing slash. */
    public String base() {
        String known = base;
        if (known == null) {
            known = configured().map(url -> parse(url).toString()).orElseGet(PortalUrls::localhost);
            known = known.endsWith("/") ? known.substring(0, known.length() - 1) : known;
            base = known;
        }
        return known;
    }

    /** The host name of {@link #base()}, lower case: the only one pages answer to in production. */
    public String host() {
        return URI.create(base()).getHost().toLowerCase(Locale.ROOT);
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

    private Optional<String> configured() {
        return Optional.of(config.publicUrl().strip()).filter(url -> !url.isEmpty() && !url.equals(NetreadyConfig.AUTO_PUBLIC_URL));
    }

    private static URI parse(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(VARIABLE + " is not a URL: " + e.getMessage());
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
                || uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            throw new IllegalStateException(VARIABLE + " must be an http(s) address with a host and no query, e.g. "
                    + "https://netready.example.com (it is '" + url + "')");
        }
        return uri;
    }

    /** Dev mode and tests: the port this portal listens on (a random one in tests), on localhost. */
    private static String localhost() {
        String property = LaunchMode.current() == LaunchMode.TEST ? "quarkus.http.test-port" : "quarkus.http.port";
        int port = ConfigProvider.getConfig().getOptionalValue(property, Integer.class).orElse(8080);
        return "http://localhost:" + port;
    }
}
