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
    void aReportWhoseTokenThePortalRefusesIsSetAsideAndThePrintedCommandWorksAsPrinted() throws Exception {
        String cluster = Portal.createCluster("platform");
        String token = Portal.issueToken(cluster);
        java.nio.file.Path spool = java.nio.file.Files.createTempDirectory("netready-spool");
        Processes.Result run = Processes.run(List.of("env", "NETREADY_SPOOL_DIR=" + spool, "dash", Probe.SCRIPT.toString(),
                "--server", "http://127.0.0.1:" + RestAssured.port, "--token", "nrt_revoked-or-unknown-token-000000000",
                "--quiet"), 120);
        assertEquals(1, run.exitCode(), run.stderr());
        assertTrue(run.stderr().contains("401"), run.stderr());
        java.nio.file.Path file;
        try (var kept = java.nio.file.Files.list(spool.resolve("rejected"))) {
            file = kept.filter(p -> p.toString().endsWith(".json")).findFirst().orElseThrow();
        }
        assertTrue(run.stderr().contains("the portal refused the token: the report is set aside at " + file), run.stderr());
        assertEquals(List.of(spool.resolve("rejected")), listing(spool), "nothing is left for the next run to send");
        reader.parse(java.nio.file.Files.readAllBytes(file));
        // the command as printed, pasted into a shell that is given the token when it asks
        String command = run.stderr().lines().filter(l -> l.startsWith("  printf 'upload token: '")).findFirst().orElseThrow();
        Processes.Result pasted = Processes.run(List.of("sh", "-c", "printf '%s\\n' '" + token + "' | { " + command + "; }"), 60);
        assertEquals(0, pasted.exitCode(), pasted.stderr());
        assertTrue(pasted.stdout().contains("stored for node"), pasted.stdout());
        String reportId = file.getFileName().toString().replace("netready-report-", "").replace(".json", "");
        assertEquals(1, io.netready.report.Report.count("probeReportId", reportId), "stored by the printed command");
        given().get("/probe.sh").then().body(containsString("netready.report/v1"));
    }

    @Test
    void aSpooledReportGoesOnlyToThePortalAndTokenItWasMadeFor() throws Exception {
        String cluster = Portal.createCluster("platform");
        String token = Portal.issueToken(cluster);
        String other = Portal.createCluster("platform");
        String otherToken = Portal.issueToken(other);
        java.nio.file.Path spool = java.nio.file.Files.createTempDirectory("netready-spool");
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        // The portal's address answers nothing yet: the run keeps its report, for that portal and that token.
        String server = "http://127.0.0.1:" + port;
        Processes.Result failed = Processes.run(List.of("env", "NETREADY_SPOOL_DIR=" + spool, "dash", Probe.SCRIPT.toString(),
                "--server", server, "--token", token, "--quiet"), 120);
        assertEquals(1, failed.exitCode(), failed.stderr());
        java.nio.file.Path kept;
        try (var files = java.nio.file.Files.list(spool)) {
            kept = files.filter(p -> p.toString().endsWith(".json")).findFirst().orElseThrow();
        }
        String spooledId = kept.getFileName().toString().replace("netready-report-", "").replace(".json", "");
        String dest = java.nio.file.Files.readString(spool.resolve(kept.getFileName().toString().replace(".json", ".dest")));
        assertTrue(dest.startsWith("server=" + server + "\ntoken=sha256:"), dest);
        assertTrue(!dest.contains(token), "the token itself is never written");
        // A spooled copy the portal will refuse (cut short), for the same portal and token, goes to rejected/.
        byte[] whole = java.nio.file.Files.readAllBytes(kept);
        java.nio.file.Files.write(spool.resolve("netready-report-broken-0000.json"), java.util.Arrays.copyOf(whole, whole.length / 3));
        java.nio.file.Files.writeString(spool.resolve("netready-report-broken-0000.dest"), dest);
        // An older probe's report names no portal: never sent on its own.
        java.nio.file.Files.write(spool.resolve("netready-report-legacy-0000.json"), whole);

        Process forward = new ProcessBuilder("socat", "TCP-LISTEN:" + port + ",bind=127.0.0.1,fork,reuseaddr",
                "TCP:127.0.0.1:" + RestAssured.port).start();
        try {
            waitForPort(port);
            // Another cluster's token on the same portal: the spooled report stays where it is.
            Processes.Result elsewhere = Processes.run(List.of("env", "NETREADY_SPOOL_DIR=" + spool, "dash",
                    Probe.SCRIPT.toString(), "--server", server, "--token", otherToken, "--quiet"), 120);
            assertEquals(0, elsewhere.exitCode(), elsewhere.stderr());
            assertTrue(java.nio.file.Files.exists(kept), elsewhere.stderr());
            assertEquals(0, io.netready.report.Report.count("probeReportId", spooledId), "not sent with another token");
            assertTrue(elsewhere.stderr().contains("netready-report-legacy-0000.json names no portal"), elsewhere.stderr());
            // The same server and token: sent, and stored in its own cluster.
            Processes.Result next = Processes.run(List.of("env", "NETREADY_SPOOL_DIR=" + spool, "dash", Probe.SCRIPT.toString(),
                    "--server", server, "--token", token, "--quiet"), 120);
            assertEquals(0, next.exitCode(), next.stderr());
        } finally {
            forward.destroy();
        }
        io.netready.report.Report stored = io.netready.report.Report.find("probeReportId", spooledId).firstResult();
        assertEquals(io.netready.cluster.Cluster.findByName(cluster).orElseThrow().id, stored.clusterId,
                "the spooled report arrived in the cluster it was made for");
        assertTrue(!java.nio.file.Files.exists(kept), "and left the spool");
        assertTrue(java.nio.file.Files.exists(spool.resolve("rejected/netready-report-broken-0000.json")));
        assertTrue(java.nio.file.Files.exists(spool.resolve("netready-report-legacy-0000.json")), "the legacy file waits");
        given().auth().oauth2(Users.admin()).get("/api/v1/clusters/" + cluster + "/nodes").then().statusCode(200)
                .body("size()", equalTo(1));
    }

    private static List<java.nio.file.Path> listing(java.nio.file.Path dir) throws java.io.IOException {
        try (var files = java.nio.file.Files.list(dir)) {
            return files.sorted().toList();
        }
    }

    private static void waitForPort(int port) throws InterruptedException {
        for (int i = 0; i < 50; i++) {
            try (java.net.Socket socket = new java.net.Socket()) {
                socket.connect(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port), 200);
                return;
            } catch (java.io.IOException e) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("socat did not listen on " + port);
    }
}
