package io.netready.rules;

/** Where the rules come from, cited on the rules page. */
public final class Sources {

    public static final String PORTS = "Kubernetes documentation: Ports and Protocols — https://kubernetes.io/docs/reference/networking/ports-and-protocols/";
    public static final String KUBEADM_INSTALL = "Kubernetes documentation: Installing kubeadm, Before you begin — https://kubernetes.io/docs/setup/production-environment/tools/kubeadm/install-kubeadm/";
    public static final String RUNTIME_PREREQS = "Kubernetes documentation: Container Runtimes, Network configuration — https://kubernetes.io/docs/setup/production-environment/container-runtimes/";
    public static final String KUBEADM_PREFLIGHT = "kubeadm preflight checks (cmd/kubeadm/app/preflight/checks.go) — https://github.com/kubernetes/kubernetes";
    public static final String DNS_DEBUG = "Kubernetes documentation: Debugging DNS Resolution, Known issues — https://kubernetes.io/docs/tasks/administer-cluster/dns-debugging-resolution/";
    public static final String CNI_SPEC = "CNI specification, Network configuration lists — https://www.cni.dev/docs/spec/";
    public static final String NETWORK_MODEL = "Kubernetes documentation: Cluster Networking — https://kubernetes.io/docs/concepts/cluster-administration/networking/";
    public static final String SWAP = "Kubernetes documentation: Swap memory management — https://kubernetes.io/docs/concepts/cluster-administration/swap-memory-management/";
    public static final String DUAL_STACK = "Kubernetes documentation: IPv4/IPv6 dual-stack, Prerequisites and Configure IPv4/IPv6 dual-stack — https://kubernetes.io/docs/concepts/services-networking/dual-stack/";
    public static final String KERNEL_IP_SYSCTL = "Linux kernel documentation: IP Sysctl, accept_ra and forwarding (\"Accept Router Advertisements even if forwarding is enabled\": accept_ra=2) — https://docs.kernel.org/networking/ip-sysctl.html";
    public static final String OVERLAY_MTU = "Calico documentation: Configure MTU to maximize network performance (VXLAN 50, IPIP 20, WireGuard 60/80 bytes) — https://docs.tigera.io/calico/latest/networking/configuring/mtu";
    public static final String DNS_LIMITS = "Kubernetes documentation: DNS for Services and Pods, DNS search domain list limits (32 domains, 2048 characters) — https://kubernetes.io/docs/concepts/services-networking/dns-pod-service/#dns-search-domain-list-limits";
    public static final String EXPANDED_DNS = "KEP-2595 Expanded DNS Configuration (GA in 1.28: from 6 search domains and 256 characters to 32 and 2048) — https://github.com/kubernetes/enhancements/tree/master/keps/sig-network/2595-expanded-dns-config";
    public static final String NOTES_REQUIREMENTS = "netready design notes: 쿠버네티스 네트워크 설정 — node requirements, ports, unique hostnames and MACs (shared/seeds/000)";
    public static final String NOTES_CLUSTER = "netready design notes: Kubernetes Cluster Network — checking MACs, listeners with netstat (shared/seeds/001)";
    public static final String NOTES_PORTS_IPTABLES = "netready design notes: 쿠버네티스 클러스터의 네트워크 기본 구성 — ports and iptables ACCEPT rules (shared/seeds/002)";
    public static final String NOTES_ROUTING = "netready design notes: Networking — ip route, IP forwarding, CNI (shared/seeds/003)";
    public static final String NOTES_SWITCHING = "netready design notes: switching and routing on Linux — routes to peer networks, ip_forward (shared/seeds/004)";

    public static final String GO_HTTPPROXY = "Go, golang.org/x/net/http/httpproxy: how the kubelet, kubeadm and the runtimes read HTTP_PROXY, HTTPS_PROXY and NO_PROXY (CIDRs, domain suffixes, *) — https://pkg.go.dev/golang.org/x/net/http/httpproxy";
    public static final String RUNTIME_PROXY = "Docker documentation: Configure the daemon to use a proxy (a systemd drop-in with Environment=, the same for containerd and CRI-O) — https://docs.docker.com/engine/daemon/proxy/";
    public static final String KUBEADM_IN_PATH = "kubeadm preflight InPath checks, cmd/kubeadm/app/preflight/checks_linux.go addExecChecks (v1.32 and later: ip, iptables, mount, nsenter errors; ethtool, socat, tc warnings; conntrack an error only for Kubernetes before 1.32) — https://github.com/kubernetes/kubernetes";
    public static final String TROUBLESHOOT_TIME = "Troubleshoot host collector and analyzer: time (NTP synchronisation) — https://troubleshoot.sh/docs/host-collect-analyze/time/";
    public static final String ETCD_CLOCK = "etcd: members warn of clock drift against a peer of more than 1 s (rafthttp prober, maxClockDrift) — https://github.com/etcd-io/etcd";

    private Sources() {
    }
}
