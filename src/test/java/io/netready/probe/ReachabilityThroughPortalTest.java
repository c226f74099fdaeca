package io.netready.probe;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.agroal.api.AgroalDataSource;
import io.netready.rules.ReachabilityPorts;
import io.netready.support.Portal;
import io.netready.support.Probe;
import io.netready.support.Processes;
import io.netready.support.Users;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;

/**
 * Issue 14 end to end: the real probe runs in namespace nodes, fetches its reachability plan from the portal under
 * test, tries its peers and uploads; node-reachability's live findings are then read through the API.
 *
 * <p>The network, built anew for every case: node 1 (a control plane, A.11) and node 2 (a worker, A.12) on subnet A,
 * node 3 (a worker, B.11) on subnet B; a router namespace joins them (bridges with the gateways A.1 and B.1), and
 * its FORWARD chain plays the security group between the subnets. The router's uplink (U.2) is a veth to this host
 * (U.1), where the portal listens on 0.0.0.0; the host routes A and B back through it and forwards nothing (the
 * host's veth keeps forwarding off), the router has no default route. So every packet a node sends goes to the
 * portal, to a node of the test, or nowhere. A, B and U are 10.244.X.0/24, X+1 and X+2, X chosen per run.
 *
 * <p>Each case has a cluster of its own and two rounds: in round 1 the nodes upload one after another (the portal
 * learns their node IPs, and that they upload from them: the plan vouches for them); in round 2 each fetches a plan
 * that lists its peers, tries them and uploads. The cluster declares no node networks: only uploads from the nodes'
 * own addresses make a peer plannable.
 */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class ReachabilityThroughPortalTest {

    private static final String CLEAN_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    private static final int X = pickSubnets();
    private static final String A = "10.244." + X;
    private static final String B = "10.244." + (X + 1);
    private static final String U = "10.244." + (X + 2);
    private static final String NET_A = A + ".0/24";
    private static final String NET_B = B + ".0/24";
    private static final String ROUTER = "nrp-r-" + X;
    private static final String HOST_VETH = "nrp" + X;
    /** Node n's namespace, address and gateway (1-based). */
    private static final String[] NS = { null, "nrp-1-" + X, "nrp-2-" + X, "nrp-3-" + X };
    private static final String[] ADDRESS = { null, A + ".11", A + ".12", B + ".11" };
    private static final String[] GATEWAY = { null, A + ".1", A + ".1", B + ".1" };
    private static final String[] ROLE = { null, "control-plane", "worker", "worker" };
    /** In the nodes' /etc: machine-id and hosts bind-mounted, the hostname written to the UTS namespace's kernel. */
    private static final String IN_NODE = """
            set -eu
            d=$NR_NODE_DIR
            mount --bind "$d/machine-id" /etc/machine-id
            mount --bind "$d/hosts" /etc/hosts
            printf '%s' "$NR_HOSTNAME" > /proc/sys/kernel/hostname
            exec "$@"
            """;

    @Inject
    AgroalDataSource dataSource;

    private final List<Process> listeners = new ArrayList<>();
    private final List<Path> dirs = new ArrayList<>();

    /** A free X: none of the three /24s is on any route of this host. */
    private static int pickSubnets() {
        String routes = Processes.run(List.of("ip", "-4", "route", "show", "table", "all")).stdout();
        int start = (int) (ProcessHandle.current().pid() % 80);
        for (int i = 0; i < 80; i++) {
            int x = ((start + i) % 80) * 3 + 10;
            boolean taken = false;
            for (int k = 0; k < 3; k++) {
                taken |= routes.contains("10.244." + (x + k) + ".");
            }
            // a leftover of this test's own earlier run is cleaned up and reused
            if (!taken || Processes.run(List.of("ip", "link", "show", "nrp" + x)).exitCode() == 0) {
                return x;
            }
        }
        throw new IllegalStateException("no free 10.244.x.0/24 triple on this host");
    }

    @BeforeAll
    static void rootAndClean() {
        assertEquals("0", Processes.run(List.of("id", "-u")).stdout().strip(), "namespaces need root");
        teardownNetwork();
    }

    @AfterAll
    static void cleanUp() {
        teardownNetwork();
    }

    @BeforeEach
    void network() {
        teardownNetwork();
        for (String ns : List.of(ROUTER, NS[1], NS[2], NS[3])) {
            run("ip", "netns", "add", ns);
            run("ip", "-n", ns, "link", "set", "lo", "up");
        }
        // the uplink: host U.1, router U.2; the host routes the nodes' subnets back through the router
        run("ip", "link", "add", HOST_VETH, "type", "veth", "peer", "name", "up0", "netns", ROUTER);
        run("ip", "addr", "add", U + ".1/24", "dev", HOST_VETH);
        run("ip", "link", "set", HOST_VETH, "up");
        run("sysctl", "-qw", "net.ipv4.conf." + HOST_VETH + ".forwarding=0");
        run("ip", "-n", ROUTER, "addr", "add", U + ".2/24", "dev", "up0");
        run("ip", "-n", ROUTER, "link", "set", "up0", "up");
        run("ip", "route", "add", NET_A, "via", U + ".2", "dev", HOST_VETH);
        run("ip", "route", "add", NET_B, "via", U + ".2", "dev", HOST_VETH);
        for (String[] bridge : List.of(new String[] { "bra", A + ".1/24" }, new String[] { "brb", B + ".1/24" })) {
            run("ip", "-n", ROUTER, "link", "add", bridge[0], "type", "bridge");
            run("ip", "-n", ROUTER, "addr", "add", bridge[1], "dev", bridge[0]);
            run("ip", "-n", ROUTER, "link", "set", bridge[0], "up");
        }
        inNs(ROUTER, "sysctl", "-qw", "net.ipv4.ip_forward=1");
        for (int n = 1; n <= 3; n++) {
            String port = "to" + n;
            run("ip", "link", "add", "eth0", "netns", NS[n], "type", "veth", "peer", "name", port, "netns", ROUTER);
            run("ip", "-n", ROUTER, "link", "set", port, "master", n == 3 ? "brb" : "bra");
            run("ip", "-n", ROUTER, "link", "set", port, "up");
            run("ip", "-n", NS[n], "addr", "add", ADDRESS[n] + "/24", "dev", "eth0");
            run("ip", "-n", NS[n], "link", "set", "eth0", "up");
            run("ip", "-n", NS[n], "route", "add", "default", "via", GATEWAY[n]);
        }
    }

    @AfterEach
    void stopListeners() {
        for (Process listener : listeners) {
            listener.destroyForcibly();
        }
        listeners.clear();
        teardownNetwork();
        for (Path dir : dirs) {
            Processes.run(List.of("rm", "-rf", dir.toString()));
        }
        dirs.clear();
    }

    /** Kills what runs in this test's own namespaces (its listeners), deletes them and the host's veth. */
    private static void teardownNetwork() {
        for (String ns : List.of(NS[1], NS[2], NS[3], ROUTER)) {
            for (String pid : Processes.run(List.of("ip", "netns", "pids", ns)).stdout().split("\\s+")) {
                if (!pid.isBlank()) {
                    Processes.run(List.of("kill", "-9", pid.strip()));
                }
            }
            Processes.run(List.of("ip", "netns", "del", ns));
        }
        // deleting the veth removes the host's routes through it too
        Processes.run(List.of("ip", "link", "del", HOST_VETH));
    }

    // ------------------------------------------------------------------ the cases

    @Test
    void allOpenEveryNodePasses() {
        Case c = new Case("open");
        c.listenEverywhere();
        c.rounds("running");
        c.expect(1, "pass", "Reached on 6443, 10250 by every peer that tried (2)", List.of());
        c.expect(2, "pass", "Reached on 10250, " + c.nodePort(2) + " by every peer that tried (2)", List.of());
        c.expect(3, "pass", "Reached on 10250, " + c.nodePort(3) + " by every peer that tried (2)", List.of());
        c.expectOutcomes(Map.of(), "connected");
    }

    @Test
    void apiServerPortDroppedBetweenTheSubnetsIsTheNetworksFault() {
        Case c = new Case("sg");
        c.listenEverywhere();
        // the security group: 6443 dropped between the subnets, both ways; the nodes' own firewalls stay empty
        inNs(ROUTER, "iptables", "-A", "FORWARD", "-s", NET_B, "-d", NET_A, "-p", "tcp", "--dport", "6443", "-j", "DROP");
        inNs(ROUTER, "iptables", "-A", "FORWARD", "-s", NET_A, "-d", NET_B, "-p", "tcp", "--dport", "6443", "-j", "DROP");
        c.rounds("running");
        c.expect(1, "fail", "6443 (kube-apiserver) on " + c.host(1) + ": timed out from " + c.host(3)
                + ", though the node's own firewall lets it in: something between " + NET_B + " and " + NET_A
                + " drops it (a security group, network ACL or router firewall)",
                List.of(between(c.host(1), "6443", NET_B, NET_A, "--port 6443", "tcp:6443")));
        c.expect(2, "pass", "Reached on 10250, " + c.nodePort(2) + " by every peer that tried (2)", List.of());
        c.expect(3, "pass", "Reached on 10250, " + c.nodePort(3) + " by every peer that tried (2)", List.of());
        c.expectOutcomes(Map.of("3>1:6443", "timeout"), "connected");
    }

    @Test
    void kubeletPortDroppedOneWayIsNamedOneWay() {
        Case c = new Case("oneway");
        c.listenEverywhere();
        // from B to A only: node 3 cannot reach the kubelets of nodes 1 and 2, which reach node 3's
        inNs(ROUTER, "iptables", "-A", "FORWARD", "-s", NET_B, "-d", NET_A, "-p", "tcp", "--dport", "10250", "-j", "DROP");
        c.rounds("running");
        for (int n : List.of(1, 2)) {
            c.expect(n, "fail", "10250 (kubelet API) on " + c.host(n) + ": timed out from " + c.host(3)
                    + ", though the node's own firewall lets it in: something between " + NET_B + " and " + NET_A
                    + " drops it (a security group, network ACL or router firewall). One way only: " + c.host(n)
                    + " reaches " + c.host(3) + " on 10250, which cannot reach it back",
                    List.of(between(c.host(n), "10250", NET_B, NET_A, "--port 10250", "tcp:10250")));
        }
        c.expect(3, "pass", "Reached on 10250, " + c.nodePort(3) + " by every peer that tried (2)", List.of());
        c.expectOutcomes(Map.of("3>1:10250", "timeout", "3>2:10250", "timeout"), "connected");
    }

    @Test
    void aDropInTheTargetsOwnInputChainIsTheNodesOwnFirewall() {
        Case c = new Case("ownfw");
        c.listenEverywhere();
        // node 2's own firewall drops the kubelet port; the network lets everything through
        inNs(NS[2], "iptables", "-A", "INPUT", "-p", "tcp", "--dport", "10250", "-j", "DROP");
        c.rounds("running");
        c.expect(1, "pass", "Reached on 6443, 10250 by every peer that tried (2)", List.of());
        c.expect(2, "fail", "10250 (kubelet API) on " + c.host(2) + ": timed out from " + c.host(1) + " and " + c.host(3)
                + ": the node's own firewall drops it (firewall-ports)",
                List.of("On " + c.host(2) + ": its own firewall drops tcp 10250. The firewall-ports finding's commands (in "
                        + "this node's fix script) accept them at the chain that drops them."));
        c.expect(3, "pass", "Reached on 10250, " + c.nodePort(3) + " by every peer that tried (2)", List.of());
        c.expectOutcomes(Map.of("1>2:10250", "timeout", "3>2:10250", "timeout"), "connected");
        String fixes = c.findings(2).getString("findings.find { it.rule == 'firewall-ports' }.remediation.script");
        assertTrue(fixes != null && fixes.contains("iptables") && fixes.contains("10250"),
                "the fix is the node's own iptables command (firewall-ports): " + fixes);
    }

    @Test
    void beforeKubeadmNothingListensAndRefusedIsFine() {
        Case c = new Case("pre");
        c.rounds("preflight");
        String refused = " by every peer that tried (2); some refused: the path is open and nothing listens yet, as before kubeadm";
        c.expect(1, "pass", "Reached on 6443, 10250" + refused, List.of());
        c.expect(2, "pass", "Reached on 10250, " + c.nodePort(2) + refused, List.of());
        c.expect(3, "pass", "Reached on 10250, " + c.nodePort(3) + refused, List.of());
        c.expectOutcomes(Map.of(), "refused");
    }

    @Test
    void aPeerThatWentDownTimesOutOnEveryPort() {
        Case c = new Case("down");
        c.listenEverywhere();
        c.round1("running");
        // node 3 reported (and tried nodes 1 and 2 in its first run); now its link is down: its address is silent.
        // The router keeps its MAC, as a cloud network knows its instances': no ARP that fails into an ICMP "host
        // unreachable" after 3 s, only silence, whatever the timing of the two probes
        String mac = Processes.run(List.of("ip", "netns", "exec", NS[3], "cat", "/sys/class/net/eth0/address"))
                .orFail("node 3's MAC").stdout().strip();
        run("ip", "-n", ROUTER, "neigh", "replace", ADDRESS[3], "lladdr", mac, "nud", "permanent", "dev", "brb");
        run("ip", "-n", NS[3], "link", "set", "eth0", "down");
        c.round2("running", 1, 2);
        c.expect(1, "pass", "Reached on 6443, 10250 by every peer that tried (2)", List.of());
        c.expect(2, "pass", "Reached on 10250, " + c.nodePort(2) + " by every peer that tried (2)", List.of());
        c.expect(3, "fail", "No peer reached " + c.host(3) + " on any port: 10250 and " + c.nodePort(3) + " timed out from "
                + c.host(1) + " and " + c.host(2) + ". It may be down or no longer at " + ADDRESS[3] + "; if it runs "
                + "there, its own firewall lets these ports in, so something between " + NET_A + " and " + NET_B
                + " drops everything to it (a security group, network ACL or router firewall)",
                List.of("On " + c.host(3) + ": check that it is up and still has " + ADDRESS[3] + " (ip -br addr), and let "
                        + "its probe report again: peers are sent to the node IP of its latest report.",
                        "Between the nodes (not on " + c.host(3) + "): allow tcp 10250, " + c.nodePort(3) + " from " + NET_A
                                + " to " + NET_B + " in the security group, network ACL or router firewall between them, e.g."
                                + " AWS: aws ec2 authorize-security-group-ingress --group-id <the node's group> --protocol tcp"
                                + " --port 10250 --cidr " + NET_A + " (once per port); GCP: gcloud compute firewall-rules"
                                + " create <name> --allow tcp:10250,tcp:" + c.nodePort(3) + " --source-ranges " + NET_A + "."));
        c.expectOutcomes(Map.of("1>3:10250", "timeout", "1>3:NP", "timeout", "2>3:10250", "timeout", "2>3:NP", "timeout"),
                "connected");
    }

    @Test
    void aFakePeerAddressIsNeverPlannedAndNothingIsStoredForIt() throws SQLException {
        Case c = new Case("fake");
        c.listenEverywhere();
        // before the real nodes: "ghost" reports an address no namespace has, "twin" node 2's; both upload from
        // loopback (as anyone holding the token could), so the portal cannot vouch for either address
        String ghostAddress = B + ".99";
        c.uploadFake("fake-ghost", ghostAddress);
        c.uploadFake("fake-twin", ADDRESS[2]);
        c.rounds("running");
        for (int n = 1; n <= 3; n++) {
            String attempts = c.section(n, "reachability");
            assertFalse(attempts.contains(" " + ghostAddress + " "), "never sent to the ghost's address: " + attempts);
            assertTrue(c.section(n, "reachability", "stderr").contains("plan: 2 peer(s) left out: the portal cannot vouch"),
                    "the probe says its plan left the two out: " + c.section(n, "reachability", "stderr"));
        }
        JsonPath plan = given().header("Authorization", "Bearer " + c.token).queryParam("node", c.host(1))
                .get("/api/v1/plan").then().statusCode(200).extract().jsonPath();
        assertEquals(List.of(ADDRESS[2], ADDRESS[3]), plan.getList("targets.address"));
        assertEquals(List.of(c.host(2), c.host(3)), plan.getList("targets.node"));
        assertEquals(2, plan.getInt("withheld.peers"));
        c.expect(1, "pass", "Reached on 6443, 10250 by every peer that tried (2)", List.of());
        c.expect(2, "pass", "Reached on 10250, " + c.nodePort(2) + " by every peer that tried (2)", List.of());
        c.expect(3, "pass", "Reached on 10250, " + c.nodePort(3) + " by every peer that tried (2)", List.of());
        c.expectOutcomes(Map.of(), "connected");
        for (String fake : List.of("fake-ghost", "fake-twin")) {
            assertEquals(0, c.outcomesOn(fake), "no outcome is stored for " + fake);
            JsonPath finding = c.findings(fake).setRootPath("findings.find { it.rule == 'node-reachability' }");
            assertEquals("skip", finding.getString("status"), fake);
            assertEquals("No peer has tried " + fake + " yet: each probe run tries the peers of the plan the portal gives "
                    + "it (every control plane, and 16 workers at a time)", finding.getString("message"), fake);
        }
    }

    // ------------------------------------------------------------------ helpers

    private static String between(String host, String port, String from, String to, String awsPort, String gcpAllow) {
        return "Between the nodes (not on " + host + "): allow tcp " + port + " from " + from + " to " + to
                + " in the security group, network ACL or router firewall between them, e.g. AWS: aws ec2 "
                + "authorize-security-group-ingress --group-id <the node's group> --protocol tcp " + awsPort + " --cidr "
                + from + "; GCP: gcloud compute firewall-rules create <name> --allow " + gcpAllow + " --source-ranges "
                + from + ".";
    }

    /** One case: a cluster of its own, the three nodes under hostnames TAG-1, TAG-2, TAG-3. */
    private final class Case {
        final String tag;
        final String cluster;
        final String token;
        final String server = "http://" + U + ".1:" + RestAssured.port;
        private final Path[] dir = new Path[4];
        /** The nodes that ran in round 2. */
        private List<Integer> measured = List.of();

        Case(String tag) {
            this.tag = tag;
            this.cluster = Portal.createCluster("platform");
            this.token = Portal.issueToken(cluster);
            // no node networks, no CIDRs: only an upload from a node's own address vouches for it
            given().auth().oauth2(Users.admin()).contentType("application/json").body(Map.of("routingMode", "unknown"))
                    .put("/api/v1/clusters/" + cluster + "/settings").then().statusCode(200);
            for (int n = 1; n <= 3; n++) {
                try {
                    dir[n] = Files.createTempDirectory("nrp-" + tag + "-" + n);
                    dirs.add(dir[n]);
                    Files.writeString(dir[n].resolve("machine-id"),
                            HexFormat.of().formatHex(randomBytes()) + "\n");
                    Files.writeString(dir[n].resolve("hosts"), "127.0.0.1\tlocalhost\n" + ADDRESS[n] + "\t" + host(n)
                            + "\n::1\tlocalhost ip6-localhost ip6-loopback\n");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }

        String host(int n) {
            return tag + "-" + n;
        }

        int nodePort(int n) {
            return ReachabilityPorts.nodePortSample(host(n));
        }

        /** The components listen: node 1 kube-apiserver and kubelet, the workers kubelet and their NodePort sample. */
        void listenEverywhere() {
            listen(1, 6443);
            listen(1, 10250);
            for (int n : List.of(2, 3)) {
                listen(n, 10250);
                listen(n, nodePort(n));
            }
        }

        private void listen(int n, int port) {
            try {
                listeners.add(new ProcessBuilder("ip", "netns", "exec", NS[n], "socat",
                        "TCP-LISTEN:" + port + ",bind=" + ADDRESS[n] + ",reuseaddr,fork", "/dev/null")
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD)
                        .start());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            for (int i = 0; i < 100; i++) {
                if (Processes.run(List.of("ip", "netns", "exec", NS[n], "ss", "-Htln", "sport = :" + port)).stdout()
                        .contains(":" + port)) {
                    return;
                }
                Processes.sh("sleep 0.05");
            }
            throw new IllegalStateException("socat on " + NS[n] + ":" + port + " not listening after 5 s");
        }

        void rounds(String phase) {
            round1(phase);
            round2(phase, 1, 2, 3);
        }

        /** One after another, so that each run's plan (and what it tries) is the same on every test run. */
        void round1(String phase) {
            for (int n = 1; n <= 3; n++) {
                probe(n, phase);
            }
        }

        /** Every node of {@code nodes} at once: each fetches a plan naming its peers, tries them and uploads. */
        void round2(String phase, Integer... nodes) {
            measured = List.of(nodes);
            long started = System.nanoTime();
            List<CompletableFuture<Void>> runs = measured.stream()
                    .map(n -> CompletableFuture.runAsync(() -> probe(n, phase))).toList();
            runs.forEach(CompletableFuture::join);
            long millis = (System.nanoTime() - started) / 1_000_000;
            System.out.printf("%s: round 2 (%d nodes at once) took %d ms%n", tag, nodes.length, millis);
            // the step is bounded at 5 s; the rest of a run is well under that
            assertTrue(millis < 20_000, "round 2 took " + millis + " ms");
        }

        private void probe(int n, String phase) {
            List<String> prefix = List.of("ip", "netns", "exec", NS[n], "unshare", "--uts", "--mount", "--propagation",
                    "private", "env", "-i", "PATH=" + CLEAN_PATH, "NR_NODE_DIR=" + dir[n], "NR_HOSTNAME=" + host(n),
                    "sh", "-c", IN_NODE, "in-node");
            Processes.Result run = Probe.run(prefix, "dash", "--role", ROLE[n], "--phase", phase, "--server", server,
                    "--token", token);
            assertEquals(0, run.exitCode(), host(n) + ": " + run.stderr() + run.stdout());
            assertTrue(run.stdout().contains(" stored"), host(n) + ": " + run.stdout());
        }

        /** A report of this machine as node {@code hostname} with node IP {@code address}, uploaded from loopback. */
        void uploadFake(String hostname, String address) {
            ObjectNode tree = Probe.hostReportTree();
            tree.put("reportId", UUID.randomUUID().toString());
            tree.put("role", "worker");
            tree.put("phase", "running");
            putSection(tree, "hostname", hostname + "\n");
            putSection(tree, "machine-id", HexFormat.of().formatHex(randomBytes()) + "\n");
            putSection(tree, "routes", "[{\"dst\":\"default\",\"gateway\":\"" + address.substring(0, address.lastIndexOf('.'))
                    + ".1\",\"dev\":\"eth0\",\"prefsrc\":\"" + address + "\",\"flags\":[]}]\n");
            Portal.upload(token, tree.toString()).then().statusCode(201);
        }

        /** Node n's (or a hostname's) current findings through the API. */
        JsonPath findings(int n) {
            return findings(host(n));
        }

        JsonPath findings(String hostname) {
            return given().auth().oauth2(Users.admin()).get("/api/v1/clusters/" + cluster + "/nodes/" + nodeId(hostname)
                    + "/findings").then().statusCode(200).extract().jsonPath();
        }

        private JsonPath nodes() {
            return given().auth().oauth2(Users.admin()).get("/api/v1/clusters/" + cluster + "/nodes").then()
                    .statusCode(200).extract().jsonPath();
        }

        private long nodeId(String hostname) {
            return nodes().getLong("find { it.hostname == '" + hostname + "' }.id");
        }

        void expect(int n, String status, String message, List<String> notes) {
            JsonPath finding = findings(n).setRootPath("findings.find { it.rule == 'node-reachability' }");
            assertEquals(message, finding.getString("message"), host(n) + " (" + tag + ")");
            assertEquals(status, finding.getString("status"), host(n) + " (" + tag + ")");
            assertEquals(notes, finding.getList("remediation.notes"), host(n) + " (" + tag + ")");
        }

        /**
         * Each round-2 run tried exactly the peers its plan from the portal named (the other nodes, on the ports of
         * their role) with the outcome given ("S>T:PORT", NP for the target's NodePort sample), else {@code usual}.
         */
        void expectOutcomes(Map<String, String> outcomes, String usual) {
            for (int source : measured) {
                Set<String> expected = new TreeSet<>();
                for (int target = 1; target <= 3; target++) {
                    if (target == source) {
                        continue;
                    }
                    List<String> ports = target == 1 ? List.of("6443", "10250") : List.of("10250", "NP");
                    for (String port : ports) {
                        String outcome = outcomes.getOrDefault(source + ">" + target + ":" + port, usual);
                        String number = port.equals("NP") ? String.valueOf(nodePort(target)) : port;
                        expected.add("tcp " + ADDRESS[target] + " " + number + " " + outcome);
                    }
                }
                assertEquals(expected, new TreeSet<>(section(source, "reachability").lines().toList()),
                        host(source) + " (" + tag + ") tried the peers its plan from the portal named");
            }
        }

        String section(int n, String name) {
            return section(n, name, "output");
        }

        /** A section of node n's latest stored report, as uploaded. */
        String section(int n, String name, String part) {
            long report = nodes().getLong("find { it.hostname == '" + host(n) + "' }.lastReportId");
            String base64 = given().auth().oauth2(Users.admin()).get("/api/v1/reports/" + report + "/raw").then()
                    .statusCode(200).extract().jsonPath().getString("sections.'" + name + "'." + part);
            return new String(Base64.getDecoder().decode(base64 == null ? "" : base64), StandardCharsets.UTF_8);
        }

        long outcomesOn(String hostname) throws SQLException {
            try (Connection connection = dataSource.getConnection();
                    PreparedStatement select = connection.prepareStatement(
                            "SELECT count(*) FROM reachability_outcome WHERE target_node_id = ?")) {
                select.setLong(1, nodeId(hostname));
                try (ResultSet row = select.executeQuery()) {
                    row.next();
                    return row.getLong(1);
                }
            }
        }
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[16];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }

    private static void putSection(ObjectNode tree, String name, String output) {
        byte[] bytes = output.getBytes(StandardCharsets.UTF_8);
        ObjectNode section = ((ObjectNode) tree.path("sections")).putObject(name);
        section.put("source", name).put("status", "ok").put("exitCode", 0).put("encoding", "base64")
                .put("output", Base64.getEncoder().encodeToString(bytes)).put("stderr", "").put("bytes", bytes.length)
                .put("truncated", false);
    }

    private static void inNs(String ns, String... command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        full.addAll(List.of(command));
        Processes.run(full).orFail(String.join(" ", full));
    }

    private static void run(String... command) {
        Processes.run(List.of(command)).orFail(String.join(" ", command));
    }
}
