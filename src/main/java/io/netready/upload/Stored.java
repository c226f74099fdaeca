package io.netready.upload;

import java.time.Instant;
import java.util.List;

import io.netready.rules.Finding;
import io.netready.rules.Verdict;

/**
 * An upload's outcome: the stored report's id, its node, its verdict and findings, and whether the report had been
 * stored before (then nothing new was written).
 */
public record Stored(long reportId, long nodeId, String hostname, Instant receivedAt, Verdict verdict,
        List<Finding> findings, boolean duplicate) {

    Stored withFindings(List<Finding> stored) {
        return new Stored(reportId, nodeId, hostname, receivedAt, verdict, stored, duplicate);
    }
}
