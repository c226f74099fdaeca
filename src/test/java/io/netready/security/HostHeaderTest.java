package io.netready.security;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.netready.support.BrowserSession;
import io.netready.support.Portal;
import io.netready.support.Probe;
import io.netready.support.Users;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWireMock;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;

/**
 * The Host header is the client's to choose, so nothing a user copies is built from it: with no public URL configured
 * (tests default to http://localhost:&lt;port&gt;) a request with {@code Host: evil.example} gets 421 from every page,
 * and the upload answer, the token's probe command and the Markdown links name the portal's own address.
 */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class HostHeaderTest {

    private static final String EVIL = "evil.example";

    @OidcWireMock
    WireMockServer provider;

    @Test
    void pagesAnswer421ToAForeignHostAndNothingNamesIt() {
        String own = "http://localhost:" + RestAssured.port;
        String cluster = Portal.createCluster("platform");
        String token = Portal.issueToken(cluster);
        long from = Portal.upload(token, Probe.hostReportWithId(UUID.randomUUID().toString())).then().statusCode(201)
                .extract().jsonPath().getLong("id");
        BrowserSession admin = BrowserSession.login(provider, "alice", "admin", "team-platform");

        // the cluster page as asked for: its probe command is the portal's own address
        admin.given().get("/clusters/" + cluster).then().statusCode(200).body(containsString(
                "curl -fsSL " + own + "/probe.sh | sh -s -- --server " + own + " --token &lt;upload token&gt;"));
        // another Host, or a forwarded one from a client no proxy setting trusts: 421, or the own address
        for (String page : new String[] { "/clusters/" + cluster, "/clusters", "/diff.md?from=" + from + "&to=" + from,
                "/reports/" + from + "/fix.sh", "/" }) {
            admin.given().header("Host", EVIL).get(page).then().statusCode(421)
                    .contentType(containsString("text/html")).body(not(containsString(EVIL)), containsString(own));
        }
        admin.given().header("Host", EVIL + ":" + RestAssured.port).get("/clusters").then().statusCode(421);
        admin.given().header("X-Forwarded-Host", EVIL).header("Forwarded", "host=" + EVIL).get("/clusters/" + cluster)
                .then().statusCode(200).body(not(containsString(EVIL)), containsString("--server " + own + " "));
        // no sign-in is started for a foreign host: no redirect_uri built from it
        RestAssured.given().redirects().follow(false).header("Host", EVIL).get("/clusters").then().statusCode(421)
                .header("Location", org.hamcrest.Matchers.nullValue());
        String login = RestAssured.given().redirects().follow(false).get("/clusters").then().statusCode(302)
                .extract().header("Location");
        assertTrue(login.contains("redirect_uri=" + java.net.URLEncoder.encode(own + "/clusters",
                java.nio.charset.StandardCharsets.UTF_8)), login);

        // the API answers any host (nodes use whatever address routes to the portal), with the portal's own links
        io.restassured.response.Response upload = RestAssured.given().header("Host", EVIL)
                .header("Authorization", "Bearer " + token).contentType(ContentType.JSON)
                .body(Probe.hostReportWithId(UUID.randomUUID().toString())).post("/api/v1/reports");
        upload.then().statusCode(201).body("url", startsWith(own + "/reports/")).header("Location", startsWith(own + "/"));
        String summary = RestAssured.given().header("Host", EVIL).header("Authorization", "Bearer " + token)
                .accept("text/plain").contentType(ContentType.JSON).body(Probe.hostReportWithId(UUID.randomUUID().toString()))
                .post("/api/v1/reports").then().statusCode(201).extract().asString();
        assertFalse(summary.contains(EVIL), summary);
        assertTrue(summary.contains("details:  " + own + "/reports/"), summary);
        RestAssured.given().header("Host", EVIL).auth().oauth2(Users.admin()).contentType(ContentType.JSON)
                .body(Map.of("name", Portal.uniqueName("t"))).post("/api/v1/clusters/" + cluster + "/tokens").then()
                .statusCode(201).body(not(containsString(EVIL)), containsString("curl -fsSL " + own + "/probe.sh"));
        RestAssured.given().header("Host", EVIL).auth().oauth2(Users.admin()).get("/api/v1/clusters/" + cluster).then()
                .statusCode(200).body(not(containsString(EVIL)));

        // the Markdown export, asked for properly, links the portal's own diff page
        long to = upload.jsonPath().getLong("id");
        admin.given().get("/diff.md?from=" + from + "&to=" + to).then().statusCode(200)
                .body(containsString("(<" + own + "/diff?from=" + from + "&to=" + to + ">)"), not(containsString(EVIL)));
    }
}
