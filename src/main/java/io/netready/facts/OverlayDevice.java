package io.netready.facts;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A tunnel device an overlay CNI sends pods' traffic through, from {@code ip -j -d link show}.
 *
 * @param kind vxlan, geneve, wireguard or ipip
 * @param lowerDevice the device the tunnel is bound to ({@code dev} of a vxlan), or null where none is named (external
 *        or collect-metadata mode, WireGuard, geneve): its packets then leave by the route to the peer
 * @param ipv6Underlay whether its own addresses (local6, remote6, group6) say it runs over IPv6
 * @param port the UDP port a vxlan or geneve device receives on ({@code dstport}), 0 where the link does not say
 */
public record OverlayDevice(String name, String kind, int mtu, boolean up, String lowerDevice, boolean ipv6Underlay, int port) {

    static final Set<String> KINDS = Set.of("vxlan", "geneve", "wireguard", "ipip");

    /** The overlay devices among the links; unavailable where the links are not {@code ip -j -d} JSON. */
    static Parsed<List<OverlayDevice>> parse(Parsed<String> links) {
        if (!links.isAvailable()) {
            return Parsed.unavailable("links", links.problem());
        }
        String text = links.value().strip();
        if (!text.startsWith("[")) {
            return Parsed.unavailable("links", "the links section is not ip -j -d JSON, which names tunnel kinds");
        }
        try {
            List<OverlayDevice> devices = new ArrayList<>();
            for (JsonNode link : Json.read(text)) {
                String kind = link.path("linkinfo").path("info_kind").asText("");
                if (!KINDS.contains(kind)) {
                    continue;
                }
                JsonNode data = link.path("linkinfo").path("info_data");
                List<String> flags = new ArrayList<>();
                link.path("flags").forEach(f -> flags.add(f.asText()));
                boolean up = flags.contains("UP") && !"DOWN".equals(link.path("operstate").asText());
                devices.add(new OverlayDevice(link.path("ifname").asText(), kind, link.path("mtu").asInt(0), up,
                        data.hasNonNull("link") ? data.get("link").asText() : null,
                        data.has("local6") || data.has("remote6") || data.has("group6"), data.path("port").asInt(0)));
            }
            return Parsed.of("links", List.copyOf(devices));
        } catch (RuntimeException e) {
            return Parsed.unavailable("links", "the links section is not in a form netready reads: " + e.getMessage());
        }
    }
}
