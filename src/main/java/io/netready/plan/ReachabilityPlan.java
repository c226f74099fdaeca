package io.netready.plan;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What {@code GET /api/v1/plan} answers ({@code netready.plan/v1}): the peers one node tries to connect to in this
 * run, at most {@code maxConnects} ports in all, each bounded by {@code connectTimeoutMs}; and the ports the plan does
 * not try, with the reason.
 */
public record ReachabilityPlan(String format, String cluster, String node, Instant generatedAt, int maxConnects,
        int connectTimeoutMs, List<PlanTarget> targets, List<PlanPort> untested,
        @JsonInclude(JsonInclude.Include.NON_NULL) Withheld withheld) {

    public static final String FORMAT = "netready.plan/v1";

    /** Peers this plan would have named but whose address the portal cannot vouch for, and why. */
    public record Withheld(int peers, String why) {

        static final String WHY = "their node IP is neither the address they uploaded from nor inside the cluster's node "
                + "networks (settings): a node's own word cannot send its peers anywhere";
    }
}
