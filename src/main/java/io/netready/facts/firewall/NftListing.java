package io.netready.facts.firewall;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.netready.facts.firewall.Steps.Chain;
import io.netready.facts.firewall.Steps.Rule;
import io.netready.facts.firewall.Steps.Verdict;

/**
 * {@code nft list ruleset}, compiled: its tables, their named sets and maps, and the base chains on the hooks a packet
 * for the node crosses (netdev/inet ingress, prerouting, input, forward), each at its priority.
 */
final class NftListing {

    /** The tables iptables-nft keeps in nftables; the iptables dump shows them in iptables' own terms. */
    private static final Set<String> XTABLES = Set.of("filter", "nat", "mangle", "raw", "security");
    private static final Map<String, Integer> PRIORITIES = Map.of("raw", -300, "mangle", -150, "dstnat", -100, "filter", 0,
            "security", 50, "srcnat", 100, "out", 100);
    private static final Pattern TABLE = Pattern.compile("^table\\s+(\\S+)\\s+(\\S+)\\s*\\{");
    private static final Pattern BLOCK = Pattern.compile("^(chain|set|map|flowtable|counter|quota|limit|ct|secmark|synproxy)\\s+(\\S+)");
    private static final Pattern CHAIN_TYPE = Pattern.compile(
            "type\\s+(\\S+)\\s+hook\\s+(\\S+)(?:\\s+devices?\\s*=?\\s*(\\{[^}]*\\}|\\S+))?\\s+priority\\s+([^;]+);(?:\\s*policy\\s+(\\S+?);)?");

    /** A table: whether iptables-nft manages it, and its base chains. */
    record Table(String family, String name, boolean iptablesNft, List<BaseChain> bases) {
    }

    private NftListing() {
    }

    static List<Table> parse(String text) {
        List<Table> tables = new ArrayList<>();
        String[] lines = text.split("\n");
        for (int i = 0; i < lines.length; i++) {
            Matcher t = TABLE.matcher(lines[i].strip());
            if (t.find()) {
                i = table(lines, i + 1, t.group(1), t.group(2), tables);
            }
        }
        return tables;
    }

    /** Reads one table from {@code start}; returns the index of its closing brace. */
    private static int table(String[] lines, int start, String family, String name, List<Table> tables) {
        boolean managed = false;
        boolean dormant = false;
        Map<String, List<String>> sets = new LinkedHashMap<>();
        Map<String, List<String>> chainLines = new LinkedHashMap<>();
        Map<String, String> chainHeads = new LinkedHashMap<>();
        int i = start;
        for (; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.equals("}")) {
                break;
            }
            if (line.contains("managed by iptables-nft")) {
                managed = true;
                continue;
            }
            if (line.startsWith("flags") && line.contains("dormant")) {
                dormant = true;
                continue;
            }
            Matcher b = BLOCK.matcher(line);
            if (!b.find() || !line.endsWith("{")) {
                continue;
            }
            String kind = b.group(1);
            String blockName = NftValues.unquote(b.group(2));
            List<String> body = new ArrayList<>();
            int depth = 1;
            for (i++; i < lines.length; i++) {
                String inner = lines[i].strip();
                depth += count(inner, '{') - count(inner, '}');
                if (depth <= 0) {
                    break;
                }
                body.add(inner);
            }
            if (kind.equals("chain")) {
                chainLines.put(blockName, body);
            } else if (kind.equals("set") || kind.equals("map")) {
                sets.put(blockName, elements(body));
            }
            chainHeads.putIfAbsent(blockName, kind);
        }
        if (!managed && (family.equals("ip") || family.equals("ip6")) && XTABLES.contains(name)
                && chainLines.keySet().stream().anyMatch(c -> Set.of("INPUT", "PREROUTING", "FORWARD", "OUTPUT", "POSTROUTING")
                        .contains(c))) {
            managed = true;
        }
        Map<String, Chain> chains = new LinkedHashMap<>();
        List<Object[]> hooked = new ArrayList<>();
        for (Map.Entry<String, List<String>> c : chainLines.entrySet()) {
            List<Rule> rules = new ArrayList<>();
            Verdict policy = null;
            for (String line : c.getValue()) {
                if (line.isEmpty() || line.startsWith("#") || line.startsWith("comment ")) {
                    continue;
                }
                Matcher type = CHAIN_TYPE.matcher(line);
                if (line.startsWith("type ") && type.find()) {
                    policy = "drop".equals(type.group(5)) ? Verdict.DROP : Verdict.ACCEPT;
                    hooked.add(new Object[] { c.getKey(), type.group(1), type.group(2), type.group(3), type.group(4) });
                    continue;
                }
                rules.add(new Rule(NftRule.compile(line, sets), line));
            }
            chains.put(c.getKey(), new Chain(c.getKey(), List.copyOf(rules), policy));
        }
        List<BaseChain> bases = new ArrayList<>();
        if (!dormant) {
            Map<String, Chain> all = Map.copyOf(chains);
            for (Object[] h : hooked) {
                Hook hook = Hook.of((String) h[2]);
                String type = (String) h[1];
                if (hook == null || type.equals("route")) {
                    continue;
                }
                String device = h[3] == null ? null : NftValues.unquote(((String) h[3]).replaceAll("[{}\\s]", "").split(",")[0]);
                bases.add(new BaseChain("nftables " + family + " " + name + " " + h[0], family, hook, priority((String) h[4]),
                        device, chains.get((String) h[0]), all, type.equals("nat")));
            }
        }
        tables.add(new Table(family, name, managed, List.copyOf(bases)));
        return i;
    }

    /** A priority as nft prints it: {@code -150}, {@code filter}, {@code filter + 10}, {@code mangle - 5}. */
    static int priority(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT).replace(" ", "");
        Matcher m = Pattern.compile("^([a-z]+)?([+-]?\\d+)?$").matcher(t);
        if (!m.find()) {
            return 0;
        }
        int base = m.group(1) == null ? 0 : PRIORITIES.getOrDefault(m.group(1), 0);
        int offset = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
        return base + offset;
    }

    /** A set's or map's {@code elements = { … }}, which may run over several lines; each element as its text. */
    private static List<String> elements(List<String> body) {
        StringBuilder all = new StringBuilder();
        boolean in = false;
        for (String line : body) {
            if (line.startsWith("elements")) {
                in = true;
                all.append(line.substring(line.indexOf('{') + 1));
            } else if (in) {
                all.append(' ').append(line);
            }
        }
        String text = all.toString();
        int close = text.lastIndexOf('}');
        if (close >= 0) {
            text = text.substring(0, close);
        }
        List<String> elements = new ArrayList<>();
        for (String element : text.split(",")) {
            String e = element.strip();
            // per-element annotations: timeout 1h expires 59m, counter packets 0 bytes 0, comment "…"
            e = e.replaceAll("\\s+(timeout|expires|counter|comment)\\b.*$", "");
            if (!e.isEmpty()) {
                elements.add(e.replaceAll("\\s+", " "));
            }
        }
        return elements;
    }

    private static int count(String text, char c) {
        int n = 0;
        boolean quoted = false;
        for (char x : text.toCharArray()) {
            if (x == '"') {
                quoted = !quoted;
            } else if (x == c && !quoted) {
                n++;
            }
        }
        return n;
    }
}
