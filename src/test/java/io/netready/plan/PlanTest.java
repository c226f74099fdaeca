package io.netready.plan;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.netready.support.Portal;
import io.netready.support.Probe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.path.json.JsonPath;

/**
 * {@code GET /api/v1/plan} with real probe reports uploaded under the nodes' names and node IPs (10.241.x.y, used by
 * no other test): the token's cluster only, control planes always, workers rotating k at a time until every pair is
 * covered, never the node itself, never an address no node of the cluster reported as its own.
 */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class PlanTest {

    @Test
    void controlPlanesAreTargetsOfEveryNodeAndEtcdOnlyOfOtherControlPlanes() {
        Fleet fleet = Fleet.of(2, 3, 1);
        JsonPath worker = plan(fleet.token, "w-0");
        assertEquals(List.of("cp-0", "cp-1", "w-1", "w-2"), worker.getList("targets.node"));
        assertEquals(List.of(6443, 10250), worker.getList("targets[0].ports.port"));
        assertEquals(List.of("10.241.1.10", "10.241.1.11"), worker.getList("targets.findAll { it.role == 'control-plane' }.address"));
        JsonPath controlPlane = plan(fleet.token, "cp-0");
        assertEquals(List.of("cp-1", "w-0", "w-1", "w-2"), controlPlane.getList("targets.node"));
        assertEquals(List.of(6443, 10250, 2379, 2380), controlPlane.getList("targets[0].ports.port"));
        int nodePort = controlPlane.getInt("targets.find { it.node == 'w-0' }.ports[1].port");
        assertTrue(nodePort >= 30000 && nodePort <= 32767, "a NodePort sample: " + nodePort);
        assertEquals(List.of(10250, nodePort), plan(fleet.token, "w-1").getList("targets.find { it.node == 'w-0' }.ports.port"),
                "the same NodePort for the same worker from any source");
        assertEquals(ReachabilityPlan.FORMAT, worker.getString("format"));
        assertEquals(fleet.cluster, worker.getString("cluster"));
        assertEquals(64, worker.getInt("maxConnects"));
        assertEquals(1000, worker.getInt("connectTimeoutMs"));
        assertTrue(worker.getList("untested.port").containsAll(List.of(8472, 4789, 6081, 51820)));
        assertEquals(Set.of("udp"), Set.copyOf(worker.getList("untested.protocol")));
        assertTrue(worker.getString("untested[0].why").contains("firewall-ports"));
    }

    @Test
    void workersRotateKAtATimeUntilEveryPairIsCovered() {
        Fleet fleet = Fleet.of(1, 40, 2);
        Set<String> seen = new HashSet<>();
        List<Integer> perRun = new ArrayList<>();
        for (int run = 0; run < 3; run++) {
            JsonPath plan = plan(fleet.token, "w-7");
            List<String> workers = plan.getList("targets.findAll { it.role == 'worker' }.node");
            assertTrue(plan.getList("targets.node").contains("cp-0"), "the control plane in every run");
            perRun.add(workers.size());
            seen.addAll(workers);
            int connects = plan.getList("targets.ports.flatten()").size();
            assertTrue(connects <= 64, connects + " connects");
        }
        assertEquals(List.of(16, 16, 16), perRun);
        Set<String> others = new HashSet<>();
        for (int i = 0; i < 40; i++) {
            others.add("w-" + i);
        }
        others.remove("w-7");
        assertEquals(others, seen, "three runs of 16 cover the 39 other workers");
        assertFalse(seen.contains("w-7"), "never the node itself");
    }

    @Test
    void theNodeItselfIsNeverItsOwnTargetNorIsAnotherNodeWithItsAddress() {
        Fleet fleet = Fleet.of(1, 2, 3);
        // a second machine under the same hostname, and a worker that reports w-0's address as its own
        Portal.upload(fleet.token, report("w-0", "worker", "10.241.3.50")).then().statusCode(201);
        Portal.upload(fleet.token, report("w-dup", "worker", fleet.address("w-0"))).then().statusCode(201);
        JsonPath plan = plan(fleet.token, "W-0");
        assertEquals("w-0", plan.getString("node"));
        assertEquals(List.of("cp-0", "w-1"), plan.getList("targets.node"));
        assertFalse(plan.getList("targets.address").contains(fleet.address("w-0")));
        assertFalse(plan.getList("targets.address").contains("10.241.3.50"));
    }

    @Test
    void onlyAddressesNodesOfTheClusterReportedAsTheirOwnArePlanned() {
        Fleet fleet = Fleet.of(1, 2, 4);
        Fleet other = Fleet.of(1, 1, 5);
        // a node whose report names a peer outside the cluster (hosts file, a reachability section of its own)
        ObjectNode injecting = tree("w-inject", "worker", "10.241.4.40");
        putSection(injecting, "hosts", "10.241.6.66 fake-peer\n");
        putSection(injecting, "reachability", "tcp 10.241.6.67 6443 connected\n");
        Portal.upload(fleet.token, injecting.toString()).then().statusCode(201);
        // nodes reporting addresses no peer can be sent to
        Portal.upload(fleet.token, report("w-loopback", "worker", "127.0.0.1")).then().statusCode(201);
        Portal.upload(fleet.token, report("w-linklocal", "worker", "169.254.10.1")).then().statusCode(201);
        JsonPath plan = given().header("Authorization", "Bearer " + fleet.token)
                .queryParam("node", "w-0").queryParam("address", "10.241.6.68").queryParam("targets", "10.241.6.69")
                .get("/api/v1/plan").then().statusCode(200).extract().jsonPath();
        Set<String> reported = Set.of(fleet.address("cp-0"), fleet.address("w-1"), "10.241.4.40");
        assertEquals(reported, Set.copyOf(plan.getList("targets.address")));
        assertFalse(plan.prettify().contains("10.241.6."), "nothing from a report or the request");
        assertFalse(plan.getList("targets.address").contains(other.address("cp-0")), "nothing of another cluster");
    }

    @Test
    void anAddressThePortalCannotVouchForIsNeverPlanned() {
        // every report came from 127.0.0.1: a node's own word on its address sends nobody anywhere
        Fleet fleet = Fleet.unvouched(1, 3, 11);
        JsonPath plan = plan(fleet.token, "w-0");
        assertEquals(List.of(), plan.getList("targets"));
        assertEquals(3, plan.getInt("withheld.peers"), plan.prettify());
        assertTrue(plan.getString("withheld.why").startsWith("their node IP is neither the address they uploaded from"));
        // the admin declares where the nodes live: only addresses inside it are planned
        nodeNetworks(fleet.cluster, "10.241.11.96/28");
        JsonPath narrowed = plan(fleet.token, "w-0");
        assertEquals(List.of(fleet.address("w-1"), fleet.address("w-2")), narrowed.getList("targets.address"));
        assertEquals(1, narrowed.getInt("withheld.peers"), "cp-0 at 10.241.11.10 is outside");
        given().auth().oauth2(io.netready.support.Users.admin()).contentType("application/json")
                .body(Map.of("nodeNetworks", "0.0.0.0/0")).put("/api/v1/clusters/" + fleet.cluster + "/settings")
                .then().statusCode(422).contentType("application/problem+json");
    }

    @Test
    void anotherClustersTokenGetsNothingOfThisCluster() {
        Fleet fleet = Fleet.of(1, 2, 6);
        Fleet other = Fleet.of(1, 0, 7);
        JsonPath plan = plan(other.token, "w-0");
        assertEquals(other.cluster, plan.getString("cluster"));
        assertEquals(List.of(other.address("cp-0")), plan.getList("targets.address"));
        given().queryParam("node", "w-0").get("/api/v1/plan").then().statusCode(401)
                .contentType("application/problem+json").header("WWW-Authenticate", containsString("Bearer"));
        given().header("Authorization", "Bearer nrt_unknown-token-000000000000000000").queryParam("node", "w-0")
                .get("/api/v1/plan").then().statusCode(401).contentType("application/problem+json");
        assertEquals(List.of("cp-0", "w-1"), plan(fleet.token, "w-0").getList("targets.node"));
    }

    @Test
    void aBadNodeNameIsA400ThatSaysWhy() {
        Fleet fleet = Fleet.of(1, 1, 8);
        for (String bad : List.of("", "-leading-dash", "has space", "a/b", "x".repeat(254), "node;rm", "ünï")) {
            given().header("Authorization", "Bearer " + fleet.token).queryParam("node", bad).get("/api/v1/plan")
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("status", equalTo(400)).body("detail", containsString("node"));
        }
        given().header("Authorization", "Bearer " + fleet.token).get("/api/v1/plan")
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("'node'"));
    }

    @Test
    void aNodeThePortalHasNotSeenYetGetsAPlanToo() {
        Fleet fleet = Fleet.of(1, 1, 9);
        assertEquals(List.of("cp-0", "w-0"), plan(fleet.token, "new-node").getList("targets.node"));
    }

    @Test
    void theProbeFetchesItsPlanBeforeUploadingAndSendsTheSections() {
        // a cluster where no other node has reported: the plan is empty, so the probe connects to nothing
        Fleet fleet = Fleet.of(0, 0, 10);
        io.netready.support.Processes.Result run = Probe.run(List.of(), "dash", "--server",
                "http://127.0.0.1:" + io.restassured.RestAssured.port, "--token", fleet.token, "--quiet");
        assertEquals(0, run.exitCode(), run.stderr());
        long reportId = io.netready.report.Report.<io.netready.report.Report> find("clusterId",
                io.netready.cluster.Cluster.findByName(fleet.cluster).orElseThrow().id).firstResult().id;
        JsonPath raw = given().auth().oauth2(io.netready.support.Users.admin()).get("/api/v1/reports/" + reportId + "/raw")
                .then().statusCode(200).extract().jsonPath();
        assertEquals("ok", raw.getString("sections.reachability.status"));
        assertEquals("", raw.getString("sections.reachability.output"));
        assertEquals("ok", raw.getString("sections.'reachability-times'.status"));
    }

    private static void nodeNetworks(String cluster, String networks) {
        given().auth().oauth2(io.netready.support.Users.admin()).contentType("application/json")
                .body(Map.of("nodeNetworks", networks)).put("/api/v1/clusters/" + cluster + "/settings")
                .then().statusCode(200);
    }

    private static JsonPath plan(String token, String node) {
        return given().header("Authorization", "Bearer " + token).queryParam("node", node).get("/api/v1/plan")
                .then().statusCode(200).contentType("application/json").extract().jsonPath();
    }

    /** A cluster of control planes cp-i (10.241.S.10+i) and workers w-i (10.241.S.100+i), each with its report. */
    private record Fleet(String cluster, String token, Map<String, String> addresses) {

        /**
         * The reports are uploaded from 127.0.0.1, not from the nodes' addresses: the cluster declares 10.241.0.0/16
         * its node network, so the portal can vouch for them.
         */
        static Fleet of(int controlPlanes, int workers, int subnet) {
            Fleet fleet = unvouched(controlPlanes, workers, subnet);
            nodeNetworks(fleet.cluster, "10.241.0.0/16");
            return fleet;
        }

        /** As above, in a cluster without node networks: no address is vouched for. */
        static Fleet unvouched(int controlPlanes, int workers, int subnet) {
            String cluster = Portal.createCluster("platform");
            String token = Portal.issueToken(cluster);
            Map<String, String> addresses = new java.util.LinkedHashMap<>();
            for (int i = 0; i < controlPlanes; i++) {
                addresses.put("cp-" + i, "10.241." + subnet + "." + (10 + i));
                Portal.upload(token, report("cp-" + i, "control-plane", addresses.get("cp-" + i))).then().statusCode(201);
            }
            for (int i = 0; i < workers; i++) {
                addresses.put("w-" + i, "10.241." + subnet + "." + (100 + i));
                Portal.upload(token, report("w-" + i, "worker", addresses.get("w-" + i))).then().statusCode(201);
            }
            return new Fleet(cluster, token, addresses);
        }

        String address(String node) {
            return addresses.get(node);
        }
    }

    /** This machine's real report, as node {@code hostname} whose default route leaves from {@code nodeIp}. */
    static String report(String hostname, String role, String nodeIp) {
        return tree(hostname, role, nodeIp).toString();
    }

    private static ObjectNode tree(String hostname, String role, String nodeIp) {
        ObjectNode tree = Probe.hostReportTree();
        tree.put("reportId", UUID.randomUUID().toString());
        tree.put("role", role);
        putSection(tree, "hostname", hostname + "\n");
        putSection(tree, "machine-id", UUID.randomUUID().toString().replace("-", "") + "\n");
        putSection(tree, "routes", "[{\"dst\":\"default\",\"gateway\":\"" + nodeIp.substring(0, nodeIp.lastIndexOf('.'))
                + ".1\",\"dev\":\"eth0\",\"prefsrc\":\"" + nodeIp + "\",\"flags\":[]}]\n");
        return tree;
    }

    private static void putSection(ObjectNode tree, String name, String output) {
        byte[] bytes = output.getBytes(StandardCharsets.UTF_8);
        ObjectNode section = ((ObjectNode) tree.path("sections")).putObject(name);
        section.put("source", name).put("status", "ok").put("exitCode", 0).put("encoding", "base64")
                .put("output", Base64.getEncoder().encodeToString(bytes)).put("stderr", "").put("bytes", bytes.length)
                .put("truncated", false);
    }
}
