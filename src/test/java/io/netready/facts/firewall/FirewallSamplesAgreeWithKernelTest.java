package io.netready.facts.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.netready.facts.NetInterface;
import io.netready.facts.NodeFacts;
import io.netready.net.Cidr;
import io.netready.reportformat.ReportDocument;
import io.netready.reportformat.ReportReader;
import io.netready.reportformat.ReportSection;
import io.netready.support.Processes;
import io.netready.support.RuleSampleFile;

/**
 * Every rule sample's firewall, loaded into a real kernel: the sample's own dumps restored into a network namespace
 * that carries the node's address, listeners on the ports firewall-ports asks about, and real connections from peer
 * addresses across the node's network (the peers the model itself picks). The model, fed the same dumps, must give
 * the kernel's answer for every peer and port; "cannot tell" is allowed only for the sample built to be undecidable.
 * Namespaces {@code nrk-node} and {@code nrk-peer}; traffic only between them.
 */
class FirewallSamplesAgreeWithKernelTest {

    private static final Path SAMPLES = Path.of("src/test/resources/rule-samples");
    private static final String NODE = "nrk-node";
    private static final String PEER = "nrk-peer";
    private static final List<Integer> TCP_PORTS = List.of(2379, 2380, 6443, 10250, 10257, 10259, 30000, 30080, 31000, 32767);
    private static final List<Integer> UDP_PORTS = List.of(4789, 8472, 6081, 51820);
    private static final ReportReader READER = new ReportReader(64 * 1024 * 1024);

    /** Listens on TCP ports (accept, close) and UDP ports (echo) given on the command line. */
    private static final String LISTEN = """
            import socket, sys, threading, time
            def tcp(p):
                s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("0.0.0.0", p)); s.listen(64)
                while True:
                    c, _ = s.accept(); c.close()
            def udp(p):
                s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("0.0.0.0", p))
                while True:
                    d, a = s.recvfrom(64); s.sendto(d, a)
            for spec in sys.argv[2:]:
                proto, port = spec.split(":")
                threading.Thread(target=tcp if proto == "tcp" else udp, args=(int(port),), daemon=True).start()
            time.sleep(0.3); open(sys.argv[1], "w").close(); time.sleep(600)
            """;
    /** Tries every "proto:source:port" at once, bounded; prints "spec open|refused|timeout" lines. */
    private static final String CONNECT = """
            import socket, sys, threading
            node, out = sys.argv[1], {}
            def one(spec):
                proto, src, port = spec.split(":")
                try:
                    if proto == "tcp":
                        s = socket.socket(); s.settimeout(0.4); s.bind((src, 0)); s.connect((node, int(port))); out[spec] = "open"
                    else:
                        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(0.4); s.bind((src, 0))
                        s.connect((node, int(port))); s.send(b"x"); s.recv(64); out[spec] = "open"
                except ConnectionRefusedError:
                    out[spec] = "refused"
                except OSError:
                    out[spec] = "timeout"
            ts = [threading.Thread(target=one, args=(s,)) for s in sys.argv[2:]]
            [t.start() for t in ts]; [t.join(3) for t in ts]
            for s in sys.argv[2:]:
                print(s, out.get(s, "timeout"))
            """;

    /** One sample whose firewall is loaded. */
    record Case(String name, NodeFacts facts) {
        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeAll
    static void needsRootAndTools() {
        assumeTrue("0".equals(Processes.run(List.of("id", "-u")).stdout().strip()), "needs root (network namespaces)");
        for (String tool : List.of("ip", "iptables-nft-restore", "iptables-legacy-restore", "nft", "python3")) {
            assumeTrue(Processes.run(List.of("sh", "-c", "command -v " + tool)).exitCode() == 0, tool + " is not installed");
        }
    }

    /** Every sample with a firewall that filters, plus one whose firewall does not (they all say the same). */
    static Stream<Case> cases() throws IOException {
        List<Case> cases = new ArrayList<>();
        boolean unfiltered = false;
        Set<String> seen = new LinkedHashSet<>();
        try (Stream<Path> files = Files.walk(SAMPLES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".txt") && !f.getFileName().toString().equals("README.txt"))
                    .sorted().toList()) {
                ReportDocument report;
                try {
                    report = READER.read(new java.io.ByteArrayInputStream(RuleSampleFile.reportJson(file)), "application/json",
                            null).document();
                } catch (RuntimeException notAReport) {
                    continue;
                }
                NodeFacts facts = NodeFacts.from(report);
                if (!facts.firewall().isAvailable() || facts.nodeIp().isEmpty() || facts.primaryInterface().isEmpty()) {
                    continue;
                }
                boolean filters = facts.firewall().value().filters();
                String key = text(report, "iptables-nft") + text(report, "iptables-legacy") + text(report, "nftables")
                        + facts.nodeIp().get();
                if ((filters && seen.add(key)) || (!filters && !unfiltered)) {
                    unfiltered |= !filters;
                    cases.add(new Case(SAMPLES.relativize(file).toString(), facts));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theModelGivesTheKernelsAnswer(Case sample) throws IOException {
        NodeFacts facts = sample.facts();
        String nodeIp = facts.nodeIp().get();
        NetInterface nic = facts.primaryInterface().get();
        int prefix = nic.addresses().stream().filter(a -> a.address().equals(nodeIp)).findFirst()
                .map(NetInterface.IfAddress::prefixLength).orElse(24);
        Cidr network = Cidr.containing(nodeIp, prefix).orElseThrow();
        Firewall model = facts.firewall().value();
        List<String> peers = model.peersIn(network, nodeIp, 16);
        Path dir = Files.createTempDirectory("nrk");
        try {
            build(nic.name(), nodeIp, prefix, peers);
            load(facts, dir);
            Path ready = dir.resolve("ready");
            List<String> listen = new ArrayList<>(List.of("ip", "netns", "exec", NODE, "timeout", "120", "python3", "-c", LISTEN,
                    ready.toString()));
            TCP_PORTS.forEach(p -> listen.add("tcp:" + p));
            UDP_PORTS.forEach(p -> listen.add("udp:" + p));
            Process listener = new ProcessBuilder(listen).redirectErrorStream(true).redirectOutput(dir.resolve("listen.log").toFile())
                    .start();
            try {
                for (int i = 0; i < 50 && !Files.exists(ready); i++) {
                    Thread.sleep(100);
                }
                assertTrue(Files.exists(ready), "listener did not start: " + Files.readString(dir.resolve("listen.log")));
                compare(sample, model, nodeIp, nic.name(), peers);
            } finally {
                listener.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            Processes.run(List.of("ip", "netns", "del", NODE));
            Processes.run(List.of("ip", "netns", "del", PEER));
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private static void compare(Case sample, Firewall model, String nodeIp, String nic, List<String> peers) {
        List<String> specs = new ArrayList<>();
        for (String peer : peers) {
            TCP_PORTS.forEach(p -> specs.add("tcp:" + peer + ":" + p));
            UDP_PORTS.forEach(p -> specs.add("udp:" + peer + ":" + p));
        }
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", PEER, "timeout", "20", "python3", "-c", CONNECT, nodeIp));
        command.addAll(specs);
        Processes.Result result = Processes.run(command, 30).orFail("connect");
        Map<String, String> kernel = new LinkedHashMap<>();
        for (String line : result.stdout().split("\n")) {
            String[] t = line.strip().split(" ");
            if (t.length == 2) {
                kernel.put(t[0], t[1]);
            }
        }
        List<String> disagreements = new ArrayList<>();
        boolean undecidableAllowed = sample.name().contains("undecidable");
        for (String spec : specs) {
            String[] t = spec.split(":");
            Answer answer = model.judge(new Connection(t[1], nodeIp, nic, Integer.parseInt(t[2]), t[0]));
            String truth = kernel.getOrDefault(spec, "missing");
            boolean agrees = switch (answer.outcome()) {
                case OPEN -> truth.equals("open");
                case BLOCKED -> truth.equals("refused") || truth.equals("timeout");
                case UNDECIDED -> undecidableAllowed;
            };
            if (!agrees) {
                disagreements.add(spec + ": kernel " + truth + ", model " + answer.outcome() + " " + answer.evidence());
            }
        }
        assertEquals(List.of(), disagreements, sample.name() + ": the model and the kernel disagree");
    }

    private static void build(String nic, String nodeIp, int prefix, List<String> peers) {
        Processes.run(List.of("ip", "netns", "del", NODE));
        Processes.run(List.of("ip", "netns", "del", PEER));
        run("ip", "netns", "add", NODE);
        run("ip", "netns", "add", PEER);
        run("ip", "-n", NODE, "link", "add", nic, "type", "veth", "peer", "name", "eth0", "netns", PEER);
        run("ip", "-n", NODE, "addr", "add", nodeIp + "/" + prefix, "dev", nic);
        for (String peer : peers) {
            run("ip", "-n", PEER, "addr", "add", peer + "/" + prefix, "dev", "eth0");
        }
        for (String ns : List.of(NODE, PEER)) {
            run("ip", "-n", ns, "link", "set", "lo", "up");
        }
        run("ip", "-n", NODE, "link", "set", nic, "up");
        run("ip", "-n", PEER, "link", "set", "eth0", "up");
    }

    /** The sample's own dumps, restored as the probe read them; nft's copies of iptables-nft's tables left out. */
    private static void load(NodeFacts facts, Path dir) throws IOException {
        ReportDocument report = facts.report();
        String version = text(report, "iptables-version");
        String nftBackend = version.contains("legacy") ? text(report, "iptables-nft") : text(report, "iptables");
        String legacy = version.contains("legacy") ? text(report, "iptables") : text(report, "iptables-legacy");
        restore(dir, "ipt", nftBackend, "iptables-nft-restore");
        restore(dir, "legacy", legacy, "iptables-legacy-restore");
        restore(dir, "nft", NftTables.withoutIptablesNft(text(report, "nftables")), "nft -f -");
    }

    private static void restore(Path dir, String name, String text, String command) throws IOException {
        if (text.isBlank()) {
            return;
        }
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        Processes.run(List.of("sh", "-c", "ip netns exec " + NODE + " " + command + " < " + file), 30).orFail(command);
    }

    private static String text(ReportDocument report, String section) {
        Optional<ReportSection> s = report.section(section);
        return s.filter(ReportSection::isOk).map(ReportSection::text).orElse("");
    }

    private static void run(String... command) {
        Processes.run(List.of(command)).orFail(String.join(" ", command));
    }

    /** The top-level tables of {@code nft list ruleset}, without the ones iptables-nft manages. */
    static final class NftTables {
        private NftTables() {
        }

        static String withoutIptablesNft(String listing) {
            StringBuilder kept = new StringBuilder();
            StringBuilder table = new StringBuilder();
            int depth = 0;
            for (String line : listing.split("\n", -1)) {
                if (depth == 0 && !line.startsWith("table ")) {
                    continue; // comments and warnings between tables
                }
                table.append(line).append('\n');
                depth += count(line, '{') - count(line, '}');
                if (depth == 0) {
                    String t = table.toString();
                    if (!t.contains("managed by iptables-nft") && !iptablesTable(t)) {
                        kept.append(t);
                    }
                    table.setLength(0);
                }
            }
            return kept.toString();
        }

        private static boolean iptablesTable(String table) {
            return table.matches("(?s)table ip6? (filter|nat|mangle|raw|security) \\{.*")
                    && table.matches("(?s).*chain (INPUT|PREROUTING|FORWARD|OUTPUT|POSTROUTING) \\{.*");
        }

        private static int count(String line, char c) {
            int n = 0;
            for (char x : line.toCharArray()) {
                n += x == c ? 1 : 0;
            }
            return n;
        }
    }

    static {
        // the samples' reports are read from text; fail loudly if the directory moved
        if (!Files.isDirectory(SAMPLES)) {
            throw new UncheckedIOException(new IOException("no " + SAMPLES));
        }
    }
}
