package io.netready.rules;

import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;

import io.netready.support.BrowserSession;
import io.netready.support.Portal;
import io.netready.support.RuleSampleFile;
import io.netready.support.Users;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWireMock;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * A cluster without pod or Service CIDR settings: the real reports of a control plane and two flannel workers
 * uploaded one by one, the CIDRs inferred as they arrive, the same answer from the upload, the node's live findings
 * and a re-evaluation; and the dual-stack form the settings accept.
 */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class InferredCidrsUploadTest {

    @OidcWireMock
    WireMockServer provider;

    private static final Path SAMPLE = Path.of("src/test/resources/rule-samples/cidr-overlap/fail-inferred-pod-cidr-contains-node-address");
    private static final String FROM_CP = "pod CIDR 10.244.0.0/16 from kube-controller-manager --cluster-cidr on cidr-inf-cp-1";

    @Test
    void theControlPlanesFlagsDecideOnceItHasReported() throws IOException {
        String cluster = emptyCluster();
        String token = Portal.issueToken(cluster);

        // the first worker knows only its own flannel network
        JsonPath w1 = upload(token, "node-b");
        assertEquals("fail", cidrOverlap(w1, "status"));
        assertEquals("node address 10.244.91.12 (network 10.244.91.0/24) lies inside pod CIDR 10.244.0.0/16 (from "
                + "flannel's FLANNEL_NETWORK in /run/flannel/subnet.env on cidr-inf-w-1)", cidrOverlap(w1, "message"));
        // then the control plane: its kube-controller-manager flag outranks flannel
        JsonPath cp = upload(token, "node-a");
        assertEquals(List.of("addresses", "inferred", "inferred"), cidrOverlapEvidence(cp, "source"));
        assertEquals(FROM_CP, cidrOverlapEvidence(cp, "text").get(1));
        assertEquals("Service CIDR 10.96.0.0/12 from kube-controller-manager --service-cluster-ip-range on cidr-inf-cp-1",
                cidrOverlapEvidence(cp, "text").get(2));
        JsonPath w2 = upload(token, "node-c");
        assertEquals(FROM_CP, cidrOverlapEvidence(w2, "text").get(1));

        // the first worker's live findings see the control plane now; a re-evaluation stores the same
        Map<String, Long> nodes = nodeIds(cluster);
        Map<String, String> live = new HashMap<>();
        for (Map.Entry<String, Long> node : nodes.entrySet()) {
            live.put(node.getKey(), given().auth().oauth2(Users.admin())
                    .get("/api/v1/clusters/" + cluster + "/nodes/" + node.getValue() + "/findings")
                    .then().statusCode(200).extract().jsonPath().getString("findings.find { it.rule == 'cidr-overlap' }"));
        }
        assertEquals(3, live.size());
        live.values().forEach(finding -> assertThat(finding, containsString(FROM_CP)));
        given().auth().oauth2(Users.admin()).post("/api/v1/clusters/" + cluster + "/reevaluate").then().statusCode(200);
        for (Map.Entry<String, Long> node : nodes.entrySet()) {
            long report = latestReport(cluster, node.getValue());
            String stored = given().auth().oauth2(Users.admin()).get("/api/v1/reports/" + report + "/findings")
                    .then().statusCode(200).extract().jsonPath().getString("find { it.rule == 'cidr-overlap' }");
            assertEquals(live.get(node.getKey()), stored, node.getKey() + ": live and re-evaluated findings agree");
        }

        // the cluster page says what the rules judge with, and where it came from
        BrowserSession admin = BrowserSession.login(provider, "alice", "admin", "team-platform");
        admin.given().get("/clusters/" + cluster).then().statusCode(200)
                .body(containsString("10.244.0.0/16 <span class=\"hint\" id=\"pod-cidr-origin\">not set; inferred from "
                        + "kube-controller-manager --cluster-cidr on cidr-inf-cp-1</span>"))
                .body(containsString("10.96.0.0/12 <span class=\"hint\" id=\"service-cidr-origin\">not set; inferred from "
                        + "kube-controller-manager --service-cluster-ip-range on cidr-inf-cp-1</span>"));

        // settings, once made, win over what the nodes say
        given().auth().oauth2(Users.admin()).contentType(ContentType.JSON)
                .body(Map.of("podCidr", "10.250.0.0/16", "serviceCidr", "10.96.0.0/12", "routingMode", "overlay"))
                .put("/api/v1/clusters/" + cluster + "/settings").then().statusCode(200);
        given().auth().oauth2(Users.admin())
                .get("/api/v1/clusters/" + cluster + "/nodes/" + nodes.get("cidr-inf-w-1") + "/findings")
                .then().statusCode(200)
                .body("findings.find { it.rule == 'cidr-overlap' }.status", equalTo("pass"));
    }

    @Test
    void settingsTakeKubeadmsDualStackFormPerFamily() {
        String name = Portal.uniqueName("ds");
        given().auth().oauth2(Users.admin()).contentType(ContentType.JSON)
                .body(Map.of("name", name, "team", "platform", "podCidr", " fd00:10:244::/56 , 10.244.0.0/16",
                        "serviceCidr", "10.96.0.0/12,fd00:10:96::/112"))
                .post("/api/v1/clusters").then().statusCode(201)
                .body("podCidr", equalTo("10.244.0.0/16,fd00:10:244::/56"))
                .body("serviceCidr", equalTo("10.96.0.0/12,fd00:10:96::/112"));
        settings(name, "10.244.0.0/16,10.245.0.0/16", null).statusCode(422)
                .body("detail", containsString("names two IPv4 networks"));
        settings(name, "10.244.0.0/16,fd00:10:244::/56,fd01::/56", null).statusCode(422)
                .body("detail", containsString("one per family"));
        settings(name, "10.244.0.0/16,fd00:10:244::1/56", null).statusCode(422)
                .body("detail", containsString("podCidr 'fd00:10:244::1/56' is not a network"));
        settings(name, "10.244.0.0/16,fd00:10::/32", "10.96.0.0/12,fd00:10:96::/112").statusCode(422)
                .body("detail", equalTo("podCidr fd00:10::/32 overlaps serviceCidr fd00:10:96::/112"));
        settings(name, "10.244.0.0/16,fd00:10:244::/56", "10.96.0.0/12").statusCode(200)
                .body("podCidr", equalTo("10.244.0.0/16,fd00:10:244::/56"));
    }

    private static io.restassured.response.ValidatableResponse settings(String cluster, String pod, String service) {
        Map<String, String> body = new HashMap<>();
        body.put("podCidr", pod);
        body.put("serviceCidr", service);
        return given().auth().oauth2(Users.admin()).contentType(ContentType.JSON).body(body)
                .put("/api/v1/clusters/" + cluster + "/settings").then();
    }

    private static String emptyCluster() {
        String name = Portal.uniqueName("inf");
        given().auth().oauth2(Users.admin()).contentType(ContentType.JSON).body(Map.of("name", name, "team", "platform"))
                .post("/api/v1/clusters").then().statusCode(201);
        return name;
    }

    private static JsonPath upload(String token, String node) throws IOException {
        ObjectNode report = (ObjectNode) new ObjectMapper().readTree(RuleSampleFile.reportJson(SAMPLE.resolve(node + ".txt")));
        report.put("reportId", UUID.randomUUID().toString());
        return Portal.upload(token, report.toString()).then().statusCode(201).extract().jsonPath();
    }

    private static String cidrOverlap(JsonPath answer, String field) {
        return answer.getString("findings.find { it.rule == 'cidr-overlap' }." + field);
    }

    private static List<String> cidrOverlapEvidence(JsonPath answer, String field) {
        return answer.getList("findings.find { it.rule == 'cidr-overlap' }.evidence." + field);
    }

    private static Map<String, Long> nodeIds(String cluster) {
        JsonPath nodes = given().auth().oauth2(Users.admin()).get("/api/v1/clusters/" + cluster + "/nodes")
                .then().statusCode(200).extract().jsonPath();
        Map<String, Long> ids = new HashMap<>();
        List<String> hostnames = nodes.getList("hostname");
        for (int i = 0; i < hostnames.size(); i++) {
            ids.put(hostnames.get(i), nodes.getLong("[" + i + "].id"));
        }
        return ids;
    }

    private static long latestReport(String cluster, long nodeId) {
        JsonPath nodes = given().auth().oauth2(Users.admin()).get("/api/v1/clusters/" + cluster + "/nodes")
                .then().statusCode(200).extract().jsonPath();
        return nodes.getLong("find { it.id == " + nodeId + " }.lastReportId");
    }
}
