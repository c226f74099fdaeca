package io.netready.reportformat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Differential: real probe reports damaged at random (characters of JSON's grammar inserted, replaced and deleted)
 * are read by the upload path's reader exactly as Jackson, in the portal's strict settings, reads them: refused by
 * both, or read by both to equal trees. Nothing throws anything but a refusal, and nothing loops.
 */
class JsonBytesProperties {

    /** A real report with its large payloads left out (a few kB, so that a damage lands anywhere in its grammar). */
    private static final String BASE = smallReport();
    private static final String GRAMMAR = "{}[]:,\"\\ \t\n0123456789-+.eEtrufalsnu/AQ=";

    @Property(tries = 1000)
    void readsDamagedReportsExactlyAsJackson(@ForAll("damaged") String json) {
        byte[] bytes = json.getBytes(StandardCharsets.US_ASCII);
        String ours = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> outcome(() -> JsonBytesTest.tree(
                JsonBytesTest.trickle(bytes, 4099))));
        String jackson = outcome(() -> JsonBytesTest.jacksonTreeOfOneValue(bytes));
        assertEquals(jackson, ours);
        Statistics.collect(ours.equals("refused") ? "refused by both" : "read by both");
    }

    /** Random JSON of every kind of value (nested, escaped, non-ASCII, numbers of each size), perhaps damaged. */
    @Property(tries = 1000)
    void readsRandomJsonExactlyAsJackson(@ForAll long seed) throws IOException {
        java.util.Random random = new java.util.Random(seed);
        StringBuilder text = new StringBuilder(JsonBytesTest.JACKSON.writeValueAsString(randomValue(random, 0)));
        for (int edits = random.nextInt(3); edits > 0 && text.length() > 1; edits--) {
            int at = random.nextInt(text.length());
            char c = GRAMMAR.charAt(random.nextInt(GRAMMAR.length()));
            switch (random.nextInt(3)) {
                case 0 -> text.insert(at, c);
                case 1 -> text.setCharAt(at, c);
                default -> text.deleteCharAt(at);
            }
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        String ours = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> outcome(() -> JsonBytesTest.tree(
                JsonBytesTest.trickle(bytes, 1 + (int) (seed & 63)))));
        assertEquals(outcome(() -> JsonBytesTest.jacksonTreeOfOneValue(bytes)), ours, text.toString());
        Statistics.collect(ours.equals("refused") ? "refused by both" : "read by both");
    }

    private static JsonNode randomValue(java.util.Random random, int depth) {
        com.fasterxml.jackson.databind.node.JsonNodeFactory nodes = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance;
        switch (random.nextInt(depth > 4 ? 6 : 8)) {
            case 0 -> {
                return nodes.textNode(randomText(random));
            }
            case 1 -> {
                return nodes.numberNode(random.nextInt());
            }
            case 2 -> {
                return random.nextBoolean() ? nodes.numberNode(random.nextLong())
                        : nodes.numberNode(new java.math.BigInteger(100, random).negate());
            }
            case 3 -> {
                return nodes.numberNode(random.nextDouble() * Math.pow(10, random.nextInt(40) - 20));
            }
            case 4 -> {
                return random.nextBoolean() ? nodes.booleanNode(random.nextBoolean()) : nodes.nullNode();
            }
            case 5 -> {
                return nodes.textNode("");
            }
            case 6 -> {
                com.fasterxml.jackson.databind.node.ArrayNode array = nodes.arrayNode();
                for (int i = random.nextInt(5); i > 0; i--) {
                    array.add(randomValue(random, depth + 1));
                }
                return array;
            }
            default -> {
                ObjectNode object = nodes.objectNode();
                for (int i = random.nextInt(5); i > 0; i--) {
                    object.set(randomText(random), randomValue(random, depth + 1));
                }
                return object;
            }
        }
    }

    private static String randomText(java.util.Random random) {
        String alphabet = "abcXYZ019 _-/\\\"\t\n\u0001\u007f\u00e9\u4e16\ud83d\ude00";
        StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(12); i > 0; i--) {
            char c = alphabet.charAt(random.nextInt(alphabet.length()));
            text.append(c);
            if (Character.isHighSurrogate(c)) {
                text.append('\ude00');
            }
        }
        return text.toString();
    }

    interface Read {
        JsonNode read() throws IOException;
    }

    /** "refused", or the tree as text. */
    private static String outcome(Read read) {
        try {
            return read.read().toString();
        } catch (IOException e) {
            return "refused";
        }
    }

    @Provide
    Arbitrary<String> damaged() {
        Arbitrary<Integer> position = Arbitraries.integers().between(0, BASE.length() - 1);
        Arbitrary<Character> character = Arbitraries.of(GRAMMAR.chars().mapToObj(c -> (char) c).toList());
        Arbitrary<Integer> kind = Arbitraries.integers().between(0, 2);
        Arbitrary<int[]> edit = Combinators.combine(position, character, kind).as((p, c, k) -> new int[] { p, c, k });
        return edit.list().ofMinSize(0).ofMaxSize(4).map(edits -> {
            StringBuilder text = new StringBuilder(BASE);
            for (int[] e : edits) {
                int at = Math.min(e[0], text.length() - 1);
                switch (e[2]) {
                    case 0 -> text.insert(at, (char) e[1]);
                    case 1 -> text.setCharAt(at, (char) e[1]);
                    default -> text.deleteCharAt(at);
                }
                if (text.isEmpty()) {
                    text.append('{');
                }
            }
            return text.toString();
        });
    }

    private static String smallReport() {
        try {
            ObjectNode report = (ObjectNode) JsonBytesTest.JACKSON.readTree(
                    Files.readAllBytes(Path.of("src/test/resources/bench-reports/typical-worker.json")));
            ObjectNode sections = (ObjectNode) report.get("sections");
            List<String> large = new java.util.ArrayList<>();
            sections.fieldNames().forEachRemaining(name -> {
                if (sections.get(name).toString().length() > 600) {
                    large.add(name);
                }
            });
            sections.remove(large);
            return report.toPrettyString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
