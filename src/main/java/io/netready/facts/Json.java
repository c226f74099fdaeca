package io.netready.facts;

import java.io.IOException;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** JSON from node commands ({@code ip -j}) and CNI files, read with limits: a node's output is not trusted. */
final class Json {

    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).maxNumberLength(64).build())
            .build());

    private Json() {
    }

    /** A streaming parser over the text, with the same limits. */
    static JsonParser parser(String text) throws IOException {
        return MAPPER.createParser(text);
    }

    static JsonNode read(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException("not valid JSON: " + e.getOriginalMessage(), e);
        }
    }
}
