package io.netready.facts.firewall;

/** A new TCP connection (SYN, conntrack state NEW, mark 0) from a peer to the node, arriving on inInterface. */
public record Connection(String peerAddress, String nodeAddress, String inInterface, int port) {
}
