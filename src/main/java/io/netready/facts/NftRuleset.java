package io.netready.facts;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The chains of {@code nft list ruleset}: enough to tell what the input hook does to a new TCP connection. Immutable and
 * shared by every report with the same dump (see {@link ParseCache}), so each port's verdict is worked out once.
 */
public final class NftRuleset {

    private static final Pattern TABLE = Pattern.compile("^table (\\S+) (\\S+) \\{");
    private static final Pattern CHAIN = Pattern.compile("^chain (\\S+) \\{");
    private static final Pattern HOOK = Pattern.compile("type (\\S+) hook (\\S+)");
    private static final Pattern POLICY = Pattern.compile("policy (\\S+?);");
    private static final Pattern DPORT = Pattern.compile("(?:tcp|th) dport (\\{[^}]*\\}|\\S+)");
    private static final Pattern VERDICT = Pattern.compile("\\b(accept|drop|reject|return|(?:jump|goto) (\\S+))\\b[^{}]*$");
    private static final Pattern RESTRICTION = Pattern.compile(
            "\\b(iif|iifname|saddr|daddr|ct state|ct status|mark|@\\S+|!=|udp dport|icmp|fib)\\b");

    /** A chain; {@code hook} is null for a regular chain only reached by jump. */
    public record Chain(String family, String table, String name, String type, String hook, String policy, List<String> rules) {
    }

    private final List<Chain> chains;
    private final Map<Integer, Optional<FirewallVerdict>> blockingVerdicts = new ConcurrentHashMap<>();

    NftRuleset(List<Chain> chains) {
        this.chains = List.copyOf(chains);
    }

    public List<Chain> chains() {
        return chains;
    }

    public static NftRuleset parse(String text) {
        List<Chain> chains = new ArrayList<>();
        String family = null;
        String table = null;
        String chain = null;
        String type = null;
        String hook = null;
        String policy = "accept";
        List<String> rules = new ArrayList<>();
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            Matcher t = TABLE.matcher(line);
            Matcher c = CHAIN.matcher(line);
            if (t.find()) {
                family = t.group(1);
                table = t.group(2);
            } else if (c.find() && table != null) {
                chain = c.group(1);
                type = null;
                hook = null;
                policy = "accept";
                rules = new ArrayList<>();
            } else if (chain != null && line.equals("}")) {
                chains.add(new Chain(family, table, chain, type, hook, policy, List.copyOf(rules)));
                chain = null;
            } else if (chain != null && line.startsWith("type ")) {
                Matcher h = HOOK.matcher(line);
                if (h.find()) {
                    type = h.group(1);
                    hook = h.group(2);
                }
                Matcher p = POLICY.matcher(line);
                if (p.find()) {
                    policy = p.group(1);
                }
            } else if (chain != null && !line.isEmpty() && !line.startsWith("#")) {
                rules.add(line);
            } else if (chain == null && line.equals("}")) {
                table = null;
            }
        }
        return new NftRuleset(List.copyOf(chains));
    }

    /** Whether any chain holds a rule. */
    public boolean hasRules() {
        return chains.stream().anyMatch(c -> !c.rules().isEmpty() || "drop".equals(c.policy()));
    }

    /**
     * What the input hook does to a new TCP connection to {@code port}: blocked when any filter chain on the
     * input hook drops or rejects it (every base chain must let a packet through).
     */
    public Optional<FirewallVerdict> blockingVerdictFor(int port) {
        return blockingVerdicts.computeIfAbsent(port, this::walkInputChains);
    }

    private Optional<FirewallVerdict> walkInputChains(int port) {
        for (Chain chain : chains) {
            if (!"input".equals(chain.hook()) || !"filter".equals(chain.type())) {
                continue;
            }
            String where = "nftables " + chain.family() + " " + chain.table() + " " + chain.name();
            Optional<FirewallVerdict> verdict = walk(chain, port, where, 0);
            if (verdict.isEmpty() && "drop".equals(chain.policy())) {
                verdict = Optional.of(FirewallVerdict.blockedBy(where, "chain " + chain.name() + " { policy drop; }"));
            }
            if (verdict.isPresent() && verdict.get().blocked()) {
                return verdict;
            }
        }
        return Optional.empty();
    }

    private Optional<FirewallVerdict> walk(Chain chain, int port, String where, int depth) {
        if (depth > 8) {
            return Optional.empty();
        }
        for (String rule : chain.rules()) {
            Matcher verdict = VERDICT.matcher(rule);
            if (!verdict.find()) {
                continue;
            }
            String selectors = rule.substring(0, verdict.start());
            if (!matches(selectors, port)) {
                continue;
            }
            boolean restricted = RESTRICTION.matcher(selectors).find();
            String action = verdict.group(1);
            if (action.equals("accept")) {
                if (!selectors.contains("iif") && !selectors.contains("ct state")) {
                    return Optional.of(FirewallVerdict.accepted(where, rule));
                }
            } else if (action.equals("drop") || action.equals("reject")) {
                if (!restricted) {
                    return Optional.of(FirewallVerdict.blockedBy(where, rule));
                }
            } else if (action.equals("return")) {
                if (!restricted) {
                    return Optional.empty();
                }
            } else if (verdict.group(2) != null) {
                String target = verdict.group(2);
                Optional<Chain> next = chains.stream()
                        .filter(c -> c.table().equals(chain.table()) && c.family().equals(chain.family()) && c.name().equals(target))
                        .findFirst();
                if (next.isPresent()) {
                    Optional<FirewallVerdict> inner = walk(next.get(), port, where, depth + 1);
                    if (inner.isPresent()) {
                        return inner;
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static boolean matches(String rule, int port) {
        Matcher dport = DPORT.matcher(rule);
        if (!dport.find()) {
            // No port match: the rule applies to every port unless it selects another protocol.
            return !rule.contains("udp ") && !rule.contains("icmp") && !rule.contains("l4proto udp");
        }
        String spec = dport.group(1).replace("{", "").replace("}", "");
        for (String part : spec.split(",")) {
            try {
                if (PortRange.parse(part).contains(port)) {
                    return true;
                }
            } catch (NumberFormatException e) {
                // A named service or a set reference: cannot tell, so not a match.
            }
        }
        return false;
    }
}
