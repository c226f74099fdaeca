package io.netready.rules;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The outcome of one rule for one node: status, why, the evidence that decided it and, for warn and fail, the fix.
 * {@code waiver} is set when an admin accepted this finding; a waived finding does not count against the verdict.
 */
public record Finding(String rule, Scope scope, Status status, Severity severity, String message, List<Evidence> evidence,
        Remediation remediation, @JsonInclude(JsonInclude.Include.NON_NULL) Waived waiver) {

    /** Who accepted a finding, why, and until when. */
    public record Waived(long id, String reason, Instant expiresAt, String by, boolean wholeCluster) {
    }

    public Finding(String rule, Scope scope, Status status, Severity severity, String message, List<Evidence> evidence,
            Remediation remediation) {
        this(rule, scope, status, severity, message, evidence, remediation, null);
    }

    /** Whether this finding is a problem: a fail or warn that nobody waived. */
    @JsonIgnore
    public boolean isProblem() {
        return (status == Status.FAIL || status == Status.WARN) && waiver == null;
    }

    /** Whether the status is fail or warn, waived or not. */
    @JsonIgnore
    public boolean isFailOrWarn() {
        return status == Status.FAIL || status == Status.WARN;
    }

    public Finding waived(Waived by) {
        return new Finding(rule, scope, status, severity, message, evidence, remediation, by);
    }

    /** The status as pages show it: a waived fail or warn reads "waived". */
    @JsonIgnore
    public String shownStatus() {
        return waiver != null && isFailOrWarn() ? "waived" : status.word();
    }
}
