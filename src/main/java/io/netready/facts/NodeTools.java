package io.netready.facts;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where the probe found each command the kubelet and kube-proxy run ({@code command -v} on a PATH that includes the sbin
 * directories, as systemd gives services): the {@code node-tools} section's {@code name=path} lines, an empty path for a
 * command not found.
 */
public record NodeTools(String path, Map<String, String> found) {

    public static NodeTools parse(String text) {
        String path = null;
        Map<String, String> found = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String name = line.substring(0, eq);
            String value = line.substring(eq + 1).strip();
            if (name.equals("PATH")) {
                path = value;
            } else {
                found.put(name, value);
            }
        }
        return new NodeTools(path, Map.copyOf(found));
    }

    /** Whether the probe looked for the command at all (older probes did not). */
    public boolean checked(String command) {
        return found.containsKey(command);
    }

    /** The command's path, if it was found. */
    public Optional<String> location(String command) {
        return Optional.ofNullable(found.get(command)).filter(p -> !p.isEmpty());
    }
}
