package io.netready.rules.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.netready.facts.ReachabilityAttempt.Outcome;
import io.netready.rules.ClusterSettings;
import io.netready.rules.ClusterView.Attempt;
import io.netready.rules.Finding;
import io.netready.rules.InMemoryClusterView;
import io.netready.rules.NodeIdentity;
import io.netready.rules.Status;

/**
 * The rule's decisions over stored attempts (the samples in rule-samples/node-reachability show the same on real
 * reports captured in namespaces): attribution to the node's own firewall or the path, phases, one-way paths, limits.
 */
class NodeReachabilityRuleTest {

    private static final Instant AT = Instant.parse("2026-12-02T08:00:00Z");
    private final NodeReachabilityRule rule = new NodeReachabilityRule();

    private static NodeIdentity node(long id, String host, String ip, String net, String phase, List<String> firewall) {
        return new NodeIdentity(id, id, host, null, null, ip, 1500, List.of(), List.of(net), List.of(), List.of(), List.of(),
                phase, firewall);
    }

    private static Attempt attempt(NodeIdentity from, NodeIdentity to, int port, Outcome outcome) {
        return new Attempt(from.nodeId(), from.hostname(), from.nodeIp(), from.networks(), to.nodeId(), port, outcome, 1.0, AT);
    }

    private Finding judge(List<NodeIdentity> nodes, List<Attempt> attempts, NodeIdentity target) {
        return rule.evaluate(new InMemoryClusterView(nodes, attempts), ClusterSettings.NONE, Set.of(target.nodeId()))
                .get(target.nodeId());
    }

    private final NodeIdentity cp = node(1, "cp-1", "10.0.1.10", "10.0.1.0/24", "running",
            List.of("6443 open", "10250 open", "2379 open", "2380 open"));
    private final NodeIdentity w1 = node(2, "w-1", "10.0.2.11", "10.0.2.0/24", "running", List.of("10250 open", "31000 open"));
    private final NodeIdentity w2 = node(3, "w-2", "10.0.2.12", "10.0.2.0/24", "running", List.of("10250 open", "31000 open"));

    @Test
    void nobodyTriedIsASkip() {
        Finding finding = judge(List.of(cp, w1), List.of(), cp);
        assertEquals(Status.SKIP, finding.status());
        assertTrue(finding.message().startsWith("No peer has tried cp-1 yet"), finding.message());
    }

    @Test
    void everyPeerConnectedPasses() {
        Finding finding = judge(List.of(cp, w1, w2), List.of(attempt(w1, cp, 6443, Outcome.CONNECTED),
                attempt(w1, cp, 10250, Outcome.CONNECTED), attempt(w2, cp, 6443, Outcome.CONNECTED),
                attempt(w2, cp, 10250, Outcome.CONNECTED)), cp);
        assertEquals(Status.PASS, finding.status());
        assertEquals("Reached on 6443, 10250 by every peer that tried (2)", finding.message());
    }

    @Test
    void aTimeoutThroughAnOpenLocalFirewallIsBlockedBetweenTheSubnets() {
        Finding finding = judge(List.of(cp, w1, w2), List.of(attempt(w1, cp, 6443, Outcome.TIMEOUT),
                attempt(w2, cp, 6443, Outcome.TIMEOUT), attempt(w1, cp, 10250, Outcome.CONNECTED)), cp);
        assertEquals(Status.FAIL, finding.status());
        assertTrue(finding.message().contains("6443 (kube-apiserver) on cp-1: timed out from w-1 and w-2, though the node's "
                + "own firewall lets it in: something between 10.0.2.0/24 and 10.0.1.0/24 drops it"), finding.message());
        assertTrue(finding.remediation().notes().stream().anyMatch(n -> n.startsWith(
                "Between the nodes (not on cp-1): allow tcp 6443 from 10.0.2.0/24 to 10.0.1.0/24")), finding.remediation().notes().toString());
        assertEquals(null, finding.remediation().script(), "nothing for the target's fix script to run");
    }

    @Test
    void aPortTheTargetsOwnFirewallDropsIsItsOwn() {
        NodeIdentity dropping = node(1, "cp-1", "10.0.1.10", "10.0.1.0/24", "preflight",
                List.of("6443 open", "10250 blocked", "2379 open", "2380 open"));
        Finding finding = judge(List.of(dropping, w1), List.of(attempt(w1, dropping, 10250, Outcome.TIMEOUT),
                attempt(w1, dropping, 6443, Outcome.REFUSED)), dropping);
        assertEquals(Status.FAIL, finding.status());
        assertTrue(finding.message().contains("the node's own firewall drops it (firewall-ports)"), finding.message());
        assertFalse(finding.message().contains("6443"), "refused before kubeadm is a reached port: " + finding.message());
        assertTrue(finding.remediation().notes().get(0).startsWith("On cp-1: its own firewall drops tcp 10250."));
    }

    @Test
    void aRejectByTheOwnFirewallLooksRefusedButIsNotReached() {
        NodeIdentity rejecting = node(2, "w-1", "10.0.2.11", "10.0.2.0/24", "preflight", List.of("10250 blocked", "31000 open"));
        Finding finding = judge(List.of(cp, rejecting), List.of(attempt(cp, rejecting, 10250, Outcome.REFUSED)), rejecting);
        assertEquals(Status.FAIL, finding.status());
        assertTrue(finding.message().contains("10250 (kubelet API) on w-1: refused from cp-1: the node's own firewall drops it"),
                finding.message());
    }

    @Test
    void refusedIsFineInPreflightAndAWarningOnceRunning() {
        NodeIdentity preflight = node(1, "cp-1", "10.0.1.10", "10.0.1.0/24", "preflight", cp.ownFirewall());
        List<Attempt> refused = List.of(attempt(w1, preflight, 6443, Outcome.REFUSED));
        Finding before = judge(List.of(preflight, w1), refused, preflight);
        assertEquals(Status.PASS, before.status());
        assertTrue(before.message().endsWith("some refused: the path is open and nothing listens yet, as before kubeadm"));

        Finding running = judge(List.of(cp, w1), List.of(attempt(w1, cp, 6443, Outcome.REFUSED)), cp);
        assertEquals(Status.WARN, running.status());
        assertTrue(running.message().startsWith("Nothing accepts 6443 (kube-apiserver) on cp-1: refused from w-1."),
                running.message());
    }

    @Test
    void aRefusedNodePortSampleIsReachedEvenWhenRunning() {
        Finding finding = judge(List.of(w1, w2), List.of(attempt(w2, w1, 31000, Outcome.REFUSED),
                attempt(w2, w1, 10250, Outcome.CONNECTED)), w1);
        assertEquals(Status.PASS, finding.status());
    }

    @Test
    void aPathThatWorksTheOtherWayIsNamedOneWay() {
        Finding finding = judge(List.of(w1, w2), List.of(attempt(w2, w1, 10250, Outcome.TIMEOUT),
                attempt(w1, w2, 10250, Outcome.CONNECTED)), w1);
        assertEquals(Status.FAIL, finding.status());
        assertTrue(finding.message().contains("One way only: w-1 reaches w-2 on 10250, which cannot reach it back"), finding.message());
        Finding back = judge(List.of(w1, w2), List.of(attempt(w2, w1, 10250, Outcome.TIMEOUT),
                attempt(w1, w2, 10250, Outcome.CONNECTED)), w2);
        assertEquals(Status.PASS, back.status());
    }

    @Test
    void anUnjudgedFirewallSaysItCannotTell() {
        NodeIdentity unknown = node(1, "cp-1", "10.0.1.10", "10.0.1.0/24", "running", List.of());
        Finding finding = judge(List.of(unknown, w1), List.of(attempt(w1, unknown, 6443, Outcome.UNREACHABLE)), unknown);
        assertEquals(Status.FAIL, finding.status());
        assertTrue(finding.message().contains("unreachable (ICMP) from w-1; the node's own firewall could not be judged"),
                finding.message());
    }

    @Test
    void aSourcesOwnErrorIsNotCountedAgainstTheTarget() {
        Finding finding = judge(List.of(cp, w1, w2), List.of(attempt(w1, cp, 6443, Outcome.ERROR),
                attempt(w2, cp, 6443, Outcome.CONNECTED)), cp);
        assertEquals(Status.PASS, finding.status());
        assertTrue(finding.evidence().stream().anyMatch(e -> e.text().startsWith("w-1 could not try the port at all")));
    }

    @Test
    void manySourcesAreNamedAFewAtATime() {
        List<NodeIdentity> nodes = new ArrayList<>(List.of(cp));
        List<Attempt> attempts = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            NodeIdentity w = node(100 + i, String.format("w-%02d", i), "10.0.2." + (20 + i), "10.0.2.0/24", "running",
                    List.of("10250 open"));
            nodes.add(w);
            attempts.add(attempt(w, cp, 6443, Outcome.TIMEOUT));
        }
        Finding finding = judge(nodes, attempts, cp);
        assertTrue(finding.message().contains("timed out from w-00, w-01, w-02, w-03, w-04 and 25 more"), finding.message());
        assertTrue(finding.evidence().get(0).text().startsWith("30 attempt(s) by peers, each pair's latest: 6443: 30 timeout"),
                finding.evidence().get(0).text());
    }

    @Test
    void aPathIsOneWayOnlyWhereTheSamePortWorksBack() {
        // w-1 reaches cp-1's kubelet and cp-1 reaches w-1's: that says nothing of the API server, which w-1 cannot reach
        Finding finding = judge(List.of(cp, w1), List.of(attempt(w1, cp, 6443, Outcome.TIMEOUT),
                attempt(w1, cp, 10250, Outcome.CONNECTED), attempt(cp, w1, 10250, Outcome.CONNECTED)), cp);
        assertEquals(Status.FAIL, finding.status());
        assertFalse(finding.message().contains("One way only"), finding.message());
    }

    @Test
    void anOwnFirewallsDropIsNotCalledOneWay() {
        NodeIdentity dropping = node(2, "w-1", "10.0.2.11", "10.0.2.0/24", "running", List.of("10250 blocked", "31000 open"));
        Finding finding = judge(List.of(dropping, w2), List.of(attempt(w2, dropping, 10250, Outcome.TIMEOUT),
                attempt(dropping, w2, 10250, Outcome.CONNECTED)), dropping);
        assertTrue(finding.message().endsWith("the node's own firewall drops it (firewall-ports)"), finding.message());
    }

    @Test
    void aNodeNoPeerGotAnythingFromOnAnyPortMayBeDown() {
        Finding finding = judge(List.of(w1, w2, cp), List.of(attempt(cp, w1, 10250, Outcome.TIMEOUT),
                attempt(cp, w1, 31000, Outcome.TIMEOUT), attempt(w2, w1, 10250, Outcome.UNREACHABLE),
                attempt(w2, w1, 31000, Outcome.UNREACHABLE), attempt(w1, cp, 6443, Outcome.CONNECTED)), w1);
        assertEquals(Status.FAIL, finding.status());
        assertEquals("No peer reached w-1 on any port: 10250 and 31000 timed out from cp-1; unreachable (ICMP) from w-2. "
                + "It may be down or no longer at 10.0.2.11; if it runs there, its own firewall lets these ports in, so "
                + "something on the way from 10.0.1.0/24 and 10.0.2.0/24 to 10.0.2.0/24 drops everything to it (a security "
                + "group, network ACL or router firewall)", finding.message());
        assertTrue(finding.remediation().notes().get(0).contains("check that it is up and still has 10.0.2.11"),
                finding.remediation().notes().toString());
    }
}
