package io.netready.reportformat;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A strict, streaming JSON reader over the raw UTF-8 bytes of an upload (RFC 8259: no comments, no trailing commas,
 * no duplicate names, valid UTF-8 only, at most {@value #MAX_DEPTH} levels of nesting and numbers of at most
 * {@value #MAX_NUMBER_LENGTH} characters). Tokens come one at a time, as from Jackson's streaming parser; a string's
 * contents are read only when asked for, and can be handed out straight from the input buffer
 * ({@link #string(StringParts)}) — a report's base64 payloads are nearly all of its bytes, and Jackson turns every one
 * of them into chars before anything can read them.
 */
final class JsonBytes {

    static final int MAX_DEPTH = 32;
    static final int MAX_NUMBER_LENGTH = 40;

    enum Token {
        START_OBJECT, END_OBJECT, START_ARRAY, END_ARRAY, FIELD_NAME, STRING, NUMBER, TRUE, FALSE, NULL
    }

    /** Not well-formed JSON; the message says what and where. */
    static final class Malformed extends IOException {
        Malformed(String message) {
            super(message, null);
        }
    }

    private static final int BUFFER = 64 * 1024;
    /** For each byte: 0 plain ASCII inside a string, 1 ends the fast scan (quote, backslash, control, non-ASCII). */
    private static final boolean[] STRING_SPECIAL = new boolean[256];
    /** The first run of a long string handed out by {@link #string} is at least this long. */
    static final int FIRST_RUN = 64;

    static {
        for (int b = 0; b < 256; b++) {
            STRING_SPECIAL[b] = b < 0x20 || b == '"' || b == '\\' || b >= 0x80;
        }
    }

    private static final java.lang.invoke.VarHandle WORDS = java.lang.invoke.MethodHandles.byteArrayViewVarHandle(
            long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    private final InputStream in;
    private final byte[] buffer = new byte[BUFFER];
    private int position;
    private int limit;
    private boolean eof;
    /** Bytes before the buffer's start; line and where it started, for messages. */
    private long consumed;
    private long line = 1;
    private long lineStart;

    /** Open containers: true for an object. */
    private final boolean[] objects = new boolean[MAX_DEPTH + 1];
    /** The member names read so far in each open object, by depth. */
    @SuppressWarnings("unchecked")
    private final Set<String>[] names = new Set[MAX_DEPTH + 1];
    private int depth;
    /** Inside the innermost container: no member read yet. */
    private boolean first;
    /** An object member's value comes next (after its name). */
    private boolean valueNext;
    private boolean rootRead;
    private Token token;
    private String name;
    private final StringBuilder number = new StringBuilder();
    /** The current string token's contents are still in the input. */
    private boolean stringPending;

    JsonBytes(InputStream in) {
        this.in = in;
    }

    /** The next token, or null at the end of the input after the one root value. */
    Token next() throws IOException {
        if (stringPending) {
            skipString();
        }
        if (token == Token.START_OBJECT || token == Token.START_ARRAY) {
            first = true;
        }
        int b = skipWhitespace();
        if (depth == 0) {
            if (rootRead) {
                if (b >= 0) {
                    throw malformed("data after the root value");
                }
                return token = null;
            }
            if (b == 0xEF && consumed + position == 0) {
                // A UTF-8 byte order mark: RFC 8259 lets a reader ignore it (Windows tools write one).
                ensure(3);
                if (limit - position >= 3 && buffer[position + 1] == (byte) 0xBB && buffer[position + 2] == (byte) 0xBF) {
                    position += 3;
                    b = skipWhitespace();
                }
            }
            if (b < 0) {
                throw malformed("no JSON value");
            }
            rootRead = true;
            return token = value(b);
        }
        if (b < 0) {
            throw malformed("unexpected end of input");
        }
        boolean object = objects[depth - 1];
        if (object && valueNext) {
            valueNext = false;
            return token = value(b);
        }
        if (b == (object ? '}' : ']')) {
            position++;
            return token = close(object ? Token.END_OBJECT : Token.END_ARRAY);
        }
        if (!first) {
            if (b != ',') {
                throw malformed(object ? "expected ',' or '}' after an object member" : "expected ',' or ']' after an array element");
            }
            position++;
            b = skipWhitespace();
            if (b < 0) {
                throw malformed("unexpected end of input");
            }
        }
        first = false;
        return token = object ? memberName(b) : value(b);
    }

    /** At {@code b}, which must open an object member's name: reads it and its colon. */
    private Token memberName(int b) throws IOException {
        if (b != '"') {
            throw malformed("expected a member name in double quotes");
        }
        position++;
        name = readString();
        if (!names[depth - 1].add(name)) {
            throw malformed("duplicate member '" + abbreviate(name) + "'");
        }
        if (skipWhitespace() != ':') {
            throw malformed("expected ':' after member name '" + abbreviate(name) + "'");
        }
        position++;
        valueNext = true;
        return Token.FIELD_NAME;
    }

    /** The name of the current member (after {@link Token#FIELD_NAME}, and while reading its value). */
    String name() {
        return name;
    }

    /** The current string token's text. */
    String text() throws IOException {
        requirePendingString();
        stringPending = false;
        return readString();
    }

    /**
     * Hands the current string token's contents to {@code parts} as they stream by: runs of plain printable ASCII
     * straight from the input buffer, and each other character (an escape, or a non-ASCII code point) on its own. The
     * bytes first offered to {@link StringParts#known} are at least {@value #FIRST_RUN} unless the input ends first.
     */
    void string(StringParts parts) throws IOException {
        requirePendingString();
        stringPending = false;
        ensure(FIRST_RUN);
        scan(parts);
    }

    /** Reads a string's contents after its opening quote, through the closing quote, handing them to {@code parts}. */
    private void scan(StringParts parts) throws IOException {
        while (true) {
            position += parts.known(buffer, position, limit);
            int p = plainEnd(position);
            if (p > position) {
                parts.plain(buffer, position, p);
                position = p;
            }
            int b = read();
            if (b < 0) {
                throw malformed("unexpected end of input in a string");
            }
            if (b == '"') {
                return;
            }
            if (!STRING_SPECIAL[b]) {
                // The scan stopped at the buffer's end.
                position--;
            } else if (b == '\\') {
                parts.character(escape());
            } else if (b < 0x20) {
                throw malformed("control character " + b + " in a string");
            } else {
                parts.character(utf8(b));
            }
        }
    }

    /** What {@link #string} hands a string's contents to. */
    interface StringParts {
        /**
         * How many of the buffered bytes from {@code from} the parts know, byte for byte, to be the string's plain text
         * (compared with a text seen before): those are taken as they are, neither scanned nor handed out.
         */
        default int known(byte[] bytes, int from, int to) {
            return 0;
        }

        /** Plain printable ASCII bytes (no quote, backslash or control character) of the string. */
        void plain(byte[] bytes, int from, int to);

        /** One other character: an escape's UTF-16 unit, or a non-ASCII code point. */
        void character(int c);
    }

    /** After a container's start: reads to its end (validating all of it). Any other token: nothing to do. */
    void skipChildren() throws IOException {
        if (token != Token.START_OBJECT && token != Token.START_ARRAY) {
            return;
        }
        int level = depth;
        while (depth >= level) {
            next();
        }
    }

    /** The current value (the token just read, and for a container all of it) as a Jackson tree. */
    JsonNode tree() throws IOException {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        switch (token) {
            case START_OBJECT -> {
                ObjectNode object = nodes.objectNode();
                while (next() == Token.FIELD_NAME) {
                    String member = name;
                    next();
                    object.set(member, tree());
                }
                return object;
            }
            case START_ARRAY -> {
                ArrayNode array = nodes.arrayNode();
                while (next() != Token.END_ARRAY) {
                    array.add(tree());
                }
                return array;
            }
            case STRING -> {
                return nodes.textNode(text());
            }
            case NUMBER -> {
                return numberNode(number.toString());
            }
            case TRUE -> {
                return nodes.booleanNode(true);
            }
            case FALSE -> {
                return nodes.booleanNode(false);
            }
            case NULL -> {
                return nodes.nullNode();
            }
            default -> throw new IllegalStateException("no value at " + token);
        }
    }

    /** Integers as int, long or big integer nodes by size, everything else as a double (as Jackson reads them). */
    private static JsonNode numberNode(String text) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        boolean integral = text.indexOf('.') < 0 && text.indexOf('e') < 0 && text.indexOf('E') < 0;
        if (!integral) {
            return nodes.numberNode(Double.parseDouble(text));
        }
        if (text.length() <= 18) {
            long value = Long.parseLong(text);
            return value == (int) value ? nodes.numberNode((int) value) : nodes.numberNode(value);
        }
        BigInteger value = new BigInteger(text);
        return value.bitLength() < 64 ? nodes.numberNode(value.longValue()) : nodes.numberNode(value);
    }

    // ---- values

    private Token value(int b) throws IOException {
        switch (b) {
            case '{' -> {
                position++;
                return open(true);
            }
            case '[' -> {
                position++;
                return open(false);
            }
            case '"' -> {
                position++;
                stringPending = true;
                return Token.STRING;
            }
            case 't' -> {
                literal("true");
                return Token.TRUE;
            }
            case 'f' -> {
                literal("false");
                return Token.FALSE;
            }
            case 'n' -> {
                literal("null");
                return Token.NULL;
            }
            default -> {
                if (b == '-' || (b >= '0' && b <= '9')) {
                    readNumber();
                    return Token.NUMBER;
                }
                throw malformed("unexpected character " + describe(b));
            }
        }
    }

    private Token open(boolean object) throws Malformed {
        if (depth == MAX_DEPTH) {
            throw malformed("nested deeper than " + MAX_DEPTH + " levels");
        }
        objects[depth] = object;
        if (object) {
            if (names[depth] == null) {
                names[depth] = new HashSet<>();
            } else {
                names[depth].clear();
            }
        }
        depth++;
        return object ? Token.START_OBJECT : Token.START_ARRAY;
    }

    private Token close(Token end) {
        depth--;
        first = false;
        return end;
    }

    private void literal(String word) throws IOException {
        for (int i = 0; i < word.length(); i++) {
            int b = read();
            if (b != word.charAt(i)) {
                throw malformed("unexpected " + (b < 0 ? "end of input" : "character " + describe(b)) + " in '" + word + "'");
            }
        }
        requireDelimiter();
    }

    private void readNumber() throws IOException {
        number.setLength(0);
        int b = peek();
        if (b == '-') {
            appendNumber(read());
            b = peek();
        }
        if (b == '0') {
            appendNumber(read());
            b = peek();
        } else if (b >= '1' && b <= '9') {
            b = digits();
        } else {
            throw malformed("a number needs a digit after '-'");
        }
        if (b == '.') {
            appendNumber(read());
            if (!isDigit(peek())) {
                throw malformed("a number needs a digit after '.'");
            }
            b = digits();
        }
        if (b == 'e' || b == 'E') {
            appendNumber(read());
            b = peek();
            if (b == '+' || b == '-') {
                appendNumber(read());
                b = peek();
            }
            if (!isDigit(b)) {
                throw malformed("a number needs a digit in its exponent");
            }
            digits();
        }
        requireDelimiter();
    }

    private int digits() throws IOException {
        int b = peek();
        while (isDigit(b)) {
            appendNumber(read());
            b = peek();
        }
        return b;
    }

    private void appendNumber(int b) throws Malformed {
        if (number.length() == MAX_NUMBER_LENGTH) {
            throw malformed("a number longer than " + MAX_NUMBER_LENGTH + " characters");
        }
        number.append((char) b);
    }

    private static boolean isDigit(int b) {
        return b >= '0' && b <= '9';
    }

    /** After a number or literal: the end of input, whitespace or a structural character. */
    private void requireDelimiter() throws IOException {
        int b = peek();
        if (b >= 0 && b != ' ' && b != '\t' && b != '\n' && b != '\r' && b != ',' && b != ']' && b != '}') {
            throw malformed("unexpected character " + describe(b) + " after a value");
        }
    }

    // ---- strings

    private void requirePendingString() {
        if (token != Token.STRING || !stringPending) {
            throw new IllegalStateException("no unread string at " + token);
        }
    }

    /** Reads a string's contents after its opening quote, through the closing quote. */
    private String readString() throws IOException {
        // Fast path: plain ASCII up to the closing quote inside the buffer.
        int p = plainEnd(position);
        if (p < limit && buffer[p] == '"') {
            String text = new String(buffer, position, p - position, StandardCharsets.ISO_8859_1);
            position = p + 1;
            return text;
        }
        StringBuilder text = new StringBuilder(Math.max(16, p - position));
        scan(new StringParts() {
            @Override
            public void plain(byte[] bytes, int from, int to) {
                for (int i = from; i < to; i++) {
                    text.append((char) bytes[i]);
                }
            }

            @Override
            public void character(int c) {
                // An escape's UTF-16 unit or a code point: a surrogate pair written as two escapes joins in the builder.
                text.appendCodePoint(c);
            }
        });
        return text.toString();
    }

    /** What skipping a string hands its contents to: nothing is kept, everything is still checked. */
    private static final StringParts SKIP = new StringParts() {
        @Override
        public void plain(byte[] bytes, int from, int to) {
        }

        @Override
        public void character(int c) {
        }
    };

    private void skipString() throws IOException {
        stringPending = false;
        scan(SKIP);
    }

    /** After a backslash: the escaped character (a UTF-16 unit). */
    private int escape() throws IOException {
        int b = read();
        switch (b) {
            case '"', '\\', '/' -> {
                return b;
            }
            case 'b' -> {
                return '\b';
            }
            case 'f' -> {
                return '\f';
            }
            case 'n' -> {
                return '\n';
            }
            case 'r' -> {
                return '\r';
            }
            case 't' -> {
                return '\t';
            }
            case 'u' -> {
                int value = 0;
                for (int i = 0; i < 4; i++) {
                    int h = hex(read());
                    if (h < 0) {
                        throw malformed("\\u needs four hexadecimal digits");
                    }
                    value = value << 4 | h;
                }
                return value;
            }
            default -> throw malformed(b < 0 ? "unexpected end of input in a string"
                    : "invalid escape '\\" + (b < 0x20 || b > 0x7E ? "0x" + Integer.toHexString(b) : (char) b) + "'");
        }
    }

    private static int hex(int b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        return -1;
    }

    /** A UTF-8 sequence whose first byte was read: its code point; overlong forms and surrogates are refused. */
    private int utf8(int b0) throws IOException {
        int count;
        int min;
        int value;
        if (b0 >= 0xC2 && b0 <= 0xDF) {
            count = 1;
            min = 0x80;
            value = b0 & 0x1F;
        } else if (b0 >= 0xE0 && b0 <= 0xEF) {
            count = 2;
            min = 0x800;
            value = b0 & 0x0F;
        } else if (b0 >= 0xF0 && b0 <= 0xF4) {
            count = 3;
            min = 0x10000;
            value = b0 & 0x07;
        } else {
            throw malformed("invalid UTF-8 byte 0x" + Integer.toHexString(b0));
        }
        for (int i = 0; i < count; i++) {
            int b = read();
            if (b < 0x80 || b > 0xBF) {
                throw malformed("invalid UTF-8 sequence");
            }
            value = value << 6 | (b & 0x3F);
        }
        if (value < min || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) {
            throw malformed("invalid UTF-8 sequence");
        }
        return value;
    }

    /**
     * Where the run of plain string bytes from {@code from} ends in the buffer: eight bytes at a time, each word tested
     * at once for a byte that is a quote, a backslash, a control character or not ASCII.
     */
    private int plainEnd(int from) {
        int p = from;
        while (p + 8 <= limit) {
            long word = (long) WORDS.get(buffer, p);
            long quote = word ^ 0x2222222222222222L;
            long backslash = word ^ 0x5C5C5C5C5C5C5C5CL;
            long special = (quote - 0x0101010101010101L) & ~quote
                    | (backslash - 0x0101010101010101L) & ~backslash
                    | (word - 0x2020202020202020L) & ~word
                    | word;
            if ((special & 0x8080808080808080L) != 0) {
                break;
            }
            p += 8;
        }
        while (p < limit && !STRING_SPECIAL[buffer[p] & 0xFF]) {
            p++;
        }
        return p;
    }

    // ---- input

    private int skipWhitespace() throws IOException {
        while (true) {
            while (position < limit) {
                byte b = buffer[position];
                if (b == ' ' || b == '\t' || b == '\r') {
                    position++;
                } else if (b == '\n') {
                    position++;
                    line++;
                    lineStart = consumed + position;
                } else {
                    return b & 0xFF;
                }
            }
            if (!fill()) {
                return -1;
            }
        }
    }

    private int peek() throws IOException {
        if (position == limit && !fill()) {
            return -1;
        }
        return buffer[position] & 0xFF;
    }

    private int read() throws IOException {
        if (position == limit && !fill()) {
            return -1;
        }
        return buffer[position++] & 0xFF;
    }

    /** Refills the buffer once it is used up (at least 4 kB unless the input ends); false at the end of the input. */
    private boolean fill() throws IOException {
        if (eof) {
            return false;
        }
        consumed += limit;
        position = 0;
        limit = 0;
        while (limit < 4096) {
            int n = in.read(buffer, limit, buffer.length - limit);
            if (n < 0) {
                eof = true;
                break;
            }
            limit += n;
        }
        return limit > 0;
    }

    /** Makes at least {@code count} unread bytes buffered, unless the input ends first. */
    private void ensure(int count) throws IOException {
        if (limit - position >= count || eof) {
            return;
        }
        int kept = limit - position;
        System.arraycopy(buffer, position, buffer, 0, kept);
        consumed += position;
        position = 0;
        limit = kept;
        while (limit < count) {
            int n = in.read(buffer, limit, buffer.length - limit);
            if (n < 0) {
                eof = true;
                return;
            }
            limit += n;
        }
    }

    private Malformed malformed(String what) {
        long at = consumed + position;
        return new Malformed(what + " (line " + line + ", column " + (at - lineStart + 1) + ")");
    }

    private static String describe(int b) {
        return b >= 0x21 && b <= 0x7E ? "'" + (char) b + "'" : "0x" + Integer.toHexString(b);
    }

    private static String abbreviate(String text) {
        return ReportReader.abbreviate(text);
    }
}
