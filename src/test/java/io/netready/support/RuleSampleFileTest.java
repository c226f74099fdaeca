package io.netready.support;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.netready.reportformat.ReportReader;
import io.netready.support.RuleSampleFile.Expectations;
import io.netready.support.RuleSampleFile.Sample;
import io.netready.support.RuleSampleFile.Section;

/** The text sample format converts to the report's JSON and back without loss, for every sample and every odd case. */
class RuleSampleFileTest {

    private static final ReportReader READER = new ReportReader(64 * 1024 * 1024);

    static Stream<Path> textSamples() throws IOException {
        try (Stream<Path> files = Files.walk(Path.of("src/test/resources/rule-samples"))) {
            return files.filter(f -> f.toString().endsWith(".txt")).sorted().toList().stream();
        }
    }

    /** Text -> JSON -> text gives the file back, so a sample is only ever changed on purpose. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("textSamples")
    void everySampleRoundTrips(Path file) throws IOException {
        String text = Files.readString(file);
        Sample sample = RuleSampleFile.parse(text);
        byte[] json = sample.reportJson();
        Sample again = RuleSampleFile.fromJson(sample.comment(), sample.expect(), json);
        assertEquals(text, RuleSampleFile.format(again), file + ": text -> JSON -> text changed it");
        assertArrayEquals(json, again.reportJson(), file + ": JSON -> text -> JSON changed it");
        assertEquals(READER.parse(json).reportId(), sample.report().reportId());
    }

    @Test
    void oddSectionsSurviveTheRoundTrip() {
        String json = report("""
                "hostname": %s,
                "no-newline": %s,
                "empty": %s,
                "with-stderr": %s,
                "binary": %s,
                "marker": %s,
                "crlf": %s,
                "cni-config/10-bridge.conflist": %s,
                "iptables": %s,
                "iptables-nft": {"source": "iptables-nft-save", "status": "ok", "exitCode": 0, "encoding": "base64", "sameAs": "iptables", "output": "", "stderr": "", "bytes": 0, "truncated": false},
                "cut": {"source": "cat /big", "status": "ok", "exitCode": 0, "encoding": "base64", "output": "YWJjZAo=", "stderr": "", "bytes": 100, "truncated": true},
                "as-text": {"source": "echo \\"hi\\" --", "status": "error", "exitCode": 3, "output": "h\\u00e9llo\\n"}
                """.formatted(ok("node-1\n"), ok("abc"), ok(""), section("x\n", "partial", 1), ok(new byte[] { (byte) 0xff, 0, '\n' }),
                ok("a\n-- section x: status=ok exit=0 source=y --\nb\n"), ok("a\r\nb\r\n"), ok("{\"type\": \"bridge\"}\n"),
                ok("*filter\nCOMMIT\n")));
        Sample sample = RuleSampleFile.fromJson("odd sections\n", new Expectations("pass", "fine", null, List.of()),
                json.getBytes(StandardCharsets.UTF_8));
        String text = RuleSampleFile.format(sample);
        Sample back = RuleSampleFile.parse(text);

        assertArrayEquals(READER.parse(json.getBytes(StandardCharsets.UTF_8)).contentHash(),
                READER.parse(back.reportJson()).contentHash(), text);
        assertEquals(sample.report().sections().size(), back.report().sections().size());
        for (int i = 0; i < sample.report().sections().size(); i++) {
            assertSameSection(sample.report().sections().get(i), back.report().sections().get(i));
        }
        assertEquals(sample.report().probe(), back.report().probe());
        assertEquals(sample.expect(), back.expect());
        assertEquals("odd sections\n", back.comment());

        assertTrue(text.contains("-- section no-newline: status=ok exit=0 noeol source=sh -c x --\nabc\n"), text);
        assertTrue(text.contains("-- section empty: status=ok exit=0 source=sh -c x --\n-- section with-stderr"), text);
        assertTrue(text.contains("-- stderr with-stderr: noeol --\npartial\n"), text);
        assertTrue(text.contains("-- section binary: status=ok exit=0 base64 source=sh -c x --\n/wAK\n"), text);
        assertTrue(text.contains("-- section marker: status=ok exit=0 base64 source="), text);
        assertTrue(text.contains("-- section crlf: status=ok exit=0 base64 source="), text);
        assertTrue(text.contains("-- section cni-config/10-bridge.conflist: status=ok exit=0 source=sh -c x --\n{\"type\""), text);
        assertTrue(text.contains("-- section iptables-nft: status=ok exit=0 sameAs=iptables source=iptables-nft-save --\n"), text);
        assertTrue(text.contains("-- section cut: status=ok exit=0 bytes=100 truncated source=cat /big --\nabcd\n"), text);
        assertTrue(text.contains("-- section as-text: status=error exit=3 source=echo \"hi\" -- --\nhéllo\n"), text);
    }

    @Test
    void aProbeWithoutUidOrDurationStaysWithout() {
        String json = report("\"hostname\": " + ok("n\n") + "\n").replace(", \"uid\": 0, \"durationMs\": 5", "");
        Sample back = RuleSampleFile.parse(RuleSampleFile.format(RuleSampleFile.fromJson("", Expectations.onlyStatus("pass"),
                json.getBytes(StandardCharsets.UTF_8))));
        assertEquals(new RuleSampleFile.Probe("0.1.0", null, null), back.report().probe());
        assertArrayEquals(json.getBytes(StandardCharsets.UTF_8), back.reportJson());
    }

    @Test
    void expectationsKeepTheirLinesExactly() {
        Expectations expect = new Expectations("fail", "net.ipv4.ip_forward must be 1",
                "# why\nsysctl -w net.ipv4.ip_forward=1", List.of("first note", "second note"));
        String json = report("\"hostname\": " + ok("n\n") + "\n");
        String text = RuleSampleFile.format(RuleSampleFile.fromJson("", expect, json.getBytes(StandardCharsets.UTF_8)));
        assertTrue(text.startsWith("""
                -- expect status --
                fail
                -- expect message --
                net.ipv4.ip_forward must be 1
                -- expect fix --
                # why
                sysctl -w net.ipv4.ip_forward=1
                -- expect notes --
                first note
                second note
                -- report --
                """), text);
        assertEquals(expect, RuleSampleFile.parse(text).expect());
    }

    @Test
    void unknownEntriesAndFieldsAreRefusedNotDropped() {
        String json = report("\"hostname\": " + ok("n\n") + "\n");
        String text = RuleSampleFile.format(RuleSampleFile.fromJson("", Expectations.onlyStatus("pass"),
                json.getBytes(StandardCharsets.UTF_8)));
        assertThrows(IllegalArgumentException.class, () -> RuleSampleFile.parse(text + "-- evidence --\nx\n"));
        assertThrows(IllegalArgumentException.class, () -> RuleSampleFile.parse(text.replace("role: worker", "role: worker\nzone: a")));
        assertThrows(IllegalArgumentException.class, () -> RuleSampleFile.fromJson("", Expectations.onlyStatus("pass"),
                json.replace("\"role\"", "\"zone\": \"a\", \"role\"").getBytes(StandardCharsets.UTF_8)));
    }

    private static void assertSameSection(Section expected, Section actual) {
        String what = expected.name();
        assertEquals(expected.name(), actual.name());
        assertEquals(expected.source(), actual.source(), what);
        assertEquals(expected.status(), actual.status(), what);
        assertEquals(expected.exitCode(), actual.exitCode(), what);
        assertEquals(expected.sameAs(), actual.sameAs(), what);
        assertArrayEquals(expected.output(), actual.output(), what);
        assertArrayEquals(expected.stderr(), actual.stderr(), what);
        assertEquals(expected.bytes(), actual.bytes(), what);
        assertEquals(expected.truncated(), actual.truncated(), what);
    }

    private static String report(String sections) {
        return """
                {
                  "format": "netready.report/v1",
                  "reportId": "odd-sections-1",
                  "collectedAt": "2026-11-21T08:11:42Z",
                  "probe": {"version": "0.1.0", "uid": 0, "durationMs": 5},
                  "role": "worker",
                  "phase": "preflight",
                  "sections": {
                %s  }
                }
                """.formatted(sections.indent(4));
    }

    private static String ok(String output) {
        return ok(output.getBytes(StandardCharsets.UTF_8));
    }

    private static String ok(byte[] output) {
        return section(output, new byte[0], 0);
    }

    private static String section(String output, String stderr, int exitCode) {
        return section(output.getBytes(StandardCharsets.UTF_8), stderr.getBytes(StandardCharsets.UTF_8), exitCode);
    }

    private static String section(byte[] output, byte[] stderr, int exitCode) {
        Base64.Encoder base64 = Base64.getEncoder();
        return "{\"source\": \"sh -c x\", \"status\": \"" + (exitCode == 0 ? "ok" : "error") + "\", \"exitCode\": " + exitCode
                + ", \"encoding\": \"base64\", \"output\": \"" + base64.encodeToString(output) + "\", \"stderr\": \""
                + base64.encodeToString(stderr) + "\", \"bytes\": " + output.length + ", \"truncated\": false}";
    }
}
