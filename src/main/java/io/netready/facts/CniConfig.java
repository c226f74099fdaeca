package io.netready.facts;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A file of /etc/cni/net.d: its plugins and IPAM subnets, or why it is not a valid CNI configuration.
 *
 * @param mtu the MTU a plugin (or flannel's delegate) sets for pods' interfaces, or null where none is set (Calico's 0 is
 *        "detect it", so none)
 * @param problem null for a valid configuration
 */
public record CniConfig(String file, String name, List<String> pluginTypes, List<String> subnets, Integer mtu,
        String problem) {

    public boolean isValid() {
        return problem == null;
    }

    /** Bridge-based CNIs put pods behind a Linux bridge, where br_netfilter decides whether iptables sees them. */
    public boolean isBridgeBased() {
        return pluginTypes.stream().anyMatch(t -> t.equals("bridge") || t.equals("flannel") || t.equals("cbr0"));
    }

    static CniConfig parse(String file, String text) {
        if (!file.endsWith(".conf") && !file.endsWith(".conflist") && !file.endsWith(".json")) {
            return new CniConfig(file, null, List.of(), List.of(), null, "not a .conf, .conflist or .json file");
        }
        JsonNode root;
        try {
            root = Json.read(text);
        } catch (RuntimeException e) {
            return new CniConfig(file, null, List.of(), List.of(), null, e.getMessage());
        }
        if (!root.isObject()) {
            return new CniConfig(file, null, List.of(), List.of(), null, "not a JSON object");
        }
        List<JsonNode> plugins = new ArrayList<>();
        if (root.has("plugins")) {
            if (!root.get("plugins").isArray() || root.get("plugins").isEmpty()) {
                return new CniConfig(file, root.path("name").asText(null), List.of(), List.of(), null, "'plugins' is empty");
            }
            root.get("plugins").forEach(plugins::add);
        } else if (root.has("type")) {
            plugins.add(root);
        } else {
            return new CniConfig(file, root.path("name").asText(null), List.of(), List.of(), null,
                    "neither 'plugins' (a .conflist) nor 'type' (a .conf)");
        }
        if (!root.hasNonNull("cniVersion")) {
            return new CniConfig(file, root.path("name").asText(null), List.of(), List.of(), null, "no 'cniVersion'");
        }
        List<String> types = new ArrayList<>();
        List<String> subnets = new ArrayList<>();
        Integer mtu = null;
        for (JsonNode plugin : plugins) {
            for (JsonNode node : List.of(plugin.path("mtu"), plugin.path("delegate").path("mtu"))) {
                if (mtu == null && node.canConvertToInt() && node.asInt() > 0) {
                    mtu = node.asInt();
                }
            }
            String type = plugin.path("type").asText("");
            if (type.isEmpty()) {
                return new CniConfig(file, root.path("name").asText(null), List.of(), List.of(), null, "a plugin without 'type'");
            }
            types.add(type);
            JsonNode ipam = plugin.path("ipam");
            if (ipam.hasNonNull("type")) {
                types.add(ipam.get("type").asText());
            }
            if (ipam.hasNonNull("subnet")) {
                subnets.add(ipam.get("subnet").asText());
            }
            for (JsonNode rangeSet : ipam.path("ranges")) {
                for (JsonNode range : rangeSet) {
                    if (range.hasNonNull("subnet")) {
                        subnets.add(range.get("subnet").asText());
                    }
                }
            }
            // flannel delegates to bridge + host-local with the subnet it learns at run time.
            if (plugin.has("delegate") && plugin.get("delegate").hasNonNull("type")) {
                types.add(plugin.get("delegate").get("type").asText());
            }
        }
        return new CniConfig(file, root.path("name").asText(null), List.copyOf(types), List.copyOf(subnets), mtu, null);
    }
}
