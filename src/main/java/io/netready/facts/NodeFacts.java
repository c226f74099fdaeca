package io.netready.facts;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.netready.facts.firewall.Firewall;
import io.netready.facts.firewall.Ruleset;
import io.netready.reportformat.ReportDocument;

/**
 * Everything netready knows about a node from one report, parsed from its raw sections. Parsing never throws:
 * a section that is missing, unreadable or in an unknown form leaves its fact unavailable, with the reason.
 */
public record NodeFacts(ReportDocument report, String hostname, Parsed<List<NetInterface>> interfaces,
        Parsed<List<Route>> routes, Parsed<List<Route>> routes6, Parsed<List<Listener>> listeners,
        Parsed<Map<String, String>> sysctls, Parsed<Set<String>> modules, Parsed<Set<String>> filesystems,
        Parsed<IptablesRuleset> iptables, Parsed<Boolean> iptablesLegacyHasRules, Parsed<Boolean> iptablesNftHasRules,
        Parsed<NftRuleset> nftables, Parsed<Firewall> firewall, Parsed<HostFirewall> firewalld, Parsed<HostFirewall> ufw,
        Parsed<Resolver> resolver, Parsed<Resolver> systemdResolver, Parsed<HostsFile> hosts,
        Parsed<List<CniConfig>> cniConfigs, Parsed<Set<String>> cniBinaries, Parsed<List<String>> swaps,
        Parsed<Map<String, String>> kubeletConfig, Parsed<ProxySettings> proxies, Parsed<NodeTools> tools,
        Parsed<OsRelease> osRelease, TimeSync timeSync, Parsed<Duration> clockOffset) {

    /** Why a report has no clock measurement: the portal measures only what the probe uploads as it collects it. */
    public static final String NO_CLOCK_MEASUREMENT = "the portal compares the node's clock with its own only for "
            + "reports the probe uploads directly (not spooled, retried or uploaded as a file)";

    public static NodeFacts from(ReportDocument report) {
        return from(report, null);
    }

    /**
     * The facts of a report, with the portal's measurement of the node's clock at its upload: its receipt time minus
     * the time the probe finished collecting by the node's clock (null when not measured).
     */
    public static NodeFacts from(ReportDocument report, Duration clockOffset) {
        Parsed<String> links = Sections.text(report, "links");
        Parsed<String> addresses = Sections.text(report, "addresses");
        return new NodeFacts(report, report.hostname(),
                InterfaceParser.parse(links, addresses, Sections.source(report, "addresses")),
                RouteParser.parse(Sections.text(report, "routes"), Sections.source(report, "routes"), false),
                RouteParser.parse(Sections.text(report, "routes6"), Sections.source(report, "routes6"), true),
                ListenerParser.parse(Sections.text(report, "listeners"), Sections.source(report, "listeners")),
                SysctlParser.parse(report),
                Sections.text(report, "modules").map(NodeFacts::firstWords),
                Sections.text(report, "filesystems").map(NodeFacts::lastWords),
                cached(report, "iptables", text -> IptablesRuleset.parse("iptables", text)),
                cached(report, "iptables-legacy", IptablesRuleset::hasRules),
                cached(report, "iptables-nft", IptablesRuleset::hasRules),
                cached(report, "nftables", NftRuleset::parse),
                firewall(report),
                firewalld(report),
                Sections.text(report, "ufw").map(HostFirewall::ufw),
                Sections.text(report, "resolv-conf").map(Resolver::parse),
                Sections.text(report, "resolv-conf-systemd").map(Resolver::parse),
                Sections.text(report, "hosts").map(HostsFile::parse),
                cniConfigs(report),
                Sections.text(report, "cni-bin").map(NodeFacts::listedFiles),
                Sections.text(report, "swaps").map(NodeFacts::activeSwaps),
                Sections.text(report, "kubelet-config").map(NodeFacts::yamlTopLevel),
                proxies(report),
                Sections.text(report, "node-tools").map(NodeTools::parse),
                Sections.text(report, "os-release").map(OsRelease::parse),
                TimeSync.from(report),
                clockOffset == null ? Parsed.unavailable("upload", NO_CLOCK_MEASUREMENT) : Parsed.of("upload", clockOffset));
    }

    /** The shell's proxy variables and those of the node's configuration files, when either section could be read. */
    private static Parsed<ProxySettings> proxies(ReportDocument report) {
        Parsed<String> shell = Sections.text(report, "proxy-env");
        Parsed<String> config = Sections.text(report, "proxy-config");
        if (!shell.isAvailable() && !config.isAvailable()) {
            return Parsed.unavailable("proxy-env", shell.problem());
        }
        return Parsed.of(config.isAvailable() ? "proxy-config" : "proxy-env",
                ProxySettings.parse(shell.value(), config.value()));
    }

    /** The node's IPv4 default route, if any. */
    public Optional<Route> defaultRoute() {
        return routes.asOptional().flatMap(rs -> rs.stream().filter(Route::isDefault).findFirst());
    }

    /** The interface the default route leaves by, else the first up interface with a global IPv4 address. */
    public Optional<NetInterface> primaryInterface() {
        if (!interfaces.isAvailable()) {
            return Optional.empty();
        }
        Optional<String> device = defaultRoute().map(Route::device);
        if (device.isPresent()) {
            Optional<NetInterface> byRoute = interfaces.value().stream().filter(i -> i.name().equals(device.get())).findFirst();
            if (byRoute.isPresent()) {
                return byRoute;
            }
        }
        return interfaces.value().stream().filter(i -> !i.isLoopback() && i.up() && i.hasGlobalIpv4()).findFirst();
    }

    /** The address other nodes reach this one at: the default route's source, else the primary interface's IPv4. */
    public Optional<String> nodeIp() {
        Optional<String> src = defaultRoute().map(Route::preferredSource).filter(s -> s != null && !s.isBlank());
        if (src.isPresent()) {
            return src;
        }
        return primaryInterface().flatMap(i -> i.addresses().stream().filter(a -> a.isIpv4() && a.isGlobal())
                .map(NetInterface.IfAddress::address).findFirst());
    }

    /** The CNI configuration the runtime uses: the first valid-or-not file by name. */
    public Optional<CniConfig> activeCniConfig() {
        return cniConfigs.asOptional().flatMap(list -> list.stream().findFirst());
    }

    public Optional<String> sysctl(String key) {
        return sysctls.asOptional().map(values -> values.get(key));
    }

    /**
     * The TCP connects the probe tried to the peers of its reachability plan; unavailable where the report has no
     * {@code reachability} section (no plan: an older portal, or a run offline without {@code --plan}).
     */
    public Parsed<List<ReachabilityAttempt>> reachability() {
        Parsed<String> outcomes = Sections.text(report, "reachability");
        String times = Sections.text(report, "reachability-times").asOptional().orElse("");
        return outcomes.map(text -> ReachabilityAttempt.parse(text, times));
    }

    /** The tunnel devices of overlay CNIs (vxlan, geneve, wireguard, ipip) among the node's links. */
    public Parsed<List<OverlayDevice>> overlayDevices() {
        return OverlayDevice.parse(Sections.text(report, "links"));
    }

    /**
     * A flag of the kubelet's command line as kubeadm writes it in /var/lib/kubelet/kubeadm-flags.env
     * ({@code KUBELET_KUBEADM_ARGS="--node-ip=10.0.0.5 ..."}), by name without dashes; empty when not there.
     */
    public Optional<String> kubeletFlag(String name) {
        Parsed<String> flags = Sections.text(report, "kubelet-flags");
        if (!flags.isAvailable()) {
            return Optional.empty();
        }
        String[] words = flags.value().replace('"', ' ').replace('\'', ' ').split("\\s+");
        for (int i = 0; i < words.length; i++) {
            if (words[i].startsWith("--" + name + "=")) {
                return Optional.of(words[i].substring(name.length() + 3));
            }
            if (words[i].equals("--" + name) && i + 1 < words.length && !words[i + 1].startsWith("-")) {
                return Optional.of(words[i + 1]);
            }
        }
        return Optional.empty();
    }

    /**
     * The {@code KEY=VALUE} lines of a section, such as the probe's {@code cluster-cidrs/*} extracts; empty when the
     * section is missing or unreadable. The first line of a key wins.
     */
    public Map<String, String> keyValues(String section) {
        Parsed<String> text = Sections.text(report, section);
        if (!text.isAvailable()) {
            return Map.of();
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : text.value().split("\n")) {
            int equals = line.indexOf('=');
            if (equals > 0) {
                values.putIfAbsent(line.substring(0, equals).strip(), line.substring(equals + 1).strip());
            }
        }
        return values;
    }

    /**
     * The items of a top-level list of the kubelet's config.yaml, such as {@code clusterDNS}, in block
     * ({@code - 10.96.0.10} lines) or flow ({@code [10.96.0.10, fd00::a]}) form; empty when not there.
     */
    public List<String> kubeletConfigList(String key) {
        Parsed<String> config = Sections.text(report, "kubelet-config");
        if (!config.isAvailable()) {
            return List.of();
        }
        List<String> items = new ArrayList<>();
        boolean inList = false;
        for (String line : config.value().split("\n")) {
            if (line.startsWith(key + ":")) {
                String rest = line.substring(key.length() + 1).strip();
                if (rest.startsWith("[") && rest.endsWith("]")) {
                    for (String item : rest.substring(1, rest.length() - 1).split(",")) {
                        addUnquoted(items, item);
                    }
                    return List.copyOf(items);
                }
                inList = rest.isEmpty();
            } else if (inList && line.strip().startsWith("- ")) {
                addUnquoted(items, line.strip().substring(2));
            } else if (inList && !line.isBlank() && !line.strip().startsWith("#")) {
                break;
            }
        }
        return List.copyOf(items);
    }

    private static void addUnquoted(List<String> items, String item) {
        String value = item.strip();
        if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
                || value.startsWith("'") && value.endsWith("'"))) {
            value = value.substring(1, value.length() - 1);
        }
        if (!value.isEmpty()) {
            items.add(value);
        }
    }

    /** A large section's parse, shared by every report that carries the same bytes. */
    private static <T> Parsed<T> cached(ReportDocument report, String name, java.util.function.Function<String, T> parser) {
        String problem = Sections.problem(report, name);
        if (problem != null) {
            return Parsed.unavailable(name, problem);
        }
        return Parsed.of(name, ParseCache.get(name, report.section(name).orElseThrow(), parser));
    }

    /**
     * The packet filter from every dump the probe sent: iptables' nf_tables backend ({@code iptables-nft}, the same
     * program as {@code iptables} on most distributions), iptables-legacy, ip6tables and nft's own tables.
     */
    private static Parsed<Firewall> firewall(ReportDocument report) {
        String version = Sections.text(report, "iptables-version").asOptional().orElse("");
        boolean legacyFirst = version.contains("legacy");
        Ruleset nftBackend = ruleset(report, "iptables-nft", legacyFirst ? "iptables-nft" : "iptables");
        if (nftBackend == null && !legacyFirst) {
            nftBackend = ruleset(report, "iptables", "iptables");
        }
        Ruleset legacy = ruleset(report, "iptables-legacy", legacyFirst ? "iptables" : "iptables-legacy");
        if (legacy == null && legacyFirst) {
            legacy = ruleset(report, "iptables", "iptables");
        }
        Ruleset ip6 = ruleset(report, "ip6tables", "ip6tables");
        Ruleset nft = Sections.problem(report, "nftables") == null
                ? ParseCache.get("firewall:nftables", report.section("nftables").orElseThrow(), Ruleset::nft)
                : null;
        if (nftBackend == null && legacy == null && nft == null) {
            String problem = Sections.problem(report, "iptables");
            return Parsed.unavailable("iptables", problem == null ? Sections.problem(report, "nftables") : problem);
        }
        return Parsed.of("iptables", Firewall.of(nftBackend, legacy, ip6, nft));
    }

    private static Ruleset ruleset(ReportDocument report, String section, String label) {
        if (Sections.problem(report, section) != null) {
            return null;
        }
        return ParseCache.get("firewall:" + label, report.section(section).orElseThrow(), text -> Ruleset.iptables(text, label));
    }

    private static Parsed<HostFirewall> firewalld(ReportDocument report) {
        Optional<io.netready.reportformat.ReportSection> state = report.section("firewalld");
        if (state.isEmpty() || "missing".equals(state.get().status())) {
            return Parsed.unavailable("firewalld", "firewalld is not installed");
        }
        String zone = Sections.text(report, "firewalld-zone").asOptional().orElse(null);
        return Parsed.of("firewalld", HostFirewall.firewalld(state.get().text(), zone));
    }

    private static Parsed<List<CniConfig>> cniConfigs(ReportDocument report) {
        String dirStatus = Sections.status(report, "cni-config-dir");
        if ("absent".equals(dirStatus)) {
            return Parsed.of("cni-config-dir", List.of());
        }
        if (!"ok".equals(dirStatus) && !"error".equals(dirStatus)) {
            return Parsed.unavailable("cni-config-dir", Sections.text(report, "cni-config-dir").problem());
        }
        List<CniConfig> configs = new ArrayList<>();
        report.sections().forEach((name, section) -> {
            if (name.startsWith("cni-config/")) {
                String file = section.source().substring(section.source().lastIndexOf('/') + 1);
                configs.add(section.isOk() ? CniConfig.parse(file, section.text())
                        : new CniConfig(file, null, List.of(), List.of(), null, "unreadable (" + section.status() + ")"));
            }
        });
        // The runtime takes the first file in lexical order of the real file names.
        configs.sort(Comparator.comparing(CniConfig::file));
        return Parsed.of("cni-config-dir", List.copyOf(configs));
    }

    private static Set<String> firstWords(String text) {
        Set<String> words = new LinkedHashSet<>();
        for (String line : text.split("\n")) {
            String[] t = line.strip().split("\\s+");
            if (!t[0].isEmpty()) {
                words.add(t[0]);
            }
        }
        return words;
    }

    private static Set<String> lastWords(String text) {
        Set<String> words = new LinkedHashSet<>();
        for (String line : text.split("\n")) {
            String[] t = line.strip().split("\\s+");
            if (!t[t.length - 1].isEmpty()) {
                words.add(t[t.length - 1]);
            }
        }
        return words;
    }

    /** File names from {@code ls -l}: the last word of each line that is a file entry. */
    private static Set<String> listedFiles(String text) {
        Set<String> files = new LinkedHashSet<>();
        for (String line : text.split("\n")) {
            String[] t = line.strip().split("\\s+");
            if (t.length >= 9 && (t[0].startsWith("-") || t[0].startsWith("l"))) {
                files.add(t[0].startsWith("l") && t.length >= 11 ? t[t.length - 3] : t[t.length - 1]);
            }
        }
        return files;
    }

    /** Active swap areas of /proc/swaps (the first line is the header). */
    private static List<String> activeSwaps(String text) {
        List<String> swaps = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.isBlank() && !line.startsWith("Filename")) {
                swaps.add(line.strip());
            }
        }
        return swaps;
    }

    /** The top-level scalar keys of a YAML file such as the kubelet's config.yaml. */
    private static Map<String, String> yamlTopLevel(String text) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.isEmpty() || Character.isWhitespace(line.charAt(0)) || line.startsWith("#") || line.startsWith("-")) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon > 0) {
                String value = line.substring(colon + 1).strip();
                if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
                        || value.startsWith("'") && value.endsWith("'"))) {
                    value = value.substring(1, value.length() - 1);
                }
                values.put(line.substring(0, colon).strip(), value);
            }
        }
        return values;
    }
}
