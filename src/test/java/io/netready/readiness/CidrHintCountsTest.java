package io.netready.readiness;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.agroal.api.AgroalDataSource;
import io.netready.rules.ClusterView.CidrHintCount;
import io.netready.rules.InferredCidrs;
import io.netready.support.Portal;
import io.netready.support.Probe;
import io.netready.support.RuleSampleFile;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;

/**
 * The cluster-wide CIDR hints the database counts as node identities come, change and go, against the same count
 * over every node in memory (what re-evaluation uses), and what an upload reads of them: real reports of a control
 * plane and two flannel workers, the control plane then losing its manifests and flannel, a worker removed.
 */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class CidrHintCountsTest {

    private static final Path SAMPLES = Path.of("src/test/resources/rule-samples");
    private static final String KCM_POD = "pod kube-controller-manager 10.244.0.0/16";
    private static final String FLANNEL = "pod flannel-subnet-env 10.244.0.0/16";

    @Inject
    AgroalDataSource dataSource;

    @Test
    void countsFollowTheNodesAndTheUploadReadsThem() throws Exception {
        String cluster = emptyCluster();
        String token = Portal.issueToken(cluster);
        ObjectNode cp = report("cidr-overlap/fail-inferred-pod-cidr-contains-node-address/node-a.txt");
        ObjectNode w1 = report("cidr-overlap/fail-inferred-pod-cidr-contains-node-address/node-b.txt");
        ObjectNode w2 = report("cidr-overlap/fail-inferred-pod-cidr-contains-node-address/node-c.txt");
        upload(token, cp);
        upload(token, w1);
        upload(token, w2);
        Map<String, String> counts = counts(cluster);
        assertEquals("3 cidr-inf-cp-1", counts.get(FLANNEL));
        assertEquals("1 cidr-inf-cp-1", counts.get(KCM_POD));
        assertEquals(4, counts.size(), counts.toString());
        assertEquals(inMemory(cluster), counts);
        upload(token, cp);
        assertEquals(counts, counts(cluster), "an unchanged report moves nothing");

        // The control plane (same hostname and machine-id) reports neither manifests nor flannel any more: its own
        // upload already reads flannel's next first hostname, and the counts follow.
        ObjectNode bare = cp.deepCopy();
        ObjectNode none = report("pod-cidr-routes/pass-all-routes/node-1.txt");
        for (String section : List.of("cluster-cidrs/kube-controller-manager", "cluster-cidrs/kube-apiserver",
                "cluster-cidrs/flannel-subnet-env", "cluster-cidrs/flannel-net-conf")) {
            ((ObjectNode) bare.get("sections")).set(section, none.get("sections").get(section));
        }
        assertEquals("pod CIDR 10.244.0.0/16 from flannel's FLANNEL_NETWORK in /run/flannel/subnet.env on cidr-inf-w-1 "
                + "and 1 more node", podEvidence(upload(token, bare)));
        assertEquals(Map.of(FLANNEL, "2 cidr-inf-w-1"), counts(cluster));
        assertEquals(inMemory(cluster), counts(cluster));

        // A worker's identity goes (as with its cluster): the other one is the first now.
        try (Connection connection = dataSource.getConnection();
                PreparedStatement delete = connection.prepareStatement(
                        "DELETE FROM node_identity WHERE hostname = 'cidr-inf-w-1' AND cluster_id = (SELECT id FROM cluster WHERE name = ?)")) {
            delete.setString(1, cluster);
            assertEquals(1, delete.executeUpdate());
        }
        assertEquals(Map.of(FLANNEL, "1 cidr-inf-w-2"), counts(cluster));
        assertEquals(inMemory(cluster), counts(cluster));
        // and the control plane back as it was
        assertEquals("pod CIDR 10.244.0.0/16 from kube-controller-manager --cluster-cidr on cidr-inf-cp-1",
                podEvidence(upload(token, cp)));
        assertEquals("2 cidr-inf-cp-1", counts(cluster).get(FLANNEL));
        assertEquals(inMemory(cluster), counts(cluster));
    }

    private static String emptyCluster() {
        String name = Portal.uniqueName("hints");
        io.restassured.RestAssured.given().auth().oauth2(io.netready.support.Users.admin())
                .contentType(io.restassured.http.ContentType.JSON).body(Map.of("name", name, "team", "platform"))
                .post("/api/v1/clusters").then().statusCode(201);
        return name;
    }

    private static ObjectNode report(String sample) throws IOException {
        return (ObjectNode) Probe.JSON.readTree(RuleSampleFile.reportJson(SAMPLES.resolve(sample)));
    }

    /** Uploads the report under a new id, collected now; answers the upload's cidr-overlap evidence texts. */
    private static List<String> upload(String token, ObjectNode report) {
        ObjectNode upload = report.deepCopy();
        upload.put("reportId", UUID.randomUUID().toString());
        upload.put("collectedAt", Instant.now().toString());
        return Portal.upload(token, upload.toString()).then().statusCode(201)
                .extract().path("findings.find { it.rule == 'cidr-overlap' }.evidence.text");
    }

    private static String podEvidence(List<String> evidence) {
        return evidence.stream().filter(e -> e.startsWith("pod CIDR")).findFirst().orElseThrow(() -> new AssertionError(evidence));
    }

    /** The database's counts: hint to "nodes first-hostname". */
    private Map<String, String> counts(String cluster) throws SQLException {
        Map<String, String> counts = new TreeMap<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("""
                        SELECT h.hint, h.nodes, h.hostname FROM cluster_cidr_hint h JOIN cluster k ON k.id = h.cluster_id
                         WHERE k.name = ?""")) {
            select.setString(1, cluster);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    counts.put(rows.getString(1), rows.getInt(2) + " " + rows.getString(3));
                }
            }
        }
        return counts;
    }

    /** The same count over every stored identity of the cluster, in memory. */
    private Map<String, String> inMemory(String cluster) throws SQLException {
        Map<String, String> counts = new TreeMap<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("SELECT id FROM cluster WHERE name = ?")) {
            select.setString(1, cluster);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                for (CidrHintCount count : InferredCidrs.count(NodeIdentityStore.listForCluster(connection, row.getLong(1)))) {
                    counts.put(count.hint(), count.nodes() + " " + count.hostname());
                }
            }
        }
        return counts;
    }
}
