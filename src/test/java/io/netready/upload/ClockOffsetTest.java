package io.netready.upload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.netready.reportformat.ReportReader;

/** The portal's clock measurement: only for the probe's direct uploads, receipt minus collectedAt + durationMs. */
class ClockOffsetTest {

    private static final ReportReader READER = new ReportReader(1 << 20);

    private static ReportReader.Read read(String probe) {
        String json = "{\"format\":\"netready.report/v1\",\"reportId\":\"clock-test-1\",\"collectedAt\":\"2026-12-02T03:00:00Z\","
                + "\"probe\":" + probe + ",\"role\":\"worker\",\"phase\":\"preflight\",\"sections\":{\"hostname\":"
                + "{\"source\":\"hostname\",\"status\":\"ok\",\"exitCode\":0,\"output\":\"node-1\\n\"}}}";
        return READER.read(new java.io.ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "application/json", null);
    }

    @Test
    void directUploadsAreMeasured() {
        Instant arrived = Instant.parse("2026-12-02T03:02:01Z");
        ReportReader.Read read = read("{\"version\":\"0.1.0\",\"durationMs\":1000}");
        assertEquals(Duration.ofSeconds(120), UploadService.clockOffset(Origin.token(1, "t", "10.0.0.1", "direct"), read, arrived));
        assertEquals(Duration.ofSeconds(-1), UploadService.clockOffset(Origin.token(1, "t", "10.0.0.1", "direct"), read,
                Instant.parse("2026-12-02T03:00:00Z")), "negative: the node's clock is ahead");
    }

    @Test
    void spooledRetriedFileAndUnmarkedUploadsAreNot() {
        Instant arrived = Instant.parse("2026-12-02T03:02:01Z");
        ReportReader.Read read = read("{\"version\":\"0.1.0\",\"durationMs\":1000}");
        assertNull(UploadService.clockOffset(Origin.token(1, "t", null, "spooled"), read, arrived));
        assertNull(UploadService.clockOffset(Origin.token(1, "t", null, "retried"), read, arrived));
        assertNull(UploadService.clockOffset(Origin.token(1, "t", null, null), read, arrived));
        assertNull(UploadService.clockOffset(Origin.user("alice", null), read, arrived));
    }

    @Test
    void aMissingOrOddDurationMeansNoMeasurementNotARefusal() {
        Origin direct = Origin.token(1, "t", null, "direct");
        Instant arrived = Instant.parse("2026-12-02T03:02:01Z");
        assertNull(UploadService.clockOffset(direct, read("{\"version\":\"0.1.0\"}"), arrived));
        assertNull(UploadService.clockOffset(direct, read("{\"version\":\"0.1.0\",\"durationMs\":-5}"), arrived));
        assertNull(UploadService.clockOffset(direct, read("{\"version\":\"0.1.0\",\"durationMs\":\"soon\"}"), arrived));
    }
}
