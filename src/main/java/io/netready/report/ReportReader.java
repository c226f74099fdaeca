package io.netready.report;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.netready.api.ProblemException;
import io.netready.config.NetreadyConfig;

/**
 * Turns an upload's bytes into a {@link ReportDocument}, or refuses it with the status and a detail that names what
 * was wrong: 413 too large (after decompression), 415 not JSON or an unknown encoding, 400 not well-formed JSON,
 * 422 not a valid v1 report.
 */
@ApplicationScoped
public class ReportReader {

    static final Pattern REPORT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{7,63}");
    static final Pattern SECTION_NAME = Pattern.compile("[a-z0-9][a-z0-9._/-]{0,127}");
    static final Set<String> ROLES = Set.of("control-plane", "worker");
    static final Set<String> PHASES = Set.of("preflight", "running");
    static final Set<String> STATUSES = Set.of("ok", "error", "missing", "denied", "absent", "timeout");
    private static final Pattern LINE_BREAKS = Pattern.compile("[\r\n]");
    private static final int MAX_SECTIONS = 1000;
    private static final int MAX_SOURCE = 4096;
    private static final int MAX_HOSTNAME = 253;

    private final int maxBytes;
    private final ObjectMapper mapper;

    @Inject
    public ReportReader(NetreadyConfig config) {
        this(config.upload().maxBytes());
    }

    /** A reader with the given size limit, for tools and tests outside the portal. */
    public ReportReader(int maxBytes) {
        this.maxBytes = maxBytes;
        JsonFactory factory = JsonFactory.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(32)
                        .maxNumberLength(40)
                        .maxStringLength(maxBytes)
                        .build())
                .build();
        this.mapper = new ObjectMapper(factory).enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /** Checks the content type and encoding, then reads the body, decompressing gzip, up to the size limit. */
    public byte[] readBody(InputStream body, String contentType, String contentEncoding) {
        requireJson(contentType);
        String encoding = contentEncoding == null ? "identity" : contentEncoding.strip().toLowerCase(Locale.ROOT);
        try {
            return switch (encoding) {
                case "identity", "" -> readLimited(body);
                case "gzip", "x-gzip" -> readLimited(new GZIPInputStream(body, 8192));
                default -> throw new ProblemException(Response.Status.UNSUPPORTED_MEDIA_TYPE,
                        "Content-Encoding '" + contentEncoding + "' is not supported; send the report plain or gzip'd.");
            };
        } catch (ZipException | java.io.EOFException e) {
            throw ProblemException.badRequest("The body is not valid gzip data: " + e.getMessage());
        } catch (IOException e) {
            throw ProblemException.badRequest("The body could not be read: " + e.getMessage());
        }
    }

    /** Parses and validates a whole report. */
    public ReportDocument parse(byte[] json) {
        JsonNode root;
        try (JsonParser parser = mapper.createParser(json)) {
            root = mapper.readTree(parser);
        } catch (JsonProcessingException e) {
            throw ProblemException.badRequest("The body is not well-formed JSON: " + describe(e));
        } catch (IOException e) {
            throw ProblemException.badRequest("The body could not be read as JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw ProblemException.badRequest("The body must be one JSON object (a netready.report/v1 document).");
        }
        return validate(root);
    }

    private ReportDocument validate(JsonNode root) {
        String format = text(root, "format", "format", 64);
        if (!ReportDocument.FORMAT_V1.equals(format)) {
            throw ProblemException.unprocessable("format '" + format + "' is not supported; this portal reads "
                    + ReportDocument.FORMAT_V1 + ". Use the probe served by this portal at /probe.sh.");
        }
        String reportId = text(root, "reportId", "reportId", 64);
        if (!REPORT_ID.matcher(reportId).matches()) {
            throw ProblemException.unprocessable("reportId must be 8-64 letters, digits, '.', '_' or '-'");
        }
        Instant collectedAt = instant(root, "collectedAt");
        JsonNode probe = object(root, "probe", "probe");
        String probeVersion = text(probe, "version", "probe.version", 32);
        if (!probeVersion.matches("[0-9A-Za-z.+_-]+")) {
            throw ProblemException.unprocessable("probe.version must be a version such as 0.1.0");
        }
        Integer uid = null;
        if (probe.has("uid") && !probe.get("uid").isNull()) {
            uid = (int) integer(probe.get("uid"), "probe.uid", 0, Integer.MAX_VALUE);
        }
        String role = oneOf(root, "role", ROLES);
        String phase = oneOf(root, "phase", PHASES);
        SortedMap<String, ReportSection> sections = sections(object(root, "sections", "sections"));
        ReportDocument document = new ReportDocument(format, reportId, collectedAt, probeVersion, uid, role, phase, sections);
        requireHostname(document);
        return document;
    }

    private SortedMap<String, ReportSection> sections(JsonNode node) {
        if (node.size() > MAX_SECTIONS) {
            throw ProblemException.unprocessable("sections has " + node.size() + " entries; at most " + MAX_SECTIONS);
        }
        SortedMap<String, ReportSection> sections = new TreeMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            if (!SECTION_NAME.matcher(name).matches()) {
                throw ProblemException.unprocessable("section name '" + abbreviate(name)
                        + "' must be 1-128 of a-z, 0-9, '.', '_', '/', '-', starting with a letter or digit");
            }
            sections.put(name, section(name, field.getValue()));
        }
        return sections;
    }

    private ReportSection section(String name, JsonNode node) {
        String path = "sections." + name;
        if (!node.isObject()) {
            throw ProblemException.unprocessable(path + " must be an object");
        }
        String source = text(node, "source", path + ".source", MAX_SOURCE);
        String status = text(node, "status", path + ".status", 16);
        if (!STATUSES.contains(status)) {
            throw ProblemException.unprocessable(path + ".status must be one of " + String.join(", ", new TreeSet<>(STATUSES))
                    + ", not '" + abbreviate(status) + "'");
        }
        int exitCode = (int) integer(require(node, "exitCode", path + ".exitCode"), path + ".exitCode", 0, 255);
        String encoding = node.has("encoding") ? text(node, "encoding", path + ".encoding", 16) : "text";
        byte[] output = payload(node, "output", path, encoding, true);
        byte[] stderr = payload(node, "stderr", path, encoding, false);
        long bytes = node.has("bytes") ? integer(node.get("bytes"), path + ".bytes", 0, Long.MAX_VALUE) : output.length;
        boolean truncated = false;
        if (node.has("truncated")) {
            JsonNode value = node.get("truncated");
            if (!value.isBoolean()) {
                throw ProblemException.unprocessable(path + ".truncated must be true or false");
            }
            truncated = value.booleanValue();
        }
        if (bytes < output.length) {
            throw ProblemException.unprocessable(path + ".bytes (" + bytes + ") is smaller than its output ("
                    + output.length + " bytes)");
        }
        return new ReportSection(name, source, status, exitCode, output, stderr, bytes, truncated);
    }

    private static byte[] payload(JsonNode node, String field, String path, String encoding, boolean required) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                throw ProblemException.unprocessable(path + "." + field + " is required");
            }
            return new byte[0];
        }
        if (!value.isTextual()) {
            throw ProblemException.unprocessable(path + "." + field + " must be a string");
        }
        return switch (encoding) {
            case "text" -> value.textValue().getBytes(StandardCharsets.UTF_8);
            case "base64" -> {
                try {
                    // Line breaks are allowed (base64 tools wrap); anything else outside the alphabet is an error.
                    yield Base64.getDecoder().decode(LINE_BREAKS.matcher(value.textValue()).replaceAll(""));
                } catch (IllegalArgumentException e) {
                    throw ProblemException.unprocessable(path + "." + field + " is not valid base64: " + e.getMessage());
                }
            }
            default -> throw ProblemException.unprocessable(path + ".encoding must be 'text' or 'base64'");
        };
    }

    private static void requireHostname(ReportDocument document) {
        ReportSection section = document.section("hostname").orElseThrow(
                () -> ProblemException.unprocessable("sections.hostname is required: the portal knows nodes by their hostname"));
        if (!section.isOk()) {
            throw ProblemException.unprocessable("sections.hostname has status '" + section.status()
                    + "'; the portal needs the node's hostname");
        }
        String hostname = document.firstLine("hostname").orElseThrow(
                () -> ProblemException.unprocessable("sections.hostname is empty"));
        if (hostname.length() > MAX_HOSTNAME) {
            throw ProblemException.unprocessable("sections.hostname is " + hostname.length()
                    + " characters long; a hostname has at most " + MAX_HOSTNAME);
        }
        if (hostname.codePoints().anyMatch(c -> Character.isISOControl(c) || c == 0xFFFD)) {
            throw ProblemException.unprocessable("sections.hostname holds control characters or bytes that are not UTF-8");
        }
        document.machineId().filter(id -> id.length() > 128 || id.codePoints().anyMatch(Character::isISOControl))
                .ifPresent(id -> {
                    throw ProblemException.unprocessable("sections.machine-id is not a machine id");
                });
        document.productUuid().filter(id -> id.length() > 128 || id.codePoints().anyMatch(Character::isISOControl))
                .ifPresent(id -> {
                    throw ProblemException.unprocessable("sections.product-uuid is not a UUID");
                });
    }

    private static void requireJson(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            throw new ProblemException(Response.Status.UNSUPPORTED_MEDIA_TYPE,
                    "The upload has no Content-Type; send the report as application/json.");
        }
        String[] parts = contentType.toLowerCase(Locale.ROOT).split(";");
        boolean json = parts[0].strip().equals("application/json");
        for (int i = 1; i < parts.length && json; i++) {
            String parameter = parts[i].strip().replace("\"", "");
            json = !parameter.startsWith("charset=") || parameter.equals("charset=utf-8");
        }
        if (!json) {
            throw new ProblemException(Response.Status.UNSUPPORTED_MEDIA_TYPE,
                    "Content-Type '" + abbreviate(contentType) + "' is not accepted; send the report as application/json (UTF-8).");
        }
    }

    private byte[] readLimited(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        int n;
        while ((n = in.read(buffer)) >= 0) {
            total += n;
            if (total > maxBytes) {
                throw new ProblemException(Response.Status.REQUEST_ENTITY_TOO_LARGE, "The report is larger than "
                        + maxBytes + " bytes once decompressed (netready.upload.max-bytes).");
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    private static JsonNode require(JsonNode node, String field, String path) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw ProblemException.unprocessable(path + " is required");
        }
        return value;
    }

    private static JsonNode object(JsonNode node, String field, String path) {
        JsonNode value = require(node, field, path);
        if (!value.isObject()) {
            throw ProblemException.unprocessable(path + " must be an object");
        }
        return value;
    }

    private static String text(JsonNode node, String field, String path, int maxLength) {
        JsonNode value = require(node, field, path);
        if (!value.isTextual()) {
            throw ProblemException.unprocessable(path + " must be a string");
        }
        String text = value.textValue();
        if (text.length() > maxLength) {
            throw ProblemException.unprocessable(path + " is " + text.length() + " characters long; at most " + maxLength);
        }
        return text;
    }

    private static long integer(JsonNode value, String path, long min, long max) {
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < min || value.longValue() > max) {
            throw ProblemException.unprocessable(path + " must be an integer from " + min + " to " + max);
        }
        return value.longValue();
    }

    private static Instant instant(JsonNode node, String field) {
        String text = text(node, field, field, 64);
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw ProblemException.unprocessable(field + " '" + abbreviate(text)
                    + "' is not a UTC time such as 2026-11-21T07:42:00Z");
        }
    }

    private static String oneOf(JsonNode node, String field, Set<String> allowed) {
        String value = text(node, field, field, 32);
        if (!allowed.contains(value)) {
            throw ProblemException.unprocessable(field + " must be one of " + String.join(", ", new TreeSet<>(allowed))
                    + ", not '" + abbreviate(value) + "'");
        }
        return value;
    }

    private static String describe(JsonProcessingException e) {
        String message = e.getOriginalMessage();
        if (e.getLocation() != null) {
            message += " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
        }
        return abbreviate(message);
    }

    /** Keeps client-supplied text short in answers; the problem body is JSON-encoded, so no escaping is needed here. */
    static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }
}
