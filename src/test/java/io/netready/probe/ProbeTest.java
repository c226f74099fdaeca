package io.netready.probe;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.netready.reportformat.ReportDocument;
import io.netready.reportformat.ReportReader;
import io.netready.reportformat.ReportSection;
import io.netready.support.Netns;
import io.netready.support.Portal;
import io.netready.support.Probe;
import io.netready.support.Processes;
import io.netready.support.Users;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.RestAssured;

/**
 * The real probe: under dash, busybox sh and bash its report is valid v1 as the server reads it; inside a network
 * namespace made for the test it uploads itself to the running portal, and the stored report shows that namespace.
 */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class ProbeTest {

    /** The portal's reader, with the portal's default size limit. */
    private final ReportReader reader = new ReportReader(32 * 1024 * 1024);

    @BeforeAll
    static void needsRoot() {
        assertEquals("0", Processes.run(List.of("id", "-u")).stdout().strip(),
                "the probe tests create network namespaces and must run as root");
    }

    @ParameterizedTest
    @ValueSource(strings = { "dash", "busybox sh", "bash" })
    void writesAValidReportUnderEachShell(String shell) {
        Processes.Result result = Probe.run(List.of(), shell, "--output", "-", "--quiet", "--role", "control-plane");
        assertEquals(0, result.exitCode(), result.stderr());
        ReportDocument report = reader.parse(result.stdout().getBytes(StandardCharsets.UTF_8));
        assertEquals("control-plane", report.role().word());
        for (String section : List.of("hostname", "machine-id", "kernel", "links", "addresses", "routes", "listeners",
                "sysctl", "modules", "iptables", "nftables", "resolv-conf", "hosts", "swaps", "proxy-env",
                "cluster-cidrs/kube-controller-manager", "cluster-cidrs/kube-apiserver", "cluster-cidrs/flannel-subnet-env",
                "cluster-cidrs/flannel-net-conf")) {
            assertTrue(report.sections().containsKey(section), shell + " report lacks section " + section);
        }
        assertEquals(Processes.run(List.of("uname", "-n")).stdout().strip(), report.hostname());
        assertTrue(report.section("sysctl").orElseThrow().text().contains("net.ipv4.ip_forward = "));
        // Where iptables-nft-save is iptables-save (xtables-nft-multi), the probe sends the rules once.
        String save = Processes.sh("readlink -f \"$(command -v iptables-save)\"").stdout().strip();
        String nftSave = Processes.sh("readlink -f \"$(command -v iptables-nft-save)\"").stdout().strip();
        if (!save.isEmpty() && save.equals(nftSave)) {
            assertTrue(result.stdout().contains("\"sameAs\": \"iptables\""), "iptables-nft is sent as sameAs");
            assertTrue(java.util.Arrays.equals(report.section("iptables").orElseThrow().output(),
                    report.section("iptables-nft").orElseThrow().output()), "and read back with the iptables output");
        }
    }

    @Test
    void refusesBadArguments() {
        Processes.Result result = Probe.run(List.of(), "dash", "--role", "etcd", "--output", "-");
        assertEquals(2, result.exitCode());
        assertTrue(result.stderr().contains("Usage"), result.stderr());
    }

    @Test
    void uploadsFromANetworkNamespaceAndTheReportShowsIt() throws Exception {
        String cluster = Portal.createCluster("platform");
        String token = Portal.issueToken(cluster);
        String hostname = "node-" + cluster;
        try (Netns node = Netns.create("probe").withDefaultRoute()) {
            node.sysctl("net.ipv4.ip_forward", "0");
            node.exec("iptables", "-A", "INPUT", "-p", "tcp", "--dport", "10250", "-j", "DROP").orFail("iptables");
            String server = "http://" + node.hostAddress + ":" + RestAssured.port;
            Processes.Result run = Probe.run(node.prefixWithHostname(hostname), "dash", "--server", server,
                    "--token", token, "--role", "worker", "--phase", "preflight");
            assertEquals(0, run.exitCode(), run.stderr() + run.stdout());
            assertTrue(run.stdout().contains("stored for node " + hostname + " in cluster " + cluster), run.stdout());
        }
        List<Map<String, Object>> nodes = given().auth().oauth2(Users.admin()).get("/api/v1/clusters/" + cluster + "/nodes")
                .then().statusCode(200).body("size()", equalTo(1)).body("[0].hostname", equalTo(hostname))
                .extract().jsonPath().getList("$");
        long reportId = ((Number) nodes.get(0).get("lastReportId")).longValue();
        given().auth().oauth2(Users.admin()).get("/api/v1/reports/" + reportId + "/raw")
                .then().statusCode(200)
                .body("role", equalTo("worker"))
                .body("phase", equalTo("preflight"));
        String raw = given().auth().oauth2(Users.admin()).get("/api/v1/reports/" + reportId + "/raw").asString();
        ReportDocument stored = reader.parse(raw.getBytes(StandardCharsets.UTF_8));
        assertEquals(hostname, stored.hostname());
        assertTrue(stored.section("sysctl").map(ReportSection::text).orElseThrow().contains("net.ipv4.ip_forward = 0"));
        assertTrue(stored.section("addresses").map(ReportSection::text).orElseThrow().contains("10.213."));
        assertTrue(stored.section("routes").map(ReportSection::text).orElseThrow().contains("default"));
        assertTrue(stored.section("iptables").map(ReportSection::text).orElseThrow()
                .contains("-A INPUT -p tcp -m tcp --dport 10250 -j DROP"));
    }

    @Test
    void keepsTheReportWhenTheUploadFails() throws Exception {
        java.nio.file.Path spool = java.nio.file.Files.createTempDirectory("netready-spool");
        Processes.Result run = Processes.run(List.of("env", "NETREADY_SPOOL_DIR=" + spool, "dash", Probe.SCRIPT.toString(),
                "--server", "http://127.0.0.1:" + RestAssured.port, "--token", "nrt_revoked-or-unknown-token-000000000",
                "--quiet"), 120);
        assertEquals(1, run.exitCode(), run.stderr());
        assertTrue(run.stderr().contains("401"), run.stderr());
        try (var kept = java.nio.file.Files.list(spool)) {
            java.nio.file.Path file = kept.findFirst().orElseThrow();
            assertTrue(run.stderr().contains(file.toString()), "the probe says where the report is: " + run.stderr());
            reader.parse(java.nio.file.Files.readAllBytes(file));
        }
        given().get("/probe.sh").then().body(containsString("netready.report/v1"));
    }

    @Test
    void sendsSpooledReportsOnItsNextRunAndSetsAsideWhatThePortalRefuses() throws Exception {
        String cluster = Portal.createCluster("platform");
        String token = Portal.issueToken(cluster);
        java.nio.file.Path spool = java.nio.file.Files.createTempDirectory("netready-spool");
        String server = "http://127.0.0.1:" + RestAssured.port;
        // A run whose upload fails (wrong token) keeps its report.
        Processes.Result failed = Processes.run(List.of("env", "NETREADY_SPOOL_DIR=" + spool, "dash", Probe.SCRIPT.toString(),
                "--server", server, "--token", "nrt_not-a-valid-token-0000000000000", "--quiet"), 120);
        assertEquals(1, failed.exitCode(), failed.stderr());
        java.nio.file.Path kept;
        try (var files = java.nio.file.Files.list(spool)) {
            kept = files.findFirst().orElseThrow();
        }
        String spooledId = kept.getFileName().toString().replace("netready-report-", "").replace(".json", "");
        // A spooled file the portal will refuse (cut short) goes to rejected/, not back and forth forever.
        byte[] whole = java.nio.file.Files.readAllBytes(kept);
        java.nio.file.Files.write(spool.resolve("netready-report-broken-0000.json"), java.util.Arrays.copyOf(whole, whole.length / 3));

        Processes.Result next = Processes.run(List.of("env", "NETREADY_SPOOL_DIR=" + spool, "dash", Probe.SCRIPT.toString(),
                "--server", server, "--token", token, "--quiet"), 120);
        assertEquals(0, next.exitCode(), next.stderr());
        assertEquals(1, io.netready.report.Report.count("probeReportId", spooledId), "the spooled report arrived");
        assertTrue(!java.nio.file.Files.exists(kept), "and left the spool");
        assertTrue(java.nio.file.Files.exists(spool.resolve("rejected/netready-report-broken-0000.json")), next.stderr());
        given().auth().oauth2(Users.admin()).get("/api/v1/clusters/" + cluster + "/nodes").then().statusCode(200)
                .body("size()", equalTo(1));
    }
}
