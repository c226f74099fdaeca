package io.netready.readiness;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.agroal.api.AgroalDataSource;
import io.netready.support.Portal;
import io.netready.support.Probe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;

/**
 * The MTU rule on upload reads the cluster's MTU counts that the database keeps as node identities come and change
 * (no upload counts every node): real reports of nodes with MTU 1500 and 1400, and the odd node moving to 1500.
 */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class MtuCountsTest {

    private static final Path SAMPLES = Path.of("src/test/resources/rule-samples/mtu-consistent");

    @Inject
    AgroalDataSource dataSource;

    @Test
    void countsFollowNodesAndTheRuleReadsThem() throws Exception {
        String cluster = Portal.createCluster("platform");
        String token = Portal.issueToken(cluster);
        ObjectNode a = report("fail-one-node-1400/node-a.txt");
        ObjectNode b = report("fail-one-node-1400/node-b.txt");
        ObjectNode odd = report("fail-one-node-1400/node-c.txt");

        assertEquals("pass", mtuStatus(token, a));
        assertEquals("pass", mtuStatus(token, b));
        assertEquals("fail", mtuStatus(token, odd));
        assertEquals(Map.of(1400, 1, 1500, 2), counts(cluster));
        // The node's own stored identity is not counted against it again: the same upload judges the same.
        assertEquals("fail", mtuStatus(token, odd));
        assertEquals(Map.of(1400, 1, 1500, 2), counts(cluster));

        // The odd node (same hostname and machine-id) now reports the interfaces of a node with MTU 1500.
        ObjectNode fixed = odd.deepCopy();
        ObjectNode other = report("pass-all-1500/node-c.txt");
        for (String section : List.of("links", "addresses")) {
            ((ObjectNode) fixed.get("sections")).set(section, other.get("sections").get(section));
        }
        assertEquals("pass", mtuStatus(token, fixed), () -> mtuMessage(token, fixed));
        assertEquals(Map.of(1400, 0, 1500, 3), counts(cluster));
        assertEquals("pass", mtuStatus(token, a));
        assertEquals("MTU 1500 on every node", mtuMessage(token, b));
    }

    private static ObjectNode report(String sample) throws IOException {
        return (ObjectNode) Probe.JSON.readTree(io.netready.support.RuleSampleFile.reportJson(SAMPLES.resolve(sample)));
    }

    private static String mtuStatus(String token, ObjectNode report) {
        return mtu(token, report).get("status");
    }

    private static String mtuMessage(String token, ObjectNode report) {
        return mtu(token, report).get("message");
    }

    /** Uploads the report under a new id, collected now, and answers its mtu-consistent finding. */
    private static Map<String, String> mtu(String token, ObjectNode report) {
        ObjectNode upload = report.deepCopy();
        upload.put("reportId", UUID.randomUUID().toString());
        upload.put("collectedAt", java.time.Instant.now().toString());
        List<Map<String, String>> findings = Portal.upload(token, upload.toString()).then().statusCode(201)
                .extract().path("findings.findAll { it.rule == 'mtu-consistent' }");
        assertEquals(1, findings.size());
        return findings.get(0);
    }

    private Map<Integer, Integer> counts(String cluster) throws SQLException {
        Map<Integer, Integer> counts = new TreeMap<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("""
                        SELECT c.mtu, c.nodes FROM cluster_mtu_count c JOIN cluster k ON k.id = c.cluster_id
                         WHERE k.name = ?""")) {
            select.setString(1, cluster);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    counts.put(rows.getInt(1), rows.getInt(2));
                }
            }
        }
        return counts;
    }
}
