package io.netready.facts.firewall;

import java.util.List;

import io.netready.support.KernelFirewall;

/** The ports, ranges and addresses the generated rules speak of: the node's, its peers', and others near them. */
final class Vocabulary {

    /** Ports a rule names: all those the node listens on, and one it does not. */
    static final List<Integer> PORTS = List.of(22, 80, 2379, 6443, 10250, 30000, 31000, 32767, 8080);
    /** Port ranges, low and high: the NodePort range and parts of it, and ranges around the listening ports. */
    static final List<int[]> RANGES = List.of(new int[] {30000, 32767}, new int[] {80, 90}, new int[] {2379, 2380},
            new int[] {10250, 10260}, new int[] {6000, 7000}, new int[] {31001, 32767}, new int[] {1, 1023});
    /**
     * Addresses a rule names: the peer's subnet and its exact address, the node's addresses, eth1's network, loopback,
     * another network, one that holds both subnets, and everything.
     */
    static final List<String> ADDRESSES = List.of("10.231.7.0/24", "10.231.7.2/32", KernelFirewall.NODE_ETH0,
            "10.231.8.0/24", KernelFirewall.NODE_ETH1, "127.0.0.0/8", "192.168.77.0/24", "10.231.0.0/16", "0.0.0.0/0");

    private Vocabulary() {
    }
}
