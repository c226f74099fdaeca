package io.netready.readiness;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.agroal.api.AgroalDataSource;
import io.netready.support.Portal;
import io.netready.support.RuleSampleFile;
import io.netready.support.Users;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.path.json.JsonPath;

/**
 * The database's path for node-reachability agrees with the in-memory one the rule samples are checked on: the real
 * reports of each node-reachability sample (captured in namespaces) uploaded to a cluster of their own, twice (a
 * node's attempts are kept only on nodes the portal knows), store each pair's outcome, and every node's live finding
 * is the one its sample expects. An attempt on an address no node of the cluster reported is never stored, and an
 * unchanged reachability section is stored once.
 */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class ReachabilityOutcomesTest {

    private static final Path SAMPLES = Path.of("src/test/resources/rule-samples/node-reachability");
    /**
     * The samples' subnets (capture-rule-samples.sh's reach_nodes): the reports arrive from 127.0.0.1, so the clusters
     * declare them their node networks and the portal vouches for the nodes' addresses, as a plan would.
     */
    private static final String SAMPLE_NETWORKS = "10.242.0.0/16,10.243.0.0/16";

    @Inject
    AgroalDataSource dataSource;

    static Stream<String> samples() throws IOException {
        try (Stream<Path> dirs = Files.list(SAMPLES)) {
            return dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("samples")
    void theStoredOutcomesGiveEachNodeTheFindingItsSampleExpects(String sample) throws Exception {
        Path dir = SAMPLES.resolve(sample);
        String cluster = Portal.createCluster("platform");
        String token = Portal.issueToken(cluster);
        Properties settings = new Properties();
        try (var in = Files.newInputStream(dir.resolve("cluster.properties"))) {
            settings.load(in);
        }
        given().auth().oauth2(Users.admin()).contentType("application/json")
                .body(Map.of("podCidr", settings.getProperty("podCidr", ""), "serviceCidr", settings.getProperty("serviceCidr", ""),
                        "routingMode", settings.getProperty("routingMode", "unknown"), "nodeNetworks", SAMPLE_NETWORKS))
                .put("/api/v1/clusters/" + cluster + "/settings").then().statusCode(200);
        List<Path> nodes;
        try (Stream<Path> files = Files.list(dir)) {
            nodes = files.filter(f -> f.toString().endsWith(".txt")).sorted().toList();
        }
        List<String> reports = new ArrayList<>();
        for (Path node : nodes) {
            reports.add(new String(RuleSampleFile.reportJson(node), StandardCharsets.UTF_8));
        }
        int attempts = 0;
        for (int round = 0; round < 2; round++) {
            for (String report : reports) {
                // the same report under a new id: the second round finds every peer known
                String again = round == 0 ? report : report.replaceFirst("\"reportId\" *: *\"[^\"]+\"",
                        "\"reportId\":\"" + UUID.randomUUID() + "\"");
                Portal.upload(token, again).then().statusCode(201);
                attempts += round == 1 ? countLines(again) : 0;
            }
        }
        assertEquals(attempts, outcomes(cluster), "every attempt on a node of the cluster is stored, once per pair");
        JsonPath listed = given().auth().oauth2(Users.admin()).get("/api/v1/clusters/" + cluster + "/nodes").then()
                .statusCode(200).extract().jsonPath();
        for (Path node : nodes) {
            RuleSampleFile.Sample file = RuleSampleFile.read(node);
            String hostname = file.report().hostname();
            long id = listed.getLong("find { it.hostname == '" + hostname + "' }.id");
            JsonPath finding = given().auth().oauth2(Users.admin())
                    .get("/api/v1/clusters/" + cluster + "/nodes/" + id + "/findings").then().statusCode(200).extract()
                    .jsonPath().setRootPath("findings.find { it.rule == 'node-reachability' }");
            assertEquals(file.expect().status(), finding.getString("status"), sample + "/" + node.getFileName());
            assertEquals(file.expect().message(), finding.getString("message"), sample + "/" + node.getFileName());
            assertEquals(file.expect().notes(), finding.getList("remediation.notes"), sample + "/" + node.getFileName());
        }
        long distinct = reports.stream().map(r -> JsonPath.from(r).getString("sections.reachability.output")).distinct().count();
        assertEquals(distinct, sectionContents(cluster, "reachability"),
                "an unchanged reachability section shares its stored content: once per distinct section, not per upload");
    }

    @Test
    void anAttemptOnAnAddressNoNodeReportedIsNeverStored() throws Exception {
        String cluster = Portal.createCluster("platform");
        String token = Portal.issueToken(cluster);
        String report = new String(RuleSampleFile.reportJson(SAMPLES.resolve("pass-all-open/node-1.txt")),
                StandardCharsets.UTF_8);
        assertTrue(countLines(report) > 0, "the sample names peers");
        // alone in its cluster: the addresses its reachability section names belong to no node here
        Portal.upload(token, report).then().statusCode(201);
        Portal.upload(token, report.replaceFirst("\"reportId\" *: *\"[^\"]+\"", "\"reportId\":\"" + UUID.randomUUID() + "\""))
                .then().statusCode(201);
        assertEquals(0, outcomes(cluster));
    }

    @Test
    void anAttemptOnANodeThePortalCannotVouchForIsNeverStored() throws Exception {
        // no node networks, and every report uploaded from 127.0.0.1: no node's address is vouched for, so no plan
        // could have sent anyone there, and no attempt counts on them
        String cluster = Portal.createCluster("platform");
        String token = Portal.issueToken(cluster);
        List<String> reports = new ArrayList<>();
        try (Stream<Path> files = Files.list(SAMPLES.resolve("pass-all-open"))) {
            for (Path node : files.filter(f -> f.toString().endsWith(".txt")).sorted().toList()) {
                reports.add(new String(RuleSampleFile.reportJson(node), StandardCharsets.UTF_8));
            }
        }
        for (int round = 0; round < 2; round++) {
            for (String report : reports) {
                Portal.upload(token, report.replaceFirst("\"reportId\" *: *\"[^\"]+\"", "\"reportId\":\"" + UUID.randomUUID() + "\""))
                        .then().statusCode(201);
            }
        }
        assertTrue(reports.stream().mapToInt(ReachabilityOutcomesTest::countLines).sum() > 0, "the samples name peers");
        assertEquals(0, outcomes(cluster));
    }

    /** The attempts a report's reachability section lists. */
    private static int countLines(String report) {
        JsonPath json = JsonPath.from(report);
        String output = json.getString("sections.reachability.output");
        String text = new String(java.util.Base64.getDecoder().decode(output), StandardCharsets.UTF_8);
        return (int) text.lines().filter(l -> l.startsWith("tcp ")).count();
    }

    private long outcomes(String cluster) throws SQLException {
        return count("SELECT count(*) FROM reachability_outcome o JOIN cluster c ON c.id = o.cluster_id WHERE c.name = ?",
                cluster);
    }

    private long sectionContents(String cluster, String section) throws SQLException {
        return count("SELECT count(DISTINCT r.sections ->> '" + section + "') FROM report r JOIN cluster c ON c.id = r.cluster_id"
                + " WHERE c.name = ?", cluster);
    }

    private long count(String sql, String cluster) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, cluster);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }
}
