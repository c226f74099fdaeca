package io.netready.facts;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The filter table of an {@code iptables-save} dump as lines: chain policies and rules, for the diff between runs
 * (what the kernel does with them is {@link io.netready.facts.firewall.Firewall}'s question). Immutable and shared by
 * every report with the same dump (see {@link ParseCache}).
 */
public final class IptablesRuleset {

    /** One {@code -A} line of the filter table. */
    public record Rule(String chain, String raw) {
    }

    private final String section;
    private final Map<String, String> policies;
    private final List<Rule> rules;

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
        return new Rule(t[1], line);
    }
}
