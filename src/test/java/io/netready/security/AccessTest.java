package io.netready.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
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
import io.restassured.http.ContentType;

/** Who may see and do what: login on pages, bearer tokens on the API, teams, admin actions, upload tokens. */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class AccessTest {

    @OidcWireMock
    WireMockServer provider;

    private String cluster;
    private long reportId;

    @BeforeEach
    void platformClusterWithAReport() {
        cluster = Portal.createCluster("platform");
        String token = Portal.issueToken(cluster);
        reportId = Portal.upload(token, Probe.hostReportWithId(UUID.randomUUID().toString()))
                .then().statusCode(201).extract().jsonPath().getLong("id");
    }

    @Test
    void pagesRedirectToLoginAndTheApiWantsAToken() {
        given().redirects().follow(false).get("/clusters").then().statusCode(302)
                .header("Location", containsString("/auth/realms/quarkus?response_type=code"));
        given().redirects().follow(false).get("/reports/" + reportId).then().statusCode(302);
        given().get("/api/v1/clusters").then().statusCode(401);
        given().auth().oauth2("not-a-jwt").get("/api/v1/clusters").then().statusCode(401);
    }

    @Test
    void theProbeAndHealthNeedNoLogin() {
        given().get("/probe.sh").then().statusCode(200)
                .contentType(containsString("text/x-shellscript"))
                .body(containsString("#!/bin/sh"));
        given().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void aViewerSeesTheirTeamsClustersOnly() {
        given().auth().oauth2(Users.viewer("platform")).get("/api/v1/clusters")
                .then().statusCode(200).body("name", hasItem(cluster));
        given().auth().oauth2(Users.viewer("platform")).get("/api/v1/reports/" + reportId).then().statusCode(200);

        String other = Users.viewer("payments");
        given().auth().oauth2(other).get("/api/v1/clusters").then().statusCode(200).body("name", not(hasItem(cluster)));
        given().auth().oauth2(other).get("/api/v1/clusters/" + cluster).then().statusCode(404)
                .contentType("application/problem+json");
        given().auth().oauth2(other).get("/api/v1/clusters/" + cluster + "/nodes").then().statusCode(404);
        given().auth().oauth2(other).get("/api/v1/reports/" + reportId).then().statusCode(404);
        given().auth().oauth2(other).get("/api/v1/reports/" + reportId + "/raw").then().statusCode(404);
        given().auth().oauth2(other).get("/api/v1/reports/" + reportId + "/findings").then().statusCode(404);
    }

    @Test
    void aViewerOfAnotherTeamGetsNoPageOfTheCluster() {
        BrowserSession other = BrowserSession.login(provider, "pat", "viewer", "team-payments");
        other.given().get("/clusters").then().statusCode(200).body(not(containsString(cluster)));
        other.given().get("/clusters/" + cluster).then().statusCode(404).body(not(containsString("platform")));
        other.given().get("/reports/" + reportId).then().statusCode(404);
        other.given().get("/reports/" + reportId + "/report.json").then().statusCode(404);

        BrowserSession member = BrowserSession.login(provider, "sam", "viewer", "team-platform");
        member.given().get("/clusters").then().statusCode(200).body(containsString(cluster));
        member.given().get("/clusters/" + cluster).then().statusCode(200)
                .body(containsString("/probe.sh | sh -s --"), not(containsString("Issue token")));
        member.given().get("/reports/" + reportId).then().statusCode(200).body(containsString("machine-id"));
    }

    @Test
    void onlyAdminsManageClustersAndTokens() {
        String viewer = Users.viewer("platform");
        given().auth().oauth2(viewer).contentType(ContentType.JSON)
                .body(Map.of("name", Portal.uniqueName("v"), "team", "platform"))
                .post("/api/v1/clusters").then().statusCode(403).contentType("application/problem+json");
        given().auth().oauth2(viewer).contentType(ContentType.JSON).body(Map.of("name", "x"))
                .post("/api/v1/clusters/" + cluster + "/tokens").then().statusCode(403);
        given().auth().oauth2(viewer).get("/api/v1/clusters/" + cluster + "/tokens").then().statusCode(403);
        given().auth().oauth2(Users.outsider()).get("/api/v1/clusters").then().statusCode(403);

        BrowserSession member = BrowserSession.login(provider, "sam", "viewer", "team-platform");
        String csrf = member.csrf("/clusters");
        member.given().formParam("csrf", csrf).formParam("name", Portal.uniqueName("v")).formParam("team", "platform")
                .post("/clusters").then().statusCode(403);
    }

    @Test
    void adminsCreateClustersAndTokensInThePortalWithCsrfProtection() {
        BrowserSession admin = BrowserSession.login(provider, "alice", "admin", "team-platform");
        String name = Portal.uniqueName("p");
        admin.given().formParam("name", name).formParam("team", "platform").post("/clusters").then().statusCode(403);
        admin.given().formParam("csrf", "forged").formParam("name", name).formParam("team", "platform")
                .post("/clusters").then().statusCode(403);

        String csrf = admin.csrf("/clusters");
        admin.given().formParam("csrf", csrf).formParam("name", name).formParam("team", "platform")
                .formParam("podCidr", "10.244.0.0/16").formParam("serviceCidr", "")
                .post("/clusters").then().statusCode(303).header("Location", containsString("/clusters/" + name));
        String shown = admin.given().formParam("csrf", csrf).formParam("tokenName", "rack-a")
                .post("/clusters/" + name + "/tokens").then().statusCode(303).extract().header("Location");
        String page = admin.given().get(shown).then().statusCode(200).extract().asString();
        String secret = page.replaceAll("(?s).*<pre class=\"command\" id=\"token\">([^<]+)</pre>.*", "$1");
        Portal.upload(secret, Probe.hostReportWithId(UUID.randomUUID().toString())).then().statusCode(201)
                .body("cluster", equalTo(name));
        admin.given().get("/clusters/" + name).then().statusCode(200)
                .body(containsString("rack-a"), not(containsString(secret)));
    }

    @Test
    void aRevokedTokenIsRefusedAtOnce() {
        String name = Portal.createCluster("platform");
        var issued = given().auth().oauth2(Users.admin()).contentType(ContentType.JSON).body(Map.of("name", "soon-gone"))
                .post("/api/v1/clusters/" + name + "/tokens").then().statusCode(201).extract().jsonPath();
        String secret = issued.getString("secret");
        Portal.upload(secret, Probe.hostReportWithId(UUID.randomUUID().toString())).then().statusCode(201);
        given().auth().oauth2(Users.admin()).delete("/api/v1/clusters/" + name + "/tokens/" + issued.getLong("token.id"))
                .then().statusCode(200).body("revokedBy", equalTo("alice"));
        Portal.upload(secret, Probe.hostReportWithId(UUID.randomUUID().toString())).then().statusCode(401)
                .contentType("application/problem+json").body("detail", containsString("revoked"));
    }

    @Test
    void anUploadTokenUploadsToItsOwnClusterOnly() {
        String token = Portal.issueToken(cluster);
        String reportJson = Probe.hostReportWithId(UUID.randomUUID().toString());
        Portal.upload(token, reportJson).then().statusCode(201).body("cluster", equalTo(cluster));
        // An OIDC bearer token is not an upload token.
        Portal.upload(Users.admin(), Probe.hostReportWithId(UUID.randomUUID().toString())).then().statusCode(401);
    }

    @Test
    void theBootstrapClusterAndTokenExistAtStart() {
        given().auth().oauth2(Users.admin()).get("/api/v1/clusters/bootstrap-lab").then().statusCode(200)
                .body("team", equalTo("platform"));
        Portal.upload("nrt_test-bootstrap-token-0123456789abcdef", Probe.hostReportWithId(UUID.randomUUID().toString()))
                .then().statusCode(201).body("cluster", equalTo("bootstrap-lab"));
    }

    @Test
    void loginsAreAudited() throws InterruptedException {
        String user = "auditee-" + UUID.randomUUID().toString().substring(0, 6);
        BrowserSession.login(provider, user, "viewer", "team-platform");
        BrowserSession admin = BrowserSession.login(provider, "alice", "admin", "team-platform");
        // Logins are recorded off the request, asynchronously.
        String page = "";
        for (int i = 0; i < 50 && !page.contains(user); i++) {
            Thread.sleep(100);
            page = admin.given().get("/audit?action=login&actor=" + user).then().statusCode(200).extract().asString();
        }
        org.junit.jupiter.api.Assertions.assertTrue(page.contains("data-action=\"login\"") && page.contains(user), page);
    }

    @Test
    void logoutEndsTheSession() {
        BrowserSession admin = BrowserSession.login(provider, "alice", "admin", "team-platform");
        admin.given().get("/clusters").then().statusCode(200);
        var logout = admin.signOut("/clusters").then().statusCode(303)
                .header("Location", containsString("end-session")).extract();
        org.junit.jupiter.api.Assertions.assertEquals(0, logout.detailedCookie("q_session").getMaxAge(),
                "the session cookie is cleared");
    }

    /** Under /q/ only the health checks are for everyone; the rest (the Dev UI and tools in dev mode) is for admins. */
    @Test
    void toolsUnderQAreForAdminsOnly() {
        BrowserSession viewer = BrowserSession.login(provider, "vic", "viewer", "team-platform");
        viewer.given().get("/q/dev-ui/").then().statusCode(403);
        viewer.given().get("/q/arc/beans").then().statusCode(403);
        BrowserSession admin = BrowserSession.login(provider, "alice", "admin", "team-platform");
        // tests have no Dev UI: an admin gets through to "nothing here"
        admin.given().get("/q/dev-ui/").then().statusCode(404);
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(200);
    }
}
