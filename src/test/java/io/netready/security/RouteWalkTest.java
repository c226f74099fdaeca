package io.netready.security;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
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
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Every route, pages and API, as anonymous, as a viewer of another team, as a viewer of the cluster's team and as an
 * admin: each answer checked against who may do what. No answer may carry a stack trace.
 */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class RouteWalkTest {

    @OidcWireMock
    WireMockServer provider;

    enum Who { ANONYMOUS, OTHER_TEAM, VIEWER, ADMIN }

    /** A GET route and the status each persona gets. */
    record Route(String path, int anonymous, int otherTeam, int viewer, int admin) {
        int expected(Who who) {
            return switch (who) {
                case ANONYMOUS -> anonymous;
                case OTHER_TEAM -> otherTeam;
                case VIEWER -> viewer;
                case ADMIN -> admin;
            };
        }
    }

    @Test
    void everyRouteAnswersEachPersonaAsItShould() {
        String cluster = Portal.createCluster("platform");
        String token = Portal.issueToken(cluster);
        long report = Portal.upload(token, Probe.hostReportWithId(UUID.randomUUID().toString()))
                .then().statusCode(201).extract().jsonPath().getLong("id");
        long node = given().auth().oauth2(Users.admin()).get("/api/v1/reports/" + report).jsonPath().getLong("nodeId");
        long tokenId = given().auth().oauth2(Users.admin()).get("/api/v1/clusters/" + cluster + "/tokens").jsonPath().getLong("[0].id");

        int login = 302;
        List<Route> pages = List.of(
                new Route("/", 302, 303, 303, 303),
                new Route("/clusters", login, 200, 200, 200),
                new Route("/clusters/" + cluster, login, 404, 200, 200),
                new Route("/clusters/" + cluster + "/tokens", login, 403, 403, 303),
                new Route("/clusters/" + cluster + "/tokens/" + tokenId + "/secret?once=x", login, 403, 403, 200),
                new Route("/nodes/" + node, login, 404, 200, 200),
                new Route("/reports/" + report, login, 404, 200, 200),
                new Route("/reports/" + report + "/report.json", login, 404, 200, 200),
                new Route("/reports/" + report + "/fix.sh", login, 404, 200, 200),
                new Route("/diff?from=" + report + "&to=" + report, login, 404, 200, 200),
                new Route("/diff.md?from=" + report + "&to=" + report, login, 404, 200, 200),
                new Route("/rules", login, 200, 200, 200),
                new Route("/audit", login, 403, 403, 200),
                new Route("/audit.csv", login, 403, 403, 200),
                new Route("/signed-out", 200, 200, 200, 200),
                new Route("/probe.sh", 200, 200, 200, 200),
                new Route("/q/health/ready", 200, 200, 200, 200),
                new Route("/nodes/999999999", login, 404, 404, 404),
                new Route("/reports/999999999", login, 404, 404, 404));
        List<Route> api = List.of(
                new Route("/api/v1/clusters", 401, 200, 200, 200),
                new Route("/api/v1/clusters/" + cluster, 401, 404, 200, 200),
                new Route("/api/v1/clusters/" + cluster + "/nodes", 401, 404, 200, 200),
                new Route("/api/v1/clusters/" + cluster + "/nodes/" + node + "/findings", 401, 404, 200, 200),
                new Route("/api/v1/clusters/" + cluster + "/tokens", 401, 403, 403, 200),
                new Route("/api/v1/clusters/" + cluster + "/waivers", 401, 404, 200, 200),
                new Route("/api/v1/reports/" + report, 401, 404, 200, 200),
                new Route("/api/v1/reports/" + report + "/raw", 401, 404, 200, 200),
                new Route("/api/v1/reports/" + report + "/findings", 401, 404, 200, 200),
                new Route("/api/v1/rules", 401, 200, 200, 200),
                new Route("/api/v1/rules/ip-forward", 401, 200, 200, 200));

        Map<Who, BrowserSession> sessions = Map.of(
                Who.OTHER_TEAM, BrowserSession.login(provider, "olga", "viewer", "team-payments"),
                Who.VIEWER, BrowserSession.login(provider, "vera", "viewer", "team-platform"),
                Who.ADMIN, BrowserSession.login(provider, "alice", "admin", "team-platform"));
        Map<Who, String> bearers = Map.of(Who.OTHER_TEAM, Users.viewer("payments"), Who.VIEWER, Users.viewer("platform"),
                Who.ADMIN, Users.admin());
        List<String> wrong = new ArrayList<>();
        for (Who who : Who.values()) {
            for (Route route : pages) {
                Response response = who == Who.ANONYMOUS ? given().redirects().follow(false).get(route.path())
                        : sessions.get(who).given().get(route.path());
                check(wrong, who, "GET " + route.path(), route.expected(who), response);
            }
            for (Route route : api) {
                Response response = who == Who.ANONYMOUS ? given().get(route.path())
                        : given().auth().oauth2(bearers.get(who)).get(route.path());
                check(wrong, who, "GET " + route.path(), route.expected(who), response);
            }
        }

        // Changes: only admins, and only with a CSRF token on pages.
        for (Who who : List.of(Who.OTHER_TEAM, Who.VIEWER)) {
            BrowserSession session = sessions.get(who);
            String csrf = session.csrf("/clusters");
            int notHere = who == Who.OTHER_TEAM ? 404 : 403;
            check(wrong, who, "POST /clusters", 403, session.given().formParam("csrf", csrf)
                    .formParam("name", Portal.uniqueName("x")).formParam("team", "platform").post("/clusters"));
            check(wrong, who, "POST tokens", 403, session.given().formParam("csrf", csrf)
                    .formParam("tokenName", "x").post("/clusters/" + cluster + "/tokens"));
            check(wrong, who, "POST revoke", 403, session.given().formParam("csrf", csrf)
                    .post("/clusters/" + cluster + "/tokens/" + tokenId + "/revoke"));
            check(wrong, who, "POST settings", 403, session.given().formParam("csrf", csrf)
                    .formParam("podCidr", "10.1.0.0/16").post("/clusters/" + cluster + "/settings"));
            check(wrong, who, "POST reevaluate", 403, session.given().formParam("csrf", csrf)
                    .post("/clusters/" + cluster + "/reevaluate"));
            // Waivers look the cluster up first: another team's viewer is told it does not exist.
            check(wrong, who, "POST waiver", notHere, session.given().formParam("csrf", csrf).formParam("rule", "ip-forward")
                    .formParam("scope", "cluster").formParam("reason", "no").formParam("expires", "2099-01-01")
                    .post("/clusters/" + cluster + "/waivers"));
            String bearer = bearers.get(who);
            check(wrong, who, "POST /api/v1/clusters", 403, given().auth().oauth2(bearer).contentType(ContentType.JSON)
                    .body(Map.of("name", Portal.uniqueName("x"), "team", "platform")).post("/api/v1/clusters"));
            check(wrong, who, "DELETE token", 403, given().auth().oauth2(bearer)
                    .delete("/api/v1/clusters/" + cluster + "/tokens/" + tokenId));
            check(wrong, who, "PUT settings", 403, given().auth().oauth2(bearer).contentType(ContentType.JSON)
                    .body(Map.of("podCidr", "10.1.0.0/16")).put("/api/v1/clusters/" + cluster + "/settings"));
            check(wrong, who, "POST reevaluate (API)", 403, given().auth().oauth2(bearer)
                    .post("/api/v1/clusters/" + cluster + "/reevaluate"));
        }
        check(wrong, Who.ANONYMOUS, "POST /api/v1/clusters", 401, given().contentType(ContentType.JSON)
                .body(Map.of("name", "x", "team", "platform")).post("/api/v1/clusters"));
        check(wrong, Who.ADMIN, "POST /clusters without CSRF", 403, sessions.get(Who.ADMIN).given()
                .formParam("name", Portal.uniqueName("x")).formParam("team", "platform").post("/clusters"));
        assertTrue(wrong.isEmpty(), wrong.size() + " answers not as expected:\n" + String.join("\n", wrong));
    }

    private static void check(List<String> wrong, Who who, String what, int expected, Response response) {
        String body = response.asString();
        if (response.statusCode() != expected) {
            wrong.add(who + " " + what + ": expected " + expected + ", got " + response.statusCode());
        }
        if (body.contains("Exception") || body.contains("\tat ") || body.contains("at io.netready")) {
            wrong.add(who + " " + what + ": the answer shows internals");
        }
    }
}
