package io.netready.facts;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Listening sockets from {@code ss -Htlnup} or {@code netstat -plntu}. */
final class ListenerParser {

    private static final Pattern SS_PROCESS = Pattern.compile("users:\\(\\(\"([^\"]*)\"");
    private static final Pattern NETSTAT_PROCESS = Pattern.compile("^\\d+/(.+)$");

    private ListenerParser() {
    }

    static Parsed<List<Listener>> parse(Parsed<String> section, String source) {
        if (!section.isAvailable()) {
            return section.map(x -> List.of());
        }
        List<Listener> result = new ArrayList<>();
        boolean netstat = source.startsWith("netstat");
        for (String line : section.value().split("\n")) {
            String[] t = line.strip().split("\\s+");
            if (t.length < 5) {
                continue;
            }
            Listener listener = netstat ? fromNetstat(t, line) : fromSs(t, line);
            if (listener != null) {
                result.add(listener);
            }
        }
        return Parsed.of(section.section(), result);
    }

    /** tcp LISTEN 0 4096 0.0.0.0:10250 0.0.0.0:* users:(("kubelet",pid=1,fd=3)) */
    private static Listener fromSs(String[] t, String line) {
        String protocol = t[0];
        if (!protocol.startsWith("tcp") && !protocol.startsWith("udp")) {
            return null;
        }
        if (protocol.startsWith("tcp") && !"LISTEN".equals(t[1])) {
            return null;
        }
        Endpoint local = endpoint(t[4]);
        if (local == null) {
            return null;
        }
        Matcher process = SS_PROCESS.matcher(line);
        return new Listener(protocol.substring(0, 3), local.address, local.port, process.find() ? process.group(1) : null,
                line.strip());
    }

    /** tcp 0 0 0.0.0.0:22 0.0.0.0:* LISTEN 512/sshd: /usr/sbin, or udp 0 0 0.0.0.0:68 0.0.0.0:* 400/dhclient */
    private static Listener fromNetstat(String[] t, String line) {
        String protocol = t[0];
        if (!protocol.startsWith("tcp") && !protocol.startsWith("udp")) {
            return null;
        }
        boolean tcp = protocol.startsWith("tcp");
        if (tcp && (t.length < 6 || !"LISTEN".equals(t[5]))) {
            return null;
        }
        Endpoint local = endpoint(t[3]);
        if (local == null) {
            return null;
        }
        int processColumn = tcp ? 6 : 5;
        String process = null;
        if (t.length > processColumn) {
            Matcher m = NETSTAT_PROCESS.matcher(t[processColumn]);
            if (m.matches()) {
                process = m.group(1).replaceAll(":$", "");
            }
        }
        return new Listener(protocol.substring(0, 3), local.address, local.port, process, line.strip());
    }

    private record Endpoint(String address, int port) {
    }

    private static Endpoint endpoint(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0) {
            return null;
        }
        try {
            int port = Integer.parseInt(text.substring(colon + 1));
            String address = text.substring(0, colon);
            int zone = address.indexOf('%');
            if (zone >= 0) {
                address = address.substring(0, zone);
            }
            if (address.startsWith("[") && address.endsWith("]")) {
                address = address.substring(1, address.length() - 1);
            }
            return new Endpoint(address, port);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
