package io.netready.facts;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** firewalld's or ufw's state: whether it is active and which ports it lets in. */
public record HostFirewall(String name, boolean active, boolean acceptsAll, List<PortRange> openPorts, String evidence) {

    /** firewalld's predefined services for Kubernetes, by the ports they open. */
    private static final Map<String, List<PortRange>> FIREWALLD_SERVICES = Map.of(
            "kube-apiserver", List.of(PortRange.of(6443)),
            "kube-api", List.of(PortRange.of(6443)),
            "etcd-client", List.of(PortRange.of(2379)),
            "etcd-server", List.of(PortRange.of(2380)),
            "kubelet", List.of(PortRange.of(10250)),
            "kube-controller-manager", List.of(PortRange.of(10257)),
            "kube-scheduler", List.of(PortRange.of(10259)),
            "kube-nodeport-services", List.of(new PortRange(30000, 32767)),
            "kube-worker", List.of(PortRange.of(10250), new PortRange(30000, 32767)),
            "kube-control-plane", List.of(PortRange.of(6443), new PortRange(2379, 2380), PortRange.of(10250),
                    PortRange.of(10257), PortRange.of(10259)));

    public boolean opens(int port) {
        return acceptsAll || openPorts.stream().anyMatch(r -> r.contains(port));
    }

    /** {@code firewall-cmd --state} plus {@code firewall-cmd --list-all}. */
    static HostFirewall firewalld(String state, String zone) {
        boolean running = state.strip().equals("running");
        List<PortRange> open = new ArrayList<>();
        boolean acceptsAll = false;
        StringBuilder evidence = new StringBuilder("firewalld " + state.strip());
        for (String raw : zone == null ? new String[0] : zone.split("\n")) {
            String line = raw.strip();
            if (line.startsWith("target:")) {
                acceptsAll = line.contains("ACCEPT");
                evidence.append("; ").append(line);
            } else if (line.startsWith("ports:")) {
                evidence.append("; ").append(line);
                for (String spec : line.substring(6).strip().split("\\s+")) {
                    if (spec.endsWith("/tcp")) {
                        try {
                            open.add(PortRange.parse(spec.substring(0, spec.length() - 4)));
                        } catch (NumberFormatException e) {
                            // not a port
                        }
                    }
                }
            } else if (line.startsWith("services:")) {
                evidence.append("; ").append(line);
                for (String service : line.substring(9).strip().split("\\s+")) {
                    open.addAll(FIREWALLD_SERVICES.getOrDefault(service, List.of()));
                }
            }
        }
        return new HostFirewall("firewalld", running, acceptsAll, open, evidence.toString());
    }

    /** {@code ufw status verbose}. */
    static HostFirewall ufw(String status) {
        boolean active = false;
        boolean defaultAllow = false;
        List<PortRange> open = new ArrayList<>();
        StringBuilder evidence = new StringBuilder();
        for (String raw : status.split("\n")) {
            String line = raw.strip();
            String lower = line.toLowerCase(Locale.ROOT);
            if (lower.startsWith("status:")) {
                active = lower.contains("active") && !lower.contains("inactive");
                evidence.append(line);
            } else if (lower.startsWith("default:")) {
                defaultAllow = lower.contains("allow (incoming)");
                evidence.append("; ").append(line);
            } else if (lower.contains("allow")) {
                String spec = line.split("\\s+")[0];
                boolean tcp = spec.endsWith("/tcp") || !spec.contains("/");
                String ports = spec.replaceAll("/.*$", "");
                if (tcp && ports.matches("[0-9:,]+")) {
                    for (String part : ports.split(",")) {
                        open.add(PortRange.parse(part));
                    }
                }
            }
        }
        return new HostFirewall("ufw", active, defaultAllow, open, evidence.toString());
    }
}
