package io.netready.rules;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.netready.support.Netns;
import io.netready.support.Portal;
import io.netready.support.Probe;
import io.netready.support.Processes;
import io.netready.support.Users;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;

/** The rules on reports the probe makes in namespaces built to break them, uploaded to the running portal. */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class ReadinessInNamespacesTest {

    private static final Pattern REPORT_URL = Pattern.compile("/reports/(\\d+)");

    @Test
    void aBrokenWorkerFailsExactlyWhatIsBroken() {
        String cluster = Portal.createCluster("platform");
        String token = Portal.issueToken(cluster);
        long reportId;
        long conntrackMax;
        try (Netns node = Netns.create("broken")) {
            conntrackMax = Long.parseLong(node.exec("cat", "/proc/sys/net/netfilter/nf_conntrack_max").orFail("cat").stdout().strip());
            node.sysctl("net.ipv4.ip_forward", "0");
            node.exec("iptables", "-A", "INPUT", "-p", "tcp", "--dport", "10250", "-j", "DROP").orFail("iptables");
            reportId = uploadFrom(node, "w-broken-" + cluster, token, "worker", "preflight");
        }
        JsonPath findings = findings(reportId);
        Set<String> failed = new TreeSet<>(findings.getList("findAll { it.status == 'fail' }.rule", String.class));
        assertTrue(failed.containsAll(Set.of("ip-forward", "default-route", "firewall-ports")), failed.toString());
        // Anything else that fails must be something this machine really violates.
        Set<String> explained = new TreeSet<>(Set.of("ip-forward", "default-route", "firewall-ports"));
        if (conntrackMax < 131072) {
            explained.add("conntrack-capacity");
        }
        assertEquals(explained, failed, "failed rules; all findings: " + findings.prettify());
        assertTrue(findings.getString("find { it.rule == 'firewall-ports' }.evidence[0].text").contains("--dport 10250 -j DROP"));
        assertTrue(findings.getString("find { it.rule == 'ip-forward' }.remediation.script").contains("sysctl -w net.ipv4.ip_forward=1"));
    }

    @Test
    void ofTwoNodesWithTheSameHostnameAndMacTheOneThatReportedThemFirstKeepsThem() throws IOException {
        String cluster = Portal.createCluster("platform");
        String token = Portal.issueToken(cluster);
        String hostname = "twin-" + cluster;
        long first;
        long second;
        try (Netns a = Netns.create("twin").withDefaultRoute(); Netns b = Netns.create("twin").withDefaultRoute()) {
            for (Netns ns : List.of(a, b)) {
                ownMachineId(ns);
                ns.exec("ip", "link", "set", "eth0", "address", "02:00:00:aa:bb:cc").orFail("mac");
            }
            first = uploadFrom(a, hostname, token, "worker", "preflight");
            second = uploadFrom(b, hostname, token, "worker", "preflight");
        } finally {
            Processes.run(List.of("sh", "-c", "rm -rf /etc/netns/nr-twin-*"));
        }
        JsonPath secondFindings = findings(second);
        assertEquals("fail", secondFindings.getString("find { it.rule == 'unique-hostname' }.status"));
        assertEquals("fail", secondFindings.getString("find { it.rule == 'unique-mac' }.status"));

        long firstNode = given().auth().oauth2(Users.admin()).get("/api/v1/reports/" + first).jsonPath().getLong("nodeId");
        JsonPath current = given().auth().oauth2(Users.admin())
                .get("/api/v1/clusters/" + cluster + "/nodes/" + firstNode + "/findings").then().statusCode(200)
                .extract().jsonPath();
        // the first node keeps its name and MAC; it is told who came later, the second node is the one flagged
        assertEquals("pass", current.getString("findings.find { it.rule == 'unique-hostname' }.status"), current.prettify());
        assertEquals("pass", current.getString("findings.find { it.rule == 'unique-mac' }.status"), current.prettify());
        assertTrue(current.getString("findings.find { it.rule == 'unique-mac' }.message")
                .endsWith("1 other node reported one later and is flagged there"), current.prettify());
        assertTrue(secondFindings.getString("find { it.rule == 'unique-hostname' }.message")
                .contains("was reported first by " + hostname + " (node " + firstNode + ") at "), secondFindings.prettify());
    }

    @Test
    void hostileValuesFromANodeNeverReachASnippetUnquoted() throws IOException {
        String cluster = Portal.createCluster("platform");
        String token = Portal.issueToken(cluster);
        String report;
        try (Netns node = Netns.create("hostile")) {
            // The veth that links the namespace is renamed and taken down; a veth with a backtick in its name carries
            // the only address and a route.
            node.exec("ip", "link", "set", "eth0", "down").orFail("down");
            node.exec("ip", "link", "set", "eth0", "name", "eth0;reboot").orFail("rename");
            node.exec("ip", "link", "add", "x`id`", "type", "veth", "peer", "name", "peer0").orFail("veth");
            node.exec("ip", "link", "set", "peer0", "up").orFail("peer up");
            node.exec("ip", "addr", "add", "10.99.0.1/24", "dev", "x`id`").orFail("address");
            node.exec("ip", "link", "set", "x`id`", "up").orFail("up");
            node.exec("ip", "route", "add", "10.98.0.0/24", "dev", "x`id`").orFail("route");
            node.sysctl("net.ipv4.ip_forward", "0");
            report = Probe.run(node.prefixWithHostname("$(id)"), "dash", "--output", "-", "--quiet", "--role", "worker")
                    .orFail("probe").stdout();
        }
        long id = Portal.upload(token, report).then().statusCode(201).extract().jsonPath().getLong("id");
        List<Map<String, Object>> findings = findings(id).getList("$");
        int scripts = 0;
        for (Map<String, Object> finding : findings) {
            @SuppressWarnings("unchecked")
            Map<String, Object> remediation = (Map<String, Object>) finding.get("remediation");
            String script = remediation == null ? null : (String) remediation.get("script");
            if (script == null) {
                continue;
            }
            scripts++;
            String unquoted = script.replaceAll("'[^']*'", "''");
            for (String hostile : List.of(";reboot", "$(id)", "`")) {
                assertFalse(unquoted.contains(hostile), finding.get("rule") + " puts " + hostile + " in its snippet unquoted:\n" + script);
            }
            Processes.Result syntax = Processes.run(List.of("dash", "-n", "-c", script));
            assertEquals(0, syntax.exitCode(), finding.get("rule") + " snippet is not valid sh: " + syntax.stderr() + "\n" + script);
        }
        assertTrue(scripts >= 2, "the hostile node fails rules with snippets, got " + scripts);
        // The default route would go via the interface with the backtick: netready says so in a note, not a command.
        JsonPath all = findings(id);
        assertEquals("fail", all.getString("find { it.rule == 'default-route' }.status"));
        assertEquals(null, all.getString("find { it.rule == 'default-route' }.remediation.script"));
        assertTrue(all.getString("find { it.rule == 'default-route' }.evidence.text").contains("x`id`"));
        assertEquals("fail", findings(id).getString("find { it.rule == 'hostname-valid' }.status"));
        assertTrue(findings(id).getString("find { it.rule == 'hostname-valid' }.remediation.script")
                .contains("hostnamectl set-hostname 'id'"));
    }

    private static long uploadFrom(Netns node, String hostname, String token, String role, String phase) {
        String server = "http://" + node.hostAddress + ":" + RestAssured.port;
        Processes.Result run = Probe.run(node.prefixWithHostname(hostname), "dash", "--server", server, "--token", token,
                "--role", role, "--phase", phase);
        assertEquals(0, run.exitCode(), run.stderr() + run.stdout());
        Matcher url = REPORT_URL.matcher(run.stdout());
        assertTrue(url.find(), run.stdout());
        return Long.parseLong(url.group(1));
    }

    private static JsonPath findings(long reportId) {
        return given().auth().oauth2(Users.admin()).get("/api/v1/reports/" + reportId + "/findings")
                .then().statusCode(200).extract().jsonPath();
    }

    /** ip netns exec bind-mounts /etc/netns/NAME/machine-id over /etc/machine-id: each namespace is its own machine. */
    private static void ownMachineId(Netns ns) throws IOException {
        Path dir = Path.of("/etc/netns", ns.name);
        Files.createDirectories(dir);
        String id = java.util.UUID.randomUUID().toString().replace("-", "");
        Files.writeString(dir.resolve("machine-id"), id + "\n");
    }

}
