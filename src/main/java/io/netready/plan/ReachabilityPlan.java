package io.netready.plan;

import java.time.Instant;
import java.util.List;

/**
 * What {@code GET /api/v1/plan} answers ({@code netready.plan/v1}): the peers one node tries to connect to in this
 * run, at most {@code maxConnects} ports in all, each bounded by {@code connectTimeoutMs}; and the ports the plan does
 * not try, with the reason.
 */
public record ReachabilityPlan(String format, String cluster, String node, Instant generatedAt, int maxConnects,
        int connectTimeoutMs, List<PlanTarget> targets, List<PlanPort> untested) {

    public static final String FORMAT = "netready.plan/v1";
}
