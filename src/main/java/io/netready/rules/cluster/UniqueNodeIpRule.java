package io.netready.rules.cluster;

import io.netready.rules.NodeIdentity;
import io.netready.rules.Snippet;

/** Two nodes with the same address break traffic to both. */
public class UniqueNodeIpRule extends UniqueValueRule {

    public UniqueNodeIpRule() {
        super(identityRule("unique-node-ip").title("Node IPs are unique in the cluster")
                .description("Each node is reached at the source address of its default route. Two nodes with the same "
                        + "address (a static IP copied with the VM) break traffic to both.")
                .remediation("The node that reported the address first keeps it; give the later one another address in "
                        + "its network configuration.")
                .build(), "node IP", NodeIdentity::nodeIp, n -> n.since().nodeIp());
    }

    @Override
    Snippet remedy(String value) {
        return new Snippet().note("Give this node another address (the node that reported it first keeps it): a "
                + "DHCP reservation or its static configuration, then restart the kubelet. What names the old address "
                + "breaks: a joined node's kubelet serving certificate, a control plane's API server certificate and "
                + "etcd peer URLs.");
    }
}
