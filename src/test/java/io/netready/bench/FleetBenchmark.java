package io.netready.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.agroal.api.AgroalDataSource;
import io.netready.facts.NodeFacts;
import io.netready.reportformat.ReportReader;
import io.netready.rules.ClusterSettings;
import io.netready.rules.RoutingMode;
import io.netready.rules.catalog.RuleCatalog;
import io.netready.rules.catalog.RuleEngine;
import io.netready.support.BrowserSession;
import io.netready.support.Portal;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWireMock;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.RestAssured;

/**
 * The performance targets of netready, measured on this machine with the portal and PostgreSQL together, printed as a
 * table of figure, target, measured, met. It asserts nothing: run it with {@code ./mvnw -Pbench verify}. Fleets are
 * built from real probe reports (src/test/resources/bench-reports, made by src/test/probe/capture-bench-reports.sh).
 */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class FleetBenchmark {

    static final Path TYPICAL = Path.of(System.getProperty("bench.typical", "src/test/resources/bench-reports/typical-worker.json"));
    static final Path LARGE = Path.of("src/test/resources/bench-reports/large-20k-iptables.json");
    static final int CLIENTS = Integer.getInteger("bench.clients", 8);
    static final Duration INGEST = Duration.ofSeconds(Integer.getInteger("bench.ingest.seconds", 20));
    static final int INGEST_ROUNDS = Integer.getInteger("bench.ingest.rounds", 3);
    static final Duration WARM_UP = Duration.ofSeconds(Integer.getInteger("bench.warmup.seconds", 120));
    static final int BIG_CLUSTER = Integer.getInteger("bench.cluster.nodes", 5000);
    static final int HISTORY = Integer.getInteger("bench.history.reports", 10000);
    /** How many stored reports the history figure adds before measuring ingest again. */
    static final int HISTORY_FILL = Integer.getInteger("bench.history.fill", 1_000_000);
    static final int YEAR = 365 * 24;

    @Inject
    AgroalDataSource dataSource;

    @OidcWireMock
    WireMockServer provider;

    @Inject
    io.netready.cluster.ReachabilityMatrix reachability;

    private final List<String> table = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void measure() throws Exception {
        table.add("| figure | target | measured | met |");
        table.add("| --- | --- | --- | --- |");
        Fleet typical = new Fleet(TYPICAL);
        String only = System.getProperty("bench.only", "");
        if (only.isEmpty() || only.contains("ingest")) {
            ingest(typical);
        }
        if (only.isEmpty() || only.contains("large")) {
            largeReport();
        }
        if (only.isEmpty() || only.contains("scale") || only.contains("pages")) {
            clusterScale(typical);
        }
        if (only.isEmpty() || only.contains("pages")) {
            pages(typical);
        }
        if (only.isEmpty() || only.contains("reachability")) {
            reachabilityMatrix(typical);
        }
        if (only.isEmpty() || only.contains("storage")) {
            storage(typical);
        }
        if (only.isEmpty() || only.contains("probe")) {
            probe();
        }
        if (only.contains("load")) {
            sustainedLoad(typical);
        }
        if (only.contains("history")) {
            history(typical);
        }
        System.out.println("\n==== netready benchmarks, " + Instant.now() + ", " + Runtime.getRuntime().availableProcessors()
                + " cores, heap max " + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MB ====");
        table.forEach(System.out::println);
        System.out.println();
    }

    // ---- ingest

    private void ingest(Fleet fleet) throws Exception {
        // A fleet: four clusters of 50 nodes, a token each (one token alone would meet its rate limit of 200/s).
        List<Fleet.Node> nodes = new ArrayList<>();
        List<String> tokens = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            String token = Portal.issueToken(Portal.createCluster("platform"));
            for (int i = 0; i < 50; i++) {
                nodes.add(fleet.node(c * 50 + i, "ing"));
                tokens.add(token);
            }
        }
        // The JIT settles first: on two cores the C2 compiler takes 15-20 % of the machine for the first 100 s of uploads,
        // and about nothing after 2 minutes (per-thread CPU from /proc); a portal serving a fleet is past that.
        run(nodes, tokens, WARM_UP);
        // Rounds of ingest then the floor, back to back: the machine's speed drifts over minutes, so each round's ratio
        // compares the two under the same conditions; the table gives the medians over the rounds.
        List<Run> ingests = new ArrayList<>();
        List<Run> floors = new ArrayList<>();
        double[] ratios = new double[INGEST_ROUNDS];
        for (int round = 0; round < INGEST_ROUNDS; round++) {
            ingests.add(run(nodes, tokens, INGEST));
            floors.add(rawInsert(nodes, INGEST));
            ratios[round] = ingests.get(round).rate() / floors.get(round).rate();
            System.out.printf("bench: ingest round %d: %.0f /s (p99 %.1f ms), floor %.0f /s, ratio %.2f%n", round + 1,
                    ingests.get(round).rate(), ingests.get(round).percentile(99), floors.get(round).rate(), ratios[round]);
        }
        double rate = median(ingests.stream().mapToDouble(Run::rate).toArray());
        double p50 = median(ingests.stream().mapToDouble(r -> r.percentile(50)).toArray());
        double p99 = median(ingests.stream().mapToDouble(r -> r.percentile(99)).toArray());
        double floor = median(floors.stream().mapToDouble(Run::rate).toArray());
        double ratio = median(ratios);
        long errors = ingests.stream().mapToLong(Run::errors).sum();
        String rounds = ", median of " + INGEST_ROUNDS + " rounds (" + ingests.stream().map(r -> String.format("%.0f", r.rate()))
                .collect(java.util.stream.Collectors.joining(", ")) + ")";
        row("ingest of typical reports (" + kb(fleet.rawSize()) + " kB, gzip'd " + kb(nodes.get(0).gzippedRest().length)
                + " kB), 4 clusters of 50 nodes, " + CLIENTS + " clients, " + INGEST.toSeconds() + " s after " + WARM_UP.toSeconds()
                + " s of warm-up" + rounds, "≥ 300 /s", String.format("%.0f /s", rate), rate >= 300);
        row("ingest latency p50 / p99 (medians of the rounds)", "p99 < 250 ms", String.format("%.1f / %.1f ms", p50, p99), p99 < 250);
        row("raw insert of the same bodies into the same PostgreSQL (floor), " + INGEST.toSeconds() + " s after each ingest round"
                + ", median (" + floors.stream().map(r -> String.format("%.0f", r.rate())).collect(java.util.stream.Collectors.joining(", "))
                + ")", "—", String.format("%.0f /s", floor), true);
        row("ingest / raw floor, median of the rounds' ratios (" + java.util.Arrays.stream(ratios).mapToObj(r -> String.format("%.2f", r))
                .collect(java.util.stream.Collectors.joining(", ")) + ")", "≥ 0.5", String.format("%.2f", ratio), ratio >= 0.5);
        row("ingest errors", "0", Long.toString(errors), errors == 0);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /**
     * Closed-loop load: every client uploads as fast as the portal answers. The bodies are made before the clock
     * starts, so the load generator (on the same two cores) spends its time sending, not compressing.
     */
    private Run run(List<Fleet.Node> nodes, String token, Duration duration) throws InterruptedException {
        return run(nodes, Collections.nCopies(nodes.size(), token), duration);
    }

    /** As above, node i uploading with {@code tokens.get(i)}. */
    private Run run(List<Fleet.Node> nodes, List<String> tokens, Duration duration) throws InterruptedException {
        int count = (int) Math.min(20_000, duration.toSeconds() * 600);
        ConcurrentLinkedQueue<byte[]> heads = new ConcurrentLinkedQueue<>();
        String at = Instant.now().toString().substring(0, 19) + "Z";
        for (int i = 0; i < count; i++) {
            heads.add(Fleet.head(Fleet.newReportId(), at));
        }
        return load(duration, () -> {
            int i = ThreadLocalRandom.current().nextInt(nodes.size());
            byte[] head = heads.poll();
            byte[] body = head != null ? nodes.get(i).with(head)
                    : nodes.get(i).upload(Fleet.newReportId(), Instant.now().toString().substring(0, 19) + "Z");
            return upload(tokens.get(i), body) == 201;
        });
    }

    private Run rawInsert(List<Fleet.Node> nodes, Duration duration) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS bench_raw (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, body bytea NOT NULL)");
        }
        Run run = load(duration, () -> {
            Fleet.Node node = nodes.get(ThreadLocalRandom.current().nextInt(nodes.size()));
            byte[] body = node.upload(Fleet.newReportId(), "2026-11-21T00:00:00Z");
            try (Connection c = dataSource.getConnection();
                    PreparedStatement insert = c.prepareStatement("INSERT INTO bench_raw (body) VALUES (?)")) {
                insert.setBytes(1, body);
                insert.executeUpdate();
                return true;
            }
        });
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE bench_raw");
        }
        return run;
    }

    interface Call {
        boolean call() throws Exception;
    }

    /** Requests done, errors and each request's latency over a run. */
    record Run(long requests, long errors, double seconds, double[] latenciesMs) {
        double rate() {
            return requests / seconds;
        }

        double percentile(int p) {
            if (latenciesMs.length == 0) {
                return Double.NaN;
            }
            return latenciesMs[Math.min(latenciesMs.length - 1, (int) Math.ceil(p / 100.0 * latenciesMs.length) - 1)];
        }
    }

    private Run load(Duration duration, Call call) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        ConcurrentLinkedQueue<Double> latencies = new ConcurrentLinkedQueue<>();
        AtomicLong errors = new AtomicLong();
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        for (int t = 0; t < CLIENTS; t++) {
            pool.submit(() -> {
                while (System.nanoTime() < end) {
                    long t0 = System.nanoTime();
                    boolean ok;
                    try {
                        ok = call.call();
                    } catch (Exception e) {
                        ok = false;
                    }
                    latencies.add((System.nanoTime() - t0) / 1e6);
                    if (!ok) {
                        errors.incrementAndGet();
                    }
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(duration.toSeconds() + 120, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - start) / 1e9;
        double[] sorted = latencies.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return new Run(sorted.length - errors.get(), errors.get(), seconds, sorted);
    }

    private int upload(String token, byte[] body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + "/api/v1/reports"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    // ---- sustained load (issue 6): open loop at a fixed rate, every acknowledged report checked in the database

    /**
     * Uploads at a fixed rate (open loop: the schedule does not wait for the portal) for ten minutes by default, from
     * a fleet of several clusters with a token each, as a fleet's nodes would. At most {@code bench.load.inflight}
     * uploads are in flight; when the portal falls behind, the schedule slips and the achieved rate says so. Afterwards
     * every acknowledged report id is looked up in PostgreSQL: acknowledged = stored.
     */
    private void sustainedLoad(Fleet fleet) throws Exception {
        int rate = Integer.getInteger("bench.load.rate", 300);
        int seconds = Integer.getInteger("bench.load.seconds", 600);
        int clusters = Integer.getInteger("bench.load.clusters", 10);
        int inflight = Integer.getInteger("bench.load.inflight", 64);
        List<String> clusterNames = new ArrayList<>();
        List<String> tokens = new ArrayList<>();
        List<List<Fleet.Node>> nodes = new ArrayList<>();
        for (int c = 0; c < clusters; c++) {
            String cluster = Portal.createCluster("platform");
            clusterNames.add(cluster);
            tokens.add(Portal.issueToken(cluster));
            List<Fleet.Node> members = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                members.add(fleet.node(c * 50 + i, "load"));
            }
            nodes.add(members);
        }
        ExecutorService senders = Executors.newFixedThreadPool(inflight);
        Semaphore slots = new Semaphore(inflight);
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        Map<Integer, AtomicLong> failures = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<Double> latencies = new ConcurrentLinkedQueue<>();
        long[] perMinute = new long[(seconds + 59) / 60];
        // The same rate for the warm-up first (the JIT settles, see ingest); its uploads are checked like the others
        // but count in none of the figures.
        long warmUps = (long) rate * WARM_UP.toSeconds();
        long total = (long) rate * seconds;
        long warmUpStart = System.nanoTime();
        String at = Instant.now().toString().substring(0, 19) + "Z";
        Set<String> warmUpAcknowledged = ConcurrentHashMap.newKeySet();
        AtomicLong warmUpFailures = new AtomicLong();
        for (long i = 0; i < warmUps && System.nanoTime() < warmUpStart + WARM_UP.toNanos(); i++) {
            long wait = warmUpStart + (long) (i * 1e9 / rate) - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            slots.acquire();
            int c = (int) (i % clusters);
            Fleet.Node node = nodes.get(c).get(ThreadLocalRandom.current().nextInt(nodes.get(c).size()));
            String token = tokens.get(c);
            senders.execute(() -> {
                String id = Fleet.newReportId();
                try {
                    if (upload(token, node.upload(id, at)) == 201) {
                        warmUpAcknowledged.add(id);
                    } else {
                        warmUpFailures.incrementAndGet();
                    }
                } catch (Exception e) {
                    warmUpFailures.incrementAndGet();
                } finally {
                    slots.release();
                }
            });
        }
        slots.acquire(inflight);
        slots.release(inflight);
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        for (long i = 0; i < total && System.nanoTime() < end; i++) {
            long due = start + (long) (i * 1e9 / rate);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            slots.acquire();
            int c = (int) (i % clusters);
            Fleet.Node node = nodes.get(c).get(ThreadLocalRandom.current().nextInt(nodes.get(c).size()));
            String token = tokens.get(c);
            senders.execute(() -> {
                String id = Fleet.newReportId();
                long t0 = System.nanoTime();
                int status;
                try {
                    status = upload(token, node.upload(id, at));
                } catch (Exception e) {
                    status = 0;
                } finally {
                    slots.release();
                }
                long t1 = System.nanoTime();
                latencies.add((t1 - t0) / 1e6);
                if (status == 201) {
                    acknowledged.add(id);
                    int minute = (int) Math.min(perMinute.length - 1, (t1 - start) / 60_000_000_000L);
                    synchronized (perMinute) {
                        perMinute[minute]++;
                    }
                } else {
                    failures.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
                }
            });
        }
        senders.shutdown();
        senders.awaitTermination(5, TimeUnit.MINUTES);
        double elapsed = (System.nanoTime() - start) / 1e9;
        Set<String> stored = new HashSet<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement("SELECT r.probe_report_id FROM report r JOIN cluster k ON k.id = r.cluster_id"
                        + " WHERE k.name = ANY (?)")) {
            select.setArray(1, c.createArrayOf("text", clusterNames.toArray()));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    stored.add(rows.getString(1));
                }
            }
        }
        long lost = acknowledged.stream().filter(id -> !stored.contains(id)).count();
        long warmUpLost = warmUpAcknowledged.stream().filter(id -> !stored.contains(id)).count();
        stored.removeAll(warmUpAcknowledged);
        long errors = failures.values().stream().mapToLong(AtomicLong::get).sum();
        double[] sorted = latencies.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        Run run = new Run(acknowledged.size(), errors, elapsed, sorted);
        long sent = failures.values().stream().mapToLong(AtomicLong::get).sum() + acknowledged.size();
        double slipped = (double) (total - sent) / rate;
        long slowestMinute = Arrays.stream(perMinute).min().orElse(0);
        row("sustained load: " + rate + " uploads/s offered (open loop) for " + seconds + " s, " + clusters
                + " clusters, typical reports", "≥ " + rate + " /s held", String.format("%.0f /s (%.0f s of the schedule not sent in time;"
                        + " slowest minute %d uploads)", run.rate(), Math.max(0, slipped), slowestMinute),
                run.rate() >= rate * 0.98 && slipped < 5);
        row("sustained load: errors", "0", errors + (failures.isEmpty() ? "" : " " + failures), errors == 0);
        row("sustained load: acknowledged / stored / lost", "lost 0", acknowledged.size() + " / " + stored.size() + " / " + lost,
                lost == 0 && stored.size() == acknowledged.size());
        row("sustained load: warm-up (" + WARM_UP.toSeconds() + " s at the same rate, not in the figures above): acknowledged"
                + " / lost / errors", "lost 0, errors 0", warmUpAcknowledged.size() + " / " + warmUpLost + " / " + warmUpFailures.get(),
                warmUpLost == 0 && warmUpFailures.get() == 0);
        row("sustained load: latency p50 / p99 / max", "p99 < 250 ms", String.format("%.1f / %.1f / %.0f ms",
                run.percentile(50), run.percentile(99), sorted.length == 0 ? 0 : sorted[sorted.length - 1]),
                run.percentile(99) < 250);
    }

    // ---- large report

    private void largeReport() throws Exception {
        byte[] bytes = Files.readAllBytes(LARGE);
        ReportReader reader = new ReportReader(64 * 1024 * 1024);
        RuleEngine engine = new RuleEngine(new RuleCatalog());
        ClusterSettings settings = new ClusterSettings("10.244.0.0/16", "10.96.0.0/12", RoutingMode.ROUTED);
        double[] times = new double[9];
        for (int i = -3; i < times.length; i++) {
            // A different rule comment each time: the parsers see new content, no parse is reused from a cache.
            byte[] variant = withFreshIptables(bytes, i);
            long t0 = System.nanoTime();
            engine.evaluateNode(NodeFacts.from(reader.parse(variant)), settings);
            if (i >= 0) {
                times[i] = (System.nanoTime() - t0) / 1e6;
            }
        }
        Arrays.sort(times);
        row("large report (" + kb(bytes.length) + " kB, 20,000 iptables rules, 1,000 routes): parse + evaluate, median of 9",
                "< 1000 ms", String.format("%.0f ms", times[4]), times[4] < 1000);

        String cluster = Portal.createCluster("platform");
        String token = Portal.issueToken(cluster);
        Fleet large = new Fleet(LARGE);
        List<Fleet.Node> nodes = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            nodes.add(large.node(i, "big"));
        }
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        long before = memory.getHeapMemoryUsage().getUsed();
        AtomicLong peak = new AtomicLong(before);
        AtomicLong firstHalf = new AtomicLong(0);
        AtomicLong secondHalf = new AtomicLong(0);
        long halfway = System.nanoTime() + 10_000_000_000L;
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                long live = 0;
                for (java.lang.management.MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                    if (pool.getType() == java.lang.management.MemoryType.HEAP && pool.getCollectionUsage() != null) {
                        live += pool.getCollectionUsage().getUsed();
                    }
                }
                (System.nanoTime() < halfway ? firstHalf : secondHalf).accumulateAndGet(live, Math::max);
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.start();
        Run run = run(nodes, token, Duration.ofSeconds(20));
        sampler.interrupt();
        long max = Runtime.getRuntime().maxMemory();
        boolean flat = secondHalf.get() <= firstHalf.get() * 1.1;
        row(CLIENTS + " concurrent large uploads for 20 s (portal, PostgreSQL driver and load generator in one JVM)",
                "bounded: within -Xmx " + mb(max) + " MB, live heap not growing, no errors",
                "live after GC at most " + mb(firstHalf.get()) + " MB (first 10 s), " + mb(secondHalf.get()) + " MB (last 10 s); "
                        + mb(peak.get()) + " MB before GC; " + run.requests + " uploads, " + run.errors + " errors",
                flat && peak.get() < max && run.errors == 0);
    }

    /** The report with one more comment line in its iptables and nftables dumps, so their content is new. */
    private static byte[] withFreshIptables(byte[] report, int run) throws IOException {
        com.fasterxml.jackson.databind.node.ObjectNode tree = (com.fasterxml.jackson.databind.node.ObjectNode) Fleet.JSON.readTree(report);
        for (String name : List.of("iptables", "nftables")) {
            com.fasterxml.jackson.databind.node.ObjectNode section = (com.fasterxml.jackson.databind.node.ObjectNode) tree.get("sections").get(name);
            byte[] output = java.util.Base64.getDecoder().decode(section.get("output").asText());
            byte[] fresh = ("# benchmark run " + run + " " + System.nanoTime() + "\n" + new String(output, java.nio.charset.StandardCharsets.UTF_8))
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
            section.put("output", java.util.Base64.getEncoder().encodeToString(fresh)).put("bytes", fresh.length);
        }
        return Fleet.JSON.writeValueAsBytes(tree);
    }

    // ---- cluster scale

    private void clusterScale(Fleet fleet) throws Exception {
        double small = perUpload(fleet, "s", 10);
        double smallPlan = lastPlanMs;
        double big = perUpload(fleet, "b", BIG_CLUSTER);
        double bigPlan = lastPlanMs;
        row("time per upload with a reachability section (16 peers), median of 300 sequential uploads: 10-node vs "
                + BIG_CLUSTER + "-node cluster", "ratio ≤ 2",
                String.format("%.1f ms vs %.1f ms: %.2f", small, big, big / small), big / small <= 2);
        row("reachability plan for one node (GET /api/v1/plan), median of 300: 10-node vs " + BIG_CLUSTER + "-node cluster",
                "ratio ≤ 2", String.format("%.2f ms vs %.2f ms: %.2f", smallPlan, bigPlan, bigPlan / smallPlan),
                bigPlan / smallPlan <= 2);
    }

    private double lastPlanMs;

    /** The median time of 300 plans for nodes of the cluster (after 100 that warm the path up). */
    private double planMs(String token, List<Fleet.Node> sample) throws IOException, InterruptedException {
        double[] times = new double[300];
        for (int i = -100; i < times.length; i++) {
            Fleet.Node node = sample.get(ThreadLocalRandom.current().nextInt(sample.size()));
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + "/api/v1/plan?node="
                    + node.hostname())).header("Authorization", "Bearer " + token).header("Accept", "application/json").GET().build();
            long t0 = System.nanoTime();
            int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status != 200) {
                throw new IllegalStateException("plan for " + node.hostname() + " answered " + status);
            }
            if (i >= 0) {
                times[i] = (System.nanoTime() - t0) / 1e6;
            }
        }
        Arrays.sort(times);
        return times[times.length / 2];
    }

    private double perUpload(Fleet fleet, String prefix, int size) throws Exception {
        String cluster = Portal.createCluster("platform");
        String token = Portal.issueToken(cluster);
        // the fleet uploads from 127.0.0.1: its node network makes the portal vouch for the nodes' addresses, so the
        // plans name them as a real cluster's would
        io.restassured.RestAssured.given().auth().oauth2(io.netready.support.Users.admin()).contentType("application/json")
                .body(java.util.Map.of("nodeNetworks", "10.100.0.0/14")).put("/api/v1/clusters/" + cluster + "/settings")
                .then().statusCode(200);
        String tag = prefix + cluster.substring(2, 6);
        // Fill the cluster: one upload per node, in parallel; nodes are built as they go (not all held at once).
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        for (int i = 0; i < size; i++) {
            int index = i;
            pool.submit(() -> upload(token, fleet.node(index, tag, size).upload(Fleet.newReportId(), "2026-11-20T00:00:00Z")));
        }
        pool.shutdown();
        pool.awaitTermination(60, TimeUnit.MINUTES);
        lastBigCluster = cluster;
        List<Fleet.Node> sample = new ArrayList<>();
        for (int i = 0; i < Math.min(size, 100); i++) {
            sample.add(fleet.node(ThreadLocalRandom.current().nextInt(size), tag, size));
        }
        double[] times = new double[300];
        // 300 uploads first: when this is the first part of a run, the JIT compiles the upload path meanwhile.
        for (int i = -300; i < times.length; i++) {
            Fleet.Node node = sample.get(ThreadLocalRandom.current().nextInt(sample.size()));
            byte[] body = node.upload(Fleet.newReportId(), Instant.now().toString().substring(0, 19) + "Z");
            long t0 = System.nanoTime();
            upload(token, body);
            if (i >= 0) {
                times[i] = (System.nanoTime() - t0) / 1e6;
            }
        }
        Arrays.sort(times);
        lastPlanMs = planMs(token, sample);
        System.out.printf("bench: %d-node cluster holds %d reachability outcomes%n", size, outcomes(cluster));
        return times[times.length / 2];
    }

    private String lastBigCluster;

    /** How many reachability outcomes the cluster's uploads stored: the figure above measured their writes. */
    private long outcomes(String cluster) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement select = c.prepareStatement(
                "SELECT count(*) FROM reachability_outcome o JOIN cluster k ON k.id = o.cluster_id WHERE k.name = ?")) {
            select.setString(1, cluster);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    /** {@code count} reports of one node, collected an hour apart from 2025-01-01, uploaded by the clients at once. */
    private void uploadHourly(Fleet.Node node, String token, int count) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        Instant start = Instant.parse("2025-01-01T00:00:00Z");
        for (int i = 0; i < count; i++) {
            String at = start.plusSeconds(3600L * i).toString();
            pool.submit(() -> upload(token, node.upload(Fleet.newReportId(), at)));
        }
        pool.shutdown();
        pool.awaitTermination(30, TimeUnit.MINUTES);
    }

    // ---- pages

    private void pages(Fleet fleet) throws Exception {
        BrowserSession admin = BrowserSession.login(provider, "alice", "admin", "team-platform");
        double clusterPage = medianMs(7, () -> admin.given().get("/clusters/" + lastBigCluster).then().statusCode(200));
        row("cluster page of " + BIG_CLUSTER + " nodes, server-side, median of 7", "< 300 ms", String.format("%.0f ms", clusterPage),
                clusterPage < 300);

        Fleet.Node node = fleet.node(0, "hist");
        String cluster = Portal.createCluster("platform");
        String token = Portal.issueToken(cluster);
        uploadHourly(node, token, HISTORY);
        long nodeId;
        try (Connection c = dataSource.getConnection();
                PreparedStatement q = c.prepareStatement("SELECT n.id FROM node n JOIN cluster c ON c.id = n.cluster_id WHERE c.name = ?")) {
            q.setString(1, cluster);
            try (ResultSet r = q.executeQuery()) {
                r.next();
                nodeId = r.getLong(1);
            }
        }
        double nodePage = medianMs(7, () -> admin.given().get("/nodes/" + nodeId).then().statusCode(200));
        row("node page with a history of " + HISTORY + " reports, median of 7", "< 300 ms", String.format("%.0f ms", nodePage),
                nodePage < 300);

        Fleet large = new Fleet(LARGE);
        Fleet.Node bigNode = large.node(1, "diff");
        String diffCluster = Portal.createCluster("platform");
        String diffToken = Portal.issueToken(diffCluster);
        upload(diffToken, bigNode.upload(Fleet.newReportId(), "2026-11-20T00:00:00Z"));
        upload(diffToken, large.node(2, "diff").upload(Fleet.newReportId(), "2026-11-20T01:00:00Z"));
        long[] ids = new long[2];
        try (Connection c = dataSource.getConnection();
                PreparedStatement q = c.prepareStatement("SELECT r.id FROM report r JOIN cluster c ON c.id = r.cluster_id WHERE c.name = ? ORDER BY r.id")) {
            q.setString(1, diffCluster);
            try (ResultSet r = q.executeQuery()) {
                r.next();
                ids[0] = r.getLong(1);
                r.next();
                ids[1] = r.getLong(1);
            }
        }
        double diff = medianMs(7, () -> admin.given().get("/diff?from=" + ids[0] + "&to=" + ids[1]).then().statusCode(200));
        row("diff of two " + kb((int) Files.size(LARGE)) / 1024 + " MB reports, median of 7", "< 300 ms", String.format("%.0f ms", diff),
                diff < 300);
    }

    // ---- reachability matrix

    /**
     * The cluster page's reachability part at the big cluster's size, server-side (the service the page calls, in the
     * portal's JVM): the big cluster of the scale part (or a new one), three of its nodes made control planes, and the
     * outcomes of every node's plan written by SQL as its uploads would have (each node tries every control plane and
     * 16 workers, 10250 and a NodePort each): mostly connected, NodePorts refused, one subnet's 10250 dropped on the
     * way to another's, timeouts and unreachables scattered.
     */
    private void reachabilityMatrix(Fleet fleet) throws Exception {
        String cluster = lastBigCluster != null ? lastBigCluster : fillCluster(fleet, "r", BIG_CLUSTER);
        long clusterId;
        int rows;
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            try (ResultSet r = s.executeQuery("SELECT id FROM cluster WHERE name = '" + cluster + "'")) {
                r.next();
                clusterId = r.getLong(1);
            }
            s.executeUpdate("UPDATE node SET role = 'control-plane' WHERE id IN (SELECT id FROM node WHERE cluster_id = "
                    + clusterId + " ORDER BY id LIMIT 3)");
            s.executeUpdate("DELETE FROM reachability_outcome WHERE cluster_id = " + clusterId);
            rows = s.executeUpdate("""
                    WITH n AS (SELECT i.node_id, i.node_ip, d.role, d.last_report_id,
                                      row_number() OVER (ORDER BY i.node_id) - 1 AS k
                                 FROM node_identity i JOIN node d ON d.id = i.node_id WHERE i.cluster_id = %1$d),
                    w AS (SELECT n.*, row_number() OVER (ORDER BY node_id) - 1 AS wk FROM n WHERE role = 'worker'),
                    pairs AS (
                        SELECT s.node_id AS s, s.node_ip AS sip, t.node_id AS t, t.node_ip AS ip, p.port, s.last_report_id AS r
                          FROM n s JOIN n t ON t.role = 'control-plane' AND t.node_id <> s.node_id
                         CROSS JOIN (VALUES (6443), (10250), (2379), (2380)) AS p (port)
                         WHERE p.port IN (6443, 10250) OR s.role = 'control-plane'
                        UNION ALL
                        SELECT s.node_id, s.node_ip, t.node_id, t.node_ip, p.port, s.last_report_id
                          FROM n s CROSS JOIN generate_series(1, 16) AS j
                          JOIN w t ON t.wk = (s.k + j * 97) %% (SELECT count(*) FROM w) AND t.node_id <> s.node_id
                         CROSS JOIN LATERAL (VALUES (10250), (30000 + (t.node_id %% 2768)::int)) AS p (port))
                    INSERT INTO reachability_outcome (source_node_id, target_node_id, port, cluster_id, target_ip, outcome,
                        seconds, report_id, observed_at)
                    SELECT s, t, port, %1$d, ip, o, CASE WHEN o IN ('timeout', 'unreachable') THEN 1.0 ELSE 0.0012 END, r, now()
                      FROM (SELECT pairs.*, CASE
                              WHEN port = 10250 AND split_part(sip, '.', 3) = '3' AND split_part(ip, '.', 3) = '7' THEN 'timeout'
                              WHEN (hashtext(s || ' ' || t || ' ' || port) & 1023) < 5 THEN 'timeout'
                              WHEN (hashtext(s || ' ' || t || ' ' || port) & 1023) < 7 THEN 'unreachable'
                              WHEN port >= 30000 THEN 'refused'
                              ELSE 'connected' END AS o FROM pairs) AS x
                    ON CONFLICT DO NOTHING""".formatted(clusterId));
            // each pair's summary, as the uploads write it beside their attempts (the same aggregate as V15's)
            s.executeUpdate("DELETE FROM reachability_pair WHERE cluster_id = " + clusterId);
            s.executeUpdate("""
                    INSERT INTO reachability_pair (source_node_id, target_node_id, cluster_id, target_ip, worst,
                        failed_ports, refused_ports, observed_at)
                    SELECT source_node_id, target_node_id, %1$d, min(target_ip),
                           (ARRAY['connected', 'refused', 'error', 'unreachable', 'timeout'])[max(CASE outcome
                               WHEN 'connected' THEN 1 WHEN 'refused' THEN 2 WHEN 'error' THEN 3 WHEN 'unreachable' THEN 4
                               ELSE 5 END)],
                           coalesce(array_agg(port ORDER BY port) FILTER (WHERE outcome IN ('timeout', 'unreachable')), '{}'),
                           coalesce(array_agg(port ORDER BY port) FILTER (WHERE outcome = 'refused'), '{}'),
                           max(observed_at)
                      FROM reachability_outcome WHERE cluster_id = %1$d GROUP BY source_node_id, target_node_id"""
                    .formatted(clusterId));
            s.execute("VACUUM ANALYZE reachability_outcome");
            s.execute("VACUUM ANALYZE reachability_pair");
        }
        io.netready.cluster.ReachabilityMatrix.View view = reachability.of(clusterId);
        double matrix = medianMs(21, () -> reachability.of(clusterId));
        double live = medianMs(21, () -> reachability.liveStatuses(clusterId));
        CpuCost matrixCpu = medianCpu(7, () -> reachability.of(clusterId));
        CpuCost liveCpu = medianCpu(7, () -> reachability.liveStatuses(clusterId));
        BrowserSession admin = BrowserSession.login(provider, "alice", "admin", "team-platform");
        long[] bytes = new long[1];
        Runnable get = () -> bytes[0] = getPage(admin, "/clusters/" + cluster);
        double page = medianMs(7, get);
        CpuCost pageCpu = medianCpu(7, get);
        row("reachability matrix at " + BIG_CLUSTER + " nodes (" + rows + " outcomes, " + view.pairsTried() + " pairs, "
                + view.columns().size() + " x " + view.columns().size() + " subnet cells, " + view.paths().size()
                + " paths to open), server-side, median of 21", "< 300 ms", String.format("%.0f ms; %s", matrix, matrixCpu),
                matrix < 300);
        row("node-reachability live for every node of " + BIG_CLUSTER + " nodes (the node x rule matrix's column), median of 21",
                "—", String.format("%.0f ms; %s", live, liveCpu), true);
        row("cluster page of " + BIG_CLUSTER + " nodes with the reachability matrix (" + bytes[0] / 1024
                + " kB of HTML), server-side, median of 7", "< 300 ms", String.format("%.0f ms; %s", page, pageCpu),
                page < 300);
    }

    /** A new cluster of {@code size} nodes, one upload each, in parallel. */
    private String fillCluster(Fleet fleet, String prefix, int size) throws Exception {
        String cluster = Portal.createCluster("platform");
        String token = Portal.issueToken(cluster);
        String tag = prefix + cluster.substring(2, 6);
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        for (int i = 0; i < size; i++) {
            int index = i;
            pool.submit(() -> upload(token, fleet.node(index, tag).upload(Fleet.newReportId(), "2026-11-20T00:00:00Z")));
        }
        pool.shutdown();
        pool.awaitTermination(60, TimeUnit.MINUTES);
        return cluster;
    }

    /**
     * A page as a signed-in user gets it, its body counted and dropped: the client in this JVM does no more than read
     * the bytes (REST Assured would buffer and decode them, and its CPU would count as the portal's).
     */
    private long getPage(BrowserSession session, String path) {
        String cookies = session.cookies().entrySet().stream().map(c -> c.getKey() + "=" + c.getValue())
                .collect(java.util.stream.Collectors.joining("; "));
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + path))
                .header("Cookie", cookies).GET().build();
        try {
            HttpResponse<java.io.InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            long read;
            try (java.io.InputStream body = response.body()) {
                read = body.transferTo(java.io.OutputStream.nullOutputStream());
            }
            if (response.statusCode() != 200) {
                throw new IllegalStateException(path + " answered " + response.statusCode());
            }
            return read;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * What one call costs in CPU, not in wall time (on a shared VM the wall time mostly counts the other processes):
     * the portal's JVM (process CPU: the request's threads, and whatever else ran meanwhile, GC included) and this
     * test's PostgreSQL (the postmaster on the test port and its backends, from /proc), each the median of {@code runs}
     * calls after two warm-ups.
     */
    record CpuCost(double jvmMs, double postgresMs) {
        @Override
        public String toString() {
            return String.format("%.0f ms CPU (portal %.0f, PostgreSQL %.0f)", jvmMs + postgresMs, jvmMs, postgresMs);
        }
    }

    private static CpuCost medianCpu(int runs, Runnable call) throws IOException {
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        call.run();
        call.run();
        double[] jvm = new double[runs];
        double[] postgres = new double[runs];
        for (int i = 0; i < runs; i++) {
            long pg0 = postgresCpuTicks();
            long jvm0 = os.getProcessCpuTime();
            call.run();
            jvm[i] = (os.getProcessCpuTime() - jvm0) / 1e6;
            postgres[i] = (postgresCpuTicks() - pg0) * 1000.0 / CLOCK_TICKS;
        }
        return new CpuCost(median(jvm), median(postgres));
    }

    /** USER_HZ: the unit of /proc/PID/stat's times (100 on Linux for x86 and arm). */
    private static final long CLOCK_TICKS = 100;

    /** utime + stime of the test's postmaster (the one started with -p on the test port) and its children, in ticks. */
    private static long postgresCpuTicks() throws IOException {
        String port = String.valueOf(org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getValue("quarkus.embedded.postgresql.port", Integer.class));
        Map<Long, long[]> stats = new HashMap<>(); // pid -> {ppid, ticks}
        Long postmaster = null;
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path proc : procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).toList()) {
                try {
                    String stat = Files.readString(proc.resolve("stat"));
                    if (!stat.contains("(postgres)")) {
                        continue;
                    }
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long pid = Long.parseLong(proc.getFileName().toString());
                    stats.put(pid, new long[] { Long.parseLong(f[1]), Long.parseLong(f[11]) + Long.parseLong(f[12]) });
                    List<String> args = List.of(Files.readString(proc.resolve("cmdline")).split("\0"));
                    int p = args.indexOf("-p");
                    if (p >= 0 && p + 1 < args.size() && args.get(p + 1).equals(port)) {
                        postmaster = pid;
                    }
                } catch (IOException | RuntimeException gone) {
                    // a process that ended while listed
                }
            }
        }
        long ticks = 0;
        for (Map.Entry<Long, long[]> e : stats.entrySet()) {
            if (postmaster != null && (e.getKey().equals(postmaster) || e.getValue()[0] == postmaster)) {
                ticks += e.getValue()[1];
            }
        }
        return ticks;
    }

    private static double medianMs(int runs, Runnable call) {
        call.run();
        call.run();
        double[] times = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            call.run();
            times[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(times);
        return times[runs / 2];
    }

    // ---- storage

    private void storage(Fleet fleet) throws Exception {
        String cluster = Portal.createCluster("platform");
        String token = Portal.issueToken(cluster);
        Fleet.Node node = fleet.node(0, "year");
        upload(token, node.upload(Fleet.newReportId(), "2024-12-31T23:00:00Z"));
        vacuum();
        long before = storedBytes();
        uploadHourly(node, token, YEAR);
        vacuum();
        long after = storedBytes();
        long raw = (long) fleet.rawSize() * YEAR;
        double share = 100.0 * (after - before) / raw;
        row("a node uploading an unchanged report hourly for a year (" + YEAR + " reports): stored bytes vs raw", "≤ 10 %",
                String.format("%.1f MB vs %.0f MB raw: %.2f %%", (after - before) / 1e6, raw / 1e6, share), share <= 10);
    }

    // ---- probe

    /**
     * The probe's wall time on a node with 20,000 iptables rules and 1,000 routes: capture-bench-reports.sh builds that
     * node in namespaces (root) and times five runs of the real probe.
     */
    private void probe() throws Exception {
        Path out = Files.createTempDirectory("netready-bench");
        io.netready.support.Processes.Result run = io.netready.support.Processes.run(List.of("env",
                "NETREADY_BENCH_OUT=" + out, "bash", "src/test/probe/capture-bench-reports.sh"), 600);
        Path timing = out.resolve("probe-timing.txt");
        if (!Files.exists(timing)) {
            row("probe on a node with 20,000 iptables rules and 1,000 routes", "< 3 s", "not measured: " + run.stderr()
                    .lines().reduce((a, b) -> b).orElse("capture failed"), false);
            return;
        }
        String text = Files.readString(timing);
        java.util.regex.Matcher median = java.util.regex.Pattern.compile("median ms: (\\d+)").matcher(text);
        java.util.regex.Matcher sorted = java.util.regex.Pattern.compile("wall ms \\(sorted\\): ([\\d ]+)").matcher(text);
        long ms = median.find() ? Long.parseLong(median.group(1)) : -1;
        row("probe on a node with 20,000 iptables rules and 1,000 routes, median of 5 runs", "< 3 s",
                ms + " ms" + (sorted.find() ? " (runs " + sorted.group(1).strip() + " ms)" : ""), ms >= 0 && ms < 3000);
    }

    // ---- history (issue 12): does an upload's cost grow with the reports already stored?

    /**
     * Ingest into a database holding only the warm-up's reports, then into the same database after a million more
     * reports (the same fleet's history, cloned by SQL from the stored reports, with new random report ids, and one
     * audit record each, as uploads write) — each figure three rounds of ingest without anything else in between. The
     * ratio of the medians is the figure; the index sizes and the checkpoints during the rounds say where time goes.
     */
    private void history(Fleet fleet) throws Exception {
        List<Fleet.Node> nodes = new ArrayList<>();
        List<String> tokens = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            String token = Portal.issueToken(Portal.createCluster("platform"));
            for (int i = 0; i < 50; i++) {
                nodes.add(fleet.node(c * 50 + i, "hist"));
                tokens.add(token);
            }
        }
        run(nodes, tokens, WARM_UP);
        vacuum();
        long before = count("report");
        double small = historyRounds("small", nodes, tokens);
        fillHistory(HISTORY_FILL);
        vacuum();
        System.out.println("bench: history: after the fill, " + relationSizes());
        long after = count("report");
        double large = historyRounds("large", nodes, tokens);
        double ratio = large / small;
        row(String.format("ingest with %,d stored reports vs with %,d (median of %d rounds each)", after, before,
                INGEST_ROUNDS), "ratio ≥ 0.9", String.format("%.0f vs %.0f /s: %.2f", large, small, ratio), ratio >= 0.9);
    }

    private double historyRounds(String label, List<Fleet.Node> nodes, List<String> tokens) throws Exception {
        double[] rates = new double[INGEST_ROUNDS];
        for (int round = 0; round < INGEST_ROUNDS; round++) {
            long[] checkpoints = checkpoints();
            Run run = run(nodes, tokens, INGEST);
            long[] now = checkpoints();
            rates[round] = run.rate();
            System.out.printf("bench: history %s round %d: %.0f /s (p50 %.1f ms, p99 %.1f ms, %d errors), %d reports stored, "
                    + "checkpoints during the round: %d timed, %d requested%n", label, round + 1, run.rate(),
                    run.percentile(50), run.percentile(99), run.errors(), count("report"), now[0] - checkpoints[0],
                    now[1] - checkpoints[1]);
        }
        return median(rates);
    }

    /** Adds {@code reports} reports by SQL: clones of the stored ones, spread back in time, in batches of 50,000. */
    private void fillHistory(int reports) throws SQLException {
        long start = System.nanoTime();
        int batch = 50_000;
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(true);
            int templates;
            try (ResultSet r = s.executeQuery("SELECT count(*) FROM (SELECT 1 FROM report LIMIT 1000) t")) {
                r.next();
                templates = r.getInt(1);
            }
            for (int done = 0; done < reports; done += batch) {
                int copies = Math.max(1, Math.min(batch, reports - done) / templates);
                s.execute("""
                        WITH template AS (SELECT * FROM report ORDER BY id LIMIT 1000),
                        cloned AS (
                            INSERT INTO report (cluster_id, node_id, probe_report_id, content_hash, format, collected_at,
                                received_at, probe_version, probe_uid, role, phase, hostname, verdict, findings_hash, statuses,
                                size_bytes, source_address, token_id, uploaded_by, sections)
                            SELECT cluster_id, node_id, gen_random_uuid()::text, content_hash, format,
                                collected_at - make_interval(hours => %1$d + g), received_at - make_interval(hours => %1$d + g),
                                probe_version, probe_uid, role, phase, hostname, verdict, findings_hash, statuses, size_bytes,
                                source_address, token_id, uploaded_by, sections
                              FROM template, generate_series(1, %2$d) g
                            RETURNING cluster_id, hostname, verdict, received_at, id
                        )
                        INSERT INTO audit_event (at, actor, action, cluster_id, cluster_name, target, detail, address)
                        SELECT received_at, 'token:bench', 'upload', cluster_id, 'history', hostname, 'report ' || id || ': '
                            || verdict, '127.0.0.1' FROM cloned""".formatted(done / templates, copies));
                System.out.printf("bench: history: %,d reports added (%.0f s)%n", done + (long) copies * templates,
                        (System.nanoTime() - start) / 1e9);
            }
        }
    }

    private long count(String table) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT count(*) FROM " + table)) {
            r.next();
            return r.getLong(1);
        }
    }

    /** Checkpoints so far: timed, requested (by WAL volume); PostgreSQL 17 counts them in pg_stat_checkpointer. */
    private long[] checkpoints() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT num_timed, num_requested FROM pg_stat_checkpointer")) {
            r.next();
            return new long[] { r.getLong(1), r.getLong(2) };
        }
    }

    /** The sizes of the tables and indexes an upload writes, in MB. */
    private String relationSizes() throws SQLException {
        StringBuilder sizes = new StringBuilder();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("""
                        SELECT c.relname, pg_relation_size(c.oid) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                         WHERE n.nspname = 'public' AND c.relkind IN ('r', 'i') AND pg_relation_size(c.oid) > 1048576
                         ORDER BY pg_relation_size(c.oid) DESC""")) {
            while (r.next()) {
                sizes.append(sizes.isEmpty() ? "" : ", ").append(r.getString(1)).append(' ').append(mb(r.getLong(2))).append(" MB");
            }
        }
        return sizes.toString();
    }

    private void vacuum() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(true);
            s.execute("VACUUM ANALYZE");
        }
    }

    /** Every table and index the portal writes per upload, TOAST included. */
    private long storedBytes() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("""
                        SELECT sum(pg_total_relation_size(oid)) FROM pg_class
                        WHERE relname IN ('report', 'section_content', 'finding_set', 'node', 'node_identity', 'audit_event')""")) {
            r.next();
            return r.getLong(1);
        }
    }

    private void row(String figure, String target, String measured, boolean met) {
        table.add("| " + figure + " | " + target + " | " + measured + " | " + (met ? "yes" : "NO") + " |");
        System.out.println("bench: " + figure + ": " + measured + (met ? "" : "  (target " + target + " missed)"));
    }

    private static int kb(int bytes) {
        return bytes / 1024;
    }

    private static long mb(long bytes) {
        return bytes / (1024 * 1024);
    }
}
