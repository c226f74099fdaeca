package io.netready.support;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A node of a test cluster, reported with a real probe report captured in a network namespace (the unique-node-ip
 * rule sample of node nip-ok-a, eth0 10.213.90.11/24), moved to its own hostname, role, phase, eth0 address and MAC;
 * optionally with {@code reachability} sections naming only other nodes of the same test cluster. Nothing connects
 * anywhere: the sections are written here, as the probe would have written them.
 */
public record SampleNode(String hostname, String role, String phase, String address, int prefix) {

    private static final Path BASE = Path.of("src/test/resources/rule-samples/unique-node-ip/pass-all-unique/node-a.txt");
    private static final String BASE_HOST = "nip-ok-a";
    private static final String BASE_IP = "10.213.90.11";
    private static final String BASE_NET = "10.213.90.";
    private static final String BASE_MAC = "ea:a5:4f:92:87:d2";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Each report collected a second after the one before: a later upload's outcomes replace an earlier one's. */
    private static final AtomicLong CLOCK = new AtomicLong(Instant.now().getEpochSecond() - 86_400);

    /** One line of a reachability section: the peer tried, the port, the outcome, the seconds it took. */
    public record Tried(SampleNode peer, int port, String outcome, double seconds) {
    }

    public static SampleNode worker(String hostname, String address) {
        return new SampleNode(hostname, "worker", "preflight", address, 24);
    }

    public static SampleNode controlPlane(String hostname, String address) {
        return new SampleNode(hostname, "control-plane", "preflight", address, 24);
    }

    public SampleNode running() {
        return new SampleNode(hostname, role, "running", address, prefix);
    }

    public Tried tried(int port, String outcome) {
        return new Tried(this, port, outcome, "connected".equals(outcome) || "refused".equals(outcome) ? 0.001 : 1.0);
    }

    /** The report JSON: no reachability sections (as from a portal without plans). */
    public String report() {
        return report(null);
    }

    /** The report JSON with the reachability sections for {@code tried} (sorted as the probe sorts them). */
    public String report(List<Tried> tried) {
        try {
            ObjectNode tree = (ObjectNode) JSON.readTree(RuleSampleFile.reportJson(BASE));
            tree.put("reportId", UUID.randomUUID().toString());
            tree.put("collectedAt", Instant.ofEpochSecond(CLOCK.incrementAndGet()).toString());
            tree.put("role", role);
            tree.put("phase", phase);
            String net = address.substring(0, address.lastIndexOf('.') + 1);
            // the same machine on every run: its machine-id and MAC follow its name
            long n = UUID.nameUUIDFromBytes(hostname.getBytes(StandardCharsets.UTF_8)).getLeastSignificantBits();
            String mac = String.format("02:6e:72:%02x:%02x:%02x", (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff);
            ObjectNode sections = (ObjectNode) tree.get("sections");
            for (Iterator<Map.Entry<String, JsonNode>> it = sections.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> entry = it.next();
                ObjectNode section = (ObjectNode) entry.getValue();
                String text = new String(Base64.getDecoder().decode(section.path("output").asText()), StandardCharsets.UTF_8);
                String moved = text.replace(BASE_IP, address).replace(BASE_NET, net).replace(BASE_MAC, mac)
                        .replace("\"prefixlen\":24", "\"prefixlen\":" + prefix);
                if (entry.getKey().equals("hostname")) {
                    moved = hostname + "\n";
                } else if (entry.getKey().equals("machine-id")) {
                    moved = UUID.nameUUIDFromBytes(("machine " + hostname).getBytes(StandardCharsets.UTF_8)).toString()
                            .replace("-", "") + "\n";
                } else {
                    moved = moved.replace(BASE_HOST, hostname);
                }
                put(section, moved);
            }
            if (tried != null) {
                List<String> lines = new ArrayList<>();
                List<String> times = new ArrayList<>();
                for (Tried t : tried) {
                    lines.add("tcp " + t.peer().address() + " " + t.port() + " " + t.outcome());
                    times.add("tcp " + t.peer().address() + " " + t.port() + " " + t.outcome() + " "
                            + String.format(java.util.Locale.ROOT, "%.6f", t.seconds()));
                }
                lines.sort(null);
                times.sort(null);
                section(sections, "reachability", String.join("", lines.stream().map(l -> l + "\n").toList()));
                section(sections, "reachability-times", String.join("", times.stream().map(l -> l + "\n").toList()));
            }
            return JSON.writeValueAsString(tree);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void section(ObjectNode sections, String name, String output) {
        ObjectNode section = sections.putObject(name);
        section.put("source", "curl --connect-timeout (reachability plan)").put("status", "ok").put("exitCode", 0)
                .put("encoding", "base64").put("stderr", "").put("truncated", false);
        put(section, output);
    }

    private static void put(ObjectNode section, String output) {
        byte[] bytes = output.getBytes(StandardCharsets.UTF_8);
        section.put("output", Base64.getEncoder().encodeToString(bytes)).put("bytes", bytes.length);
    }
}
