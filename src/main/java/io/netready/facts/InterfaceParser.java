package io.netready.facts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;

import io.netready.facts.NetInterface.IfAddress;

/** Interfaces from {@code ip -j -d link} plus {@code ip -j addr}, their plain-text forms, or {@code ifconfig -a}. */
final class InterfaceParser {

    private static final Pattern IP_HEADER = Pattern.compile("^\\d+:\\s+([^:@\\s]+)(?:@\\S+)?:\\s+<([^>]*)>(.*)$");
    private static final Pattern MTU = Pattern.compile("\\bmtu (\\d+)");
    private static final Pattern STATE = Pattern.compile("\\bstate (\\S+)");
    private static final Pattern LINK = Pattern.compile("^\\s+link/(\\S+)(?:\\s+([0-9a-fA-F:]{17}))?");
    private static final Pattern INET = Pattern.compile("^\\s+(inet6?) ([0-9a-fA-F:.]+)/(\\d+).*?scope (\\S+)");
    private static final Pattern DYNAMIC = Pattern.compile("\\bscope \\S+( \\S+)* dynamic\\b");
    private static final Pattern KIND_LINE = Pattern.compile(
            "^\\s+(veth|bridge|vxlan|geneve|ipip|gre|gretap|ip6tnl|sit|tun|dummy|ifb|macvlan|ipvlan|vlan|bond|wireguard|openvswitch)\\b");
    private static final Pattern IFCONFIG_HEADER = Pattern.compile("^(\\S+?):?\\s+(?:flags=\\d+<([^>]*)>)?(.*)$");

    private InterfaceParser() {
    }

    static Parsed<List<NetInterface>> parse(Parsed<String> links, Parsed<String> addresses, String source) {
        if (!addresses.isAvailable()) {
            return Parsed.unavailable("addresses", addresses.problem());
        }
        String addr = addresses.value().strip();
        try {
            if (addr.startsWith("[")) {
                Map<String, String> kinds = links.isAvailable() && links.value().strip().startsWith("[")
                        ? kindsFromJson(links.value())
                        : Map.of();
                return Parsed.of("addresses", fromJson(Json.read(addr), kinds));
            }
            if (source.startsWith("ifconfig")) {
                return Parsed.of("addresses", fromIfconfig(addr));
            }
            Map<String, String> kinds = links.isAvailable() ? kindsFromText(links.value()) : Map.of();
            return Parsed.of("addresses", fromIpText(addr, kinds));
        } catch (RuntimeException e) {
            return Parsed.unavailable("addresses", "the addresses section is not in a form netready reads: " + e.getMessage());
        }
    }

    /**
     * Name to kind from {@code ip -j -d link}, streamed: of the many details each link has, only its name, link type and
     * {@code linkinfo.info_kind} are read, the rest is skipped rather than built into a tree.
     */
    private static Map<String, String> kindsFromJson(String links) {
        Map<String, String> kinds = new LinkedHashMap<>();
        try (JsonParser parser = Json.parser(links)) {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                return kinds;
            }
            for (JsonToken link = parser.nextToken(); link != JsonToken.END_ARRAY && link != null; link = parser.nextToken()) {
                if (link != JsonToken.START_OBJECT) {
                    parser.skipChildren();
                    continue;
                }
                String name = "";
                String kind = "";
                boolean loopback = false;
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String field = parser.currentName();
                    JsonToken value = parser.nextToken();
                    if ("ifname".equals(field)) {
                        name = scalar(parser, value);
                    } else if ("link_type".equals(field)) {
                        loopback = "loopback".equals(scalar(parser, value));
                    } else if ("linkinfo".equals(field) && value == JsonToken.START_OBJECT) {
                        kind = infoKind(parser);
                    } else {
                        parser.skipChildren();
                    }
                }
                kinds.put(name, loopback ? "loopback" : kind.isEmpty() ? "device" : kind);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("not valid JSON: " + e.getMessage(), e);
        }
        return kinds;
    }

    /** {@code info_kind} of a linkinfo object, its other fields skipped. */
    private static String infoKind(JsonParser parser) throws IOException {
        String kind = "";
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            if ("info_kind".equals(field)) {
                kind = scalar(parser, value);
            } else {
                parser.skipChildren();
            }
        }
        return kind;
    }

    /** A scalar's text (as {@code JsonNode.asText()} would give it); "" for objects and arrays, which are skipped. */
    private static String scalar(JsonParser parser, JsonToken value) throws IOException {
        if (value.isStructStart()) {
            parser.skipChildren();
            return "";
        }
        return value == JsonToken.VALUE_NULL ? "" : parser.getText();
    }

    private static List<NetInterface> fromJson(JsonNode interfaces, Map<String, String> kinds) {
        List<NetInterface> result = new ArrayList<>();
        for (JsonNode link : interfaces) {
            String name = link.path("ifname").asText();
            List<String> flags = new ArrayList<>();
            link.path("flags").forEach(flag -> flags.add(flag.asText()));
            String state = link.path("operstate").asText("UNKNOWN");
            List<IfAddress> addresses = new ArrayList<>();
            for (JsonNode a : link.path("addr_info")) {
                if (a.has("local")) {
                    addresses.add(new IfAddress(a.path("family").asText(), a.path("local").asText(),
                            a.path("prefixlen").asInt(), a.path("scope").asText("global"), a.path("dynamic").asBoolean(false)));
                }
            }
            String kind = kinds.getOrDefault(name, "loopback".equals(link.path("link_type").asText()) ? "loopback" : "device");
            result.add(new NetInterface(name, kind, isUp(state, flags), state, link.path("address").asText(null),
                    link.path("mtu").asInt(0), addresses));
        }
        return result;
    }

    private static Map<String, String> kindsFromText(String text) {
        Map<String, String> kinds = new LinkedHashMap<>();
        String current = null;
        for (String line : text.split("\n")) {
            Matcher header = IP_HEADER.matcher(line);
            if (header.matches()) {
                current = header.group(1);
                kinds.put(current, header.group(2).contains("LOOPBACK") ? "loopback" : "device");
                continue;
            }
            Matcher kind = KIND_LINE.matcher(line);
            if (current != null && kind.find() && "device".equals(kinds.get(current))) {
                kinds.put(current, kind.group(1));
            }
        }
        return kinds;
    }

    private static List<NetInterface> fromIpText(String text, Map<String, String> kinds) {
        List<NetInterface> result = new ArrayList<>();
        Builder current = null;
        for (String line : text.split("\n")) {
            Matcher header = IP_HEADER.matcher(line);
            if (header.matches()) {
                if (current != null) {
                    result.add(current.build());
                }
                current = new Builder(header.group(1));
                current.flags = List.of(header.group(2).split(","));
                current.kind = kinds.getOrDefault(current.name, current.flags.contains("LOOPBACK") ? "loopback" : "device");
                Matcher mtu = MTU.matcher(header.group(3));
                current.mtu = mtu.find() ? Integer.parseInt(mtu.group(1)) : 0;
                Matcher state = STATE.matcher(header.group(3));
                current.state = state.find() ? state.group(1) : "UNKNOWN";
                continue;
            }
            if (current == null) {
                continue;
            }
            Matcher link = LINK.matcher(line);
            if (link.find()) {
                current.mac = link.group(2);
                continue;
            }
            Matcher inet = INET.matcher(line);
            if (inet.find()) {
                current.addresses.add(new IfAddress(inet.group(1), inet.group(2), Integer.parseInt(inet.group(3)), inet.group(4),
                        DYNAMIC.matcher(line).find()));
            }
        }
        if (current != null) {
            result.add(current.build());
        }
        return result;
    }

    /** Both net-tools styles: "eth0: flags=4163<UP,...>  mtu 1500" and the older "eth0  Link encap:Ethernet  HWaddr ...". */
    private static List<NetInterface> fromIfconfig(String text) {
        List<NetInterface> result = new ArrayList<>();
        Builder current = null;
        for (String line : text.split("\n")) {
            if (!line.isBlank() && !Character.isWhitespace(line.charAt(0))) {
                if (current != null && current.aliasOf == null) {
                    result.add(current.build());
                }
                Matcher header = IFCONFIG_HEADER.matcher(line);
                String name = header.matches() ? header.group(1) : line.split("\\s+")[0];
                int colon = name.indexOf(':');
                if (colon > 0) {
                    // "eth0:vip" is an address label of eth0: its address belongs to eth0.
                    String base = name.substring(0, colon);
                    Builder alias = new Builder(name);
                    alias.aliasOf = result.stream().filter(n -> n.name().equals(base)).findFirst().orElse(null);
                    current = alias;
                    continue;
                }
                current = new Builder(name);
                current.flags = header.matches() && header.group(2) != null ? List.of(header.group(2).split(",")) : new ArrayList<>();
                current.kind = name.equals("lo") || line.contains("Loopback") ? "loopback" : "device";
                Matcher mtu = Pattern.compile("mtu (\\d+)|MTU:(\\d+)").matcher(line);
                if (mtu.find()) {
                    current.mtu = Integer.parseInt(mtu.group(1) != null ? mtu.group(1) : mtu.group(2));
                }
                Matcher hw = Pattern.compile("HWaddr ([0-9a-fA-F:]{17})").matcher(line);
                if (hw.find()) {
                    current.mac = hw.group(1).toLowerCase();
                }
                continue;
            }
            if (current == null) {
                continue;
            }
            String trimmed = line.strip();
            Matcher ether = Pattern.compile("^ether ([0-9a-fA-F:]{17})").matcher(trimmed);
            if (ether.find()) {
                current.mac = ether.group(1);
            }
            Matcher inet = Pattern.compile("^inet (?:addr:)?([0-9.]+)\\s+(?:netmask |.*Mask:)([0-9.]+)").matcher(trimmed);
            if (inet.find()) {
                String scope = inet.group(1).startsWith("127.") ? "host" : "global";
                IfAddress address = new IfAddress("inet", inet.group(1), prefixLength(inet.group(2)), scope, false);
                if (current.aliasOf != null) {
                    NetInterface base = current.aliasOf;
                    List<IfAddress> merged = new ArrayList<>(base.addresses());
                    merged.add(address);
                    NetInterface updated = new NetInterface(base.name(), base.kind(), base.up(), base.state(), base.mac(),
                            base.mtu(), List.copyOf(merged));
                    result.set(result.indexOf(base), updated);
                    current.aliasOf = updated;
                } else {
                    current.addresses.add(address);
                }
            }
            if (trimmed.startsWith("UP ") || trimmed.contains(" RUNNING ")) {
                current.flags = new ArrayList<>(List.of(trimmed.split("\\s+")));
            }
            Matcher mtu = Pattern.compile("MTU:(\\d+)").matcher(trimmed);
            if (mtu.find()) {
                current.mtu = Integer.parseInt(mtu.group(1));
            }
        }
        if (current != null && current.aliasOf == null) {
            result.add(current.build());
        }
        for (int i = 0; i < result.size(); i++) {
            NetInterface n = result.get(i);
            result.set(i, new NetInterface(n.name(), n.kind(), n.up(), n.up() ? "UP" : "DOWN", n.mac(), n.mtu(), n.addresses()));
        }
        return result;
    }

    private static int prefixLength(String netmask) {
        int bits = 0;
        for (String octet : netmask.split("\\.")) {
            bits += Integer.bitCount(Integer.parseInt(octet));
        }
        return bits;
    }

    private static boolean isUp(String state, List<String> flags) {
        if ("UP".equals(state)) {
            return true;
        }
        // Loopback, tunnels and some virtual devices report UNKNOWN; trust the flags there.
        return !"DOWN".equals(state) && !"LOWERLAYERDOWN".equals(state) && flags.contains("UP") && flags.contains("LOWER_UP");
    }

    private static final class Builder {
        final String name;
        List<String> flags = new ArrayList<>();
        String kind = "device";
        String state = "UNKNOWN";
        String mac;
        int mtu;
        final List<IfAddress> addresses = new ArrayList<>();
        /** For an ifconfig address label (eth0:vip): the interface it belongs to. */
        NetInterface aliasOf;

        Builder(String name) {
            this.name = name;
        }

        NetInterface build() {
            boolean up = isUp(state, flags) || (flags.contains("UP") && flags.contains("RUNNING"));
            return new NetInterface(name, kind, up, state, mac, mtu, List.copyOf(addresses));
        }
    }
}
