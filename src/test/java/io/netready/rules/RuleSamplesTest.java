package io.netready.rules;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.netready.facts.NodeFacts;
import io.netready.reportformat.ReportReader;
import io.netready.rules.catalog.RuleCatalog;
import io.netready.rules.catalog.RuleEngine;
import io.netready.support.RuleSampleFile;
import io.netready.support.RuleSampleFile.Expectations;

/**
 * Every rule against its example reports: real probe output captured in network namespaces set up to pass or fail
 * the rule (src/test/probe/capture-rule-samples.sh), as text files (src/test/resources/rule-samples/README.md). A
 * node sample is {@code <rule>/<expected>-<what>.txt}; a cluster sample is a directory of node reports with
 * cluster.properties. Each report file says what the rule must answer (status, message, fix), compared exactly;
 * {@code -Drule-samples.update=true} rewrites those entries from what the rules say now, for a deliberate change.
 */
class RuleSamplesTest {

    static final Path SAMPLES = Path.of("src/test/resources/rule-samples");
    /** Rules that cannot be made to fail (or pass) on the machines the samples are captured on; see the README. */
    static final Map<String, String> KNOWN_GAPS = Map.of(
            "unique-product-uuid", "the capture VM has no DMI, so every report shows product_uuid absent (skip)");

    private static final ReportReader READER = new ReportReader(64 * 1024 * 1024);
    private static final RuleCatalog CATALOG = new RuleCatalog();
    private static final RuleEngine ENGINE = new RuleEngine(CATALOG);
    private static final boolean UPDATE = Boolean.getBoolean("rule-samples.update");

    /** One sample: the rule, what it should say, and where the reports are. */
    record Sample(String rule, String expected, Path path) {
        @Override
        public String toString() {
            return rule + "/" + path.getFileName();
        }
    }

    static Stream<Sample> samples() throws IOException {
        List<Sample> samples = new ArrayList<>();
        try (Stream<Path> rules = Files.list(SAMPLES)) {
            for (Path ruleDir : rules.filter(Files::isDirectory).sorted().toList()) {
                try (Stream<Path> entries = Files.list(ruleDir)) {
                    for (Path entry : entries.sorted().toList()) {
                        String name = entry.getFileName().toString();
                        if (Files.isDirectory(entry) || name.endsWith(".txt")) {
                            samples.add(new Sample(ruleDir.getFileName().toString(), name.substring(0, name.indexOf('-')), entry));
                        }
                    }
                }
            }
        }
        return samples.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void ruleSaysWhatTheSampleShows(Sample sample) throws IOException {
        RuleInfo info = CATALOG.find(sample.rule()).orElseThrow(() -> new AssertionError("no rule " + sample.rule()));
        if (Files.isDirectory(sample.path())) {
            clusterSample(sample, info);
        } else {
            nodeSample(sample, info);
        }
    }

    @Test
    void everyRuleHasSamplesThatPassAndFail() throws IOException {
        Map<String, Set<String>> outcomes = new TreeMap<>();
        samples().forEach(s -> outcomes.computeIfAbsent(s.rule(), k -> new java.util.TreeSet<>()).add(s.expected()));
        for (RuleInfo info : CATALOG.all()) {
            if (KNOWN_GAPS.containsKey(info.id())) {
                assertTrue(outcomes.containsKey(info.id()), info.id() + " has no sample at all");
                continue;
            }
            Set<String> seen = outcomes.getOrDefault(info.id(), Set.of());
            assertTrue(seen.contains("pass"), info.id() + " has no passing sample: " + seen);
            assertTrue(seen.contains("fail") || seen.contains("warn"), info.id() + " has no failing sample: " + seen);
        }
    }

    private static void nodeSample(Sample sample, RuleInfo info) throws IOException {
        RuleSampleFile.Sample file = RuleSampleFile.read(sample.path());
        assertEquals(sample.expected(), file.expect().status(), sample + ": the file name and its expect status disagree");
        Properties sidecar = sidecar(sample.path());
        NodeFacts facts = NodeFacts.from(READER.parse(file.reportJson()), clockOffset(sidecar));
        ClusterSettings settings = settings(sidecar);
        Finding finding;
        if (info.scope() == Scope.NODE) {
            finding = ENGINE.evaluateNode(facts, settings).stream().filter(f -> f.rule().equals(info.id())).findFirst().orElseThrow();
        } else {
            NodeIdentity identity = NodeIdentity.of(1, 1, facts, settings);
            finding = ENGINE.evaluateCluster(List.of(identity), settings, Set.of(1L)).get(1L).stream()
                    .filter(f -> f.rule().equals(info.id())).findFirst().orElseThrow();
        }
        check(sample.toString(), sample.path(), file, finding);
    }

    private static void clusterSample(Sample sample, RuleInfo info) throws IOException {
        Properties clusterProperties = load(sample.path().resolve("cluster.properties"));
        ClusterSettings settings = settings(clusterProperties);
        List<NodeIdentity> nodes = new ArrayList<>();
        Map<Long, NodeFacts> reports = new TreeMap<>();
        Map<Long, Path> paths = new TreeMap<>();
        Map<Long, RuleSampleFile.Sample> files = new TreeMap<>();
        long id = 1;
        try (Stream<Path> entries = Files.list(sample.path())) {
            for (Path path : entries.filter(f -> f.toString().endsWith(".txt")).sorted().toList()) {
                RuleSampleFile.Sample file = RuleSampleFile.read(path);
                NodeFacts facts = NodeFacts.from(READER.parse(file.reportJson()));
                // as if the portal had received each report when it was collected: who reported an identity value first
                NodeIdentity identity = NodeIdentity.of(id, id, facts, settings);
                nodes.add(identity.withSince(IdentitySince.carried(null, identity, facts.report().collectedAt())));
                reports.put(id, facts);
                paths.put(id, path);
                files.put(id, file);
                id++;
            }
        }
        assertFalse(nodes.isEmpty(), sample + " has no node reports");
        Map<Long, List<Finding>> findings = ENGINE.evaluateCluster(InMemoryClusterView.of(nodes, reports), settings,
                paths.keySet());
        for (Map.Entry<Long, Path> node : paths.entrySet()) {
            Finding finding = findings.get(node.getKey()).stream().filter(f -> f.rule().equals(info.id())).findFirst().orElseThrow();
            check(sample + "/" + node.getValue().getFileName(), node.getValue(), files.get(node.getKey()), finding);
        }
    }

    /** The finding against the file's expect entries, exactly; in update mode the entries are rewritten first. */
    private static void check(String what, Path path, RuleSampleFile.Sample file, Finding finding) {
        Expectations actual = expectations(finding);
        if (UPDATE && !actual.equals(file.expect())) {
            RuleSampleFile.write(path, file.withExpect(actual));
        }
        Expectations want = UPDATE ? actual : file.expect();
        String hint = " (after a deliberate change: -Drule-samples.update=true rewrites the expect entries)";
        assertAll(what,
                () -> assertEquals(want.status(), actual.status(), what + ": expect status" + hint + "; evidence "
                        + finding.evidence()),
                () -> assertEquals(want.message(), actual.message(), what + ": expect message" + hint),
                () -> assertEquals(want.fix(), actual.fix(), what + ": expect fix" + hint),
                () -> assertEquals(want.notes(), actual.notes(), what + ": expect notes" + hint));
        assertFalse(finding.message().isBlank(), what + ": a finding says why");
        if (finding.isProblem()) {
            assertFalse(finding.remediation().isEmpty(), what + ": a " + actual.status() + " comes with a remediation");
            assertFalse(finding.evidence().isEmpty(), what + ": a " + actual.status() + " shows its evidence");
        }
    }

    /**
     * What a finding says, as a sample file keeps it: the fix is the remediation's script as its lines (a
     * {@link Snippet} script ends in a newline; the entry's last line ends it).
     */
    static Expectations expectations(Finding finding) {
        return new Expectations(finding.status().word(), finding.message(), fixLines(finding.remediation().script()),
                finding.remediation().notes());
    }

    private static String fixLines(String script) {
        if (script == null || script.isBlank()) {
            return null;
        }
        return script.endsWith("\n") ? script.substring(0, script.length() - 1) : script;
    }

    private static ClusterSettings settings(Properties properties) {
        return new ClusterSettings(blankToNull(properties.getProperty("podCidr")),
                blankToNull(properties.getProperty("serviceCidr")), RoutingMode.fromWord(properties.getProperty("routingMode", "unknown")).orElseThrow());
    }

    /** The clock offset the capture measured as the portal would at a direct upload (clockOffsetMs), if any. */
    private static Duration clockOffset(Properties properties) {
        String ms = blankToNull(properties.getProperty("clockOffsetMs"));
        return ms == null ? null : Duration.ofMillis(Long.parseLong(ms));
    }

    private static Properties sidecar(Path sample) {
        Path properties = Path.of(sample.toString().replaceAll("\\.txt$", ".properties"));
        return Files.exists(properties) ? load(properties) : new Properties();
    }

    private static Properties load(Path path) {
        Properties properties = new Properties();
        if (Files.exists(path)) {
            try (Reader reader = Files.newBufferedReader(path)) {
                properties.load(reader);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return properties;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
