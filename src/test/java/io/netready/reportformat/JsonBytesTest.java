package io.netready.reportformat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The upload path's JSON reader reads what Jackson (in its strict settings) reads, to the same tree, and refuses what
 * it refuses; its base64 decoding agrees with the JDK's, however the input is split into reads.
 */
class JsonBytesTest {

    /** Jackson as the portal used it before: duplicate names refused, 32 levels, numbers of 40 characters. */
    static final ObjectMapper JACKSON = new ObjectMapper(JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).maxNumberLength(40).build())
            .build());

    @Test
    void realReportsReadToJacksonsTree() throws IOException {
        for (String report : new String[] { "typical-worker.json", "typical-control-plane.json", "large-20k-iptables.json" }) {
            byte[] bytes = Files.readAllBytes(Path.of("src/test/resources/bench-reports", report));
            assertEquals(JACKSON.readTree(bytes), tree(new ByteArrayInputStream(bytes)), report);
            // Input that arrives a few bytes at a time (a slow network, gzip's small reads) reads the same.
            assertEquals(JACKSON.readTree(bytes), tree(trickle(bytes, 7)), report + " in 7-byte reads");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{}", "[]", "{\"a\":[1,-2,3.5,1e3,-0,0.25E-2,true,false,null,\"x\"]}", "  {\"a\" : { \"b\" : [ ] } }\n",
            "{\"\\u00e9t\\u00E9\":\"\\ud83d\\ude00 \\\" \\\\ \\/ \\b\\f\\n\\r\\t\"}", "{\"big\":123456789012345678901234567890}",
            "{\"long\":1234567890123,\"neg\":-9223372036854775808,\"int\":-2147483648}", "\"just a string\"", "42",
            "{\"utf8\":\"h\u00e9llo \u4e16\u754c \ud83d\ude00\"}", "{\"a\":1}\r\n\t ",
            "{\"x\":[{\"a\":1},{\"a\":2,\"b\":[[{\"c\":{}}]]}]}", "[{\"a\":[{\"a\":1}]},{\"a\":1}]" })
    void wellFormedJsonReadsAsJacksonReadsIt(String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        assertEquals(JACKSON.readTree(bytes), tree(new ByteArrayInputStream(bytes)), json);
        assertEquals(JACKSON.readTree(bytes), tree(trickle(bytes, 1)), json + " a byte at a time");
    }

    @ParameterizedTest
    @ValueSource(strings = { "", " ", "{", "}", "[", "{\"a\"}", "{\"a\":}", "{\"a\":1,}", "[1,]", "[,1]", "{,}", "{\"a\":1 \"b\":2}",
            "{\"a\":1}{}", "{\"a\":1} x", "{'a':1}", "{a:1}", "[01]", "[1.]", "[.5]", "[-]", "[1e]", "[+1]", "[1x]", "[tru]",
            "[truex]", "[nul]", "[NaN]", "[Infinity]", "[\"a\tb\"]", "[\"a\nb\"]", "[\"\\x\"]", "[\"\\u12\"]", "[\"\\u12G4\"]",
            "[\"abc]", "{\"a\":1,\"a\":2}", "{\"a\":{\"b\":1,\"b\":1}}", "[{\"a\":[{\"b\":1,\"b\":2}]}]", "/* c */ {}", "{} // c", "[1 2]",
            "[12345678901234567890123456789012345678901]" })
    void malformedJsonIsRefusedAsJacksonRefusesIt(String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        assertThrows(IOException.class, () -> jacksonTreeOfOneValue(bytes), "Jackson refuses " + json);
        assertThrows(JsonBytes.Malformed.class, () -> tree(new ByteArrayInputStream(bytes)), json);
    }

    @Test
    void aLeadingByteOrderMarkIsIgnoredAsJacksonIgnoresIt() throws IOException {
        byte[] json = concat(new byte[] { (byte) 0xEF, (byte) 0xBB, (byte) 0xBF }, "{\"a\":1}".getBytes(StandardCharsets.UTF_8));
        assertEquals(JACKSON.readTree(json), tree(new ByteArrayInputStream(json)));
        assertEquals(JACKSON.readTree(json), tree(trickle(json, 1)));
        byte[] inside = "[\"a\",\uFEFF1]".getBytes(StandardCharsets.UTF_8);
        assertThrows(JsonBytes.Malformed.class, () -> tree(new ByteArrayInputStream(inside)));
    }

    @Test
    void nestingIsLimitedToThirtyTwoLevels() throws IOException {
        String ok = "[".repeat(32) + "]".repeat(32);
        assertEquals(JACKSON.readTree(ok), tree(new ByteArrayInputStream(ok.getBytes(StandardCharsets.UTF_8))));
        byte[] deep = ("[".repeat(33) + "]".repeat(33)).getBytes(StandardCharsets.UTF_8);
        assertThrows(IOException.class, () -> JACKSON.readTree(deep));
        JsonBytes.Malformed refused = assertThrows(JsonBytes.Malformed.class, () -> tree(new ByteArrayInputStream(deep)));
        assertTrue(refused.getMessage().contains("deeper than 32"), refused.getMessage());
        byte[] bomb = "[".repeat(1_000_000).getBytes(StandardCharsets.UTF_8);
        assertThrows(JsonBytes.Malformed.class, () -> tree(new ByteArrayInputStream(bomb)));
    }

    @ParameterizedTest
    @ValueSource(strings = { "80", "bf", "c0af", "c1bf", "e080af", "eda080", "edbfbf", "f08f8080", "f4908080", "f5808080", "ff",
            "c3", "e282", "c328", "e228a1" })
    void invalidUtf8IsRefusedInValuesAndNames(String hex) {
        byte[] bad = java.util.HexFormat.of().parseHex(hex);
        for (String where : new String[] { "{\"a\":\"x%sy\"}", "{\"x%sy\":1}", "[\"%s\"]" }) {
            String[] parts = where.split("%s");
            byte[] json = concat(parts[0].getBytes(StandardCharsets.US_ASCII), bad, parts[1].getBytes(StandardCharsets.US_ASCII));
            JsonBytes.Malformed refused = assertThrows(JsonBytes.Malformed.class, () -> tree(new ByteArrayInputStream(json)),
                    where + " with " + hex);
            assertTrue(refused.getMessage().contains("UTF-8"), refused.getMessage());
        }
    }

    @Test
    void errorsSayWhere() {
        byte[] json = "{\n  \"a\": 1,\n  \"b\": x\n}".getBytes(StandardCharsets.UTF_8);
        JsonBytes.Malformed refused = assertThrows(JsonBytes.Malformed.class, () -> tree(new ByteArrayInputStream(json)));
        assertEquals("unexpected character 'x' (line 3, column 8)", refused.getMessage());
    }

    @Test
    void base64DecodesAsTheJdkDoesAcrossEveryReadBoundary() throws IOException {
        Random random = new Random(42);
        for (int run = 0; run < 3000; run++) {
            byte[] data = new byte[run < 2000 ? random.nextInt(300) : random.nextInt(300_000)];
            random.nextBytes(data);
            String encoded = Base64.getEncoder().encodeToString(data);
            if (random.nextBoolean() && encoded.length() > 8) {
                // Line breaks (as JSON escapes) are skipped, and an escaped solidus is a solidus.
                int cut = random.nextInt(encoded.length());
                encoded = encoded.substring(0, cut) + (random.nextBoolean() ? "\\n" : "\\r\\n") + encoded.substring(cut);
                encoded = encoded.replaceFirst("/", "\\\\/");
            }
            byte[] json = ("{\"output\":\"" + encoded + "\",\"next\":1}").getBytes(StandardCharsets.US_ASCII);
            int chunk = 1 + random.nextInt(run % 2 == 0 ? 16 : 70_000);
            assertArrayEquals(data, base64Of(trickle(json, chunk)), encoded.length() + " chars in " + chunk + "-byte reads");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "***", "QQ=A", "Q", "QQ==QQ==", "QQ=", "\u00e9", "QUJD\\u0000", "QUJD RA==", "QUJD\\u0100" })
    void base64RefusesWhatIsNotBase64(String text) {
        byte[] json = ("{\"output\":\"" + text + "\"}").getBytes(StandardCharsets.UTF_8);
        assertThrows(IllegalArgumentException.class, () -> base64Of(new ByteArrayInputStream(json)), text);
    }

    @Test
    void base64InAStringThatNeverEndsIsMalformed() {
        byte[] json = "{\"output\":\"QUJD".getBytes(StandardCharsets.US_ASCII);
        assertThrows(JsonBytes.Malformed.class, () -> base64Of(new ByteArrayInputStream(json)));
    }

    /** The value of the first member, decoded as base64; the rest of the document must read on. */
    private static byte[] base64Of(InputStream in) throws IOException {
        JsonBytes json = new JsonBytes(in);
        json.next();
        json.next();
        json.next();
        Base64Stream decoder = new Base64Stream(new byte[16]);
        json.string(new JsonBytes.StringParts() {
            @Override
            public void plain(byte[] bytes, int from, int to) {
                decoder.feed(bytes, from, to);
            }

            @Override
            public void character(int c) {
                decoder.feed(c);
            }
        });
        int length = decoder.finish();
        while (json.next() != null) {
            json.skipChildren();
        }
        return java.util.Arrays.copyOf(decoder.bytes(), length);
    }

    /** The whole input as one value's tree, refusing anything after it. */
    static JsonNode tree(InputStream in) throws IOException {
        JsonBytes json = new JsonBytes(in);
        if (json.next() == null) {
            throw new IllegalStateException("no value");
        }
        JsonNode tree = json.tree();
        if (json.next() != null) {
            throw new IllegalStateException("a second value");
        }
        return tree;
    }

    /** Jackson's tree of the input, refusing trailing data as the portal did (Jackson reads on to further values). */
    static JsonNode jacksonTreeOfOneValue(byte[] bytes) throws IOException {
        try (com.fasterxml.jackson.core.JsonParser parser = JACKSON.createParser(bytes)) {
            if (parser.nextToken() == null) {
                throw new IOException("no value");
            }
            JsonNode tree = JACKSON.readTree(parser);
            if (parser.nextToken() != null) {
                throw new IOException("data after the value");
            }
            return tree;
        }
    }

    /** The bytes as a stream that hands out at most {@code chunk} bytes per read. */
    static InputStream trickle(byte[] bytes, int chunk) {
        return new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, chunk));
            }
        };
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
