package io.netready.rules;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The cluster's pod and Service CIDRs where its settings leave them empty, inferred from what its nodes report. The
 * admin's settings always win; then a control plane's kube-controller-manager or kube-apiserver flags; then flannel's
 * network. Per-node values (a node's host-local subnet, the kubelet's podCIDR) are parts of the pod CIDR, never the
 * pod CIDR itself: the rules fall back to them node by node. Among values of the same rank the one more nodes report
 * wins, then the lower; the answer does not depend on the order the nodes were read in.
 */
public final class InferredCidrs {

    private InferredCidrs() {
    }

    /** The settings with each empty CIDR filled in from the cluster-wide hints, and where it came from. */
    public static ClusterSettings effective(ClusterSettings configured, List<ClusterView.CidrHintCount> hints) {
        String pod = configured.podCidr();
        String podOrigin = null;
        if (configured.podCidrs().isEmpty()) {
            Optional<Choice> choice = choose(hints, CidrHint.Kind.POD);
            pod = choice.map(Choice::value).orElse(null);
            podOrigin = choice.map(Choice::origin).orElse(null);
        }
        String service = configured.serviceCidr();
        String serviceOrigin = null;
        if (configured.serviceCidrs().isEmpty()) {
            Optional<Choice> choice = choose(hints, CidrHint.Kind.SERVICE);
            service = choice.map(Choice::value).orElse(null);
            serviceOrigin = choice.map(Choice::origin).orElse(null);
        }
        if (podOrigin == null && serviceOrigin == null) {
            return configured;
        }
        return new ClusterSettings(pod, service, configured.routingMode(), podOrigin, serviceOrigin);
    }

    /** The cluster-wide hints of a set of nodes: per hint, how many nodes report it and the first hostname. */
    public static List<ClusterView.CidrHintCount> count(List<NodeIdentity> nodes) {
        Map<String, ClusterView.CidrHintCount> counts = new LinkedHashMap<>();
        for (NodeIdentity node : nodes) {
            node.cidrHints().stream().distinct().filter(InferredCidrs::isClusterWide).forEach(hint -> counts.merge(hint,
                    new ClusterView.CidrHintCount(hint, 1, node.hostname()), ClusterView.CidrHintCount::plus));
        }
        return List.copyOf(counts.values());
    }

    /** Whether a stored hint names a cluster CIDR (what the database counts per cluster). */
    public static boolean isClusterWide(String encoded) {
        return CidrHint.decode(encoded).filter(h -> h.kind().clusterWide()).isPresent();
    }

    private record Choice(String value, String origin) {
    }

    private record Candidate(CidrHint hint, ClusterView.CidrHintCount count) {

        String where() {
            return hint.describe() + " on " + count.hostname()
                    + (count.nodes() > 1 ? " and " + (count.nodes() - 1) + " more node" + (count.nodes() > 2 ? "s" : "") : "");
        }
    }

    private static Optional<Choice> choose(List<ClusterView.CidrHintCount> hints, CidrHint.Kind kind) {
        List<Candidate> candidates = new ArrayList<>();
        for (ClusterView.CidrHintCount count : hints) {
            CidrHint.decode(count.hint()).filter(h -> h.kind() == kind && count.nodes() > 0)
                    .ifPresent(h -> candidates.add(new Candidate(h, count)));
        }
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        candidates.sort(Comparator.<Candidate> comparingInt(c -> c.hint().origin().rank())
                .thenComparing(c -> -c.count().nodes())
                .thenComparing(c -> c.hint().value(), ClusterView.CidrHintCount.ORDER)
                .thenComparing(c -> c.hint().origin()));
        Candidate best = candidates.get(0);
        StringBuilder origin = new StringBuilder(best.where());
        List<String> seen = new ArrayList<>(List.of(best.hint().value()));
        for (Candidate other : candidates) {
            if (!seen.contains(other.hint().value())) {
                seen.add(other.hint().value());
                origin.append("; ").append(other.where()).append(" says ").append(other.hint().value());
            }
        }
        return Optional.of(new Choice(best.hint().value(), origin.toString()));
    }
}
