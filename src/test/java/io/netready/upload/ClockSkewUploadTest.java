package io.netready.upload;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.netready.report.Report;
import io.netready.support.Portal;
import io.netready.support.Probe;
import io.netready.support.Users;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;

/**
 * The node's clock as the portal measures it: a direct upload of a report collected two minutes ago by the node's
 * clock warns in clock-sync, with the offset stored and judged the same after re-evaluation; the same report spooled
 * is not measured.
 */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class ClockSkewUploadTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private String cluster;
    private String token;

    @BeforeEach
    void cluster() {
        cluster = Portal.createCluster("platform");
        token = Portal.issueToken(cluster);
    }

    /** The probe's report of this machine, as if the node's clock were two minutes behind. */
    private static String collectedTwoMinutesAgo() throws Exception {
        ObjectNode report = (ObjectNode) JSON.readTree(Probe.hostReportWithId(UUID.randomUUID().toString()));
        report.put("collectedAt", Instant.now().minusSeconds(120).truncatedTo(ChronoUnit.SECONDS).toString());
        ((ObjectNode) report.get("probe")).put("durationMs", 500);
        return JSON.writeValueAsString(report);
    }

    private long upload(String body, String kind) {
        return given().header("Authorization", "Bearer " + token).header(Origin.UPLOAD_HEADER, kind)
                .contentType(ContentType.JSON).body(body).post("/api/v1/reports")
                .then().statusCode(201).extract().jsonPath().getLong("id");
    }

    @Test
    void aDirectUploadMeasuresTheClockAndReevaluationKeepsTheMeasurement() throws Exception {
        long id = upload(collectedTwoMinutesAgo(), "direct");
        Long offset = QuarkusTransaction.requiringNew().call(() -> Report.<Report> findById(id).clockOffsetMs);
        assertTrue(offset != null && offset > 115_000 && offset < 125_000, "stored offset " + offset);
        given().auth().oauth2(Users.admin()).get("/api/v1/reports/" + id + "/findings").then().statusCode(200)
                .body("find { it.rule == 'clock-sync' }.status", equalTo("warn"))
                .body("find { it.rule == 'clock-sync' }.message", containsString("s behind the portal's"));
        given().auth().oauth2(Users.admin()).post("/api/v1/clusters/" + cluster + "/reevaluate").then().statusCode(200);
        given().auth().oauth2(Users.admin()).get("/api/v1/reports/" + id + "/findings").then().statusCode(200)
                .body("find { it.rule == 'clock-sync' }.status", equalTo("warn"));
    }

    @Test
    void spooledRetriedAndUnmarkedUploadsAreNotMeasured() throws Exception {
        for (String kind : new String[] { "spooled", "retried", "" }) {
            long id = upload(collectedTwoMinutesAgo(), kind);
            assertNull(QuarkusTransaction.requiringNew().call(() -> Report.<Report> findById(id).clockOffsetMs), kind);
            given().auth().oauth2(Users.admin()).get("/api/v1/reports/" + id + "/findings").then().statusCode(200)
                    .body("find { it.rule == 'clock-sync' }.message", org.hamcrest.Matchers.not(containsString("behind")));
        }
    }
}
