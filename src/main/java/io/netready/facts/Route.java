package io.netready.facts;

/**
 * A route of the node's main table.
 *
 * @param destination "default" or a network in CIDR notation (host routes get /32 or /128)
 * @param gateway the next hop, or null for a directly connected route
 */
public record Route(String destination, String gateway, String device, String protocol, String scope,
        String preferredSource, Integer metric, String raw) {

    public boolean isDefault() {
        return "default".equals(destination) || "0.0.0.0/0".equals(destination) || "::/0".equals(destination);
    }
}
