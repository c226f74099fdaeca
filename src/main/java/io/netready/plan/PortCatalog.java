package io.netready.plan;

import java.util.List;

import io.netready.rules.ReachabilityPorts;

/**
 * The only ports a plan ever names ({@link ReachabilityPorts}, which {@code node-reachability} judges by), in the
 * plan's JSON form: a plan is built from this catalog and the peers' own node IPs, never from a request or a report.
 */
final class PortCatalog {

    static final int MAX_CONNECTS = ReachabilityPorts.MAX_CONNECTS;

    /** Ports a worker is tried on. */
    static final int WORKER_PORTS = 2;

    static final List<PlanPort> UNTESTED = json(ReachabilityPorts.UNTESTED);

    private PortCatalog() {
    }

    static List<PlanPort> controlPlane(boolean fromControlPlane) {
        return json(ReachabilityPorts.controlPlane(fromControlPlane));
    }

    static List<PlanPort> worker(String hostname) {
        return json(ReachabilityPorts.worker(hostname));
    }

    private static List<PlanPort> json(List<ReachabilityPorts.Port> ports) {
        return ports.stream().map(p -> new PlanPort(p.port(), p.protocol(), p.why())).toList();
    }
}
