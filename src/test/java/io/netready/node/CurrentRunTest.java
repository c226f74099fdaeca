package io.netready.node;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.netready.support.BrowserSession;
import io.netready.support.Portal;
import io.netready.support.Users;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWireMock;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.path.json.JsonPath;

/**
 * Which run is "current", and what a later run as nobody must not hide: real probe reports of one namespace node
 * (src/test/resources/run-variants, made by src/test/probe/capture-run-variants.sh), as root and, seconds later, as
 * uid 65534. The node page and the node x rule matrix show the current run's uid and coverage, every rule it could not
 * check with the reason, and what the last root run showed for them, with a link to it.
 */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class CurrentRunTest {

    static final Path VARIANTS = Path.of("src/test/resources/run-variants");

    @OidcWireMock
    WireMockServer provider;

    @Test
    void aLaterNonRootRunIsCurrentAndSaysWhatTheLastRootRunShowed() throws IOException {
        String token = Portal.issueToken(Portal.createCluster("platform"));
        JsonPath root = upload(token, read("root-worker.json"));
        JsonPath nobody = upload(token, read("nobody-worker.json"));
        long nodeId = nobody.getLong("nodeId");
        assertEquals(root.getLong("nodeId"), nodeId, "one node");

        Map<String, String> rootStatuses = statuses(root.getLong("id"));
        Map<String, String> nobodyStatuses = statuses(nobody.getLong("id"));
        // rules the non-root run could not check that the root run did: iptables-save needs root
        List<String> hidden = nobodyStatuses.entrySet().stream()
                .filter(e -> e.getValue().equals("skip") && !rootStatuses.get(e.getKey()).equals("skip"))
                .map(Map.Entry::getKey).toList();
        assertTrue(hidden.contains("iptables-mode"), "the sample shows what it should: " + rootStatuses + " then " + nobodyStatuses);
        // iptables-nft-save is iptables-save there (sameAs): denied like it, not an empty firewall that lets all in
        assertEquals("skip", nobodyStatuses.get("firewall-ports"), "a firewall nobody could read is not checked: " + nobodyStatuses);
        long skipped = nobodyStatuses.values().stream().filter("skip"::equals).count();

        BrowserSession admin = BrowserSession.login(provider, "alice", "admin", "team-platform");
        String page = admin.given().get("/nodes/" + nodeId).then().statusCode(200).extract().asString();
        String run = between(page, "<section id=\"current-run\"", "</section>");
        assertTrue(run.contains("data-uid=\"65534\""), run);
        assertTrue(run.contains("<a href=\"/reports/" + nobody.getLong("id") + "\">"), "the current report is the later run: " + run);
        assertTrue(run.contains((nobodyStatuses.size() - skipped) + " of " + nobodyStatuses.size() + " rules checked"), run);
        assertTrue(run.contains("not by when the portal received it"), "how current is chosen: " + run);
        String notice = between(run, "<p id=\"non-root\"", "</p>");
        assertTrue(notice.contains("Non-root run (uid 65534): " + skipped + " rules not checked"), notice);
        assertTrue(notice.contains("href=\"/reports/" + root.getLong("id") + "\""), "links the last root run: " + notice);
        assertTrue(notice.contains("href=\"/diff?from=" + root.getLong("id") + "&amp;to=" + nobody.getLong("id") + "\""), notice);
        for (String rule : hidden) {
            assertTrue(notice.contains("<code>" + rule + "</code> <span class=\"status status-" + rootStatuses.get(rule)
                    + "\">"), rule + " with the root run's status: " + notice);
            String item = between(run, "<li data-rule=\"" + rule + "\"", "</li>");
            assertTrue(item.contains("data-root-status=\"" + rootStatuses.get(rule) + "\""), item);
            assertFalse(item.contains(": not checked<"), "the skip reason, not a placeholder: " + item);
        }

        String cluster = admin.given().get("/clusters/" + nobody.getString("cluster")).then().statusCode(200)
                .extract().asString();
        String row = between(cluster, "<tr data-node=\"nrv-w1\">", "</tr>");
        assertTrue(row.contains("<span class=\"non-root\"") && row.contains(">uid 65534 · "
                + (nobodyStatuses.size() - skipped) + "/" + nobodyStatuses.size() + "</span>"), row);
        for (String rule : hidden) {
            Matcher cell = Pattern.compile("data-rule=\"" + Pattern.quote(rule)
                    + "\" data-status=\"skip\" data-root-status=\"([a-z]+)\" title=\"([^\"]*)\"").matcher(row);
            assertTrue(cell.find(), rule + " marked in " + row);
            assertEquals(rootStatuses.get(rule), cell.group(1));
            assertTrue(cell.group(2).contains("not checked by this run (uid 65534); the last root run"), cell.group(2));
        }
    }

    @Test
    void anOlderRootRunArrivingLateLeavesTheNewerRunCurrentAndBecomesItsLastRootRun() throws IOException {
        String token = Portal.issueToken(Portal.createCluster("platform"));
        JsonPath nobody = upload(token, read("nobody-worker.json"));
        long nodeId = nobody.getLong("nodeId");
        BrowserSession admin = BrowserSession.login(provider, "alice", "admin", "team-platform");
        String before = between(admin.given().get("/nodes/" + nodeId).then().statusCode(200).extract().asString(),
                "<p id=\"non-root\"", "</p>");
        assertTrue(before.contains("No run of this node as root is stored"), before);

        JsonPath root = upload(token, read("root-worker.json"));
        String page = admin.given().get("/nodes/" + nodeId).then().statusCode(200).extract().asString();
        String run = between(page, "<section id=\"current-run\"", "</section>");
        assertTrue(run.contains("<a href=\"/reports/" + nobody.getLong("id") + "\">"),
                "collected later, so still current though received first: " + run);
        assertTrue(run.contains("href=\"/reports/" + root.getLong("id") + "\""), "the late root run is the last root run: " + run);
    }

    @Test
    void aRootRunSaysItsUidAndCoverageAndNoNotice() throws IOException {
        String token = Portal.issueToken(Portal.createCluster("platform"));
        JsonPath root = upload(token, read("root-worker.json"));
        Map<String, String> statuses = statuses(root.getLong("id"));
        long skipped = statuses.values().stream().filter("skip"::equals).count();
        BrowserSession admin = BrowserSession.login(provider, "alice", "admin", "team-platform");
        String page = admin.given().get("/nodes/" + root.getLong("nodeId")).then().statusCode(200).extract().asString();
        String run = between(page, "<section id=\"current-run\"", "</section>");
        assertTrue(run.contains("data-uid=\"0\"") && run.contains("<code>0 (root)</code>"), run);
        assertTrue(run.contains((statuses.size() - skipped) + " of " + statuses.size() + " rules checked"), run);
        assertFalse(run.contains("id=\"non-root\""), run);
        String cluster = admin.given().get("/clusters/" + root.getString("cluster")).then().statusCode(200)
                .extract().asString();
        assertFalse(between(cluster, "<tr data-node=\"nrv-w1\">", "</tr>").contains("class=\"non-root\""));
    }

    /** A fixture report as captured (each test uploads it into a cluster of its own). */
    static String read(String name) throws IOException {
        return Files.readString(VARIANTS.resolve(name));
    }

    static JsonPath upload(String token, String body) {
        return Portal.upload(token, body).then().statusCode(201).extract().jsonPath();
    }

    /** Rule to status of the findings stored with a report. */
    static Map<String, String> statuses(long reportId) {
        List<Map<String, Object>> findings = given().auth().oauth2(Users.admin()).get("/api/v1/reports/" + reportId + "/findings")
                .then().statusCode(200).extract().jsonPath().getList("$");
        Map<String, String> statuses = new LinkedHashMap<>();
        findings.forEach(f -> statuses.put((String) f.get("rule"), (String) f.get("status")));
        return statuses;
    }

    static String between(String text, String start, String end) {
        int from = text.indexOf(start);
        assertTrue(from >= 0, "no " + start + " in " + text);
        int to = text.indexOf(end, from);
        assertTrue(to >= 0, "no " + end + " after " + start);
        return text.substring(from, to + end.length());
    }
}
