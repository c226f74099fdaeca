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

import com.github.tomakehurst.wiremock.WireMockServer;

import io.agroal.api.AgroalDataSource;
import io.netready.support.BrowserSession;
import io.netready.support.Portal;
import io.netready.support.RuleSampleFile;
import io.netready.support.Users;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWireMock;
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

    @OidcWireMock
    WireMockServer provider;

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
        assertEquals(0, pairsDisagreeing(cluster), "each pair's summary is its attempts' worst, failed and refused ports");
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
        // the node x rule matrix judges node-reachability live from the pairs' summaries: the same status
        String page = BrowserSession.login(provider, "alice", "admin", "team-platform").given().get("/clusters/" + cluster)
                .then().statusCode(200).extract().asString();
        for (Path node : nodes) {
            RuleSampleFile.Sample file = RuleSampleFile.read(node);
            java.util.regex.Matcher cell = java.util.regex.Pattern.compile("<tr data-node=\"" + java.util.regex.Pattern.quote(
                    file.report().hostname()) + "\">.*?data-rule=\"node-reachability\" data-status=\"([a-z]+)\"",
                    java.util.regex.Pattern.DOTALL).matcher(page);
            assertTrue(cell.find(), "the cluster page has a node-reachability cell for " + file.report().hostname());
            assertEquals(file.expect().status(), cell.group(1), "the matrix for " + sample + "/" + node.getFileName());
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

    @Test
    void aLaterRunOnAPairReplacesItsAttemptsAndItsSummary() throws Exception {
        String cluster = Portal.createCluster("platform");
        String token = Portal.issueToken(cluster);
        List<RuleSampleFile.Sample> nodes = allOpenTwice(cluster, token);
        RuleSampleFile.Sample source = nodes.get(0);
        String line = new String(section(source, "reachability"), StandardCharsets.UTF_8).lines()
                .filter(l -> l.startsWith("tcp ")).findFirst().orElseThrow();
        String[] first = line.split(" ");
        String target = first[1];
        // the next run tries the first port of that peer only, and it times out now
        String later = java.time.Instant.parse(source.report().collectedAt()).plusSeconds(600).toString();
        String newer = json(source, UUID.randomUUID().toString(), later, text -> text.lines()
                .filter(l -> !l.startsWith("tcp " + target + " ") || l.startsWith("tcp " + target + " " + first[2] + " "))
                .map(l -> l.startsWith("tcp " + target + " ") ? l.replace(" connected", " timeout") : l)
                .collect(java.util.stream.Collectors.joining("\n", "", "\n")));
        Portal.upload(token, newer).then().statusCode(201);
        String from = fromSource(source);
        String pair = "SELECT %s FROM reachability_outcome o JOIN cluster c ON c.id = o.cluster_id"
                + " WHERE c.name = ? AND o.target_ip = '" + target + "'" + from;
        assertEquals(1, count(pair.formatted("count(*)"), cluster), "the port the later run left out is dropped");
        assertEquals(1, count(pair.formatted("count(*)") + " AND o.outcome = 'timeout' AND o.port = " + first[2], cluster));
        assertEquals(1, count("SELECT count(*) FROM reachability_pair p JOIN cluster c ON c.id = p.cluster_id WHERE c.name = ?"
                + " AND p.target_ip = '" + target + "'" + from + " AND p.worst = 'timeout' AND p.failed_ports = ARRAY[" + first[2]
                + "] AND p.refused_ports = '{}'", cluster));
        assertEquals(0, pairsDisagreeing(cluster));
        // an older run arriving late changes neither
        Portal.upload(token, json(source, UUID.randomUUID().toString(), source.report().collectedAt(), s -> s))
                .then().statusCode(201);
        assertEquals(1, count(pair.formatted("count(*)"), cluster), "an older run arriving late restores nothing");
        assertEquals(0, pairsDisagreeing(cluster));
    }

    /**
     * A run that measured reachability replaces what the node's earlier runs tried: plans rotate through the workers,
     * and a target its latest run did not try no longer counts its earlier attempt (pairs would otherwise pile up
     * towards N x N, and judge targets by attempts many runs old). A run without the section leaves them as they are.
     */
    @Test
    void aRunThatMeasuredReplacesWhatTheNodesEarlierRunsTried() throws Exception {
        String cluster = Portal.createCluster("platform");
        String token = Portal.issueToken(cluster);
        List<RuleSampleFile.Sample> nodes = allOpenTwice(cluster, token);
        RuleSampleFile.Sample source = nodes.get(0);
        List<String> targets = new String(section(source, "reachability"), StandardCharsets.UTF_8).lines()
                .filter(l -> l.startsWith("tcp ")).map(l -> l.split(" ")[1]).distinct().toList();
        assertEquals(2, targets.size(), "the source tried both its peers");
        String from = fromSource(source);
        String pairs = "SELECT count(*) FROM reachability_pair p JOIN cluster c ON c.id = p.cluster_id WHERE c.name = ?" + from;
        String attempts = pairs.replace("reachability_pair", "reachability_outcome");
        assertEquals(2, count(pairs, cluster));

        // the next run's plan named the second peer only
        String later = java.time.Instant.parse(source.report().collectedAt()).plusSeconds(600).toString();
        Portal.upload(token, json(source, UUID.randomUUID().toString(), later, text -> text.lines()
                .filter(l -> !l.startsWith("tcp " + targets.get(0) + " "))
                .collect(java.util.stream.Collectors.joining("\n", "", "\n")))).then().statusCode(201);
        assertEquals(1, count(pairs, cluster), "the peer the latest run did not try no longer counts");
        assertEquals(1, count(pairs + " AND p.target_ip = '" + targets.get(1) + "'", cluster));
        assertEquals(0, count(attempts + " AND p.target_ip = '" + targets.get(0) + "'", cluster));
        assertEquals(0, pairsDisagreeing(cluster));

        // a run without the section (an older probe, no plan) leaves the latest attempts
        String latest = java.time.Instant.parse(source.report().collectedAt()).plusSeconds(1200).toString();
        RuleSampleFile.Report report = source.report();
        RuleSampleFile.Report unmeasured = new RuleSampleFile.Report(report.format(), UUID.randomUUID().toString(), latest,
                report.probe(), report.role(), report.phase(),
                report.sections().stream().filter(x -> !x.name().startsWith("reachability")).toList());
        Portal.upload(token, new String(new RuleSampleFile.Sample(source.comment(), source.expect(), unmeasured).reportJson(),
                StandardCharsets.UTF_8)).then().statusCode(201);
        assertEquals(1, count(pairs, cluster), "a run that measured nothing replaces nothing");
        assertEquals(0, pairsDisagreeing(cluster));
    }

    /**
     * A node whose address changes (a new DHCP lease, a re-IP) loses the pairs that peers tried on its old address at
     * its first upload from the new one, so the matrix and node-reachability stop counting attempts on an address it no
     * longer has; peers' later attempts on the old address are not stored, and its old report arriving late moves
     * nothing back.
     */
    @Test
    void aNodeThatMovesLosesThePairsTriedOnItsOldAddress() throws Exception {
        String cluster = Portal.createCluster("platform");
        String token = Portal.issueToken(cluster);
        List<RuleSampleFile.Sample> nodes = allOpenTwice(cluster, token);
        RuleSampleFile.Sample mover = nodes.get(1);
        String target = "(SELECT node_id FROM node_identity i JOIN cluster c ON c.id = i.cluster_id WHERE c.name = ? AND i.hostname = '"
                + mover.report().hostname() + "')";
        String oldIp = text("SELECT node_ip FROM node_identity WHERE node_id = " + target, cluster);
        long inbound = count("SELECT count(*) FROM reachability_pair WHERE target_node_id = " + target, cluster);
        assertTrue(inbound > 0, "peers tried " + oldIp + " before it moved");
        String newIp = oldIp.substring(0, oldIp.lastIndexOf('.') + 1) + "199";
        assertTrue(count("SELECT count(*) FROM node_identity WHERE node_ip = '" + newIp + "' AND node_id <> " + target,
                cluster) == 0, newIp + " is free in the sample");

        String later = java.time.Instant.parse(mover.report().collectedAt()).plusSeconds(600).toString();
        Portal.upload(token, moved(mover, oldIp, newIp, later)).then().statusCode(201);
        assertEquals(newIp, text("SELECT node_ip FROM node_identity WHERE node_id = " + target, cluster));
        assertEquals(0, count("SELECT count(*) FROM reachability_pair WHERE target_node_id = " + target, cluster),
                "the pairs on " + oldIp + " are gone with it");
        assertEquals(0, pairsDisagreeing(cluster));

        // a peer still tries the old address (its plan was older): nothing is stored on the node that left it
        RuleSampleFile.Sample peer = nodes.get(0);
        String peerLater = java.time.Instant.parse(peer.report().collectedAt()).plusSeconds(900).toString();
        Portal.upload(token, json(peer, UUID.randomUUID().toString(), peerLater, s -> s)).then().statusCode(201);
        assertEquals(0, count("SELECT count(*) FROM reachability_pair WHERE target_node_id = " + target, cluster));
        // its old report arriving late: the node keeps its new address, no pair comes back
        Portal.upload(token, json(mover, UUID.randomUUID().toString(), mover.report().collectedAt(), s -> s))
                .then().statusCode(201);
        assertEquals(newIp, text("SELECT node_ip FROM node_identity WHERE node_id = " + target, cluster));
        assertEquals(0, count("SELECT count(*) FROM reachability_pair WHERE target_node_id = " + target, cluster));
        assertEquals(0, pairsDisagreeing(cluster));
    }

    /** " AND source_node_id = that node's id", in a query on attempts or pairs that joins cluster c. */
    private static String fromSource(RuleSampleFile.Sample source) {
        return " AND source_node_id = (SELECT node_id FROM node_identity i WHERE i.cluster_id = c.id"
                + " AND i.hostname = '" + source.report().hostname() + "')";
    }

    /**
     * The nodes of the pass-all-open sample, uploaded twice (the second round finds every peer known) to a cluster
     * whose node networks vouch for their addresses.
     */
    private static List<RuleSampleFile.Sample> allOpenTwice(String cluster, String token) throws IOException {
        given().auth().oauth2(Users.admin()).contentType("application/json")
                .body(Map.of("podCidr", "", "serviceCidr", "", "routingMode", "unknown", "nodeNetworks", SAMPLE_NETWORKS))
                .put("/api/v1/clusters/" + cluster + "/settings").then().statusCode(200);
        List<RuleSampleFile.Sample> nodes = new ArrayList<>();
        try (Stream<Path> files = Files.list(SAMPLES.resolve("pass-all-open"))) {
            files.filter(f -> f.toString().endsWith(".txt")).sorted().forEach(f -> nodes.add(RuleSampleFile.read(f)));
        }
        for (int round = 0; round < 2; round++) {
            for (RuleSampleFile.Sample node : nodes) {
                Portal.upload(token, json(node, UUID.randomUUID().toString(), node.report().collectedAt(), s -> s))
                        .then().statusCode(201);
            }
        }
        return nodes;
    }

    /** The sample's report from a new address: every section's text with {@code from} (a whole address) as {@code to}. */
    private static String moved(RuleSampleFile.Sample sample, String from, String to, String collectedAt) {
        java.util.regex.Pattern address = java.util.regex.Pattern.compile(
                "(?<![0-9.])" + java.util.regex.Pattern.quote(from) + "(?![0-9])");
        RuleSampleFile.Report report = sample.report();
        List<RuleSampleFile.Section> sections = new ArrayList<>();
        for (RuleSampleFile.Section s : report.sections()) {
            byte[] output = address.matcher(new String(s.output(), StandardCharsets.UTF_8))
                    .replaceAll(java.util.regex.Matcher.quoteReplacement(to)).getBytes(StandardCharsets.UTF_8);
            sections.add(new RuleSampleFile.Section(s.name(), s.source(), s.status(), s.exitCode(), s.sameAs(), output,
                    s.stderr(), output.length, s.truncated()));
        }
        RuleSampleFile.Report changed = new RuleSampleFile.Report(report.format(), UUID.randomUUID().toString(),
                collectedAt, report.probe(), report.role(), report.phase(), sections);
        return new String(new RuleSampleFile.Sample(sample.comment(), sample.expect(), changed).reportJson(),
                StandardCharsets.UTF_8);
    }

    private String text(String sql, String cluster) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement select = connection.prepareStatement(sql)) {
            for (int i = 1; i <= select.getParameterMetaData().getParameterCount(); i++) {
                select.setString(i, cluster);
            }
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getString(1);
            }
        }
    }

    /** A sample's report under a new id and collection time, its reachability sections' text rewritten. */
    private static String json(RuleSampleFile.Sample sample, String reportId, String collectedAt,
            java.util.function.UnaryOperator<String> reachability) {
        RuleSampleFile.Report report = sample.report();
        List<RuleSampleFile.Section> sections = new ArrayList<>();
        for (RuleSampleFile.Section s : report.sections()) {
            if (!s.name().startsWith("reachability")) {
                sections.add(s);
                continue;
            }
            byte[] output = rewrite(s.output(), s.name().equals("reachability") ? reachability
                    : text -> keepTimes(text, reachability));
            sections.add(new RuleSampleFile.Section(s.name(), s.source(), s.status(), s.exitCode(), s.sameAs(), output,
                    s.stderr(), output.length, s.truncated()));
        }
        RuleSampleFile.Report changed = new RuleSampleFile.Report(report.format(), reportId, collectedAt, report.probe(),
                report.role(), report.phase(), sections);
        return new String(new RuleSampleFile.Sample(sample.comment(), sample.expect(), changed).reportJson(),
                StandardCharsets.UTF_8);
    }

    private static byte[] rewrite(byte[] output, java.util.function.UnaryOperator<String> change) {
        return change.apply(new String(output, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
    }

    /** reachability-times: the lines whose attempt the rewritten reachability keeps, with its new outcome. */
    private static String keepTimes(String times, java.util.function.UnaryOperator<String> reachability) {
        StringBuilder kept = new StringBuilder();
        for (String line : times.lines().toList()) {
            int last = line.lastIndexOf(' ');
            String attempt = last > 0 && line.startsWith("tcp ") ? line.substring(0, last) : line;
            String changed = reachability.apply(attempt + "\n").strip();
            if (!changed.isEmpty()) {
                kept.append(line.startsWith("tcp ") ? changed + line.substring(last) : changed).append('\n');
            }
        }
        return kept.toString();
    }

    private static byte[] section(RuleSampleFile.Sample sample, String name) {
        return sample.report().sections().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow().output();
    }

    /** Pairs whose summary is not what their attempts say (or attempts without a summary). */
    private long pairsDisagreeing(String cluster) throws SQLException {
        return count("""
                WITH o AS (
                    SELECT source_node_id, target_node_id, min(target_ip) AS ip,
                           max(CASE outcome WHEN 'connected' THEN 1 WHEN 'refused' THEN 2 WHEN 'error' THEN 3
                               WHEN 'unreachable' THEN 4 ELSE 5 END) AS rank,
                           coalesce(array_agg(port ORDER BY port) FILTER (WHERE outcome IN ('timeout', 'unreachable')), '{}') AS failed,
                           coalesce(array_agg(port ORDER BY port) FILTER (WHERE outcome = 'refused'), '{}') AS refused
                      FROM reachability_outcome r
                     WHERE cluster_id = (SELECT id FROM cluster WHERE name = ?) AND EXISTS (SELECT 1 FROM node_identity t
                            WHERE t.node_id = r.target_node_id AND t.node_ip = r.target_ip)
                     GROUP BY source_node_id, target_node_id)
                SELECT count(*) FROM o FULL JOIN (SELECT * FROM reachability_pair
                        WHERE cluster_id = (SELECT id FROM cluster WHERE name = ?)) p USING (source_node_id, target_node_id)
                 WHERE p.worst IS DISTINCT FROM (ARRAY['connected', 'refused', 'error', 'unreachable', 'timeout'])[o.rank]
                    OR p.failed_ports IS DISTINCT FROM o.failed OR p.refused_ports IS DISTINCT FROM o.refused
                    OR p.target_ip IS DISTINCT FROM o.ip""", cluster);
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
            for (int i = 1; i <= select.getParameterMetaData().getParameterCount(); i++) {
                select.setString(i, cluster);
            }
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }
}
