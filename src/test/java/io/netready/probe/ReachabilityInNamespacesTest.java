package io.netready.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.netready.support.Probe;
import io.netready.support.Processes;

/**
 * The probe's reachability step on real namespace nodes: a source in one subnet, a router namespace with the
 * "security group" (iptables FORWARD) in the middle, two targets on a bridge in the other subnet; listeners on some
 * ports, nothing on others, an address nobody answers. Every plan the test writes points only at addresses of the
 * namespaces it made.
 */
class ReachabilityInNamespacesTest {

    private static final int NET = (int) (ProcessHandle.current().pid() % 60) * 2 + 100;
    private static final String SOURCE_NET = "10.241." + NET;
    private static final String TARGET_NET = "10.241." + (NET + 1);
    private static final String SOURCE = SOURCE_NET + ".2";
    private static final String TARGET_1 = TARGET_NET + ".2";
    private static final String TARGET_2 = TARGET_NET + ".3";
    /** In the targets' subnet, on no namespace: a peer that is down. */
    private static final String SILENT = TARGET_NET + ".9";
    private static final String ROUTER_NS = "nre-r-" + NET;
    private static final String SOURCE_NS = "nre-s-" + NET;
    private static final String TARGET_1_NS = "nre-t1-" + NET;
    private static final String TARGET_2_NS = "nre-t2-" + NET;

    @BeforeAll
    static void network() {
        assertEquals("0", Processes.run(List.of("id", "-u")).stdout().strip(), "namespaces need root");
        teardown();
        for (String ns : List.of(ROUTER_NS, SOURCE_NS, TARGET_1_NS, TARGET_2_NS)) {
            run("ip", "netns", "add", ns);
            in(ns, "ip", "link", "set", "lo", "up");
        }
        run("ip", "link", "add", "eth0", "netns", SOURCE_NS, "type", "veth", "peer", "name", "to-src", "netns", ROUTER_NS);
        in(SOURCE_NS, "ip", "addr", "add", SOURCE + "/24", "dev", "eth0");
        in(SOURCE_NS, "ip", "link", "set", "eth0", "up");
        in(SOURCE_NS, "ip", "route", "add", "default", "via", SOURCE_NET + ".1");
        in(ROUTER_NS, "ip", "addr", "add", SOURCE_NET + ".1/24", "dev", "to-src");
        in(ROUTER_NS, "ip", "link", "set", "to-src", "up");
        in(ROUTER_NS, "ip", "link", "add", "br0", "type", "bridge");
        in(ROUTER_NS, "ip", "addr", "add", TARGET_NET + ".1/24", "dev", "br0");
        in(ROUTER_NS, "ip", "link", "set", "br0", "up");
        int port = 1;
        for (String[] target : List.of(new String[] { TARGET_1_NS, TARGET_1 }, new String[] { TARGET_2_NS, TARGET_2 })) {
            String veth = "to-t" + port++;
            run("ip", "link", "add", "eth0", "netns", target[0], "type", "veth", "peer", "name", veth, "netns", ROUTER_NS);
            in(ROUTER_NS, "ip", "link", "set", veth, "master", "br0");
            in(ROUTER_NS, "ip", "link", "set", veth, "up");
            in(target[0], "ip", "addr", "add", target[1] + "/24", "dev", "eth0");
            in(target[0], "ip", "link", "set", "eth0", "up");
            in(target[0], "ip", "route", "add", "default", "via", TARGET_NET + ".1");
        }
        in(ROUTER_NS, "sysctl", "-qw", "net.ipv4.ip_forward=1");
        // The security group between the subnets; the targets' own firewalls stay empty.
        in(ROUTER_NS, "iptables", "-A", "FORWARD", "-d", TARGET_1, "-p", "tcp", "--dport", "10250", "-j", "DROP");
        in(ROUTER_NS, "iptables", "-A", "FORWARD", "-d", TARGET_2, "-p", "tcp", "--dport", "2380", "-j", "REJECT",
                "--reject-with", "icmp-admin-prohibited");
        // Listeners: 6443 and 10250 on target 1 (10250 behind the drop), 6443 and 2380 on target 2; 2379 nowhere.
        listen(TARGET_1_NS, TARGET_1, 6443);
        listen(TARGET_1_NS, TARGET_1, 10250);
        listen(TARGET_2_NS, TARGET_2, 6443);
        listen(TARGET_2_NS, TARGET_2, 2380);
    }

    @AfterAll
    static void teardown() {
        for (String ns : List.of(TARGET_1_NS, TARGET_2_NS, SOURCE_NS, ROUTER_NS)) {
            // only the listeners this test started in its own namespaces
            for (String pid : Processes.run(List.of("ip", "netns", "pids", ns)).stdout().split("\\s+")) {
                if (!pid.isBlank()) {
                    Processes.run(List.of("kill", pid.strip()));
                }
            }
            Processes.run(List.of("ip", "netns", "del", ns));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "dash", "busybox sh", "bash" })
    void eachOutcomeIsToldApart(String shell) throws IOException {
        List<String[]> targets = List.of(new String[] { TARGET_1, "6443" }, new String[] { TARGET_1, "10250" },
                new String[] { TARGET_1, "2379" }, new String[] { TARGET_2, "6443" }, new String[] { TARGET_2, "2380" },
                new String[] { SILENT, "10250" });
        long started = System.nanoTime();
        JsonNode report = probe(shell, plan(targets, 1000));
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertEquals(String.join("\n",
                "tcp " + TARGET_1 + " 10250 timeout",
                "tcp " + TARGET_1 + " 2379 refused",
                "tcp " + TARGET_1 + " 6443 connected",
                "tcp " + TARGET_2 + " 2380 unreachable",
                "tcp " + TARGET_2 + " 6443 connected",
                // a peer that is down: silence, or the router's "host unreachable" once its ARP for it failed
                "tcp " + SILENT + " 10250 " + silentOutcome(report)) + "\n", text(report, "reachability"));
        Map<String, Double> times = times(report);
        assertTrue(times.get(TARGET_1 + " 10250") >= 0.9 && times.get(TARGET_1 + " 10250") < 1.5, times.toString());
        assertTrue(times.get(TARGET_1 + " 6443") < 0.5, times.toString());
        assertTrue(millis < 10_000, "the whole probe run took " + millis + " ms");
    }

    @Test
    void unchangedOutcomesAreTheSameBytesAndOnlyTheTimesDiffer() throws IOException {
        Path plan = plan(List.of(new String[] { TARGET_1, "6443" }, new String[] { TARGET_1, "2379" }), 1000);
        JsonNode first = probe("dash", plan);
        JsonNode second = probe("dash", plan);
        assertEquals(first.path("sections").path("reachability"), second.path("sections").path("reachability"));
        assertEquals(text(first, "reachability").lines().count(), text(first, "reachability-times").lines().count());
    }

    @Test
    void sixtyFourTargetsWithSilentOnesStayUnderFiveSeconds() throws IOException {
        List<String[]> targets = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            // half dropped or silent: each of those waits its whole second
            String address = switch (i % 4) {
                case 0 -> SILENT;
                case 1 -> TARGET_1;
                default -> TARGET_2;
            };
            String port = i % 4 == 1 ? "10250" : Integer.toString(30000 + i);
            targets.add(new String[] { address, port });
        }
        long baselineStart = System.nanoTime();
        Processes.Result none = Probe.run(List.of("ip", "netns", "exec", SOURCE_NS), "dash", "--output", "-", "--quiet");
        long baseline = (System.nanoTime() - baselineStart) / 1_000_000;
        assertFalse(none.stdout().contains("\"reachability\""), "no plan, no section");
        long started = System.nanoTime();
        JsonNode report = probe("dash", plan(targets, 5000));
        long millis = (System.nanoTime() - started) / 1_000_000;
        String outcomes = text(report, "reachability");
        assertEquals(64, outcomes.lines().count());
        assertEquals(16, outcomes.lines().filter(l -> l.contains(" " + TARGET_1 + " ") && l.endsWith(" timeout")).count());
        assertEquals(16, outcomes.lines().filter(l -> l.contains(" " + SILENT + " ")
                && (l.endsWith(" timeout") || l.endsWith(" unreachable"))).count(), outcomes);
        assertEquals(32, outcomes.lines().filter(l -> l.endsWith(" refused")).count(), outcomes);
        long step = millis - baseline;
        System.out.printf("reachability: 64 targets, 32 silent or dropped: probe %d ms, without a plan %d ms, step %d ms%n",
                millis, baseline, step);
        assertTrue(step < 5000, "64 connects took " + step + " ms more than a run without a plan");
    }

    @Test
    void aPlanOfAnythingElseIsSkippedWithAWarning() throws IOException {
        Path plan = Files.createTempFile("nre-plan", ".json");
        Files.writeString(plan, "{\"format\":\"netready.plan/v1\",\"connectTimeoutMs\":1000,\"targets\":["
                + "{\"node\":\"a\",\"address\":\"evil.example\",\"ports\":[{\"port\":80,\"protocol\":\"tcp\"}]},"
                + "{\"node\":\"b\",\"address\":\"" + TARGET_1 + "; rm -rf /\",\"ports\":[{\"port\":80,\"protocol\":\"tcp\"}]},"
                + "{\"address\":\"" + TARGET_2 + "\",\"ports\":[{\"protocol\":\"tcp\",\"port\":0},"
                + "{\"port\":65536,\"protocol\":\"tcp\"},{\"port\":8472,\"protocol\":\"udp\"},"
                + "{\"why\":\"key order, {braces}\",\"protocol\":\"tcp\",\"port\":6443}]},"
                + "{\"ports\":[{\"port\":10250,\"protocol\":\"tcp\"}],\"address\":\"" + TARGET_1 + "\"}],"
                + "\"untested\":[{\"port\":8472,\"protocol\":\"udp\",\"why\":\"UDP\"}]}");
        JsonNode report = probe("busybox sh", plan);
        assertEquals("tcp " + TARGET_2 + " 6443 connected\n", text(report, "reachability"));
        String warnings = stderr(report, "reachability");
        for (String skipped : List.of("'evil.example'", "rm -rf", "'0'", "'65536'", "protocol 'udp'", "no address")) {
            assertTrue(warnings.contains(skipped), skipped + " in " + warnings);
        }
    }

    private static String silentOutcome(JsonNode report) {
        String outcome = text(report, "reachability").lines().filter(l -> l.contains(" " + SILENT + " ")).findFirst()
                .orElseThrow().split(" ")[3];
        assertTrue(outcome.equals("timeout") || outcome.equals("unreachable"), outcome);
        return outcome;
    }

    private static JsonNode probe(String shell, Path plan) throws IOException {
        Processes.Result run = Probe.run(List.of("ip", "netns", "exec", SOURCE_NS), shell, "--output", "-", "--quiet",
                "--plan", plan.toString());
        assertEquals(0, run.exitCode(), run.stderr());
        return Probe.JSON.readTree(run.stdout());
    }

    /** A plan file of TCP targets, as the portal writes them. */
    private static Path plan(List<String[]> targets, int connectTimeoutMs) throws IOException {
        StringBuilder json = new StringBuilder("{\"format\":\"netready.plan/v1\",\"cluster\":\"nre\",\"node\":\"src\","
                + "\"generatedAt\":\"2026-12-02T00:00:00Z\",\"maxConnects\":64,\"connectTimeoutMs\":" + connectTimeoutMs
                + ",\"targets\":[");
        for (int i = 0; i < targets.size(); i++) {
            json.append(i == 0 ? "" : ",").append("{\"node\":\"n").append(i).append("\",\"address\":\"")
                    .append(targets.get(i)[0]).append("\",\"role\":\"worker\",\"ports\":[{\"port\":")
                    .append(targets.get(i)[1]).append(",\"protocol\":\"tcp\",\"why\":\"test, port ").append(i).append("\"}]}");
        }
        json.append("],\"untested\":[{\"port\":8472,\"protocol\":\"udp\",\"why\":\"VXLAN\"}]}");
        Path file = Files.createTempFile("nre-plan", ".json");
        Files.writeString(file, json);
        return file;
    }

    private static String text(JsonNode report, String section) {
        return decode(report.path("sections").path(section).path("output").asText());
    }

    private static String stderr(JsonNode report, String section) {
        return decode(report.path("sections").path(section).path("stderr").asText());
    }

    private static String decode(String base64) {
        return new String(java.util.Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }

    /** "ADDR PORT" to the seconds of reachability-times. */
    private static Map<String, Double> times(JsonNode report) {
        Map<String, Double> times = new TreeMap<>();
        for (String line : text(report, "reachability-times").split("\n")) {
            String[] fields = line.split(" ");
            times.put(fields[1] + " " + fields[2], Double.parseDouble(fields[4]));
        }
        return times;
    }

    private static void listen(String ns, String address, int port) {
        Processes.sh("ip netns exec " + ns + " socat TCP-LISTEN:" + port + ",bind=" + address
                + ",reuseaddr,fork /dev/null >/dev/null 2>&1 &");
        for (int i = 0; i < 50 && !Processes.run(List.of("ip", "netns", "exec", ns, "ss", "-Htln", "sport = :" + port))
                .stdout().contains(":" + port); i++) {
            Processes.sh("sleep 0.05");
        }
    }

    private static void in(String ns, String... command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        full.addAll(List.of(command));
        Processes.run(full).orFail(String.join(" ", full));
    }

    private static void run(String... command) {
        Processes.run(List.of(command)).orFail(String.join(" ", command));
    }
}
