package io.netready.reportformat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;

/**
 * A validated {@code netready.report/v1} document: who made it, when, for which role and phase, and its sections
 * by name.
 */
public record ReportDocument(String format, String reportId, Instant collectedAt, String probeVersion, Integer probeUid,
        Role role, Phase phase, SortedMap<String, ReportSection> sections) {

    public static final String FORMAT_V1 = "netready.report/v1";

    public Optional<ReportSection> section(String name) {
        return Optional.ofNullable(sections.get(name));
    }

    /** The first line of an ok section, trimmed; empty when the section is missing, failed or blank. */
    public Optional<String> firstLine(String name) {
        return section(name).filter(ReportSection::isOk).map(ReportSection::text)
                .map(text -> text.lines().findFirst().orElse("").strip())
                .filter(line -> !line.isEmpty());
    }

    public String hostname() {
        return firstLine("hostname").orElseThrow();
    }

    public Optional<String> machineId() {
        return firstLine("machine-id");
    }

    public Optional<String> productUuid() {
        return firstLine("product-uuid").map(uuid -> uuid.toLowerCase(java.util.Locale.ROOT));
    }

    /**
     * How the node is told apart from the others of its cluster across uploads: its hostname plus its machine-id,
     * or its product_uuid where the machine-id is unreadable.
     */
    public String nodeKey() {
        return hostname() + "\n" + machineId().or(this::productUuid).orElse("");
    }

    /** SHA-256 of the whole document: a second upload under the same report id must carry the same content. */
    public byte[] contentHash() {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String value : new String[] { format, reportId, collectedAt.toString(), probeVersion,
                    String.valueOf(probeUid), role.word(), phase.word() }) {
                byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
                digest.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
                digest.update(bytes);
            }
            for (Map.Entry<String, ReportSection> entry : sections.entrySet()) {
                digest.update(entry.getKey().getBytes(StandardCharsets.UTF_8));
                digest.update(entry.getValue().contentHash());
            }
            return digest.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
