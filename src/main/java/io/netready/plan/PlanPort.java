package io.netready.plan;

/** One port of a plan: what to try (or, under untested, what is not tried) and why the cluster needs it. */
public record PlanPort(int port, String protocol, String why) {

    static PlanPort tcp(int port, String why) {
        return new PlanPort(port, "tcp", why);
    }

    static PlanPort udp(int port, String why) {
        return new PlanPort(port, "udp", why);
    }
}
