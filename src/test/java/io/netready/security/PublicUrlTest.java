package io.netready.security;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.netready.support.BrowserSession;
import io.netready.support.Portal;
import io.netready.support.Probe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.oidc.server.OidcWireMock;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.RestAssured;

/**
 * With {@code netready.public-url} set, every command and link names it, whatever address the request came in on;
 * pages answer to its host (and, in tests, localhost) and to no other.
 */
@QuarkusTest
@TestProfile(PublicUrlTest.Configured.class)
@QuarkusTestResource(OidcWiremockTestResource.class)
class PublicUrlTest {

    static final String PUBLIC = "https://netready.example.test";

    public static class Configured implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("netready.public-url", PUBLIC + "/");
        }
    }

    @OidcWireMock
    WireMockServer provider;

    @Test
    void commandsAndLinksNameTheConfiguredUrl() {
        String cluster = Portal.createCluster("platform");
        String token = Portal.issueToken(cluster);
        BrowserSession admin = BrowserSession.login(provider, "alice", "admin", "team-platform");
        String command = "curl -fsSL " + PUBLIC + "/probe.sh | sh -s -- --server " + PUBLIC + " --token ";
        admin.given().get("/clusters/" + cluster).then().statusCode(200).body(containsString(command),
                not(containsString("localhost:" + RestAssured.port + "/probe.sh")));
        admin.given().header("Host", "netready.example.test").get("/clusters/" + cluster).then().statusCode(200)
                .body(containsString(command));
        admin.given().header("Host", "NetReady.Example.Test:443").get("/clusters").then().statusCode(200);
        admin.given().header("Host", "evil.example").get("/clusters/" + cluster).then().statusCode(421)
                .body(containsString("This portal answers at " + PUBLIC + "."));
        RestAssured.given().header("Host", "evil.example").header("Authorization", "Bearer " + token)
                .contentType("application/json").body(Probe.hostReportWithId(UUID.randomUUID().toString()))
                .post("/api/v1/reports").then().statusCode(201).body("url", startsWith(PUBLIC + "/reports/"));
    }
}
