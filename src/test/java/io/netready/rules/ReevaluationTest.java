package io.netready.rules;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.netready.rules.catalog.RuleCatalog;
import io.netready.support.Portal;
import io.netready.support.Users;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;

/** Changing a cluster's settings and re-evaluating judges its stored reports again, with the catalog version. */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class ReevaluationTest {

    @Test
    void aNewPodCidrMakesAStoredCniConfigFail() throws IOException {
        String cluster = Portal.createCluster("platform");
        String token = Portal.issueToken(cluster);
        ObjectNode report = (ObjectNode) new ObjectMapper().readTree(
                io.netready.support.RuleSampleFile.reportJson(Path.of("src/test/resources/rule-samples/cni-config/pass-bridge-host-local.txt")));
        report.put("reportId", UUID.randomUUID().toString());
        long id = Portal.upload(token, report.toString()).then().statusCode(201).extract().jsonPath().getLong("id");
        assertEquals("pass", cniStatus(id));

        given().auth().oauth2(Users.viewer("platform")).contentType(ContentType.JSON)
                .body(Map.of("podCidr", "10.250.0.0/16")).put("/api/v1/clusters/" + cluster + "/settings")
                .then().statusCode(403);
        given().auth().oauth2(Users.admin()).contentType(ContentType.JSON)
                .body(Map.of("podCidr", "10.250.0.0/16", "serviceCidr", "10.96.0.0/12", "routingMode", "routed"))
                .put("/api/v1/clusters/" + cluster + "/settings")
                .then().statusCode(200).body("podCidr", equalTo("10.250.0.0/16")).body("routingMode", equalTo("routed"));
        assertEquals("pass", cniStatus(id), "stored findings stay until re-evaluated");

        given().auth().oauth2(Users.admin()).post("/api/v1/clusters/" + cluster + "/reevaluate")
                .then().statusCode(200).body("reports", equalTo(1)).body("catalogVersion", equalTo(RuleCatalog.VERSION));
        assertEquals("fail", cniStatus(id));
        given().auth().oauth2(Users.admin()).get("/api/v1/reports/" + id).then().body("verdict", equalTo("not-ready"));
    }

    @Test
    void settingsAreValidated() {
        String cluster = Portal.createCluster("platform");
        given().auth().oauth2(Users.admin()).contentType(ContentType.JSON)
                .body(Map.of("podCidr", "10.0.0.0/8", "serviceCidr", "10.96.0.0/12"))
                .put("/api/v1/clusters/" + cluster + "/settings")
                .then().statusCode(422).contentType("application/problem+json");
        given().auth().oauth2(Users.admin()).contentType(ContentType.JSON)
                .body(Map.of("routingMode", "bgp"))
                .put("/api/v1/clusters/" + cluster + "/settings")
                .then().statusCode(422);
    }

    private static String cniStatus(long reportId) {
        return given().auth().oauth2(Users.admin()).get("/api/v1/reports/" + reportId + "/findings")
                .then().statusCode(200).extract().jsonPath().getString("find { it.rule == 'cni-config' }.status");
    }
}
