package io.netready.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * The kernel as the oracle of a firewall: three network namespaces of our own, a node with a listener and two peers,
 * where a ruleset is loaded for real (iptables-nft, iptables-legacy, nft) and a real TCP connection from a peer says
 * what the kernel does with a new connection to the node. Needs root, iproute2, iptables (both backends), nftables and
 * python3; {@link #unavailable()} says what is missing.
 *
 * <pre>
 * nrf-peer  eth0 10.231.7.2/24  ──veth──  eth0 10.231.7.1/24  nrf-node  eth1 10.231.8.1/24  ──veth──  eth0 10.231.8.2/24  nrf-peer2
 * </pre>
 *
 * Traffic goes only between these namespaces: {@link #connects} refuses any other source or address. Every command has
 * a timeout; closing (also after a failed start) deletes the namespaces, which ends their processes' sockets, and stops
 * the processes.
 */
public final class KernelFirewall implements AutoCloseable {

    public static final String PREFIX = "nrf-";
    public static final String NODE = PREFIX + "node";
    public static final String PEER = PREFIX + "peer";
    public static final String PEER2 = PREFIX + "peer2";
    public static final String NODE_ETH0 = "10.231.7.1";
    public static final String PEER_ETH0 = "10.231.7.2";
    public static final String NODE_ETH1 = "10.231.8.1";
    public static final String PEER2_ETH0 = "10.231.8.2";
    /** Where the node listens (0.0.0.0), so that a refused connection is always a rule's doing. */
    public static final List<Integer> LISTENING = List.of(22, 80, 2379, 6443, 10250, 30000, 31000, 32767);
    /** How long a connection may take before it counts as dropped; a reset or an ICMP error comes back at once. */
    public static final int CONNECT_TIMEOUT_MS = 300;

    private static final int COMMAND_SECONDS = 15;
    /**
     * Threads for the blocking reads and the two peers' attempts, which must run side by side (the common pool has one
     * thread on a two-core machine, which would make the peers' timeouts add up); daemons, so none outlives the tests.
     */
    private static final ExecutorService THREADS = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "kernel-firewall");
        thread.setDaemon(true);
        return thread;
    });
    private static final List<String> TOOLS = List.of("ip", "iptables", "iptables-save", "iptables-nft-restore",
            "iptables-legacy-save", "iptables-legacy-restore", "nft");
    /** The built-in chains of each legacy table, for putting a table back to empty with ACCEPT policies. */
    private static final Map<String, List<String>> BUILT_IN = Map.of(
            "raw", List.of("PREROUTING", "OUTPUT"),
            "mangle", List.of("PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"),
            "nat", List.of("PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"),
            "filter", List.of("INPUT", "FORWARD", "OUTPUT"),
            "security", List.of("INPUT", "FORWARD", "OUTPUT"));

    /** Accepts and closes at once on every port given, so that no backlog ever fills; "ready" once all are bound. */
    private static final String LISTEN_PY = """
            import select, socket, sys
            socks = []
            for port in sys.argv[1:]:
                s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                s.bind(("0.0.0.0", int(port)))
                s.listen(1024)
                s.setblocking(False)
                socks.append(s)
            print("ready", flush=True)
            while True:
                for s in select.select(socks, [], [])[0]:
                    try:
                        s.accept()[0].close()
                    except OSError:
                        pass
            """;

    /**
     * Reads "ADDRESS TIMEOUT_MS PORT..." lines and connects to all ports at once, non-blocking, within the timeout;
     * answers "PORT=RESULT..." with RESULT CONNECTED (the SYN-ACK came back, even where a reset or an ICMP error for
     * the handshake's last ACK followed, which races with the answer: only the SYN is the question, and the socket's
     * state says whether it got past SYN_SENT), REFUSED (a reset or ICMP port unreachable), UNREACHABLE (an ICMP
     * host/admin prohibited reject), TIMED_OUT or ERROR:errno. Closes with SO_LINGER 0 (a reset, no TIME_WAIT). Each
     * connection has a source port of its own (40000-59999 in turn): a half-open connection the node still holds from
     * an earlier ruleset (one that dropped the handshake's last ACK) never meets a new SYN of the same four-tuple.
     */
    private static final String CONNECT_PY = """
            import errno, select, socket, struct, sys, time
            SYN_SENT, CLOSE = 2, 7
            print("ready", flush=True)
            source = 0
            for line in sys.stdin:
                words = line.split()
                address, timeout, ports = words[0], int(words[1]) / 1000.0, [int(p) for p in words[2:]]
                pending, result = {}, {}
                for port in ports:
                    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                    s.bind(("0.0.0.0", 40000 + source))
                    source = (source + 1) % 20000
                    s.setblocking(False)
                    code = s.connect_ex((address, port))
                    if code in (0, errno.EINPROGRESS):
                        pending[s] = port
                    else:
                        result[port] = "ERROR:" + errno.errorcode.get(code, str(code))
                        s.close()
                deadline = time.monotonic() + timeout
                while pending:
                    left = deadline - time.monotonic()
                    if left <= 0:
                        break
                    for s in select.select([], list(pending), [], left)[1]:
                        # the state first: reading SO_ERROR also returns (and clears) a soft error
                        state = s.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 1)[0]
                        code = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                        port = pending.pop(s)
                        if code == 0 or code == errno.ECONNRESET or state not in (SYN_SENT, CLOSE):
                            # the SYN-ACK came: an error now is about a later packet (a rule on ESTABLISHED that
                            # rejected the handshake's last ACK with a reset, or with an ICMP error, a soft one)
                            result[port] = "CONNECTED"
                        elif code == errno.ECONNREFUSED:
                            result[port] = "REFUSED"
                        elif code in (errno.EHOSTUNREACH, errno.ENETUNREACH, errno.EACCES):
                            result[port] = "UNREACHABLE"
                        else:
                            result[port] = "ERROR:" + errno.errorcode.get(code, str(code))
                        s.close()
                for s, port in pending.items():
                    result[port] = "TIMED_OUT"
                    s.close()
                print(" ".join("%d=%s" % (p, result[p]) for p in ports), flush=True)
            """;

    /** What a connection attempt from a peer came to. */
    public enum Reach {
        /**
         * The SYN was answered with SYN-ACK: the kernel let the new connection in. (What it does with the packets after
         * the SYN, all ESTABLISHED, is not the question: a rule that drops or rejects those still counts as connected.)
         */
        CONNECTED,
        /** A reset or an ICMP error came back: a rule rejected it (a listener is always there). */
        REFUSED,
        /** Nothing came back within the timeout: a rule dropped it. */
        TIMED_OUT
    }

    /** The rulesets as the probe reads them back from the node: stdout only, without iptables-save's time stamps. */
    public record Kernel(String iptablesSave, String iptablesLegacySave, String nftListRuleset) {

        @Override
        public String toString() {
            return "--- iptables-save\n" + iptablesSave + "--- iptables-legacy-save\n" + iptablesLegacySave
                    + "--- nft list ruleset\n" + nftListRuleset;
        }
    }

    /** A ruleset that the kernel did not take: with the generated rulesets, a bug of the generator. */
    public static final class LoadFailed extends IllegalStateException {

        private static final long serialVersionUID = 1L;

        LoadFailed(String loader, String text, Processes.Result result) {
            super(loader + " failed with exit code " + result.exitCode() + ": " + result.stderr() + result.stdout()
                    + "\n--- its input:\n" + numbered(text));
        }
    }

    private final Path scratch;
    private final List<Process> processes = new ArrayList<>();
    private final Map<String, Peer> peers = new LinkedHashMap<>();

    private KernelFirewall(Path scratch) {
        this.scratch = scratch;
    }

    /** Why this machine cannot run the oracle (not root, a tool missing), or empty when it can. */
    public static Optional<String> unavailable() {
        if (!"0".equals(quiet(List.of("id", "-u")).stdout().strip())) {
            return Optional.of("not root");
        }
        List<String> missing = new ArrayList<>();
        for (String tool : TOOLS) {
            if (quiet(List.of("sh", "-c", "command -v " + tool)).exitCode() != 0) {
                missing.add(tool);
            }
        }
        if (python() == null) {
            missing.add("python3");
        }
        return missing.isEmpty() ? Optional.empty() : Optional.of("missing " + String.join(", ", missing));
    }

    /** Removes leftover {@code nrf-} namespaces, builds the three namespaces, starts the listener and the peers. */
    public static KernelFirewall start() {
        KernelFirewall kernel;
        try {
            kernel = new KernelFirewall(Files.createTempDirectory("nrf-kernel"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            kernel.build();
            return kernel;
        } catch (RuntimeException | Error e) {
            kernel.close();
            throw e;
        }
    }

    private void build() {
        removeLeftovers();
        for (String ns : List.of(NODE, PEER, PEER2)) {
            ip("netns", "add", ns);
        }
        ip("-n", NODE, "link", "add", "eth0", "type", "veth", "peer", "name", "eth0", "netns", PEER);
        ip("-n", NODE, "link", "add", "eth1", "type", "veth", "peer", "name", "eth0", "netns", PEER2);
        address(NODE, "eth0", NODE_ETH0);
        address(NODE, "eth1", NODE_ETH1);
        address(PEER, "eth0", PEER_ETH0);
        address(PEER2, "eth0", PEER2_ETH0);
        // no rate limit on the node's ICMP errors (its own sysctls, not the host's): every REJECT is answered, not only
        // the first few a second, so that a rejected SYN never looks like a dropped one
        run(List.of("ip", "netns", "exec", NODE, "sysctl", "-qw", "net.ipv4.icmp_ratelimit=0",
                "net.ipv4.icmp_msgs_per_sec=100000", "net.ipv4.icmp_msgs_burst=100000"), null).orFail("icmp sysctls");
        List<String> listen = new ArrayList<>(List.of("ip", "netns", "exec", NODE, python(), "-u", "-c", LISTEN_PY));
        LISTENING.forEach(port -> listen.add(String.valueOf(port)));
        Process listener = spawn(listen);
        awaitReady(listener, reader(listener), "listener");
        peers.put(PEER, new Peer(PEER, NODE_ETH0, spawn(List.of("ip", "netns", "exec", PEER, python(), "-u", "-c",
                CONNECT_PY))));
        peers.put(PEER2, new Peer(PEER2, NODE_ETH1, spawn(List.of("ip", "netns", "exec", PEER2, python(), "-u", "-c",
                CONNECT_PY))));
        for (Peer peer : peers.values()) {
            awaitReady(peer.process, peer.out, peer.namespace);
        }
    }

    /**
     * Empties every firewall of the node (nft flush ruleset, which takes the iptables-nft tables too; each legacy
     * table back to no rules, no user chains and ACCEPT policies), loads the given texts (null or blank: not loaded)
     * with iptables-nft-restore, iptables-legacy-restore and nft -f, and reads them back as the probe does.
     *
     * @throws LoadFailed when a loader refuses its text
     */
    public Kernel apply(String iptables, String legacy, String nft) {
        flush();
        load("iptables-nft-restore", List.of("iptables-nft-restore"), iptables);
        load("iptables-legacy-restore", List.of("iptables-legacy-restore"), legacy);
        load("nft -f -", List.of("nft", "-f", "-"), nft);
        return new Kernel(dump("iptables-save"), dump("iptables-legacy-save"), dump("nft", "list", "ruleset"));
    }

    /** One real connection attempt from a peer namespace ({@link #PEER} or {@link #PEER2}) to the node. */
    public Reach connects(String fromNs, String toAddress, int port) {
        return connects(fromNs, toAddress, List.of(port), CONNECT_TIMEOUT_MS).get(port);
    }

    /** Connection attempts to several ports at once, all within one timeout. */
    public Map<Integer, Reach> connects(String fromNs, String toAddress, List<Integer> ports, int timeoutMs) {
        return send(fromNs, toAddress, ports, timeoutMs).join();
    }

    /** The same ports from both peers, each to the node's address on its side, at once: PEER's answers, then PEER2's. */
    public Map<String, Map<Integer, Reach>> connectsFromBoth(List<Integer> ports, int timeoutMs) {
        CompletableFuture<Map<Integer, Reach>> first = send(PEER, NODE_ETH0, ports, timeoutMs);
        CompletableFuture<Map<Integer, Reach>> second = send(PEER2, NODE_ETH1, ports, timeoutMs);
        Map<String, Map<Integer, Reach>> answers = new LinkedHashMap<>();
        answers.put(PEER, first.join());
        answers.put(PEER2, second.join());
        return answers;
    }

    private CompletableFuture<Map<Integer, Reach>> send(String fromNs, String toAddress, List<Integer> ports,
            int timeoutMs) {
        Peer peer = peers.get(fromNs);
        if (peer == null || !peer.nodeAddress.equals(toAddress)) {
            throw new IllegalArgumentException("only " + PEER + " -> " + NODE_ETH0 + " and " + PEER2 + " -> "
                    + NODE_ETH1 + ", not " + fromNs + " -> " + toAddress);
        }
        for (int port : ports) {
            if (!LISTENING.contains(port)) {
                throw new IllegalArgumentException("the node does not listen on " + port + " (only " + LISTENING + ")");
            }
        }
        return CompletableFuture.supplyAsync(() -> peer.ask(ports, timeoutMs), THREADS);
    }

    private void flush() {
        node(List.of("nft", "flush", "ruleset"), null).orFail("nft flush ruleset");
        String tables = node(List.of("cat", "/proc/net/ip_tables_names"), null).stdout();
        StringBuilder empty = new StringBuilder();
        for (String table : tables.strip().split("\\s+")) {
            List<String> chains = BUILT_IN.get(table);
            if (chains != null) {
                empty.append('*').append(table).append('\n');
                chains.forEach(chain -> empty.append(':').append(chain).append(" ACCEPT [0:0]\n"));
                empty.append("COMMIT\n");
            }
        }
        if (empty.length() > 0) {
            node(List.of("iptables-legacy-restore"), empty.toString()).orFail("iptables-legacy-restore (flush)");
        }
    }

    private void load(String loader, List<String> command, String text) {
        if (text == null || text.isBlank()) {
            return;
        }
        Processes.Result result = node(command, text);
        if (result.exitCode() != 0) {
            throw new LoadFailed(loader, text, result);
        }
    }

    private String dump(String... command) {
        Processes.Result result = node(List.of(command), null).orFail(String.join(" ", command));
        return result.stdout().lines().filter(line -> !line.startsWith("# Generated by ")
                && !line.startsWith("# Completed on ")).map(line -> line + "\n").collect(Collectors.joining());
    }

    private Processes.Result node(List<String> command, String input) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", NODE));
        full.addAll(command);
        return run(full, input);
    }

    @Override
    public void close() {
        for (Process process : processes) {
            process.destroyForcibly();
        }
        for (Process process : processes) {
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (String ns : List.of(NODE, PEER, PEER2)) {
            quiet(List.of("ip", "netns", "del", ns));
        }
        try (var files = Files.list(scratch)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(scratch);
        } catch (IOException e) {
            // a temporary directory left behind does no harm
        }
    }

    /** A long-running python3 in a peer namespace that makes the connections, so that none waits for a start. */
    private static final class Peer {

        final String namespace;
        final String nodeAddress;
        final Process process;
        final Writer in;
        final BufferedReader out;

        Peer(String namespace, String nodeAddress, Process process) {
            this.namespace = namespace;
            this.nodeAddress = nodeAddress;
            this.process = process;
            this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            this.out = reader(process);
        }

        synchronized Map<Integer, Reach> ask(List<Integer> ports, int timeoutMs) {
            String request = nodeAddress + " " + timeoutMs + " "
                    + ports.stream().map(String::valueOf).collect(Collectors.joining(" "));
            String reply;
            try {
                in.write(request + "\n");
                in.flush();
                reply = CompletableFuture.supplyAsync(this::readLine, THREADS).get(timeoutMs + 10_000L, TimeUnit.MILLISECONDS);
            } catch (IOException e) {
                throw new UncheckedIOException(namespace + ": the connecting python3 is gone", e);
            } catch (TimeoutException | ExecutionException e) {
                throw new IllegalStateException(namespace + ": no answer to '" + request + "'", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            if (reply == null) {
                throw new IllegalStateException(namespace + ": the connecting python3 ended");
            }
            Map<Integer, Reach> answers = new LinkedHashMap<>();
            for (String word : reply.strip().split(" ")) {
                int port = Integer.parseInt(word.substring(0, word.indexOf('=')));
                String result = word.substring(word.indexOf('=') + 1);
                answers.put(port, switch (result) {
                    case "CONNECTED" -> Reach.CONNECTED;
                    case "REFUSED", "UNREACHABLE" -> Reach.REFUSED;
                    case "TIMED_OUT" -> Reach.TIMED_OUT;
                    default -> throw new IllegalStateException(namespace + " -> " + nodeAddress + ":" + port
                            + " failed in a way no firewall causes: " + result);
                });
            }
            return answers;
        }

        private String readLine() {
            try {
                return out.readLine();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private Process spawn(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectError(scratch.resolve("stderr-" + processes.size())
                    .toFile()).start();
            processes.add(process);
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitReady(Process process, BufferedReader out, String what) {
        String line;
        try {
            line = CompletableFuture.supplyAsync(() -> {
                try {
                    return out.readLine();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, THREADS).get(COMMAND_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            throw new IllegalStateException(what + " did not start: " + stderrOf(process), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (!"ready".equals(line)) {
            throw new IllegalStateException(what + " did not start: " + line + " " + stderrOf(process));
        }
    }

    private String stderrOf(Process process) {
        try {
            return Files.readString(scratch.resolve("stderr-" + processes.indexOf(process)));
        } catch (IOException e) {
            return "";
        }
    }

    private static BufferedReader reader(Process process) {
        return new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    private static void removeLeftovers() {
        for (String line : quiet(List.of("ip", "netns", "list")).stdout().split("\n")) {
            String ns = line.strip().split("\\s+")[0];
            if (ns.startsWith(PREFIX)) {
                quiet(List.of("ip", "netns", "del", ns));
            }
        }
    }

    private static void address(String ns, String device, String address) {
        ip("-n", ns, "addr", "add", address + "/24", "dev", device);
        ip("-n", ns, "link", "set", device, "up");
        ip("-n", ns, "link", "set", "lo", "up");
    }

    private static void ip(String... args) {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        run(command, null).orFail(String.join(" ", command));
    }

    private static String python() {
        if (Files.isExecutable(Path.of("/usr/bin/python3"))) {
            return "/usr/bin/python3";
        }
        Processes.Result which = quiet(List.of("sh", "-c", "command -v python3"));
        return which.exitCode() == 0 ? which.stdout().strip() : null;
    }

    private static Processes.Result quiet(List<String> command) {
        try {
            return run(command, null);
        } catch (RuntimeException e) {
            return new Processes.Result(-1, "", e.getMessage());
        }
    }

    /** Runs a command with the given standard input (null: none) and {@link #COMMAND_SECONDS} to finish. */
    private static Processes.Result run(List<String> command, String input) {
        try {
            Process process = new ProcessBuilder(command).start();
            CompletableFuture<String> stdout = CompletableFuture.supplyAsync(() -> read(process.getInputStream()), THREADS);
            CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()), THREADS);
            try (OutputStream in = process.getOutputStream()) {
                if (input != null) {
                    in.write(input.getBytes(StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                // the command ended without reading all of its input: its exit code and stderr tell why
            }
            if (!process.waitFor(COMMAND_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(command + " did not finish within " + COMMAND_SECONDS + " s");
            }
            return new Processes.Result(process.exitValue(), stdout.join(), stderr.join());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String numbered(String text) {
        String[] lines = text.split("\n", -1);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < lines.length; i++) {
            out.append(String.format("%3d  %s%n", i + 1, lines[i]));
        }
        return out.toString();
    }
}
