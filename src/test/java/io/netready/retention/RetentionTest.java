package io.netready.retention;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;

import io.agroal.api.AgroalDataSource;
import io.netready.support.BrowserSession;
import io.netready.support.Portal;
import io.netready.support.Users;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWireMock;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;

/**
 * The retention policy on real probe reports (the rule samples), some of them aged by moving their received_at back:
 * old reports go, each node's latest and newer ones stay and still read back whole, contents nobody uses go with them,
 * and each cluster's deletion is in the audit log.
 */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class RetentionTest {

    static final Path SAMPLES = Path.of("src/test/resources/rule-samples");
    static final ObjectMapper JSON = new ObjectMapper();
    static final RetentionPolicy YEAR = RetentionPolicy.keepFor(Duration.ofDays(365));

    @Inject
    RetentionJob job;

    @Inject
    AgroalDataSource dataSource;

    @OidcWireMock
    WireMockServer provider;

    private final Map<Long, String> uploads = new HashMap<>();

    @Test
    void deletesOldReportsButKeepsEachNodesLatestAndEverythingKeptReportsUse() throws Exception {
        Instant now = Instant.now();
        Instant longAgo = now.minus(Duration.ofDays(400));
        Instant cutoff = YEAR.cutoff(now);

        String a = Portal.createCluster("platform");
        String tokenA = Portal.issueToken(a);
        // A node with strict reverse-path filtering, then the same node after it was set to loose (the sysctl of the
        // passing capture). The suite shares one database: these captures' sysctl outputs are in no other sample, and
        // no other test uploads them, so the contents only deleted reports use are known.
        ObjectNode strictRpFilter = sample("rp-filter/fail-strict-all-1.txt");
        ObjectNode looseRpFilter = sample("rp-filter/pass-loose-all-2.txt");
        long oldStrict = upload(tokenA, rerun(strictRpFilter, 0, null, null));
        long fixed = upload(tokenA, rerun(strictRpFilter, 60, looseRpFilter, "sysctl"));
        // A node without a nameserver three times: the oldest run goes, one newer than the policy stays and keeps the
        // resolv.conf content it shares with the deleted one.
        ObjectNode noDns = sample("dns-resolver/fail-no-nameserver.txt");
        ObjectNode dns = sample("dns-resolver/pass-upstream-nameserver.txt");
        long oldNoDns = upload(tokenA, rerun(noDns, 0, null, null));
        long recentNoDns = upload(tokenA, rerun(noDns, 30, null, null));
        long dnsFixed = upload(tokenA, rerun(noDns, 60, dns, "resolv-conf"));
        // A node that reported once, long ago: its only report is its latest and stays.
        long onlyReport = upload(tokenA, rerun(sample("kernel-modules/pass-built-in.txt"), 0, null, null));
        // Another cluster: its old report shares every section with a kept report of cluster a.
        String b = Portal.createCluster("platform");
        String tokenB = Portal.issueToken(b);
        ObjectNode conntrack = sample("conntrack-capacity/fail-max-4096.txt");
        long oldInB = upload(tokenB, rerun(conntrack, 0, null, null));
        long latestInB = upload(tokenB, rerun(conntrack, 60, sample("conntrack-capacity/pass-max-262144.txt"), "sysctl"));
        long sameBytesInA = upload(tokenA, rerun(conntrack, 0, null, null));

        age(longAgo, oldStrict, oldNoDns, onlyReport, oldInB);
        age(now.minus(Duration.ofDays(100)), recentNoDns);
        List<Long> kept = List.of(fixed, recentNoDns, dnsFixed, onlyReport, latestInB, sameBytesInA);
        List<Long> expired = expiredReports(cutoff);
        assertTrue(expired.containsAll(List.of(oldStrict, oldNoDns, oldInB)), "expired: " + expired);
        assertFalse(expired.stream().anyMatch(kept::contains), "expired: " + expired);
        Set<String> orphanSections = unusedAfter(expired, "SELECT r.id, e.value FROM report r, jsonb_each_text(r.sections) e");
        Set<String> orphanFindings = unusedAfter(expired,
                "SELECT id, encode(findings_hash, 'hex') FROM report WHERE findings_hash IS NOT NULL");
        String strictSysctl = sectionHash(oldStrict, "sysctl");
        assertNotEquals(strictSysctl, sectionHash(fixed, "sysctl"), "the fixed run carries other sysctl output");
        assertTrue(orphanSections.contains(strictSysctl), "only the old run used its sysctl output");
        assertTrue(orphanFindings.contains(findingsHash(oldStrict)), "only the old run had its findings");
        assertFalse(orphanSections.contains(sectionHash(oldNoDns, "resolv-conf")), "a newer run uses it");
        assertFalse(orphanSections.contains(sectionHash(oldInB, "sysctl")), "cluster a uses it");
        long auditBefore = retentionEvents();

        RetentionJob.Outcome outcome = job.run(YEAR, now);

        for (long id : List.of(oldStrict, oldNoDns, oldInB)) {
            given().auth().oauth2(Users.admin()).get("/api/v1/reports/" + id).then().statusCode(404);
        }
        for (long id : kept) {
            given().auth().oauth2(Users.admin()).get("/api/v1/reports/" + id).then().statusCode(200);
            assertReadsBackAsUploaded(id);
        }
        assertEquals(Set.of(), existing("section_content", orphanSections), "unused section contents are deleted");
        assertEquals(Set.of(), existing("finding_set", orphanFindings), "unused finding sets are deleted");
        assertEquals(0, count("""
                SELECT count(*) FROM report r, jsonb_each_text(r.sections) e
                WHERE NOT EXISTS (SELECT 1 FROM section_content c WHERE encode(c.hash, 'hex') = e.value)"""),
                "every section of every remaining report is still stored");

        assertEquals(cutoff, outcome.cutoff());
        assertEquals(expired.size(), outcome.reports());
        assertEquals(orphanSections.size(), outcome.clusters().stream().mapToLong(c -> c.sectionContents()).sum());
        assertEquals(orphanFindings.size(), outcome.clusters().stream().mapToLong(c -> c.findingSets()).sum());
        assertEquals(auditBefore + outcome.clusters().size(), retentionEvents(), "one audit event per cluster");
        for (RetentionJob.ClusterOutcome c : outcome.clusters()) {
            String detail = auditDetail(c.cluster());
            assertEquals("deleted " + c.reports() + " report" + (c.reports() == 1 ? "" : "s") + " received before " + cutoff
                    + " (policy P365D); kept each node's latest; freed " + c.sectionContents() + " section content"
                    + (c.sectionContents() == 1 ? "" : "s") + " and " + c.findingSets() + " finding set"
                    + (c.findingSets() == 1 ? "" : "s") + " no report uses any more", detail);
        }
        assertEquals(2, outcomeOf(outcome, a).reports());
        assertEquals(1, outcomeOf(outcome, b).reports());

        RetentionJob.Outcome again = job.run(YEAR, now);
        assertEquals(0, again.reports(), "a second run finds nothing more to delete");
        assertEquals(auditBefore + outcome.clusters().size(), retentionEvents(), "a run that deletes nothing is not audited");
    }

    @Test
    void withoutAPolicyNothingIsDeleted() throws Exception {
        String cluster = Portal.createCluster("platform");
        String token = Portal.issueToken(cluster);
        ObjectNode report = sample("swap-off/pass-no-swap.txt");
        long old = upload(token, rerun(report, 0, null, null));
        upload(token, rerun(report, 60, null, null));
        age(Instant.now().minus(Duration.ofDays(4000)), old);
        long reports = count("SELECT count(*) FROM report");
        long contents = count("SELECT count(*) FROM section_content");
        long findings = count("SELECT count(*) FROM finding_set");
        long audit = retentionEvents();

        assertEquals(0, job.run(RetentionPolicy.KEEP_EVERYTHING, Instant.now()).reports());
        job.scheduled(); // the test profile sets no policy

        assertEquals(reports, count("SELECT count(*) FROM report"));
        assertEquals(contents, count("SELECT count(*) FROM section_content"));
        assertEquals(findings, count("SELECT count(*) FROM finding_set"));
        assertEquals(audit, retentionEvents());
        given().auth().oauth2(Users.admin()).get("/api/v1/reports/" + old).then().statusCode(200);
        assertTrue(expiredReports(YEAR.cutoff(Instant.now())).contains(old), "a policy would have deleted it");
    }

    @Test
    void theAuditPageSaysWhatIsKept() {
        BrowserSession admin = BrowserSession.login(provider, "alice", "admin", "team-platform");
        admin.given().get("/audit").then().statusCode(200)
                .body(containsString("Retention: every report is kept."));
        assertEquals("Retention: reports older than 30 days are deleted (each node's latest report is kept).",
                RetentionPolicy.keepFor(Duration.ofDays(30)).sentence());
        assertEquals("P30D", RetentionPolicy.keepFor(Duration.ofDays(30)).iso());
        assertEquals("36 hours", RetentionPolicy.words(Duration.ofHours(36)));
    }

    private static ObjectNode sample(String path) throws IOException {
        return (ObjectNode) JSON.readTree(io.netready.support.RuleSampleFile.reportJson(SAMPLES.resolve(path)));
    }

    /**
     * The sample as a later run of the probe on the same node: a new report id, collected {@code minutes} later, and
     * optionally one section as another capture recorded it (the node after a fix).
     */
    private static String rerun(ObjectNode sample, int minutes, ObjectNode other, String section) {
        ObjectNode run = sample.deepCopy();
        run.put("reportId", UUID.randomUUID().toString());
        run.put("collectedAt", Instant.parse(sample.get("collectedAt").asText()).plus(Duration.ofMinutes(minutes)).toString());
        if (other != null) {
            ((ObjectNode) run.get("sections")).set(section, other.get("sections").get(section).deepCopy());
        }
        return run.toString();
    }

    private long upload(String token, String body) {
        long id = Portal.upload(token, body).then().statusCode(201).extract().jsonPath().getLong("id");
        uploads.put(id, body);
        return id;
    }

    /** The raw report API gives back every section as uploaded: output and stderr byte for byte. */
    private void assertReadsBackAsUploaded(long id) throws IOException {
        JsonNode raw = JSON.readTree(given().auth().oauth2(Users.admin()).get("/api/v1/reports/" + id + "/raw")
                .then().statusCode(200).extract().asString()).get("sections");
        JsonNode uploaded = JSON.readTree(uploads.get(id)).get("sections");
        assertEquals(names(uploaded), names(raw), "report " + id);
        Base64.Decoder base64 = Base64.getDecoder();
        for (String name : names(uploaded)) {
            for (String field : List.of("output", "stderr")) {
                assertArrayEquals(base64.decode(uploaded.get(name).get(field).asText()),
                        base64.decode(raw.get(name).get(field).asText()), "report " + id + " " + name + " " + field);
            }
            assertEquals(uploaded.get(name).get("status").asText(), raw.get(name).get("status").asText());
        }
    }

    private static Set<String> names(JsonNode object) {
        Set<String> set = new HashSet<>();
        object.fieldNames().forEachRemaining(set::add);
        return set;
    }

    private void age(Instant receivedAt, long... ids) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement update = c.prepareStatement("UPDATE report SET received_at = ? WHERE id = ?")) {
            for (long id : ids) {
                update.setTimestamp(1, Timestamp.from(receivedAt));
                update.setLong(2, id);
                assertEquals(1, update.executeUpdate());
            }
        }
    }

    /** What the policy should delete, worked out with joins rather than the job's own query. */
    private List<Long> expiredReports(Instant cutoff) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement("""
                        SELECT r.id FROM report r JOIN node n ON n.id = r.node_id
                        LEFT JOIN node_identity i ON i.node_id = r.node_id
                        WHERE r.received_at < ? AND r.id <> n.last_report_id AND r.id IS DISTINCT FROM i.report_id
                        ORDER BY r.id""")) {
            select.setTimestamp(1, Timestamp.from(cutoff));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getLong(1));
                }
            }
        }
        return ids;
    }

    /** Of the values {@code pairs} (report id, value) lists, those only the given reports have. */
    private Set<String> unusedAfter(List<Long> deleted, String pairs) throws SQLException {
        Set<String> used = new HashSet<>();
        Set<String> freed = new HashSet<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement select = c.prepareStatement(pairs);
                ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                (deleted.contains(rows.getLong(1)) ? freed : used).add(rows.getString(2));
            }
        }
        freed.removeAll(used);
        return freed;
    }

    private Set<String> existing(String table, Set<String> hexHashes) throws SQLException {
        Set<String> found = new HashSet<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement("SELECT encode(hash, 'hex') FROM " + table + " WHERE hash = ANY (?)")) {
            List<byte[]> keys = new ArrayList<>();
            hexHashes.forEach(h -> keys.add(java.util.HexFormat.of().parseHex(h)));
            Array array = c.createArrayOf("bytea", keys.toArray(new byte[0][]));
            select.setArray(1, array);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    found.add(rows.getString(1));
                }
            }
        }
        return found;
    }

    private String sectionHash(long reportId, String section) throws SQLException {
        return text("SELECT sections ->> ? FROM report WHERE id = ?", section, reportId);
    }

    private String findingsHash(long reportId) throws SQLException {
        return text("SELECT encode(findings_hash, 'hex') FROM report WHERE id = ?", reportId);
    }

    private String auditDetail(String cluster) throws SQLException {
        return text("SELECT detail FROM audit_event WHERE action = 'retention' AND actor = 'system:retention'"
                + " AND cluster_name = ? ORDER BY id DESC LIMIT 1", cluster);
    }

    private long retentionEvents() throws SQLException {
        return count("SELECT count(*) FROM audit_event WHERE action = 'retention'");
    }

    private static RetentionJob.ClusterOutcome outcomeOf(RetentionJob.Outcome outcome, String cluster) {
        return outcome.clusters().stream().filter(c -> c.cluster().equals(cluster)).findFirst()
                .orElseThrow(() -> new AssertionError("nothing deleted in " + cluster));
    }

    private long count(String sql) throws SQLException {
        return Long.parseLong(text(sql));
    }

    private String text(String sql, Object... params) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement select = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                select.setObject(i + 1, params[i]);
            }
            try (ResultSet row = select.executeQuery()) {
                assertTrue(row.next(), sql);
                return row.getString(1);
            }
        }
    }
}
