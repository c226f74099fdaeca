package io.netready.facts;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The proxy variables each part of the node gets: the probe's own shell ({@code proxy-env}), and from their
 * configuration files ({@code proxy-config}) the kubelet, the container runtimes, every systemd service
 * (DefaultEnvironment) and login shells (/etc/environment, /etc/profile.d). A component's own unit settings win over
 * systemd's DefaultEnvironment; a later file over an earlier one. Like Go, the upper-case name wins over the lower-case
 * one when both are set and non-empty.
 */
public record ProxySettings(List<Assignment> assignments) {

    /** Where a proxy variable is set: the component, the file (or "environment" for the shell), the variable. */
    public record Assignment(String component, String file, String name, String value) {

        /** The variable's name in upper case: HTTP_PROXY, HTTPS_PROXY, NO_PROXY, ALL_PROXY. */
        public String key() {
            return name.toUpperCase(Locale.ROOT);
        }

        public String line() {
            return name + "=" + value;
        }
    }

    /** The proxy settings one component runs with. */
    public record Effective(String component, Map<String, Assignment> byKey) {

        /** The proxy its HTTPS requests (the API server) use; Go reads HTTPS_PROXY, then https_proxy. */
        public Optional<Assignment> httpsProxy() {
            return Optional.ofNullable(byKey.get("HTTPS_PROXY"));
        }

        public Optional<Assignment> httpProxy() {
            return Optional.ofNullable(byKey.get("HTTP_PROXY"));
        }

        public Optional<Assignment> noProxy() {
            return Optional.ofNullable(byKey.get("NO_PROXY"));
        }

        public NoProxy noProxyValue() {
            return noProxy().map(a -> NoProxy.parse(a.value())).orElse(NoProxy.NONE);
        }

        /** A proxy is set for HTTP or HTTPS (Go's programs ignore ALL_PROXY). */
        public boolean usesProxy() {
            return httpsProxy().isPresent() || httpProxy().isPresent();
        }
    }

    /** The components the settings are read for, in the order findings name them. */
    public static final List<String> COMPONENTS = List.of("kubelet", "containerd", "crio", "docker", "systemd", "shell",
            "login");

    public static ProxySettings parse(String shellEnvironment, String configFiles) {
        List<Assignment> assignments = new ArrayList<>();
        if (configFiles != null) {
            for (String line : configFiles.split("\n")) {
                String[] parts = line.split("\t", 3);
                if (parts.length == 3 && parts[2].indexOf('=') > 0) {
                    int eq = parts[2].indexOf('=');
                    assignments.add(new Assignment(parts[0], parts[1], parts[2].substring(0, eq), parts[2].substring(eq + 1)));
                }
            }
        }
        if (shellEnvironment != null) {
            for (String line : shellEnvironment.split("\n")) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    assignments.add(new Assignment("shell", "environment", line.substring(0, eq), line.substring(eq + 1)));
                }
            }
        }
        return new ProxySettings(List.copyOf(assignments));
    }

    /**
     * What a component runs with: for the kubelet and the runtimes systemd's DefaultEnvironment, then their own files in
     * the probe's order (drop-ins by directory precedence and name); for the shell and login shells their own lines.
     */
    public Effective effective(String component) {
        Map<String, Assignment> lower = new LinkedHashMap<>();
        Map<String, Assignment> upper = new LinkedHashMap<>();
        boolean service = !component.equals("shell") && !component.equals("login");
        // systemd's DefaultEnvironment first: the component's own assignments override it, a later one an earlier one.
        for (String from : service ? List.of("systemd", component) : List.of(component)) {
            for (Assignment a : assignments) {
                if (a.component().equals(from)) {
                    (a.name().equals(a.key()) ? upper : lower).put(a.key(), a);
                }
            }
        }
        Map<String, Assignment> byKey = new LinkedHashMap<>();
        for (String key : List.of("HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "ALL_PROXY")) {
            // Go takes the upper-case variable when it is non-empty, else the lower-case one.
            Assignment chosen = nonEmpty(upper.get(key)) ? upper.get(key) : lower.get(key);
            if (nonEmpty(chosen)) {
                byKey.put(key, chosen);
            }
        }
        return new Effective(component, byKey);
    }

    private static boolean nonEmpty(Assignment a) {
        return a != null && !a.value().isEmpty();
    }

    /** Whether a component appears at all (a file of it set some proxy variable). */
    public boolean mentions(String component) {
        return assignments.stream().anyMatch(a -> a.component().equals(component));
    }
}
