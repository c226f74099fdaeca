package io.netready.support;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real test node: a network namespace joined to this host by a veth pair, with its own loopback, address,
 * default route, sysctls and firewall. Needs root. Closing it deletes the namespace.
 */
public final class Netns implements AutoCloseable {

    private static final AtomicInteger NEXT = new AtomicInteger((int) (ProcessHandle.current().pid() % 200) + 20);

    public final String name;
    public final String hostAddress;
    public final String nodeAddress;
    private final String hostVeth;

    private Netns(String name, int subnet) {
        this.name = name;
        this.hostAddress = "10.213." + subnet + ".1";
        this.nodeAddress = "10.213." + subnet + ".2";
        this.hostVeth = "nrh" + subnet;
    }

    /** Creates {@code nr-<label>-<n>} with eth0 = 10.213.n.2/24 and a default route via the host (10.213.n.1). */
    public static Netns create(String label) {
        int subnet = NEXT.getAndIncrement() % 250 + 1;
        Netns ns = new Netns("nr-" + label + "-" + subnet, subnet);
        Processes.run(List.of("ip", "netns", "del", ns.name));
        Processes.run(List.of("ip", "link", "del", ns.hostVeth));
        ip("netns", "add", ns.name);
        ip("link", "add", ns.hostVeth, "type", "veth", "peer", "name", "eth0", "netns", ns.name);
        ip("addr", "add", ns.hostAddress + "/24", "dev", ns.hostVeth);
        ip("link", "set", ns.hostVeth, "up");
        ns.exec("ip", "link", "set", "lo", "up").orFail("lo up");
        ns.exec("ip", "addr", "add", ns.nodeAddress + "/24", "dev", "eth0").orFail("address");
        ns.exec("ip", "link", "set", "eth0", "up").orFail("eth0 up");
        return ns;
    }

    public Netns withDefaultRoute() {
        exec("ip", "route", "add", "default", "via", hostAddress).orFail("default route");
        return this;
    }

    public Netns sysctl(String key, String value) {
        exec("sysctl", "-qw", key + "=" + value).orFail("sysctl " + key);
        return this;
    }

    /** Runs a command inside the namespace. */
    public Processes.Result exec(String... command) {
        List<String> full = new ArrayList<>(prefix());
        full.addAll(List.of(command));
        return Processes.run(full);
    }

    /** The command prefix that runs something in this namespace, under its own hostname when one is given. */
    public List<String> prefix() {
        return List.of("ip", "netns", "exec", name);
    }

    /**
     * Like {@link #prefix()}, in a UTS namespace of its own where the hostname is {@code hostname}; written to /proc so
     * that names the hostname command refuses (a test's hostile ones) work too.
     */
    public List<String> prefixWithHostname(String hostname) {
        return List.of("ip", "netns", "exec", name, "unshare", "--uts", "sh", "-c",
                "printf '%s' \"$0\" > /proc/sys/kernel/hostname && exec \"$@\"",
                hostname);
    }

    @Override
    public void close() {
        Processes.run(List.of("ip", "netns", "del", name));
        Processes.run(List.of("ip", "link", "del", hostVeth));
    }

    private static void ip(String... args) {
        List<String> command = new ArrayList<>();
        command.add("ip");
        command.addAll(List.of(args));
        Processes.run(command).orFail(String.join(" ", command));
    }
}
