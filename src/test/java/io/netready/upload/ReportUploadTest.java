package io.netready.upload;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.zip.GZIPOutputStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.agroal.api.AgroalDataSource;
import io.netready.node.Node;
import io.netready.report.Report;
import io.netready.support.Portal;
import io.netready.support.Probe;
import io.netready.support.Users;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;

/**
 * The upload API with reports the probe made on this machine: accepted once, and every way to get it wrong answered
 * with its status, a problem+json body that says what was wrong, and nothing stored.
 */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class ReportUploadTest {

    @Inject
    AgroalDataSource dataSource;

    private String cluster;
    private String token;

    @BeforeEach
    void cluster() {
        cluster = Portal.createCluster("platform");
        token = Portal.issueToken(cluster);
    }

    @Test
    void acceptsAProbeReportAndAnswersWhereItIs() {
        String reportId = UUID.randomUUID().toString();
        long before = Report.count();
        long id = Portal.upload(token, Probe.hostReportWithId(reportId))
                .then().statusCode(201)
                .contentType(ContentType.JSON)
                .body("cluster", equalTo(cluster))
                .body("verdict", org.hamcrest.Matchers.oneOf("ready", "warning", "not-ready"))
                .body("findings.rule", org.hamcrest.Matchers.hasItems("ip-forward", "default-route", "unique-hostname"))
                .body("duplicate", equalTo(false))
                .body("url", containsString("/reports/"))
                .extract().jsonPath().getLong("id");
        assertEquals(before + 1, Report.count());
        given().auth().oauth2(Users.admin()).get("/api/v1/reports/" + id)
                .then().statusCode(200)
                .body("reportId", equalTo(reportId))
                .body("cluster", equalTo(cluster))
                .body("sections.find { it.name == 'hostname' }.status", equalTo("ok"));
    }

    @Test
    void theSameReportUploadedTwiceIsStoredOnce() {
        String body = Probe.hostReportWithId(UUID.randomUUID().toString());
        long first = Portal.upload(token, body).then().statusCode(201).extract().jsonPath().getLong("id");
        long count = Report.count();
        long second = Portal.upload(token, body).then().statusCode(200)
                .body("duplicate", equalTo(true)).extract().jsonPath().getLong("id");
        assertEquals(first, second);
        assertEquals(count, Report.count());
    }

    @Test
    void theSameReportSentConcurrentlyIsStoredOnceWithItsIdentityAndOneAuditRecord() throws Exception {
        String body = Probe.hostReportWithId(UUID.randomUUID().toString());
        ExecutorService senders = Executors.newFixedThreadPool(8);
        List<Future<Response>> answers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            answers.add(senders.submit(() -> Portal.upload(token, body)));
        }
        List<Integer> statuses = new ArrayList<>();
        Set<Long> ids = new HashSet<>();
        for (Future<Response> answer : answers) {
            Response response = answer.get(60, TimeUnit.SECONDS);
            statuses.add(response.statusCode());
            ids.add(response.jsonPath().getLong("id"));
        }
        senders.shutdown();
        assertEquals(1, statuses.stream().filter(s -> s == 201).count(), statuses.toString());
        assertEquals(7, statuses.stream().filter(s -> s == 200).count(), statuses.toString());
        assertEquals(1, ids.size(), ids.toString());
        long id = ids.iterator().next();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("""
                        SELECT (SELECT count(*) FROM report r JOIN cluster c ON c.id = r.cluster_id WHERE c.name = ?),
                               (SELECT count(*) FROM audit_event WHERE action = 'upload' AND detail LIKE ?),
                               (SELECT i.report_id FROM node_identity i JOIN report r ON r.node_id = i.node_id WHERE r.id = ?),
                               (SELECT n.last_report_id FROM node n JOIN report r ON r.node_id = n.id WHERE r.id = ?)""")) {
            select.setString(1, cluster);
            select.setString(2, "report " + id + ":%");
            select.setLong(3, id);
            select.setLong(4, id);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                assertEquals(1, row.getLong(1), "reports stored");
                assertEquals(1, row.getLong(2), "audit records of the upload");
                assertEquals(id, row.getLong(3), "the node's identity comes from the report");
                assertEquals(id, row.getLong(4), "the node points at the report");
            }
        }
    }

    @Test
    void aReportIdReusedWithOtherContentIsAConflict() {
        String reportId = UUID.randomUUID().toString();
        Portal.upload(token, Probe.hostReportWithId(reportId)).then().statusCode(201);
        ObjectNode changed = Probe.hostReportTree();
        changed.put("reportId", reportId);
        changed.put("phase", "running");
        refused(() -> Portal.upload(token, changed.toString()).then(), 409, "uploaded before with different content");
    }

    @Test
    void acceptsGzip() throws IOException {
        given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON)
                .header("Content-Encoding", "gzip")
                .body(gzip(Probe.hostReportWithId(UUID.randomUUID().toString()).getBytes(StandardCharsets.UTF_8)))
                .post("/api/v1/reports")
                .then().statusCode(201);
    }

    @Test
    void answersPlainTextForTheProbe() {
        given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON).accept("text/plain")
                .body(Probe.hostReportWithId(UUID.randomUUID().toString()))
                .post("/api/v1/reports")
                .then().statusCode(201)
                .contentType(startsWith("text/plain"))
                .body(containsString("verdict:"), containsString("in cluster " + cluster));
    }

    @Test
    void thePlainTextAnswerNamesEveryRuleItCouldNotCheckAndWhy() {
        // no peer of this cluster has tried the node yet: node-reachability cannot be checked
        String answer = given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON).accept("text/plain")
                .body(Probe.hostReportWithId(UUID.randomUUID().toString()))
                .post("/api/v1/reports")
                .then().statusCode(201).extract().asString();
        assertTrue(answer.matches("(?s).*verdict: +\\S+ \\(\\d+ passed, \\d+ problems?, \\d+ not "
                + "checked of \\d+ rules\\)\n.*"), answer);
        assertTrue(answer.contains("not checked:\n") && answer.contains(
                "\n    node-reachability: No peer has tried"), answer);
    }

    @Test
    void refusesAMissingUnknownOrMalformedToken() {
        String body = Probe.hostReportWithId(UUID.randomUUID().toString());
        refused(() -> given().contentType(ContentType.JSON).body(body).post("/api/v1/reports").then(), 401,
                "no Authorization header");
        refused(() -> Portal.upload("nrt_not-a-token-anyone-issued-000000000", body).then(), 401, "not known");
        refused(() -> given().header("Authorization", "Basic YWxpY2U6YWxpY2U=").contentType(ContentType.JSON).body(body)
                .post("/api/v1/reports").then(), 401, "Bearer");
    }

    @Test
    void refusesWhatIsNotJson() {
        String body = Probe.hostReportWithId(UUID.randomUUID().toString());
        refused(() -> given().header("Authorization", "Bearer " + token).contentType("text/plain").body(body)
                .post("/api/v1/reports").then(), 415, "text/plain");
        refused(() -> given().header("Authorization", "Bearer " + token).contentType("application/json; charset=latin1")
                .body(body).post("/api/v1/reports").then(), 415, "application/json");
        refused(() -> given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON)
                .header("Content-Encoding", "br").body(body).post("/api/v1/reports").then(), 415, "Content-Encoding");
    }

    @Test
    void refusesMalformedJson() {
        String body = Probe.hostReportWithId(UUID.randomUUID().toString());
        refused(() -> Portal.upload(token, body.substring(0, body.length() / 2)).then(), 400, "not well-formed JSON");
        refused(() -> Portal.upload(token, "{\"format\":\"netready.report/v1\",\"format\":\"x\"}").then(), 400, "duplicate member 'format'");
        refused(() -> Portal.upload(token, "[1,2,3]").then(), 400, "one JSON object");
        refused(() -> Portal.upload(token, body + " {}").then(), 400, "not well-formed JSON");
        refused(() -> given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON)
                .header("Content-Encoding", "gzip").body("not gzip at all").post("/api/v1/reports").then(), 400, "gzip");
    }

    @Test
    void refusesReportsTooLargeOnceDecompressed() throws IOException {
        // A report whose hostname is 9 MiB of 'a' gzips to a few kB: the limit (8 MiB in tests) applies to what it
        // unpacks to, and the portal stops reading there.
        ObjectNode report = Probe.hostReportTree();
        ((ObjectNode) report.get("sections").get("hostname")).put("encoding", "text").put("output", "a".repeat(9 * 1024 * 1024));
        byte[] bomb = gzip(report.toString().getBytes(StandardCharsets.UTF_8));
        assertTrue(bomb.length < 100_000, "a bomb: " + bomb.length + " bytes");
        refused(() -> given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON)
                .header("Content-Encoding", "gzip").body(bomb).post("/api/v1/reports").then(), 413, "larger than");
    }

    @Test
    void refusesUnknownFormatsAndMissingFields() {
        ObjectNode future = Probe.hostReportTree();
        future.put("format", "netready.report/v2");
        refused(() -> Portal.upload(token, future.toString()).then(), 422, "netready.report/v2");

        ObjectNode noSections = Probe.hostReportTree();
        noSections.remove("sections");
        refused(() -> Portal.upload(token, noSections.toString()).then(), 422, "sections is required");

        ObjectNode noHostname = Probe.hostReportTree();
        ((ObjectNode) noHostname.get("sections")).remove("hostname");
        refused(() -> Portal.upload(token, noHostname.toString()).then(), 422, "sections.hostname is required");

        ObjectNode badRole = Probe.hostReportTree();
        badRole.put("role", "etcd");
        refused(() -> Portal.upload(token, badRole.toString()).then(), 422, "role must be one of");

        ObjectNode badExit = Probe.hostReportTree();
        ((ObjectNode) badExit.get("sections").get("kernel")).put("exitCode", -1);
        refused(() -> Portal.upload(token, badExit.toString()).then(), 422, "sections.kernel.exitCode");

        ObjectNode badSameAs = Probe.hostReportTree();
        ((ObjectNode) badSameAs.get("sections").get("kernel")).put("sameAs", "no-such-section");
        refused(() -> Portal.upload(token, badSameAs.toString()).then(), 422, "sections.kernel.sameAs");

        ObjectNode badBase64 = Probe.hostReportTree();
        ((ObjectNode) badBase64.get("sections").get("kernel")).put("output", "***");
        refused(() -> Portal.upload(token, badBase64.toString()).then(), 422, "not valid base64");
    }

    private static void refused(Supplier<ValidatableResponse> upload, int status, String detail) {
        long reports = Report.count();
        long nodes = Node.count();
        upload.get().statusCode(status)
                .contentType("application/problem+json")
                .body("status", equalTo(status))
                .body("title", org.hamcrest.Matchers.notNullValue())
                .body("detail", containsString(detail));
        assertEquals(reports, Report.count(), "a refused upload stores no report");
        assertEquals(nodes, Node.count(), "a refused upload stores no node");
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }
}
