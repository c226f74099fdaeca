package io.netready.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.netready.facts.NodeFacts;
import io.netready.net.Cidr;
import io.netready.reportformat.ReportReader;
import io.netready.support.RuleSampleFile;

/**
 * Which IP families a cluster runs, decided on real probe reports (the rule samples) under different cluster settings:
 * the node's addresses never decide it, its cluster settings, kubelet and CNI configuration do.
 */
class IpFamiliesTest {

    private static final ReportReader READER = new ReportReader(64 * 1024 * 1024);
    private static final ClusterSettings IPV4 = new ClusterSettings("10.244.0.0/16", "10.96.0.0/12", RoutingMode.UNKNOWN);
    private static final ClusterSettings DUAL = new ClusterSettings("10.244.0.0/16,fd00:10:244::/56",
            "10.96.0.0/12,fd00:10:96::/112", RoutingMode.UNKNOWN);
    private static final ClusterSettings IPV6_ONLY = new ClusterSettings("fd00:10:244::/56", "fd00:10:96::/112",
            RoutingMode.UNKNOWN);

    private static NodeFacts sample(String path) {
        return NodeFacts.from(READER.parse(RuleSampleFile.reportJson(Path.of("src/test/resources/rule-samples", path))));
    }

    @Test
    void aUlaFromRouterAdvertisementsDoesNotMakeTheClusterIpv6() {
        NodeFacts ula = sample("ip-forward/pass-ula-ipv4-cluster.txt");
        for (ClusterSettings settings : List.of(IPV4, ClusterSettings.NONE)) {
            IpFamilies families = IpFamilies.of(settings, ula);
            assertTrue(families.ipv4());
            assertFalse(families.ipv6(), "a SLAAC ULA on eth0 with " + settings);
        }
        assertEquals(List.of(new Evidence("cluster settings", "no pod or Service CIDR, kubelet --node-ip, clusterDNS or CNI "
                + "subnet names an IP family: IPv4 only, the Kubernetes default")), IpFamilies.of(ClusterSettings.NONE, ula).evidence());
    }

    @Test
    void kubeadmsDualStackCidrsMakeItDualStackWithTheCidrsAsEvidence() {
        IpFamilies families = IpFamilies.of(DUAL, sample("ip-forward/pass-ula-ipv4-cluster.txt"));
        assertTrue(families.dualStack());
        assertEquals("dual-stack", families.describe());
        assertEquals(List.of(new Evidence("cluster settings", "pod CIDR fd00:10:244::/56"),
                new Evidence("cluster settings", "Service CIDR fd00:10:96::/112")), families.ipv6Evidence());
    }

    @Test
    void anIpv6OnlyClusterNeedsNoIpv4() {
        IpFamilies families = IpFamilies.of(IPV6_ONLY, sample("ip-forward/pass-ipv4-forwarding-on.txt"));
        assertTrue(families.ipv6());
        assertFalse(families.ipv4());
        assertEquals("IPv6", families.describe());
    }

    @Test
    void theKubeletsNodeIpSaysDualStackWithoutClusterSettings() {
        IpFamilies families = IpFamilies.of(ClusterSettings.NONE, sample("ip-forward/fail-ipv6-from-kubelet-node-ip.txt"));
        assertTrue(families.dualStack());
        assertEquals(List.of(new Evidence("kubelet-flags", "--node-ip=10.213.17.2,2001:db8:0:17::10")), families.ipv6Evidence());
    }

    @Test
    void theCniRangesAndClusterDnsSayDualStackWithoutClusterSettings() {
        IpFamilies families = IpFamilies.of(ClusterSettings.NONE,
                sample("default-route/fail-dual-stack-no-ipv6-default-route.txt"));
        assertTrue(families.dualStack());
        assertEquals(List.of(new Evidence("kubelet-config", "clusterDNS: fd00:10:96::a"),
                new Evidence("cni-config/10-bridge.conflist", "IPAM subnet fd00:10:244:3::/64")), families.ipv6Evidence());
        assertEquals(List.of(new Evidence("cni-config/10-bridge.conflist", "IPAM subnet 10.244.3.0/24")),
                families.ipv4Evidence());
    }

    @Test
    void clusterSettingsReadKubeadmsCommaForm() {
        assertEquals(List.of(Cidr.parse("10.244.0.0/16").get(), Cidr.parse("fd00:10:244::/56").get()), DUAL.podCidrs());
        assertEquals(Cidr.parse("10.244.0.0/16"), DUAL.pods(), "the IPv4 rules judge the IPv4 network of a pair");
        assertEquals(Cidr.parse("fd00:10:244::/56"), IPV6_ONLY.pods());
        assertEquals(List.of(), new ClusterSettings("10.244.0.0/16,nonsense", null, RoutingMode.UNKNOWN).podCidrs());
        assertEquals(List.of(), ClusterSettings.NONE.podCidrs());
    }
}
