package io.netready.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.netready.rules.ReachabilityPorts;

/**
 * Synthetic fleets built from real probe reports: node i is the base report with its own hostname, machine-id,
 * and eth0 MAC and address (rewritten inside the real {@code ip -j} output), so cluster rules see distinct nodes.
 * Bodies are gzip'd as the probe sends them; the per-upload part (report id, time) is a separate small gzip member
 * in front of the node's pre-compressed rest, so making an upload costs the load generator almost nothing.
 */
final class Fleet {

    static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectNode base;

    Fleet(Path report) {
        try {
            this.base = (ObjectNode) JSON.readTree(Files.readAllBytes(report));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A node of the fleet: its report minus the per-upload fields, compressed once. */
    record Node(int index, String hostname, byte[] gzippedRest, int rawBytes) {

        /** One upload: a fresh report id and time in their own gzip member, then the node's rest. */
        byte[] upload(String reportId, String collectedAt) {
            return with(head(reportId, collectedAt));
        }

        /** This node's body behind a prepared head. */
        byte[] with(byte[] head) {
            byte[] body = new byte[head.length + gzippedRest.length];
            System.arraycopy(head, 0, body, 0, head.length);
            System.arraycopy(gzippedRest, 0, body, head.length, gzippedRest.length);
            return body;
        }
    }

    /** The per-upload gzip member: format, report id and time. */
    static byte[] head(String reportId, String collectedAt) {
        return gzip(("{\"format\":\"netready.report/v1\",\"reportId\":\"" + reportId + "\",\"collectedAt\":\""
                + collectedAt + "\",").getBytes(StandardCharsets.UTF_8));
    }

    Node node(int index, String prefix) {
        return node(index, prefix, 0);
    }

    /**
     * A node of a cluster of {@code clusterSize} nodes whose report also carries the reachability sections of a plan of
     * 16 peers (the next ones by index, on 10250 and their NodePort sample; one attempt in 50 timed out), as the probe
     * writes them; without them for a size below 2.
     */
    Node node(int index, String prefix, int clusterSize) {
        ObjectNode report = base.deepCopy();
        ObjectNode sections = (ObjectNode) report.get("sections");
        String hostname = hostname(prefix, index);
        if (clusterSize > 1) {
            addReachability(sections, index, prefix, clusterSize);
        }
        setText(sections, "hostname", hostname + "\n");
        setText(sections, "machine-id", String.format("%032x", (long) prefix.hashCode() * 100_000L + index) + "\n");
        String mac = String.format("02:%02x:%02x:%02x:%02x:%02x", prefix.hashCode() & 0xff, (index >> 24) & 0xff,
                (index >> 16) & 0xff, (index >> 8) & 0xff, index & 0xff);
        String address = address(index);
        rewriteEth0(sections, "links", mac, null);
        rewriteEth0(sections, "addresses", mac, address);
        report.remove("format");
        report.remove("reportId");
        report.remove("collectedAt");
        String json;
        try {
            json = JSON.writeValueAsString(report);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // The rest of the object, without its opening brace: it follows the head member.
        byte[] rest = json.substring(1).getBytes(StandardCharsets.UTF_8);
        return new Node(index, hostname, gzip(rest), rest.length + 120);
    }

    static String hostname(String prefix, int index) {
        return String.format("%s-%05d", prefix, index);
    }

    /** The node IP of the fleet's node {@code index}: stored only, never connected to (no probe runs in these clusters). */
    static String address(int index) {
        return "10." + (100 + index / 65536) + "." + (index / 256 % 256) + "." + (index % 256 == 0 ? 1 : index % 256);
    }

    private static void addReachability(ObjectNode sections, int index, String prefix, int clusterSize) {
        List<String> outcomes = new ArrayList<>();
        List<String> times = new ArrayList<>();
        int peers = Math.min(16, clusterSize - 1);
        for (int j = 1; j <= peers; j++) {
            int peer = (index + j) % clusterSize;
            String address = address(peer);
            for (int port : List.of(10250, ReachabilityPorts.nodePortSample(hostname(prefix, peer)))) {
                boolean dropped = Math.floorMod(index * 31 + peer * 7 + port, 50) == 0;
                String outcome = dropped ? "timeout" : port == 10250 ? "connected" : "refused";
                outcomes.add("tcp " + address + " " + port + " " + outcome);
                times.add("tcp " + address + " " + port + " " + outcome + " " + (dropped ? "1.000" : "0.000412"));
            }
        }
        Collections.sort(outcomes);
        Collections.sort(times);
        addSection(sections, "reachability", String.join("\n", outcomes) + "\n");
        addSection(sections, "reachability-times", String.join("\n", times) + "\n");
    }

    private static void addSection(ObjectNode sections, String name, String text) {
        ObjectNode section = ((ObjectNode) sections.get("hostname")).deepCopy();
        section.put("source", "curl TCP connect to each target of the plan (16 at a time, at most 64, at most 1.000 s each)");
        sections.set(name, section);
        setText(sections, name, text);
    }

    /** The uncompressed size of a typical upload, for the storage figures. */
    int rawSize() {
        try {
            return JSON.writeValueAsBytes(base).length;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String newReportId() {
        return UUID.randomUUID().toString();
    }

    private static void setText(ObjectNode sections, String name, String text) {
        ObjectNode section = (ObjectNode) sections.get(name);
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        section.put("output", Base64.getEncoder().encodeToString(bytes));
        section.put("bytes", bytes.length);
        section.put("status", "ok");
        section.put("exitCode", 0);
    }

    /** Rewrites eth0's MAC (and first IPv4 address) inside the real ip -j output of a section. */
    private static void rewriteEth0(ObjectNode sections, String name, String mac, String address) {
        ObjectNode section = (ObjectNode) sections.get(name);
        try {
            JsonNode list = JSON.readTree(Base64.getDecoder().decode(section.get("output").asText()));
            for (JsonNode link : list) {
                if (!"eth0".equals(link.path("ifname").asText())) {
                    continue;
                }
                ((ObjectNode) link).put("address", mac);
                if (address != null) {
                    for (Iterator<JsonNode> it = link.path("addr_info").elements(); it.hasNext();) {
                        JsonNode info = it.next();
                        if ("inet".equals(info.path("family").asText())) {
                            ((ObjectNode) info).put("local", address);
                            break;
                        }
                    }
                }
            }
            byte[] bytes = JSON.writeValueAsBytes(list);
            section.put("output", Base64.getEncoder().encodeToString(bytes));
            section.put("bytes", bytes.length);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 4 + 64);
        try (GZIPOutputStream gz = new GZIPOutputStream(out, 65536)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

}
