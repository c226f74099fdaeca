package io.netready.security;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.netready.logging.LogLineFilter;
import io.netready.support.BrowserSession;
import io.netready.support.LogCapture;
import io.netready.support.Portal;
import io.netready.support.Probe;
import io.netready.support.ProviderBehindProxy;
import io.netready.support.TcpProxy;
import io.netready.support.Users;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.oidc.server.OidcWireMock;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.smallrye.jwt.build.Jwt;

/**
 * The sign-in provider goes away while the portal runs: the tests' OIDC server behind a loopback proxy
 * ({@link ProviderBehindProxy}) that the test stops (connections refused), makes hang (accepted, never answered) and
 * starts again. The portal had discovered the provider and fetched its keys at start, so what needs no provider keeps
 * working: signed-in sessions, bearer tokens signed with the keys it has, uploads and plans with upload tokens. What
 * needs the provider (a login's code exchange, a token signed with a key the portal has not seen) answers 503 with
 * Retry-After and no internals; /api without a token 401 problem+json; one WARN for the outage; and it recovers by
 * itself.
 */
@QuarkusTest
@TestProfile(ProviderOutageTest.BehindProxy.class)
class ProviderOutageTest {

    /** The portal with its own provider behind the proxy, and none of the other tests' providers. */
    public static class BehindProxy implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(ProviderBehindProxy.class));
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }
    }

    @OidcWireMock
    WireMockServer provider;

    @Test
    void whatNeedsNoProviderKeepsWorkingTheRestAnswers503AndItRecovers() throws Exception {
        TcpProxy proxy = ProviderBehindProxy.proxy();
        String cluster = Portal.createCluster("platform");
        String token = Portal.issueToken(cluster);
        BrowserSession admin = BrowserSession.login(provider, "alice", "admin", "team-platform");
        admin.given().get("/clusters").then().statusCode(200);
        // a token signed with a key the portal has not seen: it asks the provider for its keys again (at most every
        // 10 minutes, quarkus.oidc.token.forced-jwk-refresh-interval), so it is sent once, during the outage
        String rotated = tokenSignedWithUnpublishedKey();

        try (LogCapture log = LogCapture.start()) {
            proxy.refuse();
            admin.given().get("/clusters").then().statusCode(200).body(containsString(cluster));
            signInUnavailable(BrowserSession.anonymous().signIn(provider, "bob", "viewer", "team-platform"), proxy);
            apiWithoutToken(RestAssured.given().get("/api/v1/clusters"));
            RestAssured.given().auth().oauth2(Users.admin()).get("/api/v1/clusters").then().statusCode(200);
            apiUnavailable(RestAssured.given().auth().oauth2(rotated).get("/api/v1/clusters"), proxy);
            uploadsGoOn(token);

            proxy.hang();
            admin.given().get("/clusters").then().statusCode(200);
            RestAssured.given().auth().oauth2(Users.admin()).get("/api/v1/clusters").then().statusCode(200);
            apiWithoutToken(RestAssured.given().get("/api/v1/clusters"));
            uploadsGoOn(token);

            proxy.forward();
            BrowserSession bob = BrowserSession.login(provider, "bob", "viewer", "team-platform");
            bob.given().get("/clusters").then().statusCode(200);
            assertOneWarningForTheOutage(log.records());
            assertTrue(log.records().stream().anyMatch(r -> LogCapture.message(r).contains("is reachable again")),
                    "the end of the outage is logged");
        }
    }

    /** A JWT like the provider's, but signed with a key pair made here, whose key id the provider never published. */
    static String tokenSignedWithUnpublishedKey() throws NoSuchAlgorithmException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return Jwt.preferredUserName("alice").groups(Set.of("admin", "team-platform")).issuer("https://server.example.com")
                .audience("https://server.example.com").jws().keyId("rotated-" + UUID.randomUUID())
                .sign(generator.generateKeyPair().getPrivate());
    }

    /** A page that needs the provider: 503, the portal's own page, Retry-After, and nothing of the internals. */
    static void signInUnavailable(Response page, TcpProxy proxy) {
        page.then().statusCode(503).header("Retry-After", "30").contentType(containsString("text/html"))
                .body(containsString("Sign-in provider unreachable"), containsString("Try again in 30 seconds"),
                        not(containsString("Exception")), not(containsString("OIDC")), not(containsString("\tat ")),
                        not(containsString(String.valueOf(proxy.port()))));
    }

    /** /api with a token the portal cannot check without the provider: 503 problem+json with Retry-After. */
    static void apiUnavailable(Response answer, TcpProxy proxy) {
        answer.then().statusCode(503).header("Retry-After", "30").contentType("application/problem+json")
                .body("status", equalTo(503), "title", equalTo("Service Unavailable"))
                .body(not(containsString("Exception")), not(containsString(String.valueOf(proxy.port()))));
    }

    /** /api without a token: 401 problem+json, provider or not. */
    static void apiWithoutToken(Response answer) {
        answer.then().statusCode(401).contentType("application/problem+json").header("WWW-Authenticate", "Bearer")
                .body("status", equalTo(401));
    }

    /** Nodes upload and fetch their plans with upload tokens: no provider involved. */
    static void uploadsGoOn(String token) {
        String node = Portal.upload(token, Probe.hostReportWithId(UUID.randomUUID().toString())).then().statusCode(201)
                .extract().path("node");
        RestAssured.given().header("Authorization", "Bearer " + token).queryParam("node", node).get("/api/v1/plan")
                .then().statusCode(200);
    }

    /** What the log shows (through the portal's log filter, as the console prints it): one warning, the portal's. */
    static void assertOneWarningForTheOutage(List<LogRecord> records) {
        LogLineFilter filter = new LogLineFilter(false);
        List<String> warnings = records.stream().filter(r -> r.getLevel().intValue() >= Level.WARNING.intValue())
                .filter(filter::isLoggable).map(r -> r.getLoggerName() + ": " + LogCapture.message(r)).toList();
        assertEquals(1, warnings.size(), "one warning for the outage: " + warnings);
        assertTrue(warnings.get(0).startsWith("io.netready.web.OutageLog: ") && warnings.get(0).contains("not reachable"),
                warnings.toString());
    }
}
