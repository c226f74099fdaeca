package io.netready.rules;

import java.util.List;

/** The outcome of one rule for one node: status, why, the evidence that decided it and, for warn and fail, the fix. */
public record Finding(String rule, Scope scope, Status status, Severity severity, String message, List<Evidence> evidence,
        Remediation remediation) {

    /** Whether this finding counts against the node's readiness. */
    public boolean isProblem() {
        return status == Status.FAIL || status == Status.WARN;
    }
}
