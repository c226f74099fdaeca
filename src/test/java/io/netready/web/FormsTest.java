package io.netready.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;

import io.agroal.api.AgroalDataSource;
import io.netready.support.BrowserSession;
import io.netready.support.Portal;
import io.netready.support.RuleSampleFile;
import io.netready.support.Users;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWireMock;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * The forms of issue 16 item 7 as a browser posts them: a new token's secret shown once after a redirect (a reload
 * issues nothing and shows nothing), a file that is no report refused in the user's words with a link back to the
 * cluster, a file uploaded twice said to be stored already, a re-evaluation that says what it did, and a waiver's
 * "until" in the user's terms on the form, the node page and the audit log.
 */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class FormsTest {

    private static final Path IP_FORWARD_FAIL = Path.of("src/test/resources/rule-samples/ip-forward/fail-ipv4-forwarding-off.txt");
    /** A worker's report captured by src/test/probe/capture-bench-reports.sh: CNI host-local range 10.244.1.0/24. */
    private static final Path TYPICAL_WORKER = Path.of("src/test/resources/bench-reports/typical-worker.json");

    @OidcWireMock
    WireMockServer provider;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void theTokenFormRedirectsToTheSecretShownOnceAndAReloadIssuesNothing() throws SQLException, IOException {
        String cluster = Portal.createCluster("platform");
        BrowserSession alice = BrowserSession.login(provider, "alice", "admin", "team-platform");
        String csrf = alice.csrf("/clusters/" + cluster);

        String location = alice.given().formParam("csrf", csrf).formParam("tokenName", "rack-a")
                .post("/clusters/" + cluster + "/tokens")
                .then().statusCode(303).extract().header("Location");
        assertTrue(location.matches(".*/clusters/" + cluster + "/tokens/\\d+/secret\\?once=[A-Za-z0-9_-]{43}"), location);

        Response first = alice.given().get(location);
        first.then().statusCode(200).header("Cache-Control", containsString("no-store"));
        String secret = first.asString().replaceAll("(?s).*<pre class=\"command\" id=\"token\">([^<]+)</pre>.*", "$1");
        assertTrue(secret.matches("nrt_[A-Za-z0-9_-]{43}"), "the secret on the page: " + secret);
        assertFalse(location.contains(secret), "the redirect carries a handle, not the secret");
        Portal.upload(secret, new String(withNewId(IP_FORWARD_FAIL), StandardCharsets.UTF_8)).then().statusCode(201);

        // Reloaded, bookmarked, opened with back: the same address shows no secret, says why and what to do.
        alice.given().get(location).then().statusCode(200)
                .body(not(containsString(secret)), not(containsString("id=\"token\"")))
                .body(containsString("already shown once"), containsString("href=\"/clusters/" + cluster + "#tokens\""));
        given().auth().oauth2(Users.admin()).get("/api/v1/clusters/" + cluster + "/tokens")
                .then().statusCode(200).body("size()", org.hamcrest.Matchers.equalTo(1));

        // The address the form posts to, opened with GET (a bookmark of the old answer): the cluster's tokens.
        alice.given().get("/clusters/" + cluster + "/tokens").then().statusCode(303)
                .header("Location", containsString("/clusters/" + cluster + "#tokens"));

        // The database keeps the handle's hash and the sealed secret, never either in the clear.
        String second = alice.given().formParam("csrf", csrf).formParam("tokenName", "rack-b")
                .post("/clusters/" + cluster + "/tokens").then().statusCode(303).extract().header("Location");
        String handle = second.replaceAll(".*once=", "");
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT handle_hash, sealed, viewer, expires_at > now() + interval '4 minutes' FROM token_secret_view v "
                                + "JOIN upload_token t ON t.id = v.token_id WHERE t.name = 'rack-b' AND t.cluster_id = "
                                + "(SELECT id FROM cluster WHERE name = ?)")) {
            select.setString(1, cluster);
            try (ResultSet row = select.executeQuery()) {
                assertTrue(row.next(), "a view of rack-b's secret is kept");
                assertFalse(new String(row.getBytes(1), StandardCharsets.ISO_8859_1).contains(handle));
                assertFalse(new String(row.getBytes(2), StandardCharsets.ISO_8859_1).contains("nrt_"), "the secret is sealed");
                assertEquals("alice", row.getString(3));
                assertTrue(row.getBoolean(4), "kept for about 5 minutes");
            }
        }
        // Another admin with alice's link sees no secret, and alice still does; a forged handle shows nothing.
        BrowserSession carol = BrowserSession.login(provider, "carol", "admin", "team-platform");
        carol.given().get(second).then().statusCode(200).body(not(containsString("id=\"token\"")));
        alice.given().get(second.replace(handle, "A".repeat(43))).then().statusCode(200)
                .body(not(containsString("id=\"token\"")));
        alice.given().get(second.replace(handle, "<script>")).then().statusCode(200)
                .body(not(containsString("id=\"token\"")), not(containsString("<script>")));
        alice.given().get(second).then().statusCode(200).body(containsString("id=\"token\""));
        alice.given().get(second).then().statusCode(200).body(not(containsString("id=\"token\"")));

        // Expired before anyone opened it: nothing shown, the row gone.
        String third = alice.given().formParam("csrf", csrf).formParam("tokenName", "rack-c")
                .post("/clusters/" + cluster + "/tokens").then().statusCode(303).extract().header("Location");
        try (Connection connection = dataSource.getConnection();
                PreparedStatement age = connection.prepareStatement("UPDATE token_secret_view SET expires_at = now() - "
                        + "interval '1 second' WHERE token_id = ?")) {
            age.setLong(1, Long.parseLong(third.replaceAll(".*/tokens/(\\d+)/secret.*", "$1")));
            assertEquals(1, age.executeUpdate());
        }
        alice.given().get(third).then().statusCode(200).body(not(containsString("id=\"token\"")))
                .body(containsString("more than 5 minutes old"));
    }

    @Test
    void aFileThatIsNoReportIsRefusedInTheUsersWordsWithALinkBackToItsCluster() throws IOException {
        String cluster = Portal.createCluster("platform");
        BrowserSession admin = BrowserSession.login(provider, "alice", "admin", "team-platform");
        String csrf = admin.csrf("/clusters/" + cluster);

        String text = refused(admin, csrf, cluster, "notes.txt", "not a report: notes from the rack\n".getBytes(StandardCharsets.UTF_8), 400);
        assertTrue(text.contains("This file is not a netready report (not JSON): it begins with \u201cnot a report: notes from "
                + "the rack\u201d. Upload the file netready-probe.sh wrote with --output"), text);
        assertFalse(text.contains("unexpected character"), text);
        assertFalse(text.contains("line 1, column"), text);
        assertTrue(text.contains("<a id=\"back\" href=\"/clusters/" + cluster + "\">Back to " + cluster + "</a>"), text);

        // What the file begins with is shown as text
        text = refused(admin, csrf, cluster, "page.html", "<script>alert(1)</script>".getBytes(StandardCharsets.UTF_8), 400);
        assertTrue(text.contains("it begins with \u201c&lt;script&gt;alert(1)&lt;/script&gt;\u201d"), text);
        assertFalse(text.contains("<script>alert"), text);

        // Gzip'd text is no report either; JSON cut off; JSON that is no report
        text = refused(admin, csrf, cluster, "notes.txt.gz", gzip("hello\n"), 400);
        assertTrue(text.contains("(not JSON): it begins with \u201chello\u201d"), text);
        text = refused(admin, csrf, cluster, "report.json", "{\"format\":".getBytes(StandardCharsets.UTF_8), 400);
        assertTrue(text.contains("This file is not a netready report: its JSON is damaged or cut off (unexpected end"), text);
        text = refused(admin, csrf, cluster, "list.json", "[1, 2]".getBytes(StandardCharsets.UTF_8), 400);
        assertTrue(text.contains("This file is JSON but not a netready report: a report is one JSON object"), text);
        text = refused(admin, csrf, cluster, "other.json", "{\"format\":\"other/v9\"}".getBytes(StandardCharsets.UTF_8), 422);
        assertTrue(text.contains("This JSON file is not a netready report the portal can read: format &#39;other/v9&#39; is not supported")
                || text.contains("This JSON file is not a netready report the portal can read: format 'other/v9' is not supported"), text);
        assertTrue(text.contains("href=\"/clusters/" + cluster + "\""), text);

        // The API keeps its own words (problem+json, no link)
        Portal.upload(Portal.issueToken(cluster), "not a report").then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("not well-formed JSON"));
    }

    @Test
    void aFileUploadedTwiceSaysItWasStoredAlreadyAndStoresNothingNew() throws IOException {
        String cluster = Portal.createCluster("platform");
        BrowserSession admin = BrowserSession.login(provider, "alice", "admin", "team-platform");
        String csrf = admin.csrf("/clusters/" + cluster);
        byte[] file = withNewId(IP_FORWARD_FAIL);

        String first = upload(admin, csrf, cluster, file);
        assertTrue(first.matches(".*/reports/\\d+\\?uploaded=new"), first);
        String page = admin.given().get(first).then().statusCode(200).extract().asString();
        assertTrue(page.contains("data-upload=\"new\""), "a new report is said to be new");
        assertFalse(page.contains("already stored"));
        String received = page.replaceAll("(?s).*<dt>Received</dt><dd>(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC).*", "$1");

        String again = upload(admin, csrf, cluster, file);
        assertEquals(first.replace("uploaded=new", "uploaded=again"), again, "the same report, said to be stored before");
        admin.given().get(again).then().statusCode(200)
                .body(containsString("This file's report was already stored on " + received))
                .body(containsString("nothing new was stored"));
        long reportId = Long.parseLong(first.replaceAll(".*/reports/(\\d+).*", "$1"));
        long nodeId = given().auth().oauth2(Users.admin()).get("/api/v1/reports/" + reportId).jsonPath().getLong("nodeId");
        given().auth().oauth2(Users.admin()).get("/api/v1/clusters/" + cluster + "/nodes").then().statusCode(200)
                .body("size()", org.hamcrest.Matchers.equalTo(1));
        String nodePage = admin.given().get("/nodes/" + nodeId).then().statusCode(200).extract().asString();
        assertEquals(1, nodePage.split("class=\"run verdict-", -1).length - 1, "one run on the timeline");

        // Without the parameter, or with another value, the report page says nothing about an upload.
        admin.given().get("/reports/" + reportId).then().statusCode(200).body(not(containsString("upload-notice")));
        admin.given().get("/reports/" + reportId + "?uploaded=%3Cb%3E").then().statusCode(200)
                .body(not(containsString("upload-notice")));
    }

    @Test
    void reEvaluatingRedirectsToAPageThatSaysHowManyReportsAndWhatChanged() throws IOException {
        String cluster = Portal.createCluster("platform");
        String token = Portal.issueToken(cluster);
        var stored = Portal.upload(token, new String(withNewId(TYPICAL_WORKER), StandardCharsets.UTF_8))
                .then().statusCode(201).extract().jsonPath();
        String hostname = stored.getString("node");
        String before = stored.getString("verdict");
        assertFalse("not-ready".equals(before), "the worker is not not-ready before the pod CIDR changes: " + before);
        BrowserSession admin = BrowserSession.login(provider, "alice", "admin", "team-platform");
        String csrf = admin.csrf("/clusters/" + cluster);

        // Nothing changed yet: it says so.
        String location = admin.given().formParam("csrf", csrf).post("/clusters/" + cluster + "/reevaluate")
                .then().statusCode(303).extract().header("Location");
        assertTrue(location.matches(".*/clusters/" + cluster + "\\?reevaluated=\\d+"), location);
        admin.given().get(location).then().statusCode(200)
                .body(containsString("Re-evaluated 1 report with the current rules and settings: no verdict changed."));

        // A pod CIDR over the node's own network (10.213.60.0/24) and not its CNI range: its verdict changes, by name.
        given().auth().oauth2(Users.admin()).contentType(ContentType.JSON)
                .body(Map.of("podCidr", "10.213.0.0/16", "serviceCidr", "10.96.0.0/12", "routingMode", "routed"))
                .put("/api/v1/clusters/" + cluster + "/settings").then().statusCode(200);
        location = admin.given().formParam("csrf", csrf).post("/clusters/" + cluster + "/reevaluate")
                .then().statusCode(303).extract().header("Location");
        String expected = "Re-evaluated 1 report: 1 verdict changed (" + hostname + " " + before + " \u2192 not-ready).";
        admin.given().get(location).then().statusCode(200).body(containsString("id=\"reevaluate-notice\">" + expected));
        // a reload shows the same record (nothing runs again); the audit log keeps the same words
        admin.given().get(location).then().statusCode(200).body(containsString(expected));
        admin.given().get("/audit?action=reevaluate&cluster=" + cluster).then().statusCode(200)
                .body(containsString(expected + " Rule catalog "));
        assertEquals(2, admin.given().get("/audit?action=reevaluate&cluster=" + cluster).asString()
                .split("data-action=\"reevaluate\"", -1).length - 1);

        // Another cluster's event, a viewer, a number that is no event: no notice.
        String other = Portal.createCluster("platform");
        String event = location.replaceAll(".*reevaluated=", "");
        admin.given().get("/clusters/" + other + "?reevaluated=" + event).then().statusCode(200)
                .body(not(containsString("reevaluate-notice")));
        BrowserSession viewer = BrowserSession.login(provider, "vera", "viewer", "team-platform");
        viewer.given().get(location).then().statusCode(200).body(not(containsString("reevaluate-notice")));
        admin.given().get("/clusters/" + cluster + "?reevaluated=999999999").then().statusCode(200)
                .body(not(containsString("reevaluate-notice")));
    }

    @Test
    void aWaiverUntilADaySaysUntilTheEndOfThatDayOnTheFormTheNodePageAndInTheAuditLog() throws IOException {
        String cluster = Portal.createCluster("platform");
        String token = Portal.issueToken(cluster);
        long reportId = Portal.upload(token, new String(withNewId(IP_FORWARD_FAIL), StandardCharsets.UTF_8))
                .then().statusCode(201).extract().jsonPath().getLong("id");
        long nodeId = given().auth().oauth2(Users.admin()).get("/api/v1/reports/" + reportId).jsonPath().getLong("nodeId");
        BrowserSession admin = BrowserSession.login(provider, "alice", "admin", "team-platform");

        String form = admin.given().get("/nodes/" + nodeId).then().statusCode(200).extract().asString();
        assertTrue(form.contains("<label>until the end of this day (UTC) <input type=\"date\" name=\"expires\""), form);
        assertTrue(form.matches("(?s).*<textarea name=\"reason\"[^>]* rows=\"3\".*"), "the reason box has rows");
        // the label's words are one line above the box (one flex item), not three beside it
        assertTrue(form.contains("<label class=\"reason\"><span>Accept <code>ip-forward</code> because</span> <textarea"), form);

        LocalDate day = LocalDate.now(ZoneOffset.UTC).plusDays(28);
        String words = "until the end of " + day.format(DateTimeFormatter.ofPattern("d MMM yyyy", Locale.ENGLISH)) + " (UTC)";
        admin.given().formParam("csrf", admin.csrf("/nodes/" + nodeId)).formParam("rule", "ip-forward")
                .formParam("nodeId", nodeId).formParam("scope", "node").formParam("reason", "lab node, routed elsewhere")
                .formParam("expires", day.toString())
                .post("/clusters/" + cluster + "/waivers").then().statusCode(303);

        String node = admin.given().get("/nodes/" + nodeId).then().statusCode(200).extract().asString();
        assertTrue(node.contains("<td class=\"until\">" + words + "</td>"), "the waivers table: " + words);
        assertTrue(node.contains("Waived by alice " + words + ": lab node, routed elsewhere"), "the waived finding");
        assertFalse(node.contains(day.plusDays(1) + " 00:00:00 UTC"), "not the instant it lapses");
        admin.given().get("/audit?action=waiver.create&cluster=" + cluster).then().statusCode(200)
                .body(containsString("ip-forward " + words + ": lab node, routed elsewhere"));
        // The API keeps the instant it lapses: the start of the next day, UTC.
        given().auth().oauth2(Users.admin()).get("/api/v1/clusters/" + cluster + "/waivers").then().statusCode(200)
                .body("[0].expiresAt", matchesPattern(java.util.regex.Pattern.quote(day.plusDays(1).toString()) + "T00:00(:00)?Z"));
    }

    /** Posts the file with the cluster page's form and returns the page's text; expects the status. */
    private static String refused(BrowserSession admin, String csrf, String cluster, String name, byte[] content, int status) {
        return admin.given().multiPart("csrf", csrf).multiPart("report", name, content, "application/octet-stream")
                .post("/clusters/" + cluster + "/reports")
                .then().statusCode(status).contentType(containsString("text/html")).extract().asString();
    }

    private static String upload(BrowserSession admin, String csrf, String cluster, byte[] file) {
        return admin.given().multiPart("csrf", csrf).multiPart("report", "report.json", file, "application/json")
                .post("/clusters/" + cluster + "/reports").then().statusCode(303).extract().header("Location");
    }

    /** A rule sample's report (captured in a network namespace) under a new report id. */
    private static byte[] withNewId(Path sample) throws IOException {
        ObjectNode report = (ObjectNode) new ObjectMapper().readTree(sample.toString().endsWith(".json")
                ? java.nio.file.Files.readAllBytes(sample) : RuleSampleFile.reportJson(sample));
        report.put("reportId", UUID.randomUUID().toString());
        return report.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }
}
