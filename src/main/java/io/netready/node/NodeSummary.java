package io.netready.node;

import java.time.Instant;

/** A node as lists show it: who it is and its latest report. */
public record NodeSummary(long id, String hostname, String role, String machineId, Instant firstSeen, Instant lastSeen,
        Long lastReportId, String lastPhase, String verdict) {
}
