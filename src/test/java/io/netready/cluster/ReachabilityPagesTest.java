package io.netready.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.netready.support.BrowserSession;
import io.netready.support.Portal;
import io.netready.support.SampleNode;
import io.netready.support.SampleNode.Tried;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWireMock;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;

/**
 * What the pages show of the reachability between a cluster's nodes, from uploaded reports whose reachability sections
 * name only other nodes of the same test cluster (10.242.x.y, used by no other test; nothing connects anywhere): the
 * cluster page's matrix node by node (and by subnet above the threshold), its legend and paths to open,
 * node-reachability live in the node x rule matrix, the node page's peers, the diff between two runs, the fix script.
 */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class ReachabilityPagesTest {

    private static final String HOSTILE = "<img src=x onerror=alert(2)>";
    private static final String HOSTILE_ESCAPED = "&lt;img src=x onerror=alert(2)&gt;";

    @OidcWireMock
    WireMockServer provider;

    @jakarta.inject.Inject
    io.agroal.api.AgroalDataSource dataSource;

    @Test
    void aSmallClusterShowsEachPairItsLegendThePathsToOpenAndTheRuleLive() {
        String cluster = Portal.createCluster("platform");
        String token = Portal.issueToken(cluster);
        nodeNetworks(cluster);
        SampleNode cp = SampleNode.controlPlane("cp-0", "10.242.1.10");
        SampleNode wa = SampleNode.worker("w-a", "10.242.1.100");
        SampleNode wc = SampleNode.worker("w-c", "10.242.2.100");
        SampleNode hostile = SampleNode.worker(HOSTILE, "10.242.2.101");
        long wcId = 0;
        for (SampleNode node : List.of(cp, wa, wc, hostile)) {
            long id = upload(token, node.report()).nodeId;
            wcId = node == wc ? id : wcId;
        }
        upload(token, wa.report(List.of(cp.tried(6443, "connected"), cp.tried(10250, "connected"),
                wc.tried(10250, "timeout"), wc.tried(31000, "refused"))));
        long wcBefore = upload(token, wc.report(List.of(cp.tried(6443, "connected"), cp.tried(10250, "timeout"),
                wa.tried(10250, "connected"), hostile.tried(10250, "unreachable")))).reportId;
        upload(token, hostile.report(List.of(wa.tried(10250, "connected"))));
        long cpReport = upload(token, cp.report(List.of(wa.tried(10250, "connected")))).reportId;

        BrowserSession admin = BrowserSession.login(provider, "alice", "admin", "team-platform");
        String page = admin.given().get("/clusters/" + cluster).then().statusCode(200).extract().asString();
        String matrix = between(page, "<table id=\"reachability-matrix\"", "</table>");
        assertTrue(matrix.contains("data-mode=\"node\""), matrix);
        assertTrue(matrix.contains("control-plane · 10.242.1.0/24") && matrix.contains("worker · 10.242.1.0/24")
                && matrix.contains("worker · 10.242.2.0/24"), "lanes grouped by role and subnet: " + matrix);
        assertEquals("timeout", outcome(matrix, "w-a", "w-a → w-c"));
        assertTrue(matrix.contains("w-a → w-c: 10250: timeout after 1.000 s"), matrix);
        assertTrue(matrix.contains("31000: refused"), matrix);
        assertEquals("unreachable", outcome(matrix, "w-c", "w-c → " + HOSTILE_ESCAPED));
        assertEquals("connected", outcome(matrix, "w-a", "w-a → cp-0"));
        assertEquals("not-tried", outcome(matrix, "cp-0", "cp-0 → w-c"));
        assertEquals("self", outcome(matrix, "w-a", "w-a → w-a"));
        assertTrue(matrix.contains(">✗<") && matrix.contains(">⊘<") && matrix.contains(">✓<") && matrix.contains(">·<")
                && matrix.contains(">—<"), "a symbol in every cell, not colour alone");
        assertTrue(matrix.contains(HOSTILE_ESCAPED) && !page.contains(HOSTILE), "the hostname is escaped");
        String legend = between(page, "<p class=\"legend\" id=\"reachability-legend\">", "</p>");
        for (String symbol : List.of("✓", "○", "✗", "⊘", "·", "—")) {
            assertTrue(legend.contains(symbol), symbol + " in the legend: " + legend);
        }
        String paths = between(page, "<ul id=\"paths\"", "</ul>");
        assertTrue(paths.contains("allow tcp <code>10250</code> from <code>10.242.1.0/24</code> to <code>10.242.2.0/24</code>"), paths);
        assertTrue(paths.contains("allow tcp <code>10250</code> from <code>10.242.2.0/24</code> to <code>10.242.1.0/24</code>"), paths);
        assertFalse(paths.contains("31000"), "a refused port is open: nothing to open for it");

        // node-reachability in the node x rule matrix, as it stands now
        assertEquals("fail", ruleCell(page, "cp-0"));
        assertEquals("fail", ruleCell(page, "w-c"));
        assertEquals("pass", ruleCell(page, "w-a"));
        assertEquals("fail", ruleCell(page, HOSTILE_ESCAPED));
        // w-c reaches cp-0 now: cp-0's own report (and its stored finding) is older, the matrix is not
        long wcAfter = upload(token, wc.report(List.of(cp.tried(6443, "connected"), cp.tried(10250, "connected"),
                wa.tried(10250, "connected"), hostile.tried(10250, "unreachable")))).reportId;
        page = admin.given().get("/clusters/" + cluster).then().statusCode(200).extract().asString();
        assertEquals("pass", ruleCell(page, "cp-0"));
        assertEquals("fail", ruleCell(page, HOSTILE_ESCAPED));

        // the node page: who tried w-c, and what it reached
        String node = admin.given().get("/nodes/" + wcId).then().statusCode(200).extract().asString();
        String inbound = between(node, "<table id=\"reach-inbound\"", "</table>");
        assertTrue(inbound.contains("data-peer=\"w-a\" data-worst=\"timeout\""), inbound);
        assertTrue(inbound.contains("data-port=\"10250\" data-outcome=\"timeout\"") && inbound.contains("31000 refused"), inbound);
        String outbound = between(node, "<table id=\"reach-outbound\"", "</table>");
        assertTrue(outbound.contains("data-peer=\"" + HOSTILE_ESCAPED + "\" data-worst=\"unreachable\""), outbound);
        assertTrue(outbound.contains("data-peer=\"cp-0\" data-worst=\"connected\""), outbound);
        assertFalse(node.contains(HOSTILE), "the hostname is escaped on the node page");

        // the diff between w-c's two runs says what changed, readably
        String diff = admin.given().get("/diff?from=" + wcBefore + "&to=" + wcAfter).then().statusCode(200).extract().asString();
        assertTrue(diff.contains("data-group=\"reachability\""), diff);
        assertTrue(diff.contains("<span class=\"changed\">± 10.242.1.10 10250: timeout → connected</span>"), diff);
        assertFalse(diff.contains("0.001000"), "the timings are not compared");
        String markdown = admin.given().get("/diff.md?from=" + wcBefore + "&to=" + wcAfter).then().statusCode(200)
                .extract().asString();
        assertTrue(markdown.contains("#### reachability"), markdown);
        assertTrue(markdown.contains("- `10.242.1.10 10250`: `timeout` → `connected`"), markdown);

        // cp-0's fix script: its between-the-nodes note is a comment that says it is not for this node
        String fix = admin.given().get("/reports/" + cpReport + "/fix.sh").then().statusCode(200).extract().asString();
        assertTrue(fix.contains("# not for this node (the cluster page's \"Paths to open\" lists it): Between the nodes (not on cp-0): "
                + "allow tcp 10250 from 10.242.2.0/24 to 10.242.1.0/24"), fix);
        assertFalse(fix.contains("# note: Between the nodes"), fix);
        assertFalse(fix.contains("aws ec2"), "no commands for another machine: " + fix);
        assertTrue(fix.contains("#   node-reachability (fail)\n"), "listed apart from what the script fixes: " + fix);
    }

    /**
     * A refused NodePort sample is the normal answer, except where the target's own firewall rejects it: the node x
     * rule matrix must fail it, as the rule does. The own firewall's verdict per port is what each upload stores
     * (firewall-ports' model on the ports peers try); set here on the stored identity, so the portal's two readings of
     * it (the matrix's count and the rule on the node's findings) are compared on the same state.
     */
    @Test
    void aRefusedPortTheTargetsOwnFirewallRejectsFailsInTheMatrixAsInTheRule() throws Exception {
        String cluster = Portal.createCluster("platform");
        String token = Portal.issueToken(cluster);
        nodeNetworks(cluster);
        SampleNode cp = SampleNode.controlPlane("cp-r", "10.242.21.10");
        SampleNode wa = SampleNode.worker("wa-r", "10.242.21.100");
        SampleNode wb = SampleNode.worker("wb-r", "10.242.21.101");
        long wbId = 0;
        for (SampleNode node : List.of(cp, wa, wb)) {
            long id = upload(token, node.report()).nodeId;
            wbId = node == wb ? id : wbId;
        }
        upload(token, wa.report(List.of(cp.tried(6443, "connected"), cp.tried(10250, "connected"),
                wb.tried(10250, "connected"), wb.tried(31000, "refused"))));
        BrowserSession admin = BrowserSession.login(provider, "alice", "admin", "team-platform");
        assertEquals("pass", ruleCell(admin.given().get("/clusters/" + cluster).then().statusCode(200).extract().asString(),
                "wb-r"), "a refused NodePort sample is reached");
        assertEquals("pass", ruleFinding(cluster, wbId));

        try (java.sql.Connection c = dataSource.getConnection();
                java.sql.PreparedStatement update = c.prepareStatement(
                        "UPDATE node_identity SET own_firewall = ARRAY['10250 open', '31000 blocked'] WHERE node_id = ?")) {
            update.setLong(1, wbId);
            assertEquals(1, update.executeUpdate());
        }
        assertEquals("fail", ruleFinding(cluster, wbId), "refused where its own firewall rejects it");
        assertEquals("fail", ruleCell(admin.given().get("/clusters/" + cluster).then().statusCode(200).extract().asString(),
                "wb-r"), "the matrix agrees with the rule");
    }

    /** node-reachability's status in the node's findings, as the API gives them. */
    private static String ruleFinding(String cluster, long nodeId) {
        return io.restassured.RestAssured.given().auth().oauth2(io.netready.support.Users.admin())
                .get("/api/v1/clusters/" + cluster + "/nodes/" + nodeId + "/findings").then().statusCode(200).extract()
                .jsonPath().getString("findings.find { it.rule == 'node-reachability' }.status");
    }

    @Test
    void aClusterAboveTheThresholdIsCountedBySubnetNotDrawnNodeByNode() {
        String cluster = Portal.createCluster("platform");
        String token = Portal.issueToken(cluster);
        nodeNetworks(cluster);
        List<SampleNode> controlPlanes = List.of(SampleNode.controlPlane("cp-0", "10.242.11.10").running(),
                SampleNode.controlPlane("cp-1", "10.242.11.11").running());
        List<SampleNode> nearWorkers = new ArrayList<>();
        List<SampleNode> farWorkers = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            nearWorkers.add(SampleNode.worker("wa-" + i, "10.242.11." + (100 + i)));
            farWorkers.add(SampleNode.worker("wb-" + i, "10.242.12." + (100 + i)));
        }
        List<SampleNode> all = new ArrayList<>(controlPlanes);
        all.addAll(nearWorkers);
        all.addAll(farWorkers);
        assertTrue(all.size() > ReachabilityMatrix.NODE_BY_NODE_LIMIT);
        for (SampleNode node : all) {
            upload(token, node.report());
        }
        for (int i = 0; i < 10; i++) {
            List<Tried> tried = new ArrayList<>();
            for (SampleNode cp : controlPlanes) {
                tried.add(cp.tried(6443, "connected"));
                tried.add(cp.tried(10250, i < 2 && cp == controlPlanes.get(0) ? "timeout" : "connected"));
            }
            tried.add(nearWorkers.get(0).tried(10250, "connected"));
            upload(token, farWorkers.get(i).report(tried));
        }

        BrowserSession admin = BrowserSession.login(provider, "alice", "admin", "team-platform");
        String page = admin.given().get("/clusters/" + cluster).then().statusCode(200).extract().asString();
        String matrix = between(page, "<table id=\"reachability-matrix\"", "</table>");
        assertTrue(matrix.contains("data-mode=\"subnet\""), matrix);
        assertFalse(matrix.contains("wb-3") || matrix.contains("/nodes/"), "no node lanes: " + matrix);
        assertTrue(matrix.contains("10.242.12.0/24 (30)") && matrix.contains("10.242.11.0/24 (2)")
                && matrix.contains("10.242.11.0/24 (30)"), matrix);
        Matcher toControlPlanes = Pattern.compile("<td class=\"cell reach-timeout\" data-outcome=\"timeout\" title=\"worker "
                + "10\\.242\\.12\\.0/24 → control-plane 10\\.242\\.11\\.0/24: 18 of 20 pairs tried reached[^\"]*\">✗ "
                + "<span class=\"count\">18/20</span></td>").matcher(matrix);
        assertTrue(toControlPlanes.find(), matrix);
        assertTrue(matrix.contains("title=\"worker 10.242.12.0/24 → worker 10.242.11.0/24: 10 of 10 pairs tried reached"), matrix);
        assertTrue(matrix.contains("900 pairs possible"), "30 x 30 workers: " + matrix);
        String paths = between(page, "<ul id=\"paths\"", "</ul>");
        assertTrue(paths.contains("allow tcp <code>10250</code> from <code>10.242.12.0/24</code> to <code>10.242.11.0/24</code>"
                + " <span class=\"hint\">(2 attempt(s)"), paths);
        assertEquals("fail", ruleCell(page, "cp-0"));
        assertEquals("pass", ruleCell(page, "cp-1"));
        assertEquals("skip", ruleCell(page, "wa-1"));
    }

    private record Uploaded(long reportId, long nodeId) {
    }

    private static Uploaded upload(String token, String body) {
        var json = Portal.upload(token, body).then().statusCode(201).extract().jsonPath();
        return new Uploaded(json.getLong("id"), json.getLong("nodeId"));
    }

    private static String between(String text, String start, String end) {
        int from = text.indexOf(start);
        assertTrue(from >= 0, "no " + start + " in the page");
        int to = text.indexOf(end, from);
        return text.substring(from, to + end.length());
    }

    /** The outcome word of the matrix cell whose title starts with {@code pair}, in the row of {@code source}. */
    private static String outcome(String matrix, String source, String pair) {
        String row = between(matrix, "<tr data-source=\"" + source + "\">", "</tr>");
        Matcher cell = Pattern.compile("data-outcome=\"([a-z-]+)\" title=\"" + Pattern.quote(pair) + ":").matcher(row);
        assertTrue(cell.find(), pair + " in " + row);
        return cell.group(1);
    }

    /**
     * The reports come from 127.0.0.1, not from the nodes' addresses: the cluster declares 10.242.0.0/16 its node
     * network, so the portal vouches for them and counts the attempts on them.
     */
    private static void nodeNetworks(String cluster) {
        io.restassured.RestAssured.given().auth().oauth2(io.netready.support.Users.admin()).contentType("application/json")
                .body(java.util.Map.of("podCidr", "10.244.0.0/16", "serviceCidr", "10.96.0.0/12", "nodeNetworks",
                        "10.242.0.0/16"))
                .put("/api/v1/clusters/" + cluster + "/settings").then().statusCode(200);
    }

    /** node-reachability's status in the node x rule matrix's row of {@code hostname}. */
    private static String ruleCell(String page, String hostname) {
        String row = between(page, "<tr data-node=\"" + hostname + "\">", "</tr>");
        Matcher cell = Pattern.compile("data-rule=\"node-reachability\" data-status=\"([a-z]+)\"").matcher(row);
        assertTrue(cell.find(), "node-reachability in " + row);
        return cell.group(1);
    }
}
