package io.netready.facts;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The chains of {@code nft list ruleset} as lines, for the diff between runs (what the kernel does with them is
 * {@link io.netready.facts.firewall.Firewall}'s question). Immutable and shared by every report with the same dump (see
 * {@link ParseCache}).
 */
public final class NftRuleset {

    private static final Pattern TABLE = Pattern.compile("^table (\\S+) (\\S+) \\{");
    private static final Pattern CHAIN = Pattern.compile("^chain (\\S+) \\{");
    private static final Pattern HOOK = Pattern.compile("type (\\S+) hook (\\S+)");
    private static final Pattern POLICY = Pattern.compile("policy (\\S+?);");

    /** A chain; {@code hook} is null for a regular chain only reached by jump. */
    public record Chain(String family, String table, String name, String type, String hook, String policy, List<String> rules) {
    }

    private final List<Chain> chains;

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
}
