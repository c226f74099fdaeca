package io.netready.plan;

/** One port of a plan: what to try (or, under untested, what is not tried) and why the cluster needs it. */
public record PlanPort(int port, String protocol, String why) {
}
