package io.netready.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import io.netready.facts.NodeFacts;
import io.netready.reportformat.ReportDocument;
import io.netready.reportformat.ReportReader;
import io.netready.rules.ClusterSettings;
import io.netready.rules.Finding;
import io.netready.rules.NodeIdentity;
import io.netready.rules.RoutingMode;
import io.netready.rules.catalog.RuleCatalog;
import io.netready.rules.catalog.RuleEngine;

/**
 * Benchmark: the median time to parse and evaluate one typical report (bytes in, findings out: validation, base64,
 * every parser, every node rule, every cluster rule against a 10-node cluster). Target: under 5 ms.
 * Run: ./mvnw -Pbench verify (see the README). Prints figures; asserts nothing.
 */
public final class RuleBenchmark {

    static final double TARGET_MS = 5.0;
    /** Real probe reports of kubeadm-like nodes: a control plane and a worker, running. */
    static final List<Path> TYPICAL = List.of(
            Path.of("src/test/resources/rule-samples/required-ports/pass-controlplane-running.txt"),
            Path.of("src/test/resources/rule-samples/required-ports/pass-worker-running.txt"),
            Path.of("src/test/resources/rule-samples/cni-config/pass-bridge-host-local.txt"));

    private RuleBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        ReportReader reader = new ReportReader(64 * 1024 * 1024);
        RuleEngine engine = new RuleEngine(new RuleCatalog());
        ClusterSettings settings = new ClusterSettings("10.244.0.0/16", "10.96.0.0/12", RoutingMode.ROUTED);
        List<byte[]> reports = new ArrayList<>();
        for (Path path : TYPICAL) {
            reports.add(io.netready.support.RuleSampleFile.reportJson(path));
        }
        List<NodeIdentity> peers = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            ReportDocument document = reader.parse(reports.get(i % reports.size()));
            peers.add(NodeIdentity.of(100 + i, 100 + i, NodeFacts.from(document), settings));
        }
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 9;
        int perRound = 600;
        long sink = 0;
        // Warm-up: let the JIT compile the parsers and rules.
        long warmUntil = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < warmUntil) {
            sink += once(reader, engine, settings, reports.get((int) (sink % reports.size())), peers);
        }
        double[] roundMedians = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            double[] times = new double[perRound];
            for (int i = 0; i < perRound; i++) {
                long start = System.nanoTime();
                sink += once(reader, engine, settings, reports.get(i % reports.size()), peers);
                times[i] = (System.nanoTime() - start) / 1e6;
            }
            Arrays.sort(times);
            roundMedians[r] = times[perRound / 2];
        }
        Arrays.sort(roundMedians);
        double median = roundMedians[rounds / 2];
        int bytes = reports.stream().mapToInt(b -> b.length).sum() / reports.size();
        System.out.println();
        System.out.println("| figure | target | measured | met |");
        System.out.println("| --- | --- | --- | --- |");
        System.out.printf("| parse + evaluate one typical report (%d kB, %d rules, 10-node cluster), median of %d rounds x %d | < %.0f ms | %.3f ms (rounds %.3f-%.3f) | %s |%n",
                bytes / 1024, new RuleCatalog().all().size(), rounds, perRound, TARGET_MS, median, roundMedians[0],
                roundMedians[rounds - 1], median < TARGET_MS ? "yes" : "NO");
        System.out.println("(checksum " + sink + ")");
    }

    private static long once(ReportReader reader, RuleEngine engine, ClusterSettings settings, byte[] report,
            List<NodeIdentity> peers) {
        NodeFacts facts = NodeFacts.from(reader.parse(report));
        List<Finding> findings = new ArrayList<>(engine.evaluateNode(facts, settings));
        List<NodeIdentity> nodes = new ArrayList<>(peers);
        nodes.add(NodeIdentity.of(1, 1, facts, settings));
        findings.addAll(engine.evaluateCluster(nodes, settings, Set.of(1L)).get(1L));
        return findings.size();
    }
}
