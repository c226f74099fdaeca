package io.netready.facts.firewall;

/**
 * The question the firewall model answers: a new TCP connection (a SYN, conntrack state NEW, packet mark 0) from a
 * peer to the node, arriving on {@code inInterface} for {@code nodeAddress}:{@code port}.
 */
public record Connection(String peerAddress, String nodeAddress, String inInterface, int port) {
}
