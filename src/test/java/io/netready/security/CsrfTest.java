package io.netready.security;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
import io.restassured.specification.RequestSpecification;

/**
 * Every form of the pages, posted by a signed-in admin without a CSRF token and with another user's: each is refused
 * with 403 before it changes anything. Every POST form the pages render carries the user's token (the form tag).
 */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class CsrfTest {

    private static final Pattern POST_FORM = Pattern.compile("<form method=\"post\"[^>]*>\\s*<input type=\"hidden\" "
            + "name=\"csrf\" value=\"([^\"]*)\">|<form method=\"post\"", Pattern.CASE_INSENSITIVE);

    private static final String IN_A_MONTH = java.time.LocalDate.now(java.time.ZoneOffset.UTC).plusDays(30).toString();

    @OidcWireMock
    WireMockServer provider;

    /** A form: its path and what the browser would post (the token added by the caller, or not). */
    record Form(String name, String path, BiFunction<RequestSpecification, String, RequestSpecification> fields) {
    }

    @Test
    void everyFormIsRefusedWithoutTheUsersTokenAndChangesNothing() {
        String cluster = Portal.createCluster("platform");
        String token = Portal.issueToken(cluster);
        long report = Portal.upload(token, Probe.hostReportWithId(UUID.randomUUID().toString()))
                .then().statusCode(201).extract().jsonPath().getLong("id");
        long node = given().auth().oauth2(Users.admin()).get("/api/v1/reports/" + report).jsonPath().getLong("nodeId");
        long tokenId = given().auth().oauth2(Users.admin()).get("/api/v1/clusters/" + cluster + "/tokens").jsonPath()
                .getLong("[0].id");
        long waiver = createWaiver(cluster, node);
        byte[] file = Probe.hostReportWithId(UUID.randomUUID().toString()).getBytes(StandardCharsets.UTF_8);

        List<Form> forms = List.of(
                new Form("new cluster", "/clusters", (r, t) -> form(r, t).formParam("name", Portal.uniqueName("csrf"))
                        .formParam("team", "platform")),
                new Form("settings", "/clusters/" + cluster + "/settings", (r, t) -> form(r, t)
                        .formParam("podCidr", "10.200.0.0/16").formParam("serviceCidr", "").formParam("routingMode", "routed")),
                new Form("re-evaluate", "/clusters/" + cluster + "/reevaluate", CsrfTest::form),
                new Form("issue token", "/clusters/" + cluster + "/tokens", (r, t) -> form(r, t).formParam("tokenName", "x")),
                new Form("revoke token", "/clusters/" + cluster + "/tokens/" + tokenId + "/revoke", CsrfTest::form),
                new Form("upload file", "/clusters/" + cluster + "/reports", (r, t) -> (t == null ? r : r.multiPart("csrf", t))
                        .multiPart("report", "report.json", file, "application/json")),
                new Form("waive", "/clusters/" + cluster + "/waivers", (r, t) -> form(r, t).formParam("rule", "ip-forward")
                        .formParam("nodeId", node).formParam("scope", "node").formParam("reason", "testing csrf")
                        .formParam("expires", IN_A_MONTH)),
                new Form("revoke waiver", "/clusters/" + cluster + "/waivers/" + waiver + "/revoke",
                        (r, t) -> form(r, t).formParam("nodeId", node)));

        BrowserSession alice = BrowserSession.login(provider, "alice", "admin", "team-platform");
        BrowserSession carol = BrowserSession.login(provider, "carol", "admin", "team-platform");
        String alicesToken = alice.csrf("/clusters");
        String carolsToken = carol.csrf("/clusters");
        assertFalse(alicesToken.equals(carolsToken), "each user has a token of their own");

        String before = state(cluster);
        List<String> wrong = new ArrayList<>();
        for (Form form : forms) {
            for (String sent : new String[] { null, carolsToken, "forged" }) {
                Response answer = form.fields().apply(alice.given(), sent).post(form.path());
                if (answer.statusCode() != 403) {
                    wrong.add(form.name() + " with " + (sent == null ? "no token" : sent.equals("forged") ? "a forged token"
                            : "carol's token") + ": " + answer.statusCode());
                }
            }
        }
        assertTrue(wrong.isEmpty(), "accepted without alice's token: " + wrong);
        assertEquals(before, state(cluster), "a refused form changed nothing");

        // With her own token, the same forms go through (the filter refuses what it should, nothing more).
        form(alice.given(), alicesToken).post("/clusters/" + cluster + "/reevaluate").then().statusCode(303);
        forms.get(5).fields().apply(alice.given(), alicesToken).post(forms.get(5).path()).then().statusCode(303);
    }

    @Test
    void everyPostFormOnThePagesCarriesTheUsersToken() {
        String cluster = Portal.createCluster("platform");
        String token = Portal.issueToken(cluster);
        long report = Portal.upload(token, Probe.hostReportWithId(UUID.randomUUID().toString()))
                .then().statusCode(201).extract().jsonPath().getLong("id");
        long node = given().auth().oauth2(Users.admin()).get("/api/v1/reports/" + report).jsonPath().getLong("nodeId");
        createWaiver(cluster, node);
        BrowserSession alice = BrowserSession.login(provider, "alice", "admin", "team-platform");
        String expected = alice.csrf("/clusters");
        // New cluster; revoke and issue token, settings, re-evaluate, upload a file; revoke the waiver (and waive).
        Map<String, Integer> least = Map.of("/clusters", 1, "/clusters/" + cluster, 5, "/nodes/" + node, 1, "/reports/" + report, 0);
        for (Map.Entry<String, Integer> page : least.entrySet()) {
            Matcher matcher = POST_FORM.matcher(alice.given().get(page.getKey()).then().statusCode(200).extract().asString());
            int forms = 0;
            while (matcher.find()) {
                assertEquals(expected, matcher.group(1), "a POST form on " + page.getKey() + " without the user's token");
                forms++;
            }
            assertTrue(forms >= page.getValue(), page.getKey() + " shows the admin's forms: " + forms);
        }
    }

    private static RequestSpecification form(RequestSpecification request, String token) {
        RequestSpecification spec = request.contentType(ContentType.URLENC.withCharset(StandardCharsets.UTF_8));
        return token == null ? spec : spec.formParam("csrf", token);
    }

    private static long createWaiver(String cluster, long node) {
        return given().auth().oauth2(Users.admin()).contentType(ContentType.JSON)
                .body(Map.of("rule", "ip-forward", "nodeId", node, "reason", "lab machine", "expires", IN_A_MONTH))
                .post("/api/v1/clusters/" + cluster + "/waivers").then().statusCode(201).extract().jsonPath().getLong("id");
    }

    /** What the forms could change, as the API shows it. */
    private static String state(String cluster) {
        String admin = Users.admin();
        return given().auth().oauth2(admin).get("/api/v1/clusters").asString()
                + given().auth().oauth2(admin).get("/api/v1/clusters/" + cluster).asString()
                + given().auth().oauth2(admin).get("/api/v1/clusters/" + cluster + "/tokens").asString()
                + given().auth().oauth2(admin).get("/api/v1/clusters/" + cluster + "/waivers").asString()
                + given().auth().oauth2(admin).get("/api/v1/clusters/" + cluster + "/nodes").asString();
    }
}
