package io.netready.upload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.netready.node.Node;
import io.netready.report.Report;
import io.netready.report.SectionContent;
import io.netready.support.Portal;
import io.netready.support.Probe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;

/**
 * Hundreds of malformed and hostile uploads, each derived from a real probe report: every one gets a 4xx with a
 * problem+json body, nothing of any of them is stored, and the portal still takes a good report afterwards.
 */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class HostileUploadTest {

    private static final java.net.http.HttpClient HTTP = java.net.http.HttpClient.newBuilder()
            .version(java.net.http.HttpClient.Version.HTTP_1_1).build();

    /** One hostile upload: what it is, its body, content type and encoding. */
    record Attack(String name, byte[] body, String contentType, String encoding) {
        static Attack json(String name, String body) {
            return new Attack(name, body.getBytes(StandardCharsets.UTF_8), "application/json", null);
        }
    }

    @Test
    void everyHostileUploadIsRefusedCleanlyAndNothingIsStored() throws IOException {
        String cluster = Portal.createCluster("platform");
        String token = Portal.issueToken(cluster);
        List<Attack> attacks = attacks();
        assertTrue(attacks.size() >= 200, "at least 200 hostile uploads, got " + attacks.size());
        long reports = Report.count();
        long nodes = Node.count();
        long sections = SectionContent.count();
        Map<Integer, Integer> statuses = new java.util.TreeMap<>();
        List<String> wrong = new ArrayList<>();
        for (Attack attack : attacks) {
            // Raw bytes with any content type: a plain HTTP client, as a hostile node would use.
            java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://localhost:" + io.restassured.RestAssured.port + "/api/v1/reports"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", attack.contentType())
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(attack.body()));
            if (attack.encoding() != null) {
                request.header("Content-Encoding", attack.encoding());
            }
            java.net.http.HttpResponse<String> response;
            try {
                response = HTTP.send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            int status = response.statusCode();
            statuses.merge(status, 1, Integer::sum);
            String body = response.body();
            String type = response.headers().firstValue("Content-Type").orElse("");
            if (status < 400 || status >= 500) {
                wrong.add(attack.name() + " answered " + status + ": " + abbreviate(body));
            } else if (!type.startsWith("application/problem+json")) {
                wrong.add(attack.name() + " answered " + type);
            } else if (!body.contains("\"detail\"") || body.contains("Exception") || body.contains("\tat ")) {
                wrong.add(attack.name() + " leaks internals: " + abbreviate(body));
            }
        }
        assertTrue(wrong.isEmpty(), wrong.size() + " hostile uploads not refused cleanly:\n" + String.join("\n", wrong));
        assertEquals(reports, Report.count(), "no report stored");
        assertEquals(nodes, Node.count(), "no node stored");
        assertEquals(sections, SectionContent.count(), "no section stored");
        System.out.println("hostile uploads: " + attacks.size() + " refused, by status " + statuses);
        Portal.upload(token, Probe.hostReportWithId(UUID.randomUUID().toString())).then().statusCode(201);
    }

    static List<Attack> attacks() throws IOException {
        List<Attack> attacks = new ArrayList<>();
        String good = Probe.hostReportWithId(UUID.randomUUID().toString());
        Random random = new Random(7);
        // Truncated JSON at 60 places.
        for (int i = 1; i <= 60; i++) {
            attacks.add(Attack.json("truncated at " + i + "/61", good.substring(0, good.length() * i / 61)));
        }
        // Wrong types for every top-level field and every field of a section.
        for (String field : List.of("format", "reportId", "collectedAt", "probe", "role", "phase", "sections")) {
            for (String value : List.of("42", "true", "null", "[]", "{}", "\"\"", "-1", "1e308")) {
                ObjectNode tree = Probe.hostReportTree();
                tree.set(field, Probe.JSON.readTree(value));
                attacks.add(Attack.json(field + " = " + value, tree.toString()));
            }
        }
        for (String field : List.of("source", "status", "exitCode", "encoding", "output", "bytes", "truncated")) {
            for (String value : List.of("42", "\"x\"", "null", "[]", "{}", "-1", "3.5")) {
                ObjectNode tree = Probe.hostReportTree();
                ((ObjectNode) tree.get("sections").get("hostname")).set(field, Probe.JSON.readTree(value));
                String json = tree.toString();
                boolean stillValid = field.equals("source") && value.startsWith("\"");
                if (!stillValid) {
                    attacks.add(Attack.json("sections.hostname." + field + " = " + value, json));
                }
            }
        }
        // Exit codes out of range, negative sizes.
        for (String value : List.of("-1", "256", "99999999999", "-2147483648")) {
            ObjectNode tree = Probe.hostReportTree();
            ((ObjectNode) tree.get("sections").get("kernel")).put("exitCode", Long.parseLong(value));
            attacks.add(Attack.json("exitCode " + value, tree.toString()));
        }
        // Huge strings: a 1 MB hostname, a 2 MB report id, a 100 kB section name, a 10 kB source.
        attacks.add(Attack.json("1 MB hostname", withHostname("h".repeat(1024 * 1024))));
        ObjectNode longId = Probe.hostReportTree();
        longId.put("reportId", "r".repeat(2 * 1024 * 1024));
        attacks.add(Attack.json("2 MB report id", longId.toString()));
        ObjectNode longName = Probe.hostReportTree();
        ((ObjectNode) longName.get("sections")).set("n".repeat(100_000), longName.get("sections").get("kernel"));
        attacks.add(Attack.json("100 kB section name", longName.toString()));
        ObjectNode longSource = Probe.hostReportTree();
        ((ObjectNode) longSource.get("sections").get("kernel")).put("source", "s".repeat(10_000));
        attacks.add(Attack.json("10 kB source", longSource.toString()));
        // Hostile hostnames that are not names at all.
        for (String hostname : List.of("", "\u0000", "a\u0000b", "line\nbreak", "\u001b[31mred", "\u007f", "\t")) {
            attacks.add(Attack.json("hostname " + hostname.codePoints().mapToObj(Integer::toHexString).toList(), withHostname(hostname)));
        }
        // Deep nesting in several places.
        for (int depth : List.of(40, 100, 1000, 10_000)) {
            String nested = "[".repeat(depth) + "]".repeat(depth);
            attacks.add(Attack.json("nesting " + depth + " at top", "{\"format\":" + nested + "}"));
            attacks.add(Attack.json("nesting " + depth + " in probe", good.replaceFirst("\"probe\":\\{", "\"probe\":{\"x\":" + nested + ",")));
        }
        // Duplicate keys at each level.
        attacks.add(Attack.json("duplicate format", good.replaceFirst("\\{", "{\"format\":\"x\",")));
        attacks.add(Attack.json("duplicate section", good.replaceFirst("\"sections\":\\{", "\"sections\":{\"kernel\":{},")));
        attacks.add(Attack.json("duplicate field in a section", good.replaceFirst("\"kernel\":\\{", "\"kernel\":{\"status\":\"ok\",")));
        // Invalid UTF-8, NUL bytes and binary in the document itself.
        for (byte[] bad : List.of(new byte[] { (byte) 0xC3 }, new byte[] { (byte) 0xFF, (byte) 0xFE }, new byte[] { 0 },
                new byte[] { (byte) 0xED, (byte) 0xA0, (byte) 0x80 }, new byte[] { (byte) 0x80 })) {
            byte[] json = good.getBytes(StandardCharsets.UTF_8);
            int at = good.indexOf("\"role\":\"") + 8;
            byte[] body = new byte[json.length + bad.length];
            System.arraycopy(json, 0, body, 0, at);
            System.arraycopy(bad, 0, body, at, bad.length);
            System.arraycopy(json, at, body, at + bad.length, json.length - at);
            attacks.add(new Attack("bytes " + java.util.HexFormat.of().formatHex(bad) + " in a string", body, "application/json", null));
        }
        for (int i = 0; i < 10; i++) {
            byte[] noise = new byte[1000 + random.nextInt(100_000)];
            random.nextBytes(noise);
            attacks.add(new Attack("random bytes " + i, noise, "application/json", null));
        }
        // Binary and broken base64 in sections.
        for (String output : List.of("Q", "QQ=A", "not base64!", "\u00e9\u00e9", "QUJD\\u0000", "QUJD====")) {
            ObjectNode tree = Probe.hostReportTree();
            ((ObjectNode) tree.get("sections").get("kernel")).put("output", output);
            attacks.add(Attack.json("kernel output " + output, tree.toString()));
        }
        // Future and unknown formats, missing required fields.
        for (String format : List.of("netready.report/v2", "netready.report/v0", "NETREADY.REPORT/V1", "netready.report/v1 ",
                "other")) {
            ObjectNode tree = Probe.hostReportTree();
            tree.put("format", format);
            attacks.add(Attack.json("format " + format, tree.toString()));
        }
        for (String field : List.of("format", "reportId", "collectedAt", "probe", "role", "phase", "sections")) {
            ObjectNode tree = Probe.hostReportTree();
            tree.remove(field);
            attacks.add(Attack.json("without " + field, tree.toString()));
        }
        for (String value : List.of("yesterday", "2026-13-01T00:00:00Z", "2026-11-21 07:00:00", "0")) {
            ObjectNode tree = Probe.hostReportTree();
            tree.put("collectedAt", value);
            attacks.add(Attack.json("collectedAt " + value, tree.toString()));
        }
        for (String id : List.of("short", "has space 12345", "../../etc/passwd", "id;rm -rf /", "\u00fc".repeat(10))) {
            ObjectNode tree = Probe.hostReportTree();
            tree.put("reportId", id);
            attacks.add(Attack.json("reportId " + id, tree.toString()));
        }
        for (String name : List.of("../etc", "UPPER", "-dash", "with space", "semi;colon", "")) {
            ObjectNode tree = Probe.hostReportTree();
            ((ObjectNode) tree.get("sections")).set(name, tree.get("sections").get("kernel"));
            attacks.add(Attack.json("section name '" + name + "'", tree.toString()));
        }
        // Wrong content types and encodings.
        for (String type : List.of("text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data",
                "application/json; charset=utf-16", "application/octet-stream")) {
            attacks.add(new Attack("content type " + type, good.getBytes(StandardCharsets.UTF_8), type, null));
        }
        for (String encoding : List.of("br", "deflate", "compress", "zstd")) {
            attacks.add(new Attack("encoding " + encoding, good.getBytes(StandardCharsets.UTF_8), "application/json", encoding));
        }
        // gzip bombs and broken gzip.
        attacks.add(new Attack("gzip bomb (report unpacking past the limit)", gzip(withHostname("a".repeat(9 * 1024 * 1024))
                .getBytes(StandardCharsets.UTF_8)), "application/json", "gzip"));
        attacks.add(new Attack("gzip of zeros", gzip(new byte[20 * 1024 * 1024]), "application/json", "gzip"));
        byte[] gz = gzip(good.getBytes(StandardCharsets.UTF_8));
        attacks.add(new Attack("gzip cut short", java.util.Arrays.copyOf(gz, gz.length / 2), "application/json", "gzip"));
        attacks.add(new Attack("not gzip", good.getBytes(StandardCharsets.UTF_8), "application/json", "gzip"));
        // Not one object.
        for (String body : List.of("", " ", "null", "[]", "[" + good + "]", "\"report\"", "42", good + good, good + "x")) {
            attacks.add(Attack.json("body " + (body.length() > 20 ? body.length() + " chars" : body), body));
        }
        return attacks;
    }

    private static String abbreviate(String text) {
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }

    private static String withHostname(String hostname) {
        ObjectNode tree = Probe.hostReportTree();
        tree.put("reportId", UUID.randomUUID().toString());
        byte[] bytes = (hostname + "\n").getBytes(StandardCharsets.UTF_8);
        ((ObjectNode) tree.get("sections").get("hostname")).put("output", Base64.getEncoder().encodeToString(bytes))
                .put("bytes", bytes.length);
        return tree.toString();
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }
}
