package io.netready.rules.cluster;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.netready.net.Cidr;
import io.netready.rules.CidrHint;
import io.netready.rules.ClusterRule;
import io.netready.rules.ClusterSettings;
import io.netready.rules.ClusterView;
import io.netready.rules.Evidence;
import io.netready.rules.Finding;
import io.netready.rules.NodeIdentity;
import io.netready.rules.RuleInfo;
import io.netready.rules.Rules;
import io.netready.rules.Severity;
import io.netready.rules.Snippet;
import io.netready.rules.Sources;

/** Pod and Service ranges must not overlap each other or any network the nodes sit on. */
public class CidrOverlapRule extends Rules implements ClusterRule {

    public CidrOverlapRule() {
        super(RuleInfo.cluster("cidr-overlap").title("Pod and Service CIDRs overlap no node network")
                .category("routing").severity(Severity.ERROR)
                .description("The pod CIDR, the Service CIDR and the networks of the nodes' own interfaces must be disjoint: an "
                        + "overlap makes the node route pod or Service traffic onto its LAN (or LAN traffic into pods).")
                .remediation("Pick a pod CIDR and a Service CIDR outside every node network (kubeadm init --pod-network-cidr, "
                        + "--service-cidr); they cannot be changed in place later.")
                .sources(Sources.NETWORK_MODEL, Sources.NOTES_ROUTING)
                .build());
    }

    /** The evidence source of a range the nodes' reports named. */
    private static final String INFERRED = "inferred";

    /** A range the node's networks must stay out of, and how to name it in a message. */
    private record Range(Cidr cidr, String label, String evidenceSource, String evidenceText) {
    }

    @Override
    public Map<Long, Finding> evaluate(ClusterView view, ClusterSettings cluster, Collection<Long> targets) {
        List<NodeIdentity> nodes = view.nodes();
        Map<Long, Finding> findings = new LinkedHashMap<>();
        for (NodeIdentity node : nodes) {
            if (targets.contains(node.nodeId())) {
                findings.put(node.nodeId(), evaluate(node, cluster));
            }
        }
        return findings;
    }

    private Finding evaluate(NodeIdentity node, ClusterSettings cluster) {
        List<Range> pods = podRanges(node, cluster);
        List<Range> services = serviceRanges(node, cluster);
        if (pods.isEmpty() && services.isEmpty()) {
            return skip("The cluster's pod and Service CIDRs are not set in netready, and no node's report names them "
                    + "(kube-controller-manager or kube-apiserver flags, flannel's network, a CNI subnet, the kubelet's clusterDNS)");
        }
        List<Evidence> evidence = new ArrayList<>();
        List<String> overlaps = new ArrayList<>();
        for (Range pod : pods) {
            for (Range service : services) {
                if (pod.cidr().overlaps(service.cidr())) {
                    overlaps.add(pod.label() + " overlaps " + service.label());
                }
            }
        }
        Optional<InetAddress> nodeIp = Cidr.parseAddress(node.nodeIp());
        for (String network : node.networks()) {
            Optional<Cidr> net = Cidr.parse(network);
            if (net.isEmpty()) {
                continue;
            }
            evidence.add(evidence("addresses", "node network " + network));
            for (Range range : concat(pods, services)) {
                if (!range.cidr().overlaps(net.get())) {
                    continue;
                }
                if (nodeIp.isPresent() && net.get().contains(nodeIp.get()) && range.cidr().contains(nodeIp.get())) {
                    overlaps.add("node address " + node.nodeIp() + " (network " + network + ") lies inside " + range.label());
                } else {
                    overlaps.add(range.label() + " overlaps node network " + network);
                }
            }
        }
        concat(pods, services).forEach(r -> evidence.add(evidence(r.evidenceSource(), r.evidenceText())));
        if (overlaps.isEmpty()) {
            return pass("No overlap between the cluster's CIDRs and this node's networks", evidence);
        }
        Snippet fix = new Snippet();
        if (concat(pods, services).stream().anyMatch(r -> r.evidenceSource().equals(INFERRED))) {
            fix.note("netready inferred these ranges from the nodes' reports (see the evidence): the cluster runs with "
                    + "them, so either renumber the node networks or rebuild the cluster's networking with other CIDRs; "
                    + "set them in netready's cluster settings where the inference is wrong.");
        }
        fix.note("Choose pod and Service CIDRs outside the node networks (for example 10.244.0.0/16 and "
                + "10.96.0.0/12 when the nodes are not in 10.0.0.0/8); set them in kubeadm's "
                + "ClusterConfiguration and in netready's cluster settings.");
        return fail(String.join("; ", overlaps), evidence, fix.build());
    }

    /**
     * The CIDR(s) the settings give (as written: {@code written} holds them comma-separated), or the nodes' reports
     * when {@code origin} names where the rules inferred them from.
     */
    private static List<Range> settingRanges(String what, String written, List<Cidr> networks, String origin) {
        List<Range> ranges = new ArrayList<>();
        for (int i = 0; i < networks.size(); i++) {
            String value = what + " " + written(written, i);
            ranges.add(origin == null ? new Range(networks.get(i), value, "cluster", value)
                    : new Range(networks.get(i), value + " (from " + origin + ")", INFERRED, value + " from " + origin));
        }
        return ranges;
    }

    /** The pod CIDR(s) of the settings or the nodes' reports, else this node's own pod subnets. */
    private static List<Range> podRanges(NodeIdentity node, ClusterSettings cluster) {
        List<Range> ranges = settingRanges("pod CIDR", cluster.podCidr(), cluster.podCidrs(), cluster.podOrigin());
        if (ranges.isEmpty()) {
            for (CidrHint hint : node.hints(CidrHint.Kind.NODE_POD_SUBNET)) {
                Cidr.parse(hint.value()).ifPresent(subnet -> ranges.add(new Range(subnet,
                        "pod subnet " + hint.value() + " (this node's, from " + hint.describe() + ")", INFERRED,
                        "pod subnet " + hint.value() + " from " + hint.describe() + " on " + node.hostname()
                                + ": this node's part of the pod CIDR, not the cluster's pod CIDR itself")));
            }
        }
        return ranges;
    }

    /** The Service CIDR(s) of the settings or the nodes' reports, else the Service IPs this node's kubelet names. */
    private static List<Range> serviceRanges(NodeIdentity node, ClusterSettings cluster) {
        List<Range> ranges = settingRanges("Service CIDR", cluster.serviceCidr(), cluster.serviceCidrs(),
                cluster.serviceOrigin());
        if (ranges.isEmpty()) {
            for (CidrHint hint : node.hints(CidrHint.Kind.SERVICE_IP)) {
                Cidr.parseAddress(hint.value()).flatMap(ip -> Cidr.containing(hint.value(), ip.getAddress().length * 8))
                        .ifPresent(ip -> ranges.add(new Range(ip, "Service IP " + hint.value() + " (" + hint.describe()
                                + ")", INFERRED, "Service IP " + hint.value() + " from " + hint.describe() + " on "
                                        + node.hostname() + ": an address in the Service CIDR, a hint only")));
            }
        }
        return ranges;
    }

    /** The i-th network of a setting as written (fd00:10:244::/56, not its long form). */
    private static String written(String setting, int i) {
        return setting.split(",")[i].strip();
    }

    private static List<Range> concat(List<Range> a, List<Range> b) {
        List<Range> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
