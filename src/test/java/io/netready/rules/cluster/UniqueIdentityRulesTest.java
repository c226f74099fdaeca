package io.netready.rules.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.netready.rules.ClusterRule;
import io.netready.rules.ClusterSettings;
import io.netready.rules.Finding;
import io.netready.rules.IdentitySince;
import io.netready.rules.InMemoryClusterView;
import io.netready.rules.NodeIdentity;
import io.netready.rules.Snippet;
import io.netready.rules.Status;

/**
 * The unique-* rules when two nodes share a value: the one that reported it first keeps it and passes; the later one
 * fails, told who reported the value first and when, and only it gets the fix, whose identity change is marked so the
 * fix script never runs it by default. Counts read "1 other node" and "2 other nodes".
 */
class UniqueIdentityRulesTest {

    private static final Instant REAL = Instant.parse("2026-11-30T09:15:02.123Z");
    private static final Instant FORGED = Instant.parse("2026-12-02T18:40:11Z");
    private static final String MACHINE_ID = "cb3088d93019f29037596693b894437b";

    private static NodeIdentity node(long id, String host, String machineId, String ip, String mac, Instant since) {
        return new NodeIdentity(id, id, host, machineId, null, ip, 1500, List.of("eth0 " + mac), List.of("10.0.0.0/24"),
                List.of(), List.of(), List.of(), "preflight", List.of(),
                new IdentitySince(since, since, since, since, List.of(since)));
    }

    private static Map<Long, Finding> judge(ClusterRule rule, List<NodeIdentity> nodes) {
        return rule.evaluate(new InMemoryClusterView(nodes), ClusterSettings.NONE,
                Set.copyOf(nodes.stream().map(NodeIdentity::nodeId).toList()));
    }

    /** The real node has the higher id (a forger cannot count on being second by id): time decides. */
    private final NodeIdentity real = node(9, "worker-1", MACHINE_ID, "10.0.0.11", "02:00:00:aa:bb:cc", REAL);
    private final NodeIdentity forged = node(4, "intruder", MACHINE_ID, "10.0.0.11", "02:00:00:aa:bb:cc", FORGED);

    @Test
    void theNodeThatReportedTheMachineIdFirstKeepsItAndTheLaterOneIsToldWhoAndWhen() {
        Map<Long, Finding> findings = judge(new UniqueMachineIdRule(), List.of(forged, real));

        Finding kept = findings.get(real.nodeId());
        assertEquals(Status.PASS, kept.status(), kept.message());
        assertEquals("This node reported machine-id " + MACHINE_ID + " first at 2026-11-30T09:15:02Z; 1 other node "
                + "reported it later and is flagged there", kept.message());
        assertNull(kept.remediation().script(), "the node that keeps it gets no fix");

        Finding later = findings.get(forged.nodeId());
        assertEquals(Status.FAIL, later.status());
        assertEquals("machine-id " + MACHINE_ID + " was reported first by worker-1 (node 9) at 2026-11-30T09:15:02Z; this "
                + "node has reported it since 2026-12-02T18:40:11Z", later.message());
        String script = later.remediation().script();
        assertTrue(script.contains(Snippet.IDENTITY_CHANGE + "rm -f /etc/machine-id /var/lib/dbus/machine-id\n"), script);
        assertFalse(script.lines().anyMatch(l -> l.startsWith("rm ") || l.startsWith("systemd-machine-id-setup")),
                "no identity command outside the marker: " + script);
        assertTrue(script.contains(Snippet.BREAKS) && script.contains("DHCP") && script.contains("kubelet"), script);
    }

    @Test
    void theNodeIpAndTheMacStayWithTheNodeThatReportedThemFirst() {
        Map<Long, Finding> ip = judge(new UniqueNodeIpRule(), List.of(forged, real));
        assertEquals(Status.PASS, ip.get(real.nodeId()).status());
        assertTrue(ip.get(forged.nodeId()).message().startsWith("node IP 10.0.0.11 was reported first by worker-1 (node 9) "
                + "at 2026-11-30T09:15:02Z"), ip.get(forged.nodeId()).message());

        Map<Long, Finding> mac = judge(new UniqueMacRule(), List.of(forged, real));
        assertEquals(Status.PASS, mac.get(real.nodeId()).status(), mac.get(real.nodeId()).message());
        assertEquals("This node reported its MACs first; 1 other node reported one later and is flagged there",
                mac.get(real.nodeId()).message());
        Finding later = mac.get(forged.nodeId());
        assertEquals(Status.FAIL, later.status());
        assertEquals("MAC 02:00:00:aa:bb:cc of eth0 was reported first by worker-1 (node 9) at 2026-11-30T09:15:02Z; this "
                + "node has reported it since 2026-12-02T18:40:11Z", later.message());
        assertTrue(later.remediation().script().contains(Snippet.IDENTITY_CHANGE + "ip link set dev eth0 address"),
                later.remediation().script());
    }

    @Test
    void countsAreSingularOrPluralAndEqualTimesFallBackToTheOlderNode() {
        NodeIdentity a = node(1, "node-a", MACHINE_ID, "10.0.0.1", "02:00:00:00:00:01", REAL);
        NodeIdentity b = node(2, "node-b", MACHINE_ID, "10.0.0.2", "02:00:00:00:00:02", REAL);
        NodeIdentity c = node(3, "node-c", MACHINE_ID, "10.0.0.3", "02:00:00:00:00:03", FORGED);
        Map<Long, Finding> findings = judge(new UniqueMachineIdRule(), List.of(c, b, a));
        assertEquals("This node reported machine-id " + MACHINE_ID + " first at 2026-11-30T09:15:02Z; 2 other nodes "
                + "reported it later and are flagged there", findings.get(1L).message());
        assertEquals("machine-id " + MACHINE_ID + " was reported first by node-a (node 1) at 2026-11-30T09:15:02Z; this "
                + "node has reported it since 2026-11-30T09:15:02Z; 1 other node has it too", findings.get(2L).message());
        assertEquals(Status.FAIL, findings.get(3L).status());
        assertTrue(findings.get(3L).message().endsWith("; 1 other node has it too"), findings.get(3L).message());
        assertTrue(findings.get(3L).evidence().stream()
                .anyMatch(e -> e.text().equals("node-a has machine-id " + MACHINE_ID + " since 2026-11-30T09:15:02Z "
                        + "(reported it first)")), findings.get(3L).evidence().toString());

        NodeIdentity d = node(4, "node-d", "another", "10.0.0.4", "02:00:00:00:00:04", FORGED);
        assertEquals("No other node has machine-id another", judge(new UniqueMachineIdRule(), List.of(a, d)).get(4L).message());
    }

    @Test
    void aValueTheNodeKeepsKeepsItsTimeAndANewOneStartsAtTheUpload() {
        NodeIdentity before = node(9, "worker-1", MACHINE_ID, "10.0.0.11", "02:00:00:aa:bb:cc", REAL);
        NodeIdentity now = new NodeIdentity(9, 10, "WORKER-1", MACHINE_ID, null, "10.0.0.12", 1500,
                List.of("eth0 02:00:00:aa:bb:cc", "eth1 02:00:00:aa:bb:dd"), List.of(), List.of(), List.of(), List.of(),
                "preflight", List.of());
        IdentitySince since = IdentitySince.carried(before, now, FORGED);
        assertEquals(REAL, since.hostname(), "the same name in other case is the same value");
        assertEquals(REAL, since.machineId());
        assertEquals(FORGED, since.nodeIp(), "a new address starts anew");
        assertEquals(List.of(REAL, FORGED), since.macs());
        assertEquals(FORGED, IdentitySince.carried(null, now, FORGED).machineId(), "a new node starts at its upload");
    }

    /**
     * The cluster page asks only for statuses ({@link ClusterRule#statuses}); the identity rules answer that without
     * messages, and must give the status of {@link ClusterRule#evaluate} for every node: random clusters of up to 12
     * nodes with values drawn from a few (so many are shared, some missing or differing in case) and times that tie.
     */
    @Test
    void statusesAloneAreTheStatusesOfTheFindings() {
        java.util.Random random = new java.util.Random(20261203);
        String[] hosts = { "node-a", "NODE-A", "node-b", null, "" };
        String[] ids = { MACHINE_ID, MACHINE_ID.toUpperCase(), "0f1e2d3c4b5a69788796a5b4c3d2e1f0", null };
        String[] ips = { "10.0.0.11", "10.0.0.12", null };
        Instant[] times = { REAL, FORGED, null };
        List<ClusterRule> rules = List.of(new UniqueHostnameRule(), new UniqueMachineIdRule(), new UniqueProductUuidRule(),
                new UniqueNodeIpRule(), new UniqueMacRule());
        for (int round = 0; round < 500; round++) {
            List<NodeIdentity> nodes = new java.util.ArrayList<>();
            int size = 1 + random.nextInt(12);
            for (int i = 0; i < size; i++) {
                Instant since = times[random.nextInt(times.length)];
                String id = ids[random.nextInt(ids.length)];
                nodes.add(new NodeIdentity(i + 1, i + 1, hosts[random.nextInt(hosts.length)], id, id,
                        ips[random.nextInt(ips.length)], 1500, List.of("eth0 02:00:00:00:00:0" + random.nextInt(3)),
                        List.of("10.0.0.0/24"), List.of(), List.of(), List.of(), "preflight", List.of(),
                        new IdentitySince(since, since, since, since, java.util.Collections.singletonList(since))));
            }
            Set<Long> targets = Set.copyOf(nodes.stream().map(NodeIdentity::nodeId).filter(n -> random.nextInt(4) > 0)
                    .toList());
            for (ClusterRule rule : rules) {
                Map<Long, Status> expected = new java.util.HashMap<>();
                rule.evaluate(new InMemoryClusterView(nodes), ClusterSettings.NONE, targets)
                        .forEach((node, finding) -> expected.put(node, finding.status()));
                assertEquals(expected, rule.statuses(new InMemoryClusterView(nodes), ClusterSettings.NONE, targets),
                        rule.info().id() + " in round " + round + ": " + nodes);
            }
        }
    }
}
