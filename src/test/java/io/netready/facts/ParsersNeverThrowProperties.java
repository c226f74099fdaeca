package io.netready.facts;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

import io.netready.reportformat.Phase;
import io.netready.reportformat.ReportDocument;
import io.netready.reportformat.ReportReader;
import io.netready.reportformat.ReportSection;
import io.netready.reportformat.Role;
import io.netready.rules.ClusterSettings;
import io.netready.rules.NodeIdentity;
import io.netready.rules.RoutingMode;
import io.netready.rules.catalog.RuleCatalog;
import io.netready.rules.catalog.RuleEngine;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Every parser and rule on arbitrary section contents: random text, and real probe output cut, spliced and sprinkled
 * with odd characters. Nothing may throw, and nothing may take long (a parser that loops fails the timeout).
 */
class ParsersNeverThrowProperties {

    private static final RuleEngine ENGINE = new RuleEngine(new RuleCatalog());
    private static final ClusterSettings SETTINGS = new ClusterSettings("10.244.0.0/16", "10.96.0.0/12", RoutingMode.ROUTED);
    private static final List<String> SECTIONS = List.of("links", "addresses", "routes", "routes6", "listeners", "sysctl",
            "modules", "filesystems", "iptables", "iptables-legacy", "iptables-nft", "nftables", "firewalld",
            "firewalld-zone", "ufw", "resolv-conf", "resolv-conf-systemd", "hosts", "cni-config/10-x.conflist",
            "cni-config-dir", "cni-bin", "swaps", "kubelet-config", "neighbours");
    private static final List<String> REAL = realOutputs();

    @Property(tries = 400)
    void parsersAndRulesNeverThrowOnAnySectionText(@ForAll("sectionTexts") List<String> texts,
            @ForAll("sources") List<String> sources) {
        SortedMap<String, ReportSection> sections = new TreeMap<>();
        sections.put("hostname", ReportSection.of("hostname", "hostname", "ok", 0, "node-1\n".getBytes(StandardCharsets.UTF_8),
                new byte[0], 7, false));
        for (int i = 0; i < SECTIONS.size(); i++) {
            byte[] output = texts.get(i % texts.size()).getBytes(StandardCharsets.UTF_8);
            sections.put(SECTIONS.get(i), ReportSection.of(SECTIONS.get(i), sources.get(i % sources.size()), "ok", 0, output,
                    new byte[0], output.length, false));
        }
        ReportDocument document = new ReportDocument(ReportDocument.FORMAT_V1, "fuzz-report-1", Instant.now(), "0.1.0", 0,
                Role.CONTROL_PLANE, Phase.RUNNING, sections);
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            NodeFacts facts = NodeFacts.from(document);
            ENGINE.evaluateNode(facts, SETTINGS);
            NodeIdentity identity = NodeIdentity.of(1, 1, facts, SETTINGS);
            ENGINE.evaluateCluster(List.of(identity), SETTINGS, List.of(1L));
        });
    }

    @Provide
    Arbitrary<List<String>> sectionTexts() {
        Arbitrary<String> random = Arbitraries.strings().all().ofMaxLength(400);
        Arbitrary<String> lines = Arbitraries.strings().withChars(" \t\n:/.,-=[]{}\"*!@0123456789abcdefABCDEF")
                .ofMaxLength(400);
        Arbitrary<String> mutated = Combinators.combine(Arbitraries.of(REAL), Arbitraries.integers().between(0, 100),
                Arbitraries.integers().between(0, 100), Arbitraries.strings().all().ofMaxLength(8))
                .as(ParsersNeverThrowProperties::mutate);
        return Arbitraries.oneOf(random, lines, mutated, Arbitraries.of(REAL)).list().ofMinSize(1).ofMaxSize(SECTIONS.size());
    }

    @Provide
    Arbitrary<List<String>> sources() {
        return Arbitraries.of("ip -j -d link show", "ip -j addr show", "ip addr show", "ip -d link show", "ifconfig -a",
                "ip -j route show", "ip route show", "route -n", "netstat -rn", "ss -Htlnup", "netstat -plntu",
                "sysctl", "iptables-save", "nft list ruleset", "firewall-cmd --state", "ufw status verbose",
                "/etc/cni/net.d/10-x.conflist", "ls -l /opt/cni/bin", "/proc/swaps").list().ofMinSize(1).ofMaxSize(8);
    }

    /** Real output cut at a place, with odd text put in at another. */
    static String mutate(String text, int cutPercent, int insertPercent, String junk) {
        String cut = text.substring(0, text.length() * cutPercent / 100);
        int at = cut.length() * insertPercent / 100;
        return cut.substring(0, at) + junk + cut.substring(at);
    }

    /** The outputs of real probe reports: the rule samples and the parser fixtures. */
    private static List<String> realOutputs() {
        List<String> outputs = new ArrayList<>();
        ReportReader reader = new ReportReader(64 * 1024 * 1024);
        try (Stream<Path> files = Stream.concat(
                Files.walk(Path.of("src/test/resources/parser-fixtures")),
                Stream.of(Path.of("src/test/resources/rule-samples/firewall-ports/fail-nft.txt"),
                        Path.of("src/test/resources/rule-samples/cni-config/pass-bridge-host-local.txt")))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json") || f.toString().endsWith(".txt")).toList()) {
                byte[] json = file.toString().endsWith(".txt") ? io.netready.support.RuleSampleFile.reportJson(file)
                        : Files.readAllBytes(file);
                reader.parse(json).sections().values().forEach(s -> {
                    if (s.output().length > 0 && s.output().length < 20_000) {
                        outputs.add(s.text());
                    }
                });
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return outputs;
    }
}
