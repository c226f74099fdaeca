package io.netready.diff;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;

import io.netready.support.BrowserSession;
import io.netready.support.Portal;
import io.netready.support.Users;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWireMock;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;

/**
 * The diff between two runs shows what changed most (issue 16): the report's own fields (role, phase, uid, probe and
 * catalog version) and the findings that are no longer checked, on the page and in the Markdown export; and it leaves
 * out of the listener diff what says nothing about the node: process names a non-root run cannot see, and listeners
 * on loopback ports in the node's ephemeral range. Real probe reports of one namespace node
 * (src/test/resources/run-variants, src/test/probe/capture-run-variants.sh): as root, as nobody, as a control plane;
 * and variants of the root run derived here, a section changed as a node would have printed it.
 */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class DiffRunsTest {

    private static final Path VARIANTS = Path.of("src/test/resources/run-variants");
    private static final ObjectMapper JSON = new ObjectMapper();

    @OidcWireMock
    WireMockServer provider;

    @Test
    void rootThenNobodyShowsTheUidAndTheRulesNoLongerCheckedAndNoListenerNoise() throws Exception {
        String token = Portal.issueToken(Portal.createCluster("platform"));
        String rootReport = read("root-worker.json");
        String nobodyReport = read("nobody-worker.json");
        // the fixtures show what the test is about: the containerd listener moved to another ephemeral port, and
        // the non-root run saw no process names
        assertNotEquals(loopbackPorts(rootReport), loopbackPorts(nobodyReport));
        assertTrue(section(rootReport, "listeners").contains("users:((\"kubelet\""));
        assertFalse(section(nobodyReport, "listeners").contains("users:"));
        long from = upload(token, rootReport);
        long to = upload(token, nobodyReport);
        Map<String, String> before = statuses(from);
        Map<String, String> after = statuses(to);
        List<String> notChecked = after.entrySet().stream()
                .filter(e -> e.getValue().equals("skip") && !before.get(e.getKey()).equals("skip")).map(Map.Entry::getKey).toList();
        assertTrue(notChecked.contains("iptables-mode"), "iptables-save needs root: " + before + " then " + after);

        BrowserSession admin = BrowserSession.login(provider, "alice", "admin", "team-platform");
        String page = admin.given().get("/diff?from=" + from + "&to=" + to).then().statusCode(200).extract().asString();
        String meta = between(page, "<section id=\"meta-diff\">", "</section>");
        assertTrue(meta.contains("<tr data-field=\"uid\"><th>uid</th><td><code>0 (root)</code></td><td><code>65534 (not root)</code></td></tr>"), meta);
        assertFalse(meta.contains("data-field=\"role\""), "the role did not change: " + meta);
        String findings = between(page, "<section id=\"finding-diff\">", "</section>");
        for (String rule : notChecked) {
            Matcher item = Pattern.compile("<li class=\"newly-not-checked\" data-rule=\"" + Pattern.quote(rule)
                    + "\" data-before=\"([a-z]+)\">").matcher(findings);
            assertTrue(item.find(), rule + " in " + findings);
            assertEquals(before.get(rule), item.group(1));
            assertFalse(findings.contains("<li class=\"fixed\" data-rule=\"" + rule + "\""), "not checked is not fixed: " + rule);
        }
        String facts = between(page, "<section id=\"fact-diff\">", "</section>");
        assertFalse(facts.contains("data-group=\"listeners\""), "no listener noise: " + facts);

        String markdown = admin.given().get("/diff.md?from=" + from + "&to=" + to).then().statusCode(200).extract().asString();
        assertTrue(markdown.contains("### Report\n\n- uid: `0 (root)` → `65534 (not root)`\n"), markdown);
        assertTrue(markdown.contains("**Newly not checked** (" + notChecked.size() + ")"), markdown);
        for (String rule : notChecked) {
            assertTrue(markdown.contains("- `" + rule + "` " + before.get(rule) + " → skip: `"), rule + ": " + markdown);
        }
        assertFalse(markdown.contains("#### listeners"), markdown);
    }

    @Test
    void workerThenControlPlaneShowsTheRole() throws Exception {
        String token = Portal.issueToken(Portal.createCluster("platform"));
        long from = upload(token, read("root-worker.json"));
        long to = upload(token, read("root-control-plane.json"));
        BrowserSession admin = BrowserSession.login(provider, "alice", "admin", "team-platform");
        String page = admin.given().get("/diff?from=" + from + "&to=" + to).then().statusCode(200).extract().asString();
        String meta = between(page, "<section id=\"meta-diff\">", "</section>");
        assertTrue(meta.contains("<tr data-field=\"role\"><th>role</th><td><code>worker</code></td><td><code>control-plane</code></td></tr>"), meta);
        assertFalse(meta.contains("data-field=\"uid\""), meta);
        String markdown = admin.given().get("/diff.md?from=" + from + "&to=" + to).then().statusCode(200).extract().asString();
        assertTrue(markdown.contains("- role: `worker` → `control-plane`\n"), markdown);

        String same = admin.given().get("/diff.md?from=" + from + "&to=" + from).then().statusCode(200).extract().asString();
        assertTrue(same.contains("Same role, phase, uid, probe version and catalog version: `worker`, `preflight`."), same);
    }

    @Test
    void listenersTheNetworkCanReachAndOtherProcessesStayInTheDiff() throws Exception {
        String token = Portal.issueToken(Portal.createCluster("platform"));
        String root = read("root-worker.json");
        String port = loopbackPorts(root).get(0);
        long from = upload(token, root);
        // containerd's ephemeral port bound to every address: the network reaches it, so it is kept
        long exposed = upload(token, variant(root, 60, "listeners", s -> s.replace("127.0.0.1:" + port, "0.0.0.0:" + port)));
        // the kubelet's port held by another process: one changed line
        long taken = upload(token, variant(root, 120, "listeners", s -> s.replace("((\"kubelet\"", "((\"python3\"")));
        // the node's own ephemeral range moved above the port: it is no longer ephemeral there
        long ranged = upload(token, variant(root, 180, "sysctl",
                s -> s.replaceAll("net.ipv4.ip_local_port_range = \\d+\\s+\\d+", "net.ipv4.ip_local_port_range = 50000\t60999")));

        BrowserSession admin = BrowserSession.login(provider, "alice", "admin", "team-platform");
        assertEquals("+ tcp 0.0.0.0:" + port + " containerd", listenerDiff(admin, from, exposed));
        assertEquals("± tcp 0.0.0.0:10250: kubelet → python3", listenerDiff(admin, from, taken));
        assertEquals("+ tcp 127.0.0.1:" + port + " containerd", listenerDiff(admin, from, ranged));
        String markdown = admin.given().get("/diff.md?from=" + from + "&to=" + taken).then().statusCode(200).extract().asString();
        assertTrue(markdown.contains("- `tcp 0.0.0.0:10250`: `kubelet` → `python3`\n"), markdown);
    }

    /** The lines of the listener group of the diff page, joined. */
    private static String listenerDiff(BrowserSession admin, long from, long to) {
        String page = admin.given().get("/diff?from=" + from + "&to=" + to).then().statusCode(200).extract().asString();
        String group = between(page, "<div class=\"fact-group\" data-group=\"listeners\">", "</div>");
        return String.join("\n", Pattern.compile("<span class=\"[a-z]+\">([^<]*)</span>").matcher(group).results()
                .map(m -> m.group(1).strip()).toList());
    }

    /** The root run again, {@code seconds} later under a new id, with one section changed. */
    private static String variant(String report, int seconds, String name, UnaryOperator<String> change) throws Exception {
        ObjectNode tree = (ObjectNode) JSON.readTree(report);
        tree.put("reportId", UUID.randomUUID().toString());
        tree.put("collectedAt", Instant.parse(tree.get("collectedAt").asText()).plusSeconds(seconds).toString());
        ObjectNode section = (ObjectNode) tree.get("sections").get(name);
        String changed = change.apply(new String(Base64.getDecoder().decode(section.get("output").asText()), StandardCharsets.UTF_8));
        assertNotEquals(section(report, name), changed, "the variant changes " + name);
        byte[] bytes = changed.getBytes(StandardCharsets.UTF_8);
        section.put("output", Base64.getEncoder().encodeToString(bytes)).put("bytes", bytes.length);
        return JSON.writeValueAsString(tree);
    }

    private static String section(String report, String name) throws Exception {
        return new String(Base64.getDecoder().decode(JSON.readTree(report).get("sections").get(name).get("output").asText()),
                StandardCharsets.UTF_8);
    }

    /** The TCP ports listening on 127.0.0.1 above 32767 in a report. */
    private static List<String> loopbackPorts(String report) throws Exception {
        return Pattern.compile("^tcp\\s+LISTEN\\s+\\S+\\s+\\S+\\s+127\\.0\\.0\\.1:(\\d{5})\\s", Pattern.MULTILINE)
                .matcher(section(report, "listeners")).results().map(m -> m.group(1)).toList();
    }

    private static String read(String name) throws Exception {
        return Files.readString(VARIANTS.resolve(name));
    }

    private static long upload(String token, String body) {
        return Portal.upload(token, body).then().statusCode(201).extract().jsonPath().getLong("id");
    }

    private static Map<String, String> statuses(long reportId) {
        List<Map<String, Object>> findings = given().auth().oauth2(Users.admin()).get("/api/v1/reports/" + reportId + "/findings")
                .then().statusCode(200).extract().jsonPath().getList("$");
        Map<String, String> statuses = new LinkedHashMap<>();
        findings.forEach(f -> statuses.put((String) f.get("rule"), (String) f.get("status")));
        return statuses;
    }

    private static String between(String text, String start, String end) {
        int from = text.indexOf(start);
        assertTrue(from >= 0, "no " + start + " in " + text);
        int to = text.indexOf(end, from);
        assertTrue(to >= 0, "no " + end + " after " + start);
        return text.substring(from, to + end.length());
    }
}
