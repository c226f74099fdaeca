package io.netready.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import com.github.tomakehurst.wiremock.client.WireMock;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;

/**
 * The tests' OIDC server (WireMock, {@link OidcWiremockTestResource}) reached only through a {@link TcpProxy}, so a
 * test can take the provider away and bring it back. Realm {@code outage} is realm {@code quarkus} with every endpoint
 * of its discovery document at the proxy: discovery, keys, token endpoint, everything goes through it.
 * {@link #proxy()} is the running proxy; the WireMock server is injected into {@code @OidcWireMock} fields.
 */
public class ProviderBehindProxy implements QuarkusTestResourceLifecycleManager {

    private static volatile TcpProxy proxy;
    private final OidcWiremockTestResource provider = new OidcWiremockTestResource();
    private boolean refusingAtStart;

    @Override
    public void init(Map<String, String> args) {
        refusingAtStart = "refuse".equals(args.get("start"));
    }

    public static TcpProxy proxy() {
        return proxy;
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> started = provider.start();
        URI direct = URI.create(started.get("keycloak.url"));
        try {
            proxy = TcpProxy.forwardingTo(new InetSocketAddress("127.0.0.1", direct.getPort()));
            String base = direct.getScheme() + "://" + direct.getHost() + ":" + direct.getPort();
            String discovery = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(base + "/auth/realms/quarkus/.well-known/openid-configuration")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            new WireMock(direct.getHost(), direct.getPort()).register(WireMock.get(WireMock.urlEqualTo(
                    "/auth/realms/outage/.well-known/openid-configuration"))
                    .willReturn(WireMock.okJson(discovery.replace(base, proxy.url()))));
            if (refusingAtStart) {
                proxy.refuse();
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return Map.of("quarkus.oidc.auth-server-url", proxy.url() + "/auth/realms/outage/");
    }

    @Override
    public void inject(TestInjector testInjector) {
        provider.inject(testInjector);
    }

    @Override
    public void stop() {
        try {
            if (proxy != null) {
                proxy.close();
            }
        } catch (IOException e) {
            // the proxy is going away with the test
        }
        provider.stop();
    }
}
