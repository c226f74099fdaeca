package io.netready.facts;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The filter table of an {@code iptables-save} dump: chain policies and rules, enough to tell what INPUT does to a port.
 * Immutable and shared by every report with the same dump (see {@link ParseCache}), so each port's verdict is worked
 * out once.
 */
public final class IptablesRuleset {

    private static final Set<String> BLOCKING = Set.of("DROP", "REJECT");

    /** One {@code -A} line of the filter table. */
    public record Rule(String chain, String protocol, List<PortRange> ports, String target, boolean restricted,
            boolean acceptsNewConnections, String raw) {
    }

    private final String section;
    private final Map<String, String> policies;
    private final List<Rule> rules;
    private final Map<Integer, FirewallVerdict> verdicts = new ConcurrentHashMap<>();

    IptablesRuleset(String section, Map<String, String> policies, List<Rule> rules) {
        this.section = section;
        this.policies = Collections.unmodifiableMap(new LinkedHashMap<>(policies));
        this.rules = List.copyOf(rules);
    }

    public String section() {
        return section;
    }

    /** Chain policies, by chain name. */
    public Map<String, String> policies() {
        return policies;
    }

    public List<Rule> rules() {
        return rules;
    }

    public static IptablesRuleset parse(String section, String text) {
        Map<String, String> policies = new LinkedHashMap<>();
        List<Rule> rules = new ArrayList<>();
        String table = "";
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.startsWith("*")) {
                table = line.substring(1);
            } else if (line.startsWith(":") && "filter".equals(table)) {
                String[] t = line.substring(1).split("\\s+");
                if (t.length >= 2) {
                    policies.put(t[0], t[1]);
                }
            } else if (line.startsWith("-A ") && "filter".equals(table)) {
                rules.add(rule(line));
            }
        }
        return new IptablesRuleset(section, policies, rules);
    }

    /** Whether the dump holds any rule or a non-ACCEPT policy in any table. */
    public static boolean hasRules(String text) {
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.startsWith("-A ") || (line.startsWith(":") && (line.contains(" DROP ") || line.contains(" REJECT ")))) {
                return true;
            }
        }
        return false;
    }

    private static Rule rule(String line) {
        String[] t = line.split("\\s+");
        String chain = t[1];
        String protocol = null;
        String target = null;
        List<PortRange> ports = new ArrayList<>();
        boolean restricted = false;
        boolean acceptsNew = true;
        for (int i = 2; i < t.length; i++) {
            String token = t[i];
            String next = i + 1 < t.length ? t[i + 1] : "";
            switch (token) {
                case "!" -> restricted = true;
                case "-p", "--protocol" -> protocol = next;
                case "--dport", "--destination-port" -> addPorts(ports, next);
                case "--dports", "--destination-ports" -> addPorts(ports, next);
                case "-j", "--jump", "-g", "--goto" -> target = next;
                case "-s", "--source", "-d", "--destination", "-m" -> {
                    if ("-m".equals(token) && ("set".equals(next) || "recent".equals(next) || "limit".equals(next))) {
                        restricted = true;
                    }
                    if (!"-m".equals(token)) {
                        restricted = true;
                    }
                }
                case "-i", "--in-interface" -> restricted = true;
                case "--state", "--ctstate" -> {
                    restricted = true;
                    acceptsNew = next.contains("NEW");
                }
                default -> {
                }
            }
        }
        return new Rule(chain, protocol, List.copyOf(ports), target, restricted, acceptsNew, line);
    }

    private static void addPorts(List<PortRange> ports, String list) {
        for (String part : list.split(",")) {
            try {
                ports.add(PortRange.parse(part));
            } catch (NumberFormatException e) {
                // A service name instead of a number: leave it out rather than guess.
            }
        }
    }

    /** What the INPUT chain of the filter table does to a new TCP connection to {@code port}. */
    public FirewallVerdict verdictFor(int port) {
        return verdicts.computeIfAbsent(port, this::walkInput);
    }

    private FirewallVerdict walkInput(int port) {
        Optional<FirewallVerdict> verdict = walk("INPUT", port, 0);
        if (verdict.isPresent()) {
            return verdict.get();
        }
        String policy = policies.getOrDefault("INPUT", "ACCEPT");
        String evidence = ":INPUT " + policy;
        return BLOCKING.contains(policy) ? FirewallVerdict.blockedBy(section, evidence)
                : FirewallVerdict.accepted(section, evidence);
    }

    private Optional<FirewallVerdict> walk(String chain, int port, int depth) {
        if (depth > 8) {
            return Optional.empty();
        }
        for (Rule rule : rules) {
            if (!rule.chain.equals(chain) || !matches(rule, port) || rule.target == null) {
                continue;
            }
            if ("ACCEPT".equals(rule.target)) {
                if (rule.acceptsNewConnections && !rule.raw.contains(" -i lo")) {
                    return Optional.of(FirewallVerdict.accepted(section, rule.raw));
                }
            } else if (BLOCKING.contains(rule.target)) {
                if (!rule.restricted) {
                    return Optional.of(FirewallVerdict.blockedBy(section, rule.raw));
                }
            } else if ("RETURN".equals(rule.target)) {
                if (!rule.restricted) {
                    return Optional.empty();
                }
            } else if (policies.containsKey(rule.target) || rules.stream().anyMatch(r -> r.chain.equals(rule.target))) {
                Optional<FirewallVerdict> inner = walk(rule.target, port, depth + 1);
                if (inner.isPresent()) {
                    return inner;
                }
            }
        }
        return Optional.empty();
    }

    private static boolean matches(Rule rule, int port) {
        boolean protocolMatches = rule.protocol == null || "tcp".equals(rule.protocol) || "all".equals(rule.protocol)
                || "6".equals(rule.protocol);
        boolean portMatches = rule.ports.isEmpty() || rule.ports.stream().anyMatch(r -> r.contains(port));
        return protocolMatches && portMatches;
    }
}
