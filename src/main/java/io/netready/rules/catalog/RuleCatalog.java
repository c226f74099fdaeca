package io.netready.rules.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.netready.rules.ClusterRule;
import io.netready.rules.NodeRule;
import io.netready.rules.RuleInfo;
import io.netready.rules.cluster.CidrOverlapRule;
import io.netready.rules.cluster.MtuConsistentRule;
import io.netready.rules.cluster.NodeReachabilityRule;
import io.netready.rules.cluster.PodCidrRoutesRule;
import io.netready.rules.cluster.UniqueHostnameRule;
import io.netready.rules.cluster.UniqueMacRule;
import io.netready.rules.cluster.UniqueMachineIdRule;
import io.netready.rules.cluster.UniqueNodeIpRule;
import io.netready.rules.cluster.UniqueProductUuidRule;
import io.netready.rules.node.BridgeNetfilterRule;
import io.netready.rules.node.ClockSyncRule;
import io.netready.rules.node.CniConfigRule;
import io.netready.rules.node.ConntrackCapacityRule;
import io.netready.rules.node.DefaultRouteRule;
import io.netready.rules.node.DnsLimitsRule;
import io.netready.rules.node.DnsResolverRule;
import io.netready.rules.node.FirewallPortsRule;
import io.netready.rules.node.HostnameRule;
import io.netready.rules.node.HttpProxyRule;
import io.netready.rules.node.InterfaceUpRule;
import io.netready.rules.node.IpForwardRule;
import io.netready.rules.node.IptablesModeRule;
import io.netready.rules.node.KernelModulesRule;
import io.netready.rules.node.NodePortRangeRule;
import io.netready.rules.node.OverlayMtuRule;
import io.netready.rules.node.NodeToolsRule;
import io.netready.rules.node.RequiredPortsRule;
import io.netready.rules.node.RpFilterRule;
import io.netready.rules.node.SwapOffRule;

/**
 * Every readiness rule, in the order pages list them. The version changes whenever a rule's logic changes, so stored
 * findings say which catalog judged them and an admin can re-evaluate old reports.
 */
@ApplicationScoped
public class RuleCatalog {

    public static final String VERSION = "2026.12.3";

    private final List<NodeRule> nodeRules = List.of(
            new InterfaceUpRule(), new DefaultRouteRule(), new IpForwardRule(), new BridgeNetfilterRule(),
            new KernelModulesRule(), new HostnameRule(), new RequiredPortsRule(), new NodePortRangeRule(),
            new FirewallPortsRule(), new IptablesModeRule(), new DnsResolverRule(), new DnsLimitsRule(), new CniConfigRule(),
            new OverlayMtuRule(), new SwapOffRule(), new RpFilterRule(), new ConntrackCapacityRule(), new HttpProxyRule(),
            new NodeToolsRule(), new ClockSyncRule());

    private final List<ClusterRule> clusterRules = List.of(
            new UniqueHostnameRule(), new UniqueMacRule(), new UniqueMachineIdRule(), new UniqueProductUuidRule(),
            new UniqueNodeIpRule(), new CidrOverlapRule(), new PodCidrRoutesRule(), new MtuConsistentRule(),
            new NodeReachabilityRule());

    public List<NodeRule> nodeRules() {
        return nodeRules;
    }

    public List<ClusterRule> clusterRules() {
        return clusterRules;
    }

    public List<RuleInfo> all() {
        List<RuleInfo> all = new ArrayList<>();
        nodeRules.forEach(r -> all.add(r.info()));
        clusterRules.forEach(r -> all.add(r.info()));
        return all;
    }

    public Optional<RuleInfo> find(String id) {
        return all().stream().filter(r -> r.id().equals(id)).findFirst();
    }

    /** Rule ids in catalog order, for sorting findings. */
    public int order(String ruleId) {
        List<RuleInfo> all = all();
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).id().equals(ruleId)) {
                return i;
            }
        }
        return all.size();
    }
}
