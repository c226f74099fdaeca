package io.netready.readiness;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.netready.rules.Finding;

/** The waivers of one cluster in force at a moment, and what they make of findings. */
public record WaiversInForce(List<WaiverInForce> waivers, Instant now) {

    public static final WaiversInForce NONE = new WaiversInForce(List.of(), Instant.EPOCH);

    /** The findings with the problems that a waiver covers marked as waived. */
    public List<Finding> apply(List<Finding> findings, long nodeId) {
        return findings.stream().map(f -> !f.isFailOrWarn() ? f : covering(nodeId, f.rule())
                .map(w -> f.waived(new Finding.Waived(w.id(), w.reason(), w.expiresAt(), w.createdBy(), w.nodeId() == null)))
                .orElse(f)).toList();
    }

    /** The waiver in force that covers this node's rule, if any. */
    public Optional<WaiverInForce> covering(long nodeId, String rule) {
        return waivers.stream().filter(w -> w.covers(nodeId, rule, now)).findFirst();
    }
}
