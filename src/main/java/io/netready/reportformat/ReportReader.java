package io.netready.reportformat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.netready.api.ProblemException;

/**
 * Turns an upload's bytes into a {@link ReportDocument}, or refuses it with the status and a detail that names what
 * was wrong: 413 too large (after decompression), 415 not JSON or an unknown encoding, 400 not well-formed JSON,
 * 422 not a valid v1 report.
 */
public class ReportReader {

    static final Pattern REPORT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{7,63}");
    static final Pattern SECTION_NAME = Pattern.compile("[a-z0-9][a-z0-9._/-]{0,127}");
    static final Set<String> ROLES = Arrays.stream(Role.values()).map(Role::word).collect(Collectors.toUnmodifiableSet());
    static final Set<String> PHASES = Arrays.stream(Phase.values()).map(Phase::word).collect(Collectors.toUnmodifiableSet());
    static final Set<String> STATUSES = Set.of("ok", "error", "missing", "denied", "absent", "timeout");
    private static final Pattern LINE_BREAKS = Pattern.compile("[\r\n]");
    private static final int MAX_SECTIONS = 1000;
    private static final int MAX_SOURCE = 4096;
    private static final int MAX_HOSTNAME = 253;

    private final int maxBytes;
    /** Decoded large payloads, shared while uploads keep sending the same bytes (32 MiB at most). */
    private final RecentPayloads payloads = new RecentPayloads(32L * 1024 * 1024);

    /** A reader that refuses reports larger than {@code maxBytes} once decompressed. */
    public ReportReader(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** A parsed upload and its size once decompressed. */
    /**
     * A report as read from an upload, its size, and the probe's {@code durationMs} (how long collecting took; null
     * when absent or not a plausible duration: the field is optional and informational, never a reason to refuse).
     */
    public record Read(ReportDocument document, int bytes, Long durationMs) {
    }

    /** A whole document and the probe's durationMs beside it. */
    private record Whole(ReportDocument document, Long durationMs) {
    }

    /** The longest collection taken for real: a day (the probe cuts each command off after seconds). */
    private static final long MAX_DURATION_MS = 86_400_000L;

    /**
     * Checks the content type and encoding, then parses the body as it streams in (decompressing gzip) and stops at
     * the size limit: a report is never held whole as bytes, and a gzip bomb stops at the limit.
     */
    public Read read(InputStream body, String contentType, String contentEncoding) {
        requireJson(contentType);
        String encoding = contentEncoding == null ? "identity" : contentEncoding.strip().toLowerCase(Locale.ROOT);
        InputStream decoded;
        try {
            decoded = switch (encoding) {
                case "identity", "" -> body;
                case "gzip", "x-gzip" -> new GZIPInputStream(body, 64 * 1024);
                default -> throw new ProblemException(Response.Status.UNSUPPORTED_MEDIA_TYPE,
                        "Content-Encoding '" + contentEncoding + "' is not supported; send the report plain or gzip'd.");
            };
        } catch (ZipException | java.io.EOFException e) {
            throw ProblemException.badRequest("The body is not valid gzip data: " + e.getMessage());
        } catch (IOException e) {
            throw ProblemException.badRequest("The body could not be read: " + e.getMessage());
        }
        LimitedInputStream limited = new LimitedInputStream(decoded, maxBytes);
        Whole whole = parse(limited);
        return new Read(whole.document(), (int) limited.count(), whole.durationMs());
    }

    /** Parses and validates a whole report held in memory (files, tests, tools). */
    public ReportDocument parse(byte[] json) {
        if (json.length > maxBytes) {
            throw tooLarge();
        }
        return parse(new java.io.ByteArrayInputStream(json)).document();
    }

    /**
     * Parses and validates a whole report. The document is streamed ({@link JsonBytes}): sections' base64 payloads are
     * decoded straight from the input bytes, never held as text. A malformed document is a 400 even when a section
     * before the damage was already found invalid (422).
     */
    private Whole parse(InputStream input) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        SortedMap<String, ReportSection> sections = null;
        ProblemException invalid = null;
        try {
            JsonBytes json = new JsonBytes(input);
            if (json.next() != JsonBytes.Token.START_OBJECT) {
                throw ProblemException.badRequest("The body must be one JSON object (a netready.report/v1 document).");
            }
            while (json.next() == JsonBytes.Token.FIELD_NAME) {
                String field = json.name();
                JsonBytes.Token value = json.next();
                if ("sections".equals(field) && value == JsonBytes.Token.START_OBJECT) {
                    SectionsResult result = sections(json);
                    sections = result.sections();
                    invalid = invalid == null ? result.invalid() : invalid;
                } else {
                    root.set(field, json.tree());
                }
            }
            if (json.next() != null) {
                throw new IllegalStateException("the reader ended the root object without its end");
            }
        } catch (InvalidBase64 e) {
            throw e.problem;
        } catch (JsonBytes.Malformed e) {
            throw ProblemException.badRequest("The body is not well-formed JSON: " + abbreviate(e.getMessage()));
        } catch (LimitedInputStream.LimitExceeded e) {
            throw tooLarge();
        } catch (ZipException | java.io.EOFException e) {
            throw ProblemException.badRequest("The body is not valid gzip data: " + e.getMessage());
        } catch (IOException e) {
            throw ProblemException.badRequest("The body could not be read as JSON: " + e.getMessage());
        }
        if (invalid != null) {
            throw invalid;
        }
        return new Whole(validate(root, sections), durationMs(root));
    }

    private static Long durationMs(JsonNode root) {
        JsonNode value = root.path("probe").path("durationMs");
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < 0
                || value.longValue() > MAX_DURATION_MS) {
            return null;
        }
        return value.longValue();
    }

    private ProblemException tooLarge() {
        return new ProblemException(Response.Status.REQUEST_ENTITY_TOO_LARGE, "The report is larger than " + maxBytes
                + " bytes once decompressed (netready.upload.max-bytes).");
    }

    /** The sections read so far, and the first invalid one (reported once the whole document is known to be JSON). */
    private record SectionsResult(SortedMap<String, ReportSection> sections, ProblemException invalid) {
    }

    private SectionsResult sections(JsonBytes json) throws IOException {
        SortedMap<String, ReportSection> sections = new TreeMap<>();
        Map<String, String> sameAs = new java.util.HashMap<>();
        ProblemException invalid = null;
        while (json.next() == JsonBytes.Token.FIELD_NAME) {
            String name = json.name();
            JsonBytes.Token value = json.next();
            try {
                if (sections.size() >= MAX_SECTIONS) {
                    throw ProblemException.unprocessable("sections has more than " + MAX_SECTIONS + " entries");
                }
                if (!SECTION_NAME.matcher(name).matches()) {
                    throw ProblemException.unprocessable("section name '" + abbreviate(name)
                            + "' must be 1-128 of a-z, 0-9, '.', '_', '/', '-', starting with a letter or digit");
                }
                if (value != JsonBytes.Token.START_OBJECT) {
                    throw ProblemException.unprocessable("sections." + name + " must be an object");
                }
                sections.put(name, section(name, json, sameAs));
            } catch (ProblemException e) {
                invalid = invalid == null ? e : invalid;
                json.skipChildren();
            }
        }
        if (invalid == null) {
            try {
                resolveSameAs(sections, sameAs);
            } catch (ProblemException e) {
                invalid = e;
            }
        }
        return new SectionsResult(sections, invalid);
    }

    /**
     * A section may say its output is another section's ({@code "sameAs": "iptables"}: the probe found
     * iptables-nft-save to be the same program as iptables-save and did not send the same bytes twice). It is that
     * section's result, status and exit code included: earlier probes sent "ok" with it even where the program was
     * denied (a run as nobody), which read as an empty, open firewall.
     */
    private static void resolveSameAs(SortedMap<String, ReportSection> sections, Map<String, String> sameAs) {
        for (Map.Entry<String, String> entry : sameAs.entrySet()) {
            String name = entry.getKey();
            ReportSection target = sections.get(entry.getValue());
            if (target == null || sameAs.containsKey(entry.getValue())) {
                throw ProblemException.unprocessable("sections." + name + ".sameAs names '" + abbreviate(entry.getValue())
                        + "', which is not a section of the report with output of its own");
            }
            ReportSection own = sections.get(name);
            sections.put(name, ReportSection.of(name, own.source(), target.status(), target.exitCode(), target.output(),
                    target.stderr(), target.bytes(), target.truncated()));
        }
    }

    /** One section object: scalar fields as a tree, output and stderr decoded as they stream by. */
    private ReportSection section(String name, JsonBytes json, Map<String, String> sameAs) throws IOException {
        String path = "sections." + name;
        ObjectNode fields = JsonNodeFactory.instance.objectNode();
        Payload output = null;
        Payload stderr = null;
        while (json.next() == JsonBytes.Token.FIELD_NAME) {
            String field = json.name();
            JsonBytes.Token value = json.next();
            if (("output".equals(field) || "stderr".equals(field)) && value == JsonBytes.Token.STRING) {
                String encoding = fields.path("encoding").asText(null);
                Payload payload;
                if ("base64".equals(encoding)) {
                    try {
                        payload = new Payload(payloads.read(json), null);
                    } catch (IllegalArgumentException e) {
                        // The reader stopped inside the string: the rest of the document cannot be read on.
                        throw new InvalidBase64(ProblemException.unprocessable(path + "." + field
                                + " is not valid base64: " + abbreviate(e.getMessage())));
                    }
                } else {
                    payload = new Payload(null, json.text());
                }
                if ("output".equals(field)) {
                    output = payload;
                } else {
                    stderr = payload;
                }
            } else {
                fields.set(field, json.tree());
            }
        }
        if (fields.has("sameAs")) {
            String target = text(fields, "sameAs", path + ".sameAs", 128);
            if (!SECTION_NAME.matcher(target).matches() || target.equals(name)) {
                throw ProblemException.unprocessable(path + ".sameAs must name another section");
            }
            sameAs.put(name, target);
        }
        return section(name, fields, output, stderr);
    }

    /** A base64 payload that does not decode; ends the parse with its 422. */
    private static final class InvalidBase64 extends IOException {
        final ProblemException problem;

        InvalidBase64(ProblemException problem) {
            super(problem.getMessage(), null);
            this.problem = problem;
        }
    }

    /** A payload as streamed: decoded bytes, or text whose encoding is only known once the section is read. */
    private record Payload(byte[] bytes, String text) {
    }

    private ReportDocument validate(JsonNode root, SortedMap<String, ReportSection> streamed) {
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
        if (streamed == null) {
            object(root, "sections", "sections");
        }
        SortedMap<String, ReportSection> sections = streamed;
        ReportDocument document = new ReportDocument(format, reportId, collectedAt, probeVersion, uid,
                Role.of(role).orElseThrow(), Phase.of(phase).orElseThrow(), sections);
        requireHostname(document);
        return document;
    }

    private ReportSection section(String name, JsonNode node, Payload streamedOutput, Payload streamedStderr) {
        String path = "sections." + name;
        String source = text(node, "source", path + ".source", MAX_SOURCE);
        String status = text(node, "status", path + ".status", 16);
        if (!STATUSES.contains(status)) {
            throw ProblemException.unprocessable(path + ".status must be one of " + String.join(", ", new TreeSet<>(STATUSES))
                    + ", not '" + abbreviate(status) + "'");
        }
        int exitCode = (int) integer(require(node, "exitCode", path + ".exitCode"), path + ".exitCode", 0, 255);
        if ("ok".equals(status) && exitCode != 0) {
            throw ProblemException.unprocessable(path + " has status ok but exit code " + exitCode + "; ok means exit code 0");
        }
        String encoding = node.has("encoding") ? text(node, "encoding", path + ".encoding", 16) : "text";
        byte[] output = payload(node, "output", path, encoding, true, streamedOutput);
        byte[] stderr = payload(node, "stderr", path, encoding, false, streamedStderr);
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
        if (truncated != (bytes > output.length)) {
            throw ProblemException.unprocessable(path + ".truncated (" + truncated + ") disagrees with bytes (" + bytes
                    + ") and the output sent (" + output.length + " bytes)");
        }
        return new ReportSection(name, source, status, exitCode, output, stderr, bytes, truncated,
                payloads.contentHash(source, status, exitCode, output, stderr, bytes, truncated));
    }

    private static byte[] payload(JsonNode node, String field, String path, String encoding, boolean required,
            Payload streamed) {
        if (!"text".equals(encoding) && !"base64".equals(encoding)) {
            throw ProblemException.unprocessable(path + ".encoding must be 'text' or 'base64'");
        }
        if (streamed == null) {
            JsonNode value = node.get(field);
            if (value == null || value.isNull()) {
                if (required) {
                    throw ProblemException.unprocessable(path + "." + field + " is required");
                }
                return new byte[0];
            }
            throw ProblemException.unprocessable(path + "." + field + " must be a string");
        }
        if (streamed.bytes() != null) {
            return streamed.bytes();
        }
        // The text was read before the encoding was known, or the encoding is text.
        if ("text".equals(encoding)) {
            return streamed.text().getBytes(StandardCharsets.UTF_8);
        }
        try {
            return Base64.getDecoder().decode(withoutLineBreaks(streamed.text()));
        } catch (IllegalArgumentException e) {
            throw ProblemException.unprocessable(path + "." + field + " is not valid base64: " + e.getMessage());
        }
    }

    /** The text without CR and LF; the common case (none) costs one scan and no copy. */
    static String withoutLineBreaks(String text) {
        if (text.indexOf('\n') < 0 && text.indexOf('\r') < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\n' && c != '\r') {
                out.append(c);
            }
        }
        return out.toString();
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
        String whole = section.text().strip();
        if (!whole.equals(hostname) || hostname.codePoints().anyMatch(c -> Character.isISOControl(c) || c == 0xFFFD)) {
            throw ProblemException.unprocessable(
                    "sections.hostname must be one line without control characters or bytes that are not UTF-8");
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

    /** Keeps client-supplied text short in answers; the problem body is JSON-encoded, so no escaping is needed here. */
    static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }
}
