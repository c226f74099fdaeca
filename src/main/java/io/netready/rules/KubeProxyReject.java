package io.netready.rules;

import io.netready.facts.firewall.Answer;

/** kube-proxy's REJECT of a Service port that has no endpoints: the port is reachable, the Service is empty. */
public final class KubeProxyReject {

    private KubeProxyReject() {
    }

    /**
     * iptables mode: the rule's comment says "has no endpoints"; nftables mode: the reject of kube-proxy's own table
     * (its reject-chain, reached only from the no-endpoint-services and no-endpoint-nodeports maps).
     */
    public static boolean ofServiceWithoutEndpoints(Answer answer) {
        return answer.evidence().stream().anyMatch(e -> e.contains("has no endpoints")
                || (e.matches("nftables ip6? kube-proxy \\S+: reject.*")));
    }
}
