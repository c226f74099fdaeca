package io.netready.rules.node;

import java.util.LinkedHashMap;
import java.util.Map;

import io.netready.facts.PortRange;
import io.netready.reportformat.Role;

/** The TCP ports Kubernetes components listen on, by node role, and the process expected on each. */
final class Ports {

    static final PortRange NODE_PORTS = new PortRange(30000, 32767);

    private Ports() {
    }

    /** Port to expected process name prefix (ss shows the comm name, cut at 15 characters). */
    static Map<Integer, String> required(Role role) {
        Map<Integer, String> ports = new LinkedHashMap<>();
        if (role == Role.CONTROL_PLANE) {
            ports.put(6443, "kube-apiserver");
            ports.put(2379, "etcd");
            ports.put(2380, "etcd");
            ports.put(10250, "kubelet");
            ports.put(10257, "kube-controller");
            ports.put(10259, "kube-scheduler");
        } else {
            ports.put(10250, "kubelet");
        }
        return ports;
    }
}
