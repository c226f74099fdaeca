package io.netready.facts;

/**
 * A listening socket.
 *
 * @param process the process name where the report shows it (root only), else null
 */
public record Listener(String protocol, String address, int port, String process, String raw) {
}
