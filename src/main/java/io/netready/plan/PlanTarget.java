package io.netready.plan;

import java.util.List;

/**
 * A peer the node tries: the peer's hostname, the node IP it reported as its own, its role, and the catalog ports it
 * must be reachable on.
 */
public record PlanTarget(String node, String address, String role, List<PlanPort> ports) {
}
