package io.netready.rules;

import java.util.Collection;

/** A node's overall readiness from its findings. */
public final class Verdict {

    public static final String READY = "ready";
    public static final String WARNING = "warning";
    public static final String NOT_READY = "not-ready";
    public static final String UNKNOWN = "unknown";

    private Verdict() {
    }

    /**
     * not-ready if an error-severity rule fails; warning if a rule warns or a warning-severity rule fails; else ready.
     * Waived findings do not count.
     */
    public static String of(Collection<Finding> findings) {
        boolean warning = false;
        for (Finding finding : findings) {
            if (!finding.isProblem()) {
                continue;
            }
            if (finding.status() == Status.FAIL && finding.severity() == Severity.ERROR) {
                return NOT_READY;
            }
            warning = true;
        }
        return warning ? WARNING : READY;
    }
}
