package io.netready.web;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.netready.support.BrowserSession;
import io.netready.support.Netns;
import io.netready.support.Portal;
import io.netready.support.Probe;
import io.netready.support.Processes;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWireMock;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.RestAssured;

/**
 * A platform engineer's day, on a real namespace node: it is ready, then a change breaks it; the node page shows the
 * timeline and what changed since it was ready; the diff exports to Markdown; a waiver changes the verdict and is
 * audited and left out of the fix script; the downloaded fix script, run on the node, makes it ready again.
 */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class PortalFlowTest {

    private static final Pattern REPORT_URL = Pattern.compile("/reports/(\\d+)");

    @OidcWireMock
    WireMockServer provider;

    @Test
    void readyBrokenWaivedFixedAndAudited() throws IOException {
        String cluster = Portal.createCluster("platform");
        String token = Portal.issueToken(cluster);
        String hostname = "flow-" + cluster;
        BrowserSession admin = BrowserSession.login(provider, "alice", "admin", "team-platform");
        try (Netns ns = Netns.create("flow").withDefaultRoute()) {
            Path etc = ownEtc(ns, hostname);
            ns.sysctl("net.ipv4.ip_forward", "1");
            long ready = upload(ns, hostname, token);
            assertEquals("ready", verdict(admin, ready), "a healthy namespace node is ready");

            ns.sysctl("net.ipv4.ip_forward", "0");
            ns.exec("iptables", "-A", "INPUT", "-p", "tcp", "--dport", "10250", "-j", "DROP").orFail("iptables");
            long broken = upload(ns, hostname, token);
            assertEquals("not-ready", verdict(admin, broken));

            long node = RestAssured.given().auth().oauth2(io.netready.support.Users.admin()).get("/api/v1/reports/" + broken)
                    .jsonPath().getLong("nodeId");
            String page = admin.given().get("/nodes/" + node).then().statusCode(200).extract().asString();
            assertTrue(page.contains("data-verdict=\"ready\"") && page.contains("data-verdict=\"not-ready\""), "timeline");
            assertTrue(page.contains("id=\"since-ready\"") && page.contains("+ net.ipv4.ip_forward = 0")
                    && page.contains("- net.ipv4.ip_forward = 1"), "what changed since it was last ready");
            assertTrue(page.contains("class=\"newly-failing\" data-rule=\"firewall-ports\""));

            admin.given().get("/diff?from=" + ready + "&to=" + broken).then().statusCode(200)
                    .body(containsString("class=\"newly-failing\" data-rule=\"ip-forward\""),
                            containsString("data-group=\"firewall\""), containsString("id=\"export-markdown\""));
            admin.given().get("/diff.md?from=" + ready + "&to=" + broken).then().statusCode(200)
                    .contentType(containsString("text/markdown"))
                    .header("Content-Disposition", containsString("attachment"))
                    .body(containsString("**Newly failing** (2)"), containsString("+ net.ipv4.ip_forward = 0"),
                            containsString("/diff?from=" + ready + "&to=" + broken));

            // Waive the firewall finding for this node: the verdict stays not-ready for ip-forward.
            String csrf = admin.csrf("/nodes/" + node);
            admin.given().formParam("csrf", csrf).formParam("rule", "firewall-ports").formParam("nodeId", node)
                    .formParam("scope", "node").formParam("reason", "kubelet is reached through the LB during the migration")
                    .formParam("expires", java.time.LocalDate.now().plusDays(7).toString())
                    .post("/clusters/" + cluster + "/waivers").then().statusCode(303);
            admin.given().get("/nodes/" + node).then().statusCode(200)
                    .body(containsString("data-rule=\"firewall-ports\" data-status=\"waived\""),
                            containsString("verdict verdict-not-ready"));
            admin.given().get("/clusters/" + cluster).then().statusCode(200)
                    .body(containsString("data-rule=\"firewall-ports\" data-status=\"waived\""));
            admin.given().get("/audit?action=waiver.create&cluster=" + cluster).then().statusCode(200)
                    .body(containsString("data-action=\"waiver.create\""), containsString("during the migration"));
            admin.given().get("/audit.csv?cluster=" + cluster).then().statusCode(200).contentType(containsString("text/csv"))
                    .body(containsString("\"waiver.create\""), containsString("\"upload\""), containsString("\"token.create\""));

            // The fix script: --dry-run changes nothing; run for real on the node, it fixes ip_forward and the firewall.
            io.restassured.response.Response download = admin.given().get("/reports/" + broken + "/fix.sh");
            download.then().statusCode(200).header("Content-Disposition", containsString("filename=\"fix-" + hostname + ".sh\""));
            String script = download.asString();
            assertTrue(script.contains("Run as root on that node: sh fix-" + hostname + ".sh --dry-run"),
                    "the header names the downloaded file: " + script);
            assertTrue(script.contains("run 'sysctl -w net.ipv4.ip_forward=1'"), script);
            assertTrue(!script.contains("iptables"), "the waived firewall finding is not 'fixed': " + script);
            Path file = Files.createTempFile("fix", ".sh");
            Files.writeString(file, script);
            Processes.Result lint = Processes.run(List.of("shellcheck", "-s", "sh", file.toString()));
            assertEquals(0, lint.exitCode(), "shellcheck: " + lint.stdout());
            Processes.Result dry = ns.exec("sh", file.toString(), "--dry-run");
            assertEquals(0, dry.exitCode(), dry.stderr());
            assertTrue(dry.stdout().contains("sysctl -w net.ipv4.ip_forward=1"), dry.stdout());
            assertEquals("0", ns.exec("sysctl", "-n", "net.ipv4.ip_forward").stdout().strip(), "--dry-run changes nothing");
            assertTrue(dry.stdout().strip().endsWith("\nnetready: dry run, nothing was changed. To apply: sh fix-" + hostname + ".sh"),
                    dry.stdout());
            Processes.Result real = ns.exec("sh", file.toString());
            assertEquals(0, real.exitCode(), real.stderr() + real.stdout());
            assertEquals("1", ns.exec("sysctl", "-n", "net.ipv4.ip_forward").stdout().strip());
            assertTrue(real.stdout().strip().endsWith("\nnetready: done. Run the probe again to see the new verdict."), real.stdout());
            assertTrue(Files.exists(etc.resolve("sysctl.d/90-netready-ip-forward.conf")), "persisted");
            Processes.Result again = ns.exec("sh", file.toString());
            assertEquals(0, again.exitCode(), "running the fix twice is harmless: " + again.stderr());

            long fixed = upload(ns, hostname, token);
            assertEquals("ready", verdict(admin, fixed), "after the fix script (and with the waiver) the node is ready again");
        } finally {
            Processes.run(List.of("sh", "-c", "rm -rf /etc/netns/nr-flow-*"));
        }

        BrowserSession viewer = BrowserSession.login(provider, "sam", "viewer", "team-platform");
        viewer.given().get("/audit").then().statusCode(403);
        viewer.given().get("/audit.csv").then().statusCode(403);
        viewer.given().get("/clusters/" + cluster).then().statusCode(200).body(not(containsString("form class=\"waive")));
        viewer.given().formParam("csrf", viewer.csrf("/clusters")).formParam("rule", "ip-forward").formParam("scope", "cluster")
                .formParam("reason", "not mine to waive").formParam("expires", java.time.LocalDate.now().plusDays(1).toString())
                .post("/clusters/" + cluster + "/waivers").then().statusCode(403);
    }

    /** Per-node /etc files (ip netns exec bind-mounts /etc/netns/NAME/* over /etc/*): hosts, resolv.conf, machine-id, sysctl.d. */
    private static Path ownEtc(Netns ns, String hostname) throws IOException {
        Path etc = Path.of("/etc/netns", ns.name);
        Files.createDirectories(etc.resolve("sysctl.d"));
        Files.writeString(etc.resolve("hosts"), "127.0.0.1 localhost\n" + ns.nodeAddress + " " + hostname + "\n");
        Files.writeString(etc.resolve("resolv.conf"), "nameserver " + ns.hostAddress + "\n");
        Files.writeString(etc.resolve("machine-id"), java.util.UUID.randomUUID().toString().replace("-", "") + "\n");
        return etc;
    }

    private static long upload(Netns ns, String hostname, String token) {
        Processes.Result run = Probe.run(ns.prefixWithHostname(hostname), "dash", "--server",
                "http://" + ns.hostAddress + ":" + RestAssured.port, "--token", token, "--role", "worker", "--phase", "preflight");
        assertEquals(0, run.exitCode(), run.stderr() + run.stdout());
        Matcher url = REPORT_URL.matcher(run.stdout());
        assertTrue(url.find(), run.stdout());
        return Long.parseLong(url.group(1));
    }

    private static String verdict(BrowserSession session, long report) {
        return RestAssured.given().auth().oauth2(io.netready.support.Users.admin()).get("/api/v1/reports/" + report)
                .then().statusCode(200).extract().jsonPath().getString("verdict");
    }
}
