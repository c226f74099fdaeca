package io.netready.facts.firewall;

/**
 * The question the firewall model answers: a new connection (for TCP a SYN; conntrack state NEW, packet mark 0) from a
 * peer to the node, arriving on {@code inInterface} for {@code nodeAddress}:{@code port}.
 *
 * @param protocol "tcp" or "udp"
 */
public record Connection(String peerAddress, String nodeAddress, String inInterface, int port, String protocol) {

    /** A TCP connection. */
    public Connection(String peerAddress, String nodeAddress, String inInterface, int port) {
        this(peerAddress, nodeAddress, inInterface, port, "tcp");
    }
}
