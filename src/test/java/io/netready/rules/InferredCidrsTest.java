package io.netready.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.netready.facts.NodeFacts;
import io.netready.reportformat.ReportReader;
import io.netready.rules.ClusterView.CidrHintCount;
import io.netready.rules.catalog.RuleCatalog;
import io.netready.rules.catalog.RuleEngine;
import io.netready.support.RuleSampleFile;

/**
 * Where the cluster settings leave the pod and Service CIDRs empty: what the nodes' real reports (the rule samples)
 * say, which source wins, and that the answer does not depend on the order the nodes come in.
 */
class InferredCidrsTest {

    private static final Path SAMPLES = Path.of("src/test/resources/rule-samples");
    private static final Path INFERRED = SAMPLES.resolve("cidr-overlap/fail-inferred-pod-cidr-contains-node-address");
    private static final ReportReader READER = new ReportReader(64 * 1024 * 1024);
    private static final RuleEngine ENGINE = new RuleEngine(new RuleCatalog());
    private static final ClusterSettings EMPTY = ClusterSettings.NONE;

    @Test
    void aControlPlanesFlagsNameBothCidrsAndSayWhere() throws IOException {
        List<NodeIdentity> nodes = nodes(INFERRED, "node-a", "node-b", "node-c");
        ClusterSettings effective = InferredCidrs.effective(EMPTY, InferredCidrs.count(nodes));
        assertEquals("10.244.0.0/16", effective.podCidr());
        assertEquals("kube-controller-manager --cluster-cidr on cidr-inf-cp-1", effective.podOrigin());
        assertEquals("10.96.0.0/12", effective.serviceCidr());
        // kube-controller-manager and kube-apiserver rank alike and agree: the controller manager is named
        assertEquals("kube-controller-manager --service-cluster-ip-range on cidr-inf-cp-1", effective.serviceOrigin());
    }

    @Test
    void controlPlaneFlagsOutrankFlannelsNetwork() throws IOException {
        List<NodeIdentity> nodes = nodes(INFERRED, "node-a", "node-b", "node-c");
        List<String> hints = nodes.get(0).cidrHints();
        assertEquals(List.of("pod kube-controller-manager 10.244.0.0/16", "service kube-controller-manager 10.96.0.0/12",
                "service kube-apiserver 10.96.0.0/12", "pod flannel-subnet-env 10.244.0.0/16",
                "pod-subnet flannel-subnet-env 10.244.0.0/24"), hints);
        // flannel alone (the workers): its network, on both of them
        ClusterSettings workers = InferredCidrs.effective(EMPTY, InferredCidrs.count(nodes.subList(1, 3)));
        assertEquals("10.244.0.0/16", workers.podCidr());
        assertEquals("flannel's FLANNEL_NETWORK in /run/flannel/subnet.env on cidr-inf-w-1 and 1 more node", workers.podOrigin());
        assertNull(workers.serviceCidr(), "flannel says nothing of Services");
        // where the two disagree the flag wins, and the evidence names the other
        List<CidrHintCount> disagreeing = List.of(new CidrHintCount("pod kube-controller-manager 10.244.0.0/16", 1, "cp-1"),
                new CidrHintCount("pod flannel-subnet-env 10.245.0.0/16", 40, "w-1"));
        ClusterSettings effective = InferredCidrs.effective(EMPTY, disagreeing);
        assertEquals("10.244.0.0/16", effective.podCidr());
        assertEquals("kube-controller-manager --cluster-cidr on cp-1; flannel's FLANNEL_NETWORK in /run/flannel/subnet.env "
                + "on w-1 and 39 more nodes says 10.245.0.0/16", effective.podOrigin());
    }

    @Test
    void theAdminsSettingsAlwaysWin() throws IOException {
        List<NodeIdentity> nodes = nodes(INFERRED, "node-a", "node-b", "node-c");
        ClusterSettings configured = new ClusterSettings("10.200.0.0/16", null, RoutingMode.ROUTED);
        ClusterSettings effective = InferredCidrs.effective(configured, InferredCidrs.count(nodes));
        assertEquals("10.200.0.0/16", effective.podCidr());
        assertNull(effective.podOrigin());
        assertEquals("cluster settings", effective.podSource());
        assertEquals("10.96.0.0/12", effective.serviceCidr(), "only the empty one is inferred");
        assertEquals(RoutingMode.ROUTED, effective.routingMode());
        ClusterSettings both = new ClusterSettings("10.200.0.0/16", "10.201.0.0/16", RoutingMode.UNKNOWN);
        assertSame(both, InferredCidrs.effective(both, InferredCidrs.count(nodes)));
    }

    @Test
    void theOrderOfTheNodesChangesNothing() throws IOException {
        List<NodeIdentity> nodes = new ArrayList<>(nodes(INFERRED, "node-a", "node-b", "node-c"));
        ClusterSettings first = InferredCidrs.effective(EMPTY, InferredCidrs.count(nodes));
        Collections.reverse(nodes);
        assertEquals(first, InferredCidrs.effective(EMPTY, InferredCidrs.count(nodes)));
        List<CidrHintCount> counts = new ArrayList<>(InferredCidrs.count(nodes));
        Collections.reverse(counts);
        assertEquals(first, InferredCidrs.effective(EMPTY, counts));
    }

    @Test
    void theFindingsSayWhereTheCidrCameFrom() throws IOException {
        List<NodeIdentity> nodes = nodes(INFERRED, "node-a", "node-b", "node-c");
        Finding worker = ENGINE.evaluateCluster(nodes, EMPTY, Set.of(2L)).get(2L).stream()
                .filter(f -> f.rule().equals("cidr-overlap")).findFirst().orElseThrow();
        assertEquals(Status.FAIL, worker.status());
        assertTrue(worker.evidence().contains(new Evidence("inferred",
                "pod CIDR 10.244.0.0/16 from kube-controller-manager --cluster-cidr on cidr-inf-cp-1")), worker.evidence().toString());
        assertTrue(worker.evidence().contains(new Evidence("addresses", "node network 10.244.91.0/24")));
    }

    @Test
    void withoutAnyClusterWideSourceTheNodesOwnPodSubnetIsJudged() throws IOException {
        // the bridge CNI with a host-local subnet, no control plane, no flannel: that subnet is all the node says
        NodeIdentity node = identity(SAMPLES.resolve("cni-config/pass-bridge-host-local.txt"), 1);
        assertEquals(List.of("pod-subnet cni-ipam 10.244.1.0/24"), node.cidrHints());
        ClusterSettings effective = InferredCidrs.effective(EMPTY, InferredCidrs.count(List.of(node)));
        assertTrue(effective.pods().isEmpty(), "a node's subnet is not the cluster's pod CIDR");
        Finding finding = ENGINE.evaluateCluster(List.of(node), EMPTY, Set.of(1L)).get(1L).stream()
                .filter(f -> f.rule().equals("cidr-overlap")).findFirst().orElseThrow();
        assertEquals(Status.PASS, finding.status(), finding.message());
        assertTrue(finding.evidence().stream().anyMatch(e -> e.text().equals("pod subnet 10.244.1.0/24 from the CNI "
                + "configuration's IPAM subnet (host-local) on " + node.hostname()
                + ": this node's part of the pod CIDR, not the cluster's pod CIDR itself")), finding.evidence().toString());
    }

    @Test
    void aDualStackOverlapIsJudgedPerFamilyAndQuotedAsWritten() throws IOException {
        NodeIdentity node = identity(INFERRED.resolve("node-b.txt"), 1);
        ClusterSettings dual = new ClusterSettings("10.250.0.0/16,fd00:10:244::/56", "10.244.0.0/16,fd00:10:96::/112",
                RoutingMode.UNKNOWN);
        Finding finding = ENGINE.evaluateCluster(List.of(node), dual, Set.of(1L)).get(1L).stream()
                .filter(f -> f.rule().equals("cidr-overlap")).findFirst().orElseThrow();
        assertEquals("node address 10.244.91.12 (network 10.244.91.0/24) lies inside Service CIDR 10.244.0.0/16",
                finding.message());
        assertTrue(finding.evidence().contains(new Evidence("cluster", "pod CIDR fd00:10:244::/56")), finding.evidence().toString());
    }

    @Test
    void storedHintsReadBackAndUnknownOnesAreLeftOut() {
        CidrHint hint = new CidrHint(CidrHint.Kind.POD, CidrHint.Origin.KUBE_CONTROLLER_MANAGER, "10.244.0.0/16,fd00:10:244::/56");
        assertEquals("pod kube-controller-manager 10.244.0.0/16,fd00:10:244::/56", hint.encode());
        assertEquals(hint, CidrHint.decode(hint.encode()).orElseThrow());
        assertTrue(CidrHint.decode("pod calico-ippool 10.244.0.0/16").isEmpty());
        assertTrue(InferredCidrs.isClusterWide("service kube-apiserver 10.96.0.0/12"));
        assertTrue(!InferredCidrs.isClusterWide("pod-subnet kubelet 10.244.1.0/24"));
        ClusterSettings dual = InferredCidrs.effective(EMPTY, List.of(new CidrHintCount(hint.encode(), 1, "cp-1")));
        assertEquals(2, dual.podCidrs().size());
    }

    @Test
    void theFirstHostnameIsTheLowestInCodePointOrderAsPostgresqlCOrdersIt() {
        CidrHintCount a = new CidrHintCount("pod kube-controller-manager 10.244.0.0/16", 1, "cp-b");
        CidrHintCount b = new CidrHintCount("pod kube-controller-manager 10.244.0.0/16", 1, "CP-a");
        assertEquals("CP-a", a.plus(b).hostname(), "upper case sorts before lower case in C order");
        assertEquals("CP-a", b.plus(a).hostname());
        assertEquals(2, a.plus(b).nodes());
        // U+FF21 (3 bytes in UTF-8) before U+1F600 (4 bytes; a surrogate pair in Java, which sorts lower by char)
        assertTrue(CidrHintCount.ORDER.compare("\uFF21", "\uD83D\uDE00") < 0);
    }

    private static List<NodeIdentity> nodes(Path dir, String... names) throws IOException {
        List<NodeIdentity> nodes = new ArrayList<>();
        long id = 1;
        for (String name : names) {
            nodes.add(identity(dir.resolve(name + ".txt"), id++));
        }
        return nodes;
    }

    private static NodeIdentity identity(Path sample, long id) throws IOException {
        NodeFacts facts = NodeFacts.from(READER.parse(RuleSampleFile.read(sample).reportJson()));
        return NodeIdentity.of(id, id, facts, ClusterSettings.NONE);
    }
}
