package io.netready.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * A rule sample as text (src/test/resources/rule-samples/README.md): a comment, what the rule is expected to say, and
 * the probe report with its sections as readable text, converted to and from the report's JSON without loss.
 * <p>
 * JDK only, on purpose: capture-rule-samples.sh compiles and runs this one file with plain {@code javac}/{@code java}
 * ({@link #main}), without Maven or the project's classes.
 */
public final class RuleSampleFile {

    /** Which word a node sample's file name starts with, and what a cluster sample's node files may expect. */
    public static final List<String> STATUSES = List.of("pass", "warn", "fail", "skip");

    private static final String MARK = "-- ";
    private static final String END = " --";
    private static final int BASE64_LINE = 76;

    private RuleSampleFile() {
    }

    /** What the rule should say about a sample; {@code null} (or no notes) where the sample says nothing. */
    public record Expectations(String status, String message, String fix, List<String> notes) {
        public Expectations {
            notes = notes == null ? List.of() : List.copyOf(notes);
        }

        public static Expectations onlyStatus(String status) {
            return new Expectations(status, null, null, List.of());
        }
    }

    /** One sample file: its free-text comment, its expectations and its report. */
    public record Sample(String comment, Expectations expect, Report report) {

        /** The report as the probe writes it (the same layout, base64 sections). */
        public byte[] reportJson() {
            return Json.write(report);
        }

        public Sample withExpect(Expectations newExpect) {
            return new Sample(comment, newExpect, report);
        }
    }

    /** A {@code netready.report/v1} document, fields as in the README's "Report format v1", sections in order. */
    public record Report(String format, String reportId, String collectedAt, Probe probe, String role, String phase,
            List<Section> sections) {
        public Report {
            sections = List.copyOf(sections);
        }

        public String hostname() {
            return sections.stream().filter(s -> s.name().equals("hostname")).findFirst()
                    .map(s -> new String(s.output(), StandardCharsets.UTF_8).strip()).orElse("?");
        }
    }

    /** The report's {@code probe} object; {@code uid} and {@code durationMs} are optional. */
    public record Probe(String version, Long uid, Long durationMs) {
    }

    /** One section, its payloads decoded; {@code sameAs} is {@code null} unless the probe sent it. */
    public record Section(String name, String source, String status, int exitCode, String sameAs, byte[] output,
            byte[] stderr, long bytes, boolean truncated) {
    }

    // ------------------------------------------------------------------ files

    /** Reads a text sample. */
    public static Sample read(Path file) {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /** The report of a text sample as JSON bytes, for tests that upload or parse a sample. */
    public static byte[] reportJson(Path file) {
        return read(file).reportJson();
    }

    public static void write(Path file, Sample sample) {
        try {
            Files.writeString(file, format(sample), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A sample from a report in JSON (as the probe writes it, or any valid v1 document). */
    public static Sample fromJson(String comment, Expectations expect, byte[] json) {
        return new Sample(comment, expect, Json.readReport(json));
    }

    // ------------------------------------------------------------------ text: writing

    /** The sample as text: comment, expect entries, then the report and its sections in order. */
    public static String format(Sample sample) {
        StringBuilder out = new StringBuilder();
        if (sample.comment() != null && !sample.comment().isEmpty()) {
            requireNoMarker(sample.comment(), "the comment");
            out.append(sample.comment());
            if (!sample.comment().endsWith("\n")) {
                out.append('\n');
            }
        }
        Expectations expect = sample.expect();
        expectEntry(out, "status", expect.status());
        expectEntry(out, "message", expect.message());
        expectEntry(out, "fix", expect.fix());
        expectEntry(out, "notes", expect.notes().isEmpty() ? null : String.join("\n", expect.notes()));
        Report report = sample.report();
        out.append("-- report --\n");
        headerLine(out, "format", report.format());
        headerLine(out, "reportId", report.reportId());
        headerLine(out, "collectedAt", report.collectedAt());
        Probe probe = report.probe();
        requireWord(probe.version(), "probe.version");
        headerLine(out, "probe", "version=" + probe.version() + (probe.uid() == null ? "" : " uid=" + probe.uid())
                + (probe.durationMs() == null ? "" : " durationMs=" + probe.durationMs()));
        headerLine(out, "role", report.role());
        headerLine(out, "phase", report.phase());
        for (Section section : report.sections()) {
            section(out, section);
        }
        return out.toString();
    }

    private static void expectEntry(StringBuilder out, String what, String value) {
        if (value != null) {
            requireNoMarker(value, "expect " + what);
            out.append("-- expect ").append(what).append(" --\n").append(value).append('\n');
        }
    }

    private static void headerLine(StringBuilder out, String key, String value) {
        if (value.contains("\n")) {
            throw new IllegalArgumentException(key + " holds a line break");
        }
        out.append(key).append(": ").append(value).append('\n');
    }

    private static void section(StringBuilder out, Section section) {
        if (!section.name().matches("[A-Za-z0-9._/-]+")) {
            // The name ends at the first ':' or space of the header line.
            throw new IllegalArgumentException("section name '" + section.name() + "' cannot be written as text");
        }
        requireWord(section.status(), "sections." + section.name() + ".status");
        Body output = Body.of(section.output());
        StringBuilder header = new StringBuilder("status=").append(section.status()).append(" exit=").append(section.exitCode());
        if (section.sameAs() != null) {
            requireWord(section.sameAs(), "sections." + section.name() + ".sameAs");
            header.append(" sameAs=").append(section.sameAs());
        }
        if (section.bytes() != section.output().length) {
            header.append(" bytes=").append(section.bytes());
        }
        if (section.truncated()) {
            header.append(" truncated");
        }
        output.flags().forEach(flag -> header.append(' ').append(flag));
        // The source goes last: it runs to the closing " --" and may hold spaces ("iptables --version").
        if (section.source().chars().allMatch(c -> c >= 0x20 && c != 0x7f)) {
            header.append(" source=").append(section.source());
        } else {
            header.append(" source64=").append(Base64.getEncoder().encodeToString(section.source().getBytes(StandardCharsets.UTF_8)));
        }
        out.append("-- section ").append(section.name()).append(": ").append(header).append(END).append('\n');
        out.append(output.text());
        if (section.stderr().length > 0) {
            Body stderr = Body.of(section.stderr());
            out.append("-- stderr ").append(section.name());
            if (!stderr.flags().isEmpty()) {
                out.append(": ").append(String.join(" ", stderr.flags()));
            }
            out.append(END).append('\n').append(stderr.text());
        }
    }

    private static void requireWord(String value, String what) {
        if (value == null || !value.matches("\\S+")) {
            throw new IllegalArgumentException(what + " '" + value + "' cannot be written as text");
        }
    }

    private static void requireNoMarker(String text, String what) {
        for (String line : text.split("\n", -1)) {
            if (line.startsWith(MARK)) {
                throw new IllegalArgumentException(what + " has a line starting with '-- '");
            }
        }
    }

    /**
     * A payload as text lines plus the flags needed to get the bytes back: {@code noeol} (the last line had no
     * newline) or {@code base64} (bytes that are not plain UTF-8 text or would be read as an entry header).
     */
    record Body(List<String> flags, String text) {

        static Body of(byte[] bytes) {
            String text = plainText(bytes);
            if (text == null) {
                String base64 = Base64.getEncoder().encodeToString(bytes);
                StringBuilder lines = new StringBuilder();
                for (int at = 0; at < base64.length(); at += BASE64_LINE) {
                    lines.append(base64, at, Math.min(base64.length(), at + BASE64_LINE)).append('\n');
                }
                return new Body(List.of("base64"), lines.toString());
            }
            if (!text.isEmpty() && !text.endsWith("\n")) {
                return new Body(List.of("noeol"), text + "\n");
            }
            return new Body(List.of(), text);
        }

        /**
         * The bytes as text when they read back unchanged: strict UTF-8, no control characters but tab and newline
         * (a CR could be rewritten by git or an editor), no line that looks like an entry header.
         */
        private static String plainText(byte[] bytes) {
            String text;
            try {
                text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
            } catch (CharacterCodingException e) {
                return null;
            }
            boolean controls = text.chars().anyMatch(c -> (c < 0x20 && c != '\t' && c != '\n') || c == 0x7f);
            boolean marker = text.startsWith(MARK) || text.contains("\n" + MARK);
            return controls || marker ? null : text;
        }

        static byte[] decode(List<String> flags, String body) {
            if (flags.contains("base64")) {
                return Base64.getMimeDecoder().decode(body);
            }
            if (flags.contains("noeol")) {
                if (!body.endsWith("\n")) {
                    throw new IllegalArgumentException("noeol on an empty body");
                }
                body = body.substring(0, body.length() - 1);
            }
            return body.getBytes(StandardCharsets.UTF_8);
        }
    }

    // ------------------------------------------------------------------ text: reading

    /** An entry: its header line without the "-- " and " --", and the lines that follow it. */
    private record Entry(String header, String body) {
    }

    /** Parses a text sample; refuses anything it does not know rather than dropping it. */
    public static Sample parse(String text) {
        List<Entry> entries = new ArrayList<>();
        StringBuilder comment = new StringBuilder();
        String header = null;
        StringBuilder body = comment;
        // Split on '\n' only: String.lines() would also break at a CR, which a section may hold in base64 only.
        String[] lines = text.split("\n", -1);
        int count = text.endsWith("\n") ? lines.length - 1 : lines.length;
        for (int i = 0; i < count; i++) {
            String line = lines[i];
            if (line.startsWith(MARK) && line.endsWith(END) && line.length() >= MARK.length() + END.length()) {
                if (header != null) {
                    entries.add(new Entry(header, body.toString()));
                }
                header = line.substring(MARK.length(), line.length() - END.length());
                body = new StringBuilder();
            } else {
                body.append(line).append('\n');
            }
        }
        if (header != null) {
            entries.add(new Entry(header, body.toString()));
        }
        return fromEntries(comment.toString(), entries);
    }

    private static Sample fromEntries(String comment, List<Entry> entries) {
        Map<String, String> expect = new LinkedHashMap<>();
        Map<String, String> fields = null;
        List<Section> sections = new ArrayList<>();
        for (Entry entry : entries) {
            String[] kindAndRest = entry.header().split(" ", 2);
            String rest = kindAndRest.length > 1 ? kindAndRest[1] : "";
            switch (kindAndRest[0]) {
                case "expect" -> {
                    if (fields != null || expect.put(rest, withoutLastNewline(entry.body())) != null) {
                        throw new IllegalArgumentException("expect " + rest + " twice, or after the report");
                    }
                }
                case "report" -> fields = reportFields(entry.body());
                case "section" -> {
                    if (fields == null) {
                        throw new IllegalArgumentException("section before the report");
                    }
                    sections.add(section(rest, entry.body()));
                }
                case "stderr" -> addStderr(sections, rest, entry.body());
                default -> throw new IllegalArgumentException("unknown entry '-- " + entry.header() + " --'");
            }
        }
        if (fields == null) {
            throw new IllegalArgumentException("no '-- report --' entry");
        }
        return new Sample(comment, expectations(expect), report(fields, sections));
    }

    private static Expectations expectations(Map<String, String> entries) {
        Map<String, String> left = new LinkedHashMap<>(entries);
        String notes = left.remove("notes");
        Expectations expect = new Expectations(left.remove("status"), left.remove("message"), left.remove("fix"),
                notes == null ? List.of() : List.of(notes.split("\n", -1)));
        if (!left.isEmpty()) {
            throw new IllegalArgumentException("unknown expect entries " + left.keySet());
        }
        return expect;
    }

    private static String withoutLastNewline(String body) {
        return body.endsWith("\n") ? body.substring(0, body.length() - 1) : body;
    }

    private static Map<String, String> reportFields(String body) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : body.split("\n")) {
            int colon = line.indexOf(": ");
            if (colon < 0) {
                throw new IllegalArgumentException("report line '" + line + "' is not 'key: value'");
            }
            fields.put(line.substring(0, colon), line.substring(colon + 2));
        }
        return fields;
    }

    private static Report report(Map<String, String> fields, List<Section> sections) {
        Map<String, String> left = new LinkedHashMap<>(fields);
        String format = required(left, "format");
        String reportId = required(left, "reportId");
        String collectedAt = required(left, "collectedAt");
        Map<String, String> probe = attributes(required(left, "probe"));
        String role = required(left, "role");
        String phase = required(left, "phase");
        if (!left.isEmpty()) {
            throw new IllegalArgumentException("unknown report fields " + left.keySet());
        }
        String version = probe.remove("version");
        Long uid = probe.containsKey("uid") ? Long.valueOf(probe.remove("uid")) : null;
        Long durationMs = probe.containsKey("durationMs") ? Long.valueOf(probe.remove("durationMs")) : null;
        if (version == null || !probe.isEmpty()) {
            throw new IllegalArgumentException("probe needs version= and knows only uid= and durationMs=");
        }
        return new Report(format, reportId, collectedAt, new Probe(version, uid, durationMs), role, phase, sections);
    }

    private static String required(Map<String, String> fields, String key) {
        String value = fields.remove(key);
        if (value == null) {
            throw new IllegalArgumentException("report has no " + key);
        }
        return value;
    }

    /** "a=1 b c=2": attributes with values, and flags (value ""), in order. */
    private static Map<String, String> attributes(String text) {
        Map<String, String> attributes = new LinkedHashMap<>();
        for (String token : text.isEmpty() ? new String[0] : text.split(" ")) {
            int eq = token.indexOf('=');
            attributes.put(eq < 0 ? token : token.substring(0, eq), eq < 0 ? "" : token.substring(eq + 1));
        }
        return attributes;
    }

    /** "NAME: status=ok exit=0 [sameAs=X] [bytes=N] [truncated] [noeol] [base64] source=REST" */
    private static Section section(String header, String body) {
        int colon = header.indexOf(": ");
        int source = header.indexOf(" source=", colon);
        int source64 = header.indexOf(" source64=", colon);
        if (colon < 0 || (source < 0 && source64 < 0)) {
            throw new IllegalArgumentException("section header '" + header + "' needs 'NAME: ... source=...'");
        }
        String name = header.substring(0, colon);
        int attributesEnd = source >= 0 ? source : source64;
        Map<String, String> attributes = attributes(header.substring(colon + 2, attributesEnd));
        String sourceText = source >= 0 ? header.substring(source + " source=".length())
                : new String(Base64.getDecoder().decode(header.substring(source64 + " source64=".length())), StandardCharsets.UTF_8);
        List<String> flags = new ArrayList<>();
        for (String flag : List.of("noeol", "base64")) {
            if (attributes.remove(flag) != null) {
                flags.add(flag);
            }
        }
        byte[] output = Body.decode(flags, body);
        String status = attributes.remove("status");
        String exit = attributes.remove("exit");
        String sameAs = attributes.remove("sameAs");
        String bytes = attributes.remove("bytes");
        boolean truncated = attributes.remove("truncated") != null;
        if (status == null || exit == null || !attributes.isEmpty()) {
            throw new IllegalArgumentException("section " + name + " needs status= and exit=, and knows only sameAs=, bytes=,"
                    + " truncated, noeol, base64 (left: " + attributes.keySet() + ")");
        }
        return new Section(name, sourceText, status, Integer.parseInt(exit), sameAs, output, new byte[0],
                bytes == null ? output.length : Long.parseLong(bytes), truncated);
    }

    private static void addStderr(List<Section> sections, String header, String body) {
        int colon = header.indexOf(": ");
        String name = colon < 0 ? header : header.substring(0, colon);
        List<String> flags = colon < 0 ? List.of() : List.copyOf(attributes(header.substring(colon + 2)).keySet());
        Section last = sections.isEmpty() ? null : sections.get(sections.size() - 1);
        if (last == null || !last.name().equals(name) || last.stderr().length > 0) {
            throw new IllegalArgumentException("stderr " + name + " must follow its section, once");
        }
        if (!List.of("noeol", "base64").containsAll(flags)) {
            throw new IllegalArgumentException("stderr " + name + " knows only noeol and base64, not " + flags);
        }
        sections.set(sections.size() - 1, new Section(last.name(), last.source(), last.status(), last.exitCode(),
                last.sameAs(), last.output(), Body.decode(flags, body), last.bytes(), last.truncated()));
    }

    // ------------------------------------------------------------------ JSON

    /**
     * The report's JSON: read with a small parser (the JDK has none) that keeps the sections' order and refuses
     * fields it does not know, so nothing is dropped silently; written in the probe's own layout, so a probe report
     * converts to text and back byte for byte.
     */
    static final class Json {

        private static final List<String> TOP = List.of("format", "reportId", "collectedAt", "probe", "role", "phase", "sections");
        private static final List<String> PROBE = List.of("version", "uid", "durationMs");
        private static final List<String> SECTION = List.of("source", "status", "exitCode", "encoding", "sameAs", "output",
                "stderr", "bytes", "truncated");

        private final String text;
        private int at;

        private Json(String text) {
            this.text = text;
        }

        static Report readReport(byte[] json) {
            Json parser = new Json(new String(json, StandardCharsets.UTF_8));
            Object root = parser.value();
            parser.skipSpace();
            if (parser.at != parser.text.length()) {
                throw parser.error("text after the document");
            }
            Map<String, Object> top = object(root, "the document", TOP);
            Map<String, Object> probe = object(top.get("probe"), "probe", PROBE);
            List<Section> sections = new ArrayList<>();
            object(top.get("sections"), "sections", null).forEach((name, value) -> sections.add(section(name, value)));
            return new Report(string(top, "format"), string(top, "reportId"), string(top, "collectedAt"),
                    new Probe(string(probe, "version"), number(probe, "uid"), number(probe, "durationMs")),
                    string(top, "role"), string(top, "phase"), sections);
        }

        /** A section with the reader's defaults: no stderr is empty, no bytes is the output's size, not truncated. */
        private static Section section(String name, Object value) {
            Map<String, Object> fields = object(value, "sections." + name, SECTION);
            boolean base64 = "base64".equals(fields.get("encoding"));
            if (fields.containsKey("encoding") && !base64 && !"text".equals(fields.get("encoding"))) {
                throw new IllegalArgumentException("sections." + name + ".encoding must be base64 or text");
            }
            byte[] output = payload(fields.get("output"), base64);
            byte[] stderr = payload(fields.getOrDefault("stderr", ""), base64);
            Long bytes = number(fields, "bytes");
            Object truncated = fields.getOrDefault("truncated", Boolean.FALSE);
            if (!(truncated instanceof Boolean)) {
                throw new IllegalArgumentException("sections." + name + ".truncated must be true or false");
            }
            Long exitCode = number(fields, "exitCode");
            if (exitCode == null) {
                throw new IllegalArgumentException("sections." + name + ".exitCode is required");
            }
            return new Section(name, string(fields, "source"), string(fields, "status"), Math.toIntExact(exitCode),
                    (String) fields.get("sameAs"), output, stderr,
                    bytes == null ? output.length : bytes, (Boolean) truncated);
        }

        private static byte[] payload(Object value, boolean base64) {
            if (!(value instanceof String text)) {
                throw new IllegalArgumentException("output and stderr must be strings");
            }
            return base64 ? Base64.getDecoder().decode(text) : text.getBytes(StandardCharsets.UTF_8);
        }

        @SuppressWarnings("unchecked")
        private static Map<String, Object> object(Object value, String what, List<String> known) {
            if (!(value instanceof Map)) {
                throw new IllegalArgumentException(what + " must be an object");
            }
            Map<String, Object> map = (Map<String, Object>) value;
            if (known != null && !known.containsAll(map.keySet())) {
                throw new IllegalArgumentException(what + " has fields this converter does not know: " + map.keySet());
            }
            return map;
        }

        private static String string(Map<String, Object> fields, String key) {
            if (!(fields.get(key) instanceof String value)) {
                throw new IllegalArgumentException(key + " must be a string");
            }
            return value;
        }

        private static Long number(Map<String, Object> fields, String key) {
            Object value = fields.get(key);
            if (value != null && !(value instanceof Long)) {
                throw new IllegalArgumentException(key + " must be a whole number");
            }
            return (Long) value;
        }

        // ---- parsing

        private Object value() {
            skipSpace();
            if (at >= text.length()) {
                throw error("unexpected end");
            }
            char c = text.charAt(at);
            return switch (c) {
                case '{' -> objectValue();
                case '[' -> arrayValue();
                case '"' -> stringValue();
                case 't' -> literal("true", Boolean.TRUE);
                case 'f' -> literal("false", Boolean.FALSE);
                case 'n' -> literal("null", null);
                default -> numberValue();
            };
        }

        private Map<String, Object> objectValue() {
            Map<String, Object> map = new LinkedHashMap<>();
            at++;
            skipSpace();
            if (peek() == '}') {
                at++;
                return map;
            }
            while (true) {
                skipSpace();
                String key = stringValue();
                skipSpace();
                expect(':');
                if (map.containsKey(key)) {
                    throw error("duplicate field " + key);
                }
                map.put(key, value());
                skipSpace();
                if (peek() == ',') {
                    at++;
                } else {
                    expect('}');
                    return map;
                }
            }
        }

        private List<Object> arrayValue() {
            List<Object> list = new ArrayList<>();
            at++;
            skipSpace();
            if (peek() == ']') {
                at++;
                return list;
            }
            while (true) {
                list.add(value());
                skipSpace();
                if (peek() == ',') {
                    at++;
                } else {
                    expect(']');
                    return list;
                }
            }
        }

        private String stringValue() {
            expect('"');
            StringBuilder out = new StringBuilder();
            while (true) {
                if (at >= text.length()) {
                    throw error("unterminated string");
                }
                char c = text.charAt(at++);
                if (c == '"') {
                    return out.toString();
                }
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                char e = text.charAt(at++);
                switch (e) {
                    case '"', '\\', '/' -> out.append(e);
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'u' -> {
                        out.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                        at += 4;
                    }
                    default -> throw error("bad escape \\" + e);
                }
            }
        }

        private Object numberValue() {
            int start = at;
            while (at < text.length() && "+-0123456789.eE".indexOf(text.charAt(at)) >= 0) {
                at++;
            }
            String number = text.substring(start, at);
            if (number.matches("-?(0|[1-9][0-9]*)")) {
                return Long.valueOf(number);
            }
            if (number.isEmpty()) {
                throw error("unexpected character");
            }
            return Double.valueOf(number);
        }

        private Object literal(String word, Object value) {
            if (!text.startsWith(word, at)) {
                throw error("unexpected character");
            }
            at += word.length();
            return value;
        }

        private void skipSpace() {
            while (at < text.length() && " \t\r\n".indexOf(text.charAt(at)) >= 0) {
                at++;
            }
        }

        private char peek() {
            return at < text.length() ? text.charAt(at) : '\0';
        }

        private void expect(char c) {
            if (peek() != c) {
                throw error("expected '" + c + "'");
            }
            at++;
        }

        private IllegalArgumentException error(String what) {
            return new IllegalArgumentException("JSON at offset " + at + ": " + what);
        }

        // ---- writing, in the layout of the probe's write_report and emit_section

        static byte[] write(Report report) {
            StringBuilder out = new StringBuilder("{\n");
            out.append("  \"format\": ").append(quote(report.format())).append(",\n");
            out.append("  \"reportId\": ").append(quote(report.reportId())).append(",\n");
            out.append("  \"collectedAt\": ").append(quote(report.collectedAt())).append(",\n");
            Probe probe = report.probe();
            out.append("  \"probe\": {\"version\": ").append(quote(probe.version()));
            if (probe.uid() != null) {
                out.append(", \"uid\": ").append(probe.uid());
            }
            if (probe.durationMs() != null) {
                out.append(", \"durationMs\": ").append(probe.durationMs());
            }
            out.append("},\n");
            out.append("  \"role\": ").append(quote(report.role())).append(",\n");
            out.append("  \"phase\": ").append(quote(report.phase())).append(",\n");
            out.append("  \"sections\": {\n");
            Base64.Encoder base64 = Base64.getEncoder();
            for (int i = 0; i < report.sections().size(); i++) {
                Section s = report.sections().get(i);
                out.append(i == 0 ? "" : ",\n").append("    ").append(quote(s.name())).append(": {\"source\": ")
                        .append(quote(s.source())).append(", \"status\": ").append(quote(s.status()))
                        .append(", \"exitCode\": ").append(s.exitCode()).append(", \"encoding\": \"base64\", ");
                if (s.sameAs() != null) {
                    out.append("\"sameAs\": ").append(quote(s.sameAs())).append(", ");
                }
                out.append("\"output\": \"").append(base64.encodeToString(s.output())).append("\", \"stderr\": \"")
                        .append(base64.encodeToString(s.stderr())).append("\", \"bytes\": ").append(s.bytes())
                        .append(", \"truncated\": ").append(s.truncated()).append('}');
            }
            out.append("\n  }\n}\n");
            return out.toString().getBytes(StandardCharsets.UTF_8);
        }

        /** As the probe's json_esc: backslash and quote escaped; control characters too, which it never sends. */
        private static String quote(String value) {
            StringBuilder out = new StringBuilder("\"");
            for (char c : value.toCharArray()) {
                if (c == '"' || c == '\\') {
                    out.append('\\').append(c);
                } else if (c < 0x20) {
                    out.append(String.format("\\u%04x", (int) c));
                } else {
                    out.append(c);
                }
            }
            return out.append('"').toString();
        }
    }

    // ------------------------------------------------------------------ converting a capture

    /**
     * Converts the JSON reports of a capture into text samples next to them and deletes the JSON (and a cluster
     * sample's expect.properties, whose statuses move into its node files).
     * <pre>
     * java src/test/java/io/netready/support/RuleSampleFile.java [--keep-json] [--previous DIR] ROOT [RULE...]
     * </pre>
     * ROOT holds one directory per rule (as rule-samples/). A report's expected status comes from its file name
     * ({@code fail-...json}) or its directory's expect.properties. With {@code --previous}, a sample that exists
     * there as text keeps its comment, message, fix and notes (RuleSamplesTest says when they no longer hold and
     * {@code -Drule-samples.update=true} rewrites them).
     */
    public static void main(String[] args) throws IOException {
        boolean keepJson = false;
        Path previous = null;
        int i = 0;
        for (; i < args.length && args[i].startsWith("--"); i++) {
            switch (args[i]) {
                case "--keep-json" -> keepJson = true;
                case "--previous" -> previous = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (i >= args.length) {
            System.err.println("usage: RuleSampleFile.java [--keep-json] [--previous DIR] ROOT [RULE...]");
            System.exit(2);
        }
        Path root = Path.of(args[i]);
        List<Path> dirs = new ArrayList<>();
        for (String rule : List.of(args).subList(i + 1, args.length)) {
            dirs.add(root.resolve(rule));
        }
        if (dirs.isEmpty()) {
            dirs.add(root);
        }
        int converted = 0;
        int identical = 0;
        for (Path dir : dirs) {
            List<Path> reports;
            try (Stream<Path> files = Files.walk(dir)) {
                reports = files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
            }
            for (Path json : reports) {
                identical += convert(root, json, previous) ? 1 : 0;
                converted++;
                if (!keepJson) {
                    Files.delete(json);
                }
            }
            if (!keepJson) {
                try (Stream<Path> files = Files.walk(dir)) {
                    for (Path expect : files.filter(f -> f.getFileName().toString().equals("expect.properties")).toList()) {
                        Files.delete(expect);
                    }
                }
            }
        }
        System.err.printf("rule samples: %d report(s) converted to text, %d of them back to the same JSON byte for byte%n",
                converted, identical);
    }

    /** Converts one report; true when the text converts back to the very same JSON bytes. */
    private static boolean convert(Path root, Path json, Path previous) throws IOException {
        String relative = root.relativize(json).toString().replace('\\', '/');
        String stem = relative.substring(0, relative.length() - ".json".length());
        Path text = json.resolveSibling(json.getFileName().toString().replaceAll("\\.json$", ".txt"));
        byte[] original = Files.readAllBytes(json);
        Report report = Json.readReport(original);
        String status = expectedStatus(json);
        String comment = stem + ": the probe's report of host " + report.hostname() + " (" + report.role() + ", "
                + report.phase() + "),\ncaptured in a network namespace by src/test/probe/capture-rule-samples.sh.\n";
        Expectations expect = Expectations.onlyStatus(status);
        Path old = previous == null ? null : previous.resolve(stem + ".txt");
        if (old != null && Files.exists(old)) {
            Sample before = read(old);
            comment = before.comment();
            expect = new Expectations(status, before.expect().message(), before.expect().fix(), before.expect().notes());
        }
        Sample sample = new Sample(comment, expect, report);
        write(text, sample);
        // Nothing is deleted unless the text reads back to the same report.
        byte[] back = reportJson(text);
        if (!java.util.Arrays.equals(back, Json.write(report)) || !format(read(text)).equals(format(sample))) {
            throw new IllegalStateException(text + " does not read back to the report of " + json);
        }
        return java.util.Arrays.equals(back, original);
    }

    private static String expectedStatus(Path json) throws IOException {
        String stem = json.getFileName().toString().replaceAll("\\.json$", "");
        Path expect = json.resolveSibling("expect.properties");
        String status;
        if (Files.exists(expect)) {
            Properties properties = new Properties();
            try (var reader = Files.newBufferedReader(expect)) {
                properties.load(reader);
            }
            status = properties.getProperty(stem);
        } else {
            status = stem.contains("-") ? stem.substring(0, stem.indexOf('-')) : null;
        }
        if (!STATUSES.contains(status)) {
            throw new IllegalArgumentException(json + ": no expected status (pass, warn, fail or skip) in its name"
                    + " or its expect.properties");
        }
        return status;
    }
}
