package io.netready.facts;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/** Routes from {@code ip -j route}, {@code ip route}, {@code route -n} or {@code netstat -rn}. */
final class RouteParser {

    private static final Set<String> ROUTE_TYPES = Set.of("unicast", "local", "broadcast", "multicast", "throw",
            "unreachable", "prohibit", "blackhole", "nat", "anycast");

    private RouteParser() {
    }

    static Parsed<List<Route>> parse(Parsed<String> section, String source, boolean ipv6) {
        if (!section.isAvailable()) {
            return section.map(x -> List.of());
        }
        String text = section.value().strip();
        try {
            if (text.startsWith("[")) {
                return Parsed.of(section.section(), fromJson(Json.read(text), ipv6));
            }
            if (source.startsWith("route") || source.startsWith("netstat")) {
                return Parsed.of(section.section(), fromRouteTable(text));
            }
            return Parsed.of(section.section(), fromIpText(text, ipv6));
        } catch (RuntimeException e) {
            return Parsed.unavailable(section.section(), "the routes are not in a form netready reads: " + e.getMessage());
        }
    }

    private static List<Route> fromJson(JsonNode routes, boolean ipv6) {
        List<Route> result = new ArrayList<>();
        for (JsonNode r : routes) {
            String type = r.path("type").asText("unicast");
            if (!"unicast".equals(type)) {
                continue;
            }
            String gateway = r.has("gateway") ? r.get("gateway").asText() : r.path("via").path("host").asText(null);
            result.add(new Route(normalise(r.path("dst").asText(), ipv6), gateway, r.path("dev").asText(null),
                    r.path("protocol").asText(null), r.path("scope").asText(null), r.path("prefsrc").asText(null),
                    r.has("metric") ? r.get("metric").asInt() : null, r.toString()));
        }
        return result;
    }

    private static List<Route> fromIpText(String text, boolean ipv6) {
        List<Route> result = new ArrayList<>();
        for (String line : text.split("\n")) {
            String[] t = line.strip().split("\\s+");
            if (t.length == 0 || t[0].isEmpty()) {
                continue;
            }
            int i = 0;
            if (ROUTE_TYPES.contains(t[0])) {
                if (!"unicast".equals(t[0])) {
                    continue;
                }
                i = 1;
            }
            String destination = normalise(t[i], ipv6);
            String gateway = null;
            String device = null;
            String protocol = null;
            String scope = null;
            String src = null;
            Integer metric = null;
            for (int k = i + 1; k + 1 < t.length; k++) {
                switch (t[k]) {
                    case "via" -> gateway = t[++k];
                    case "dev" -> device = t[++k];
                    case "proto" -> protocol = t[++k];
                    case "scope" -> scope = t[++k];
                    case "src" -> src = t[++k];
                    case "metric" -> metric = parseInt(t[++k]);
                    default -> {
                    }
                }
            }
            result.add(new Route(destination, gateway, device, protocol, scope, src, metric, line.strip()));
        }
        return result;
    }

    /** route -n / netstat -rn: Destination Gateway Genmask Flags ... Iface */
    private static List<Route> fromRouteTable(String text) {
        List<Route> result = new ArrayList<>();
        for (String line : text.split("\n")) {
            String[] t = line.strip().split("\\s+");
            if (t.length < 4 || !Character.isDigit(t[0].charAt(0))) {
                continue;
            }
            // Reject routes (flag '!', unreachable) and blackholes (interface '*') carry no traffic.
            if (t[3].contains("!") || "*".equals(t[t.length - 1]) || "-".equals(t[t.length - 1])) {
                continue;
            }
            int prefix = 0;
            for (String octet : t[2].split("\\.")) {
                prefix += Integer.bitCount(Integer.parseInt(octet));
            }
            String destination = "0.0.0.0".equals(t[0]) && prefix == 0 ? "default" : t[0] + "/" + prefix;
            String gateway = "0.0.0.0".equals(t[1]) ? null : t[1];
            result.add(new Route(destination, gateway, t[t.length - 1], null, null, null, null, line.strip()));
        }
        return result;
    }

    private static String normalise(String destination, boolean ipv6) {
        if ("default".equals(destination) || destination.contains("/")) {
            return destination;
        }
        return destination + (ipv6 || destination.contains(":") ? "/128" : "/32");
    }

    private static Integer parseInt(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
