package io.netready.rules.cluster;

import io.netready.rules.NodeIdentity;
import io.netready.rules.Snippet;

/** Two nodes with the same address break traffic to both. */
public class UniqueNodeIpRule extends UniqueValueRule {

    public UniqueNodeIpRule() {
        super(identityRule("unique-node-ip").title("Node IPs are unique in the cluster")
                .description("Each node is reached at the source address of its default route. Two nodes with the same "
                        + "address (a static IP copied with the VM) break traffic to both.")
                .remediation("Give one node another address in its network configuration.")
                .build(), "node IP", NodeIdentity::nodeIp);
    }

    @Override
    Snippet remedy(String value) {
        return new Snippet().note("Give one of the nodes another address (DHCP reservation or static "
                + "configuration), then restart the kubelet.");
    }
}
