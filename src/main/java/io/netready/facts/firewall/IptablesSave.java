package io.netready.facts.firewall;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.netready.facts.firewall.Steps.Chain;
import io.netready.facts.firewall.Steps.Rule;
import io.netready.facts.firewall.Steps.Verdict;

/**
 * An {@code iptables-save} (or {@code ip6tables-save}, {@code iptables-legacy-save}) dump, compiled to the base chains a
 * packet for the node crosses: raw, mangle, nat and filter PREROUTING/INPUT/FORWARD and security INPUT/FORWARD, each at
 * its table's priority (iptables-legacy registers its tables at the same priorities as iptables-nft's).
 */
final class IptablesSave {

    private static final Map<String, Integer> TABLE_PRIORITY = Map.of("raw", -300, "mangle", -150, "nat", -100, "filter", 0,
            "security", 50);

    private IptablesSave() {
    }

    /** {@code label} names the dump in evidence: "iptables", "iptables-legacy", "ip6tables". */
    static List<BaseChain> parse(String text, String label, String family) {
        Map<String, Map<String, String>> policies = new LinkedHashMap<>();
        Map<String, Map<String, List<Rule>>> rules = new LinkedHashMap<>();
        String table = null;
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.startsWith("*")) {
                table = line.substring(1).strip();
                policies.putIfAbsent(table, new LinkedHashMap<>());
                rules.putIfAbsent(table, new LinkedHashMap<>());
            } else if (table == null || line.isEmpty() || line.startsWith("#") || line.equals("COMMIT")) {
                continue;
            } else if (line.startsWith(":")) {
                String[] t = line.substring(1).split("\\s+");
                policies.get(table).put(t[0], t.length > 1 ? t[1] : "-");
                rules.get(table).putIfAbsent(t[0], new ArrayList<>());
            } else if (line.startsWith("-A ") || line.startsWith("--append ")) {
                List<Words.Word> words = Words.split(line);
                if (words.size() < 2) {
                    continue;
                }
                String chain = words.get(1).text();
                rules.get(table).computeIfAbsent(chain, c -> new ArrayList<>())
                        .add(new Rule(XtRule.compile(words.subList(2, words.size())), line));
            }
        }
        List<BaseChain> bases = new ArrayList<>();
        for (Map.Entry<String, Map<String, List<Rule>>> t : rules.entrySet()) {
            String name = t.getKey();
            Integer priority = TABLE_PRIORITY.get(name);
            if (priority == null) {
                continue;
            }
            Map<String, Chain> chains = new LinkedHashMap<>();
            Map<String, String> tablePolicies = policies.getOrDefault(name, Map.of());
            for (Map.Entry<String, List<Rule>> c : t.getValue().entrySet()) {
                String policy = tablePolicies.getOrDefault(c.getKey(), "-");
                Verdict verdict = switch (policy) {
                    case "ACCEPT" -> Verdict.ACCEPT;
                    case "DROP" -> Verdict.DROP;
                    default -> null;
                };
                chains.put(c.getKey(), new Chain(c.getKey(), List.copyOf(c.getValue()), verdict));
            }
            for (String builtin : List.of("PREROUTING", "INPUT", "FORWARD")) {
                Chain chain = chains.get(builtin);
                if (chain == null || chain.policy() == null || (name.equals("nat") && !builtin.equals("PREROUTING"))) {
                    continue;
                }
                if (name.equals("raw") && !builtin.equals("PREROUTING")) {
                    continue;
                }
                bases.add(new BaseChain(label + " " + name + " " + builtin, family, Hook.of(builtin), priority, null, chain,
                        Map.copyOf(chains), name.equals("nat")));
            }
        }
        return bases;
    }
}
