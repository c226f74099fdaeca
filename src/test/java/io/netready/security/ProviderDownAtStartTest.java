package io.netready.security;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.netready.support.BrowserSession;
import io.netready.support.LogCapture;
import io.netready.support.ProviderBehindProxy;
import io.netready.support.TcpProxy;
import io.netready.support.Users;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.oidc.server.OidcWireMock;
import io.restassured.RestAssured;

/**
 * The portal starts while its sign-in provider is unreachable (the proxy of {@link ProviderBehindProxy} refuses
 * connections from the start): quarkus-oidc cannot discover it and tries again on each request. Every page answers 503
 * with the portal's own page and Retry-After, /api 401 without a token and 503 with one, uploads go on; no line per
 * request in the log; when the provider comes up, the portal signs users in without a restart.
 */
@QuarkusTest
@TestProfile(ProviderDownAtStartTest.DownAtStart.class)
class ProviderDownAtStartTest {

    /** The bootstrap cluster's upload token of the test profile (application.properties). */
    private static final String UPLOAD_TOKEN = "nrt_test-bootstrap-token-0123456789abcdef";

    public static class DownAtStart implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(ProviderBehindProxy.class, Map.of("start", "refuse")));
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }
    }

    @OidcWireMock
    WireMockServer provider;

    @Test
    void pagesAnswer503UploadsGoOnAndTheFirstLoginAfterItWorks() throws java.io.IOException {
        TcpProxy proxy = ProviderBehindProxy.proxy();
        try (LogCapture log = LogCapture.start()) {
            for (int round = 0; round < 3; round++) {
                for (String page : List.of("/", "/clusters", "/rules", "/audit", "/diff?from=1&to=2", "/reports/1/fix.sh")) {
                    ProviderOutageTest.signInUnavailable(RestAssured.given().redirects().follow(false).get(page), proxy);
                }
                ProviderOutageTest.apiWithoutToken(RestAssured.given().get("/api/v1/clusters"));
                ProviderOutageTest.apiUnavailable(RestAssured.given().auth().oauth2(Users.admin()).get("/api/v1/clusters"),
                        proxy);
                ProviderOutageTest.uploadsGoOn(UPLOAD_TOKEN);
            }
            long warnings = log.records().stream().filter(r -> r.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue())
                    .filter(new io.netready.logging.LogLineFilter(false)::isLoggable).count();
            // the outage was logged once, when it began at start; the 27 requests since add nothing
            assertTrue(warnings <= 1, "no warning per request: " + warnings);

            proxy.forward();
            RestAssured.given().auth().oauth2(Users.admin()).get("/api/v1/clusters").then().statusCode(200);
            BrowserSession admin = BrowserSession.login(provider, "alice", "admin", "team-platform");
            admin.given().get("/clusters").then().statusCode(200);
            ProviderOutageTest.apiWithoutToken(RestAssured.given().get("/api/v1/clusters"));
            assertTrue(log.records().stream().anyMatch(r -> LogCapture.message(r).contains("is reachable again")),
                    "the end of the outage is logged");
        }
    }
}
