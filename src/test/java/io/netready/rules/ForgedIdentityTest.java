package io.netready.rules;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;

import io.netready.support.BrowserSession;
import io.netready.support.Portal;
import io.netready.support.Processes;
import io.netready.support.SampleNode;
import io.netready.support.Users;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWireMock;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.path.json.JsonPath;

/**
 * Issue 15 item 5, as an attacker with a cluster's upload token does it: a report under a new hostname that reuses a
 * real node's machine-id, MAC and node IP. The real node, which reported them first, stays as it was (its identity
 * findings pass, its verdict unchanged, also after a re-evaluation); the newcomer is flagged, told which node reported
 * each value first and when, and its fix script changes no identity unless run with --change-identity.
 */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class ForgedIdentityTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> IDENTITY_RULES = List.of("unique-mac", "unique-machine-id", "unique-node-ip");

    @OidcWireMock
    WireMockServer provider;

    @Test
    void aForgedUploadReusingARealNodesIdentityFlagsOnlyTheNewcomer() throws Exception {
        String cluster = Portal.createCluster("platform");
        String token = Portal.issueToken(cluster);
        String realHost = "real-" + cluster;
        String report = SampleNode.worker(realHost, "10.243.7.10").report();
        JsonPath real = Portal.upload(token, report).then().statusCode(201).extract().jsonPath();
        long realNode = real.getLong("nodeId");
        String receivedAt = real.getString("receivedAt");
        JsonPath before = current(cluster, realNode);
        for (String rule : IDENTITY_RULES) {
            assertEquals("pass", status(before, rule), rule + " before: " + before.prettify());
        }

        JsonPath forged = Portal.upload(token, forge(report, "intruder-" + cluster)).then().statusCode(201)
                .extract().jsonPath();
        long forgedNode = forged.getLong("nodeId");
        assertTrue(forgedNode != realNode, "a new hostname is a new node");
        String firstAt = receivedAt.substring(0, 19); // the seconds: the message cuts the time there
        for (String rule : IDENTITY_RULES) {
            String message = forged.getString("findings.find { it.rule == '" + rule + "' }.message");
            assertEquals("fail", forged.getString("findings.find { it.rule == '" + rule + "' }.status"), rule);
            assertTrue(message.contains("reported first by " + realHost + " (node " + realNode + ") at " + firstAt),
                    rule + ": " + message);
        }
        assertEquals("not-ready", forged.getString("verdict"));

        JsonPath after = current(cluster, realNode);
        for (String rule : IDENTITY_RULES) {
            assertEquals("pass", status(after, rule), rule + " after the forged upload: " + after.prettify());
        }
        assertTrue(after.getString("findings.find { it.rule == 'unique-machine-id' }.message")
                .contains("1 other node reported it later and is flagged there"), after.prettify());
        assertEquals(before.getString("verdict"), after.getString("verdict"), "the real node's verdict is unchanged");

        // re-evaluation rebuilds every identity from the stored reports: the times stay, so the answer does too
        given().auth().oauth2(Users.admin()).post("/api/v1/clusters/" + cluster + "/reevaluate").then().statusCode(200);
        JsonPath reevaluated = current(cluster, realNode);
        for (String rule : IDENTITY_RULES) {
            assertEquals("pass", status(reevaluated, rule), rule + " after re-evaluation: " + reevaluated.prettify());
            assertEquals("fail", status(current(cluster, forgedNode), rule), rule + " of the newcomer after re-evaluation");
        }

        // the real node uploads again, same identity: it keeps its values, still passes
        JsonPath again = Portal.upload(token, SampleNode.worker(realHost, "10.243.7.10").report()).then().statusCode(201)
                .extract().jsonPath();
        for (String rule : IDENTITY_RULES) {
            assertEquals("pass", again.getString("findings.find { it.rule == '" + rule + "' }.status"), rule);
        }

        // the newcomer's fix script: identity changes only with --change-identity
        BrowserSession admin = BrowserSession.login(provider, "alice", "admin", "team-platform");
        String script = admin.given().get("/reports/" + forged.getLong("id") + "/fix.sh").then().statusCode(200)
                .extract().asString();
        assertTrue(script.contains("change_identity 'rm -f /etc/machine-id /var/lib/dbus/machine-id'"), script);
        assertTrue(script.contains("change_identity 'ip link set dev eth0 address"), script);
        assertFalse(script.contains("run 'rm -f /etc/machine-id"), script);
        assertFalse(script.contains("run 'ip link set dev eth0 address"), script);
        assertTrue(script.contains("#   sh fix-intruder-" + cluster + ".sh --change-identity"), script);
        Path file = Files.createTempFile("fix", ".sh");
        try {
            Files.writeString(file, script);
            Processes.Result lint = Processes.run(List.of("shellcheck", "-s", "sh", file.toString()));
            assertEquals(0, lint.exitCode(), "shellcheck: " + lint.stdout());
        } finally {
            Files.deleteIfExists(file);
        }
        String realScript = admin.given().get("/reports/" + real.getLong("id") + "/fix.sh").then().statusCode(200)
                .extract().asString();
        assertFalse(realScript.contains("machine-id") || realScript.contains("change_identity '"), realScript);
    }

    private static JsonPath current(String cluster, long node) {
        return given().auth().oauth2(Users.admin()).get("/api/v1/clusters/" + cluster + "/nodes/" + node + "/findings")
                .then().statusCode(200).extract().jsonPath();
    }

    private static String status(JsonPath findings, String rule) {
        return findings.getString("findings.find { it.rule == '" + rule + "' }.status");
    }

    /** The same report under another hostname and report id: the machine-id, MAC and node IP stay the real node's. */
    private static String forge(String report, String hostname) throws Exception {
        ObjectNode tree = (ObjectNode) JSON.readTree(report);
        tree.put("reportId", UUID.randomUUID().toString());
        ObjectNode section = (ObjectNode) tree.get("sections").get("hostname");
        byte[] bytes = (hostname + "\n").getBytes(StandardCharsets.UTF_8);
        section.put("output", Base64.getEncoder().encodeToString(bytes)).put("bytes", bytes.length);
        return JSON.writeValueAsString(tree);
    }
}
