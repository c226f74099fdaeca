package io.netready.cluster.web;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

import io.netready.api.ProblemException;

/**
 * A report file refused on the cluster page, said as a user reads it: what the file is instead of a report (with the
 * first characters it begins with), rather than the parser's words for the API, and a link back to the cluster.
 */
final class ReportFileProblem {

    static final String HOW = "Upload the file netready-probe.sh wrote with --output (report.json, or report.json.gz).";
    private static final int HEAD_BYTES = 256;
    private static final int SHOWN_CHARACTERS = 40;

    private ReportFileProblem() {
    }

    /** The first bytes of the file, unpacked when it is gzip'd (as far as they unpack). */
    static byte[] head(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] raw = in.readNBytes(HEAD_BYTES);
            if (!isGzip(raw)) {
                return raw;
            }
        } catch (IOException e) {
            return new byte[0];
        }
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            byte[] unpacked = new byte[HEAD_BYTES];
            int n = 0;
            try {
                for (int r; n < HEAD_BYTES && (r = in.read(unpacked, n, HEAD_BYTES - n)) > 0;) {
                    n += r;
                }
            } catch (IOException e) {
                // what unpacked before the damage
            }
            return java.util.Arrays.copyOf(unpacked, n);
        } catch (IOException e) {
            return new byte[0];
        }
    }

    static boolean isGzip(byte[] head) {
        return head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b;
    }

    /** The page's version of an upload's refusal: the same status, the user's words, a link back to the cluster. */
    static ProblemException explain(ProblemException refused, byte[] head, boolean gzip, String cluster) {
        String detail = refused.getMessage();
        String said = switch (refused.status()) {
            case 400 -> malformed(detail, head, gzip);
            case 413 -> "This file is too large: " + lowerFirst(detail);
            case 422 -> "This JSON file is not a netready report the portal can read: " + sentence(detail) + " " + HOW;
            default -> detail;
        };
        return new ProblemException(refused.status(), refused.title(), said).withBackLink("/clusters/" + cluster,
                "Back to " + cluster);
    }

    private static String malformed(String detail, byte[] head, boolean gzip) {
        String text = decode(head).stripLeading();
        if (gzip && detail.startsWith("The body is not valid gzip data")) {
            return "This file is not a netready report: it looks gzip-compressed but does not unpack ("
                    + after(detail, "The body is not valid gzip data: ") + "). " + HOW;
        }
        if (text.isEmpty()) {
            return "This file is empty, not a netready report. " + HOW;
        }
        if (text.startsWith("{")) {
            return "This file is not a netready report: its JSON is damaged or cut off ("
                    + after(detail, "The body is not well-formed JSON: ") + "). " + HOW;
        }
        if (text.startsWith("[")) {
            return "This file is JSON but not a netready report: a report is one JSON object, and this file is a list. "
                    + HOW;
        }
        return "This file is not a netready report (not JSON): it begins with \u201c" + excerpt(text) + "\u201d. " + HOW;
    }

    /** The first line's first characters, control characters shown as '·'. */
    static String excerpt(String text) {
        String line = text.lines().findFirst().orElse("");
        StringBuilder out = new StringBuilder();
        line.codePoints().limit(SHOWN_CHARACTERS)
                .forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? '\u00b7' : c));
        boolean more = line.codePointCount(0, line.length()) > SHOWN_CHARACTERS || !text.strip().equals(line.strip());
        return more ? out + "\u2026" : out.toString();
    }

    private static String decode(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            return "";
        }
    }

    private static String sentence(String detail) {
        return detail.endsWith(".") ? detail : detail + ".";
    }

    private static String after(String detail, String prefix) {
        return detail.startsWith(prefix) ? detail.substring(prefix.length()) : detail;
    }

    private static String lowerFirst(String detail) {
        return detail.isEmpty() ? detail : Character.toLowerCase(detail.charAt(0)) + detail.substring(1);
    }
}
