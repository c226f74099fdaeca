#!/bin/bash
# capture-bench-reports.sh - real probe reports of realistic kubeadm nodes, for the benchmarks.
#
# Usage (as root):  bash src/test/probe/capture-bench-reports.sh [--runs N]
#
# Builds a small flannel (host-gw) cluster in network namespaces and runs the REAL probe from
# src/main/resources/probe there with --output, each run in its own mount + UTS namespace (overlays
# on /etc, /opt and /var/lib, so the real files are never written). Writes, replacing them, to
# src/test/resources/bench-reports/:
#   typical-control-plane.json  node cp 10.213.60.11, pod subnet 10.244.0.0/24, role control-plane
#   typical-worker.json         node w1 10.213.60.12, pod subnet 10.244.1.0/24, role worker
#       both phase running, ~150 Services: kube-proxy-shaped iptables rules (~1650 in nat + filter,
#       made by gen_kube_proxy_rules.py, loaded with iptables-restore inside the node's namespace,
#       plus kube-proxy's IPv6 skeleton via ip6tables-restore); /etc/cni/net.d/10-flannel.conflist;
#       /opt/cni/bin = the plugins of /usr/lib/cni plus a stand-in "flannel" (see below); cni0
#       10.244.N.1/24 with veths to pod namespaces; routes to the 3 peers' pod subnets via the
#       peers' node IPs (w2 .13 and w3 .14 exist as namespaces too, so neighbours are real);
#       /var/lib/kubelet/config.yaml + kubeadm-flags.env as kubeadm writes them; listeners (copies
#       of python3 named like the components): sshd 22, containerd 127.0.0.1:39871, kubelet 10250 +
#       127.0.0.1:10248, kube-proxy 10256 + 127.0.0.1:10249; control plane also kube-apiserver
#       6443, etcd 2379/2380 (+127.0.0.1:2381), kube-controller-manager 127.0.0.1:10257,
#       kube-scheduler 127.0.0.1:10259; ip_forward=1, bridge-nf-call-iptables/ip6tables=1,
#       rp_filter 2 (Debian's default); hostname in /etc/hosts; nameserver = the node network's
#       gateway (10.213.60.1).
#   large-20k-iptables.json     node big 10.213.64.10/22 in a 1001-node cluster (pod CIDR
#       10.244.0.0/14, its subnet 10.247.232.0/24): like w1, but exactly 20000 iptables rules
#       (~1750 Services, ~5000 endpoints: kube-proxy is in "large cluster mode" there, so the
#       KUBE-SEP rules carry no comments, as on a real node) and 1000 routes to peer pod subnets.
#       The probe runs --runs times (default 5) there; the report kept is the median run's.
#   probe-timing.txt            wall time of those runs (median, min, max), machine, report size,
#       rule and route counts, and where the time goes (one more run under bash -x with
#       $EPOCHREALTIME timestamps, split by section: collecting vs. encoding).
# Afterwards check_bench_reports.py decodes the reports and checks the numbers.
#
# flannel's CNI plugin is not packaged for Debian (containernetworking-plugins dropped it in
# 1.1), so /opt/cni/bin/flannel is a small stand-in script; every other plugin is the real binary.
#
# What it creates, and removes again (also on failure, Ctrl-C or SIGTERM): network namespaces
# nrb-* (nodes, pods and a "hub" that plays the L2 switch and gateway), listener processes in
# them, a scratch dir /dev/shm/nrb-capture.*. Mounts exist only in the probe runs' private mount
# namespaces. Nothing is added to the root namespace. Leftovers of a SIGKILLed run are removed
# at the start. About 15 s (most of it the 6 probe runs on the large node).
# Needs: iproute2, iptables (nft), nftables, util-linux, busybox (ping), python3 (/usr/bin),
# containernetworking-plugins (/usr/lib/cni).
set -Eeuo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../../.." && pwd)
PROBE_SRC=$REPO/src/main/resources/probe/netready-probe.sh
OUT_DIR=${NETREADY_BENCH_OUT:-$REPO/src/test/resources/bench-reports}
GEN=$HERE/gen_kube_proxy_rules.py
BREAKDOWN=$HERE/probe_trace_breakdown.py
CHECKER=$HERE/check_bench_reports.py
PY=/usr/bin/python3
P=nrb-                                  # prefix of every namespace this script creates
CNI_SRC=/usr/lib/cni
BUSYBOX=/usr/bin/busybox
CLEAN_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
TARGET_MS=3000
LARGE_RULES=20000
LARGE_ROUTES=1000
RUNS=5

# ------------------------------------------------------------------ state and cleanup

S=                      # scratch dir
NSLIST=()               # namespaces created (full names)
PIDS=()                 # listener processes started
RUN_N=0
LINK_N=0

log() { printf 'capture: %s\n' "$*" >&2; }
die() { printf 'capture: ERROR: %s\n' "$*" >&2; exit 1; }

cleanup() {
    local pid ns
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    PIDS=()
    for ns in "${NSLIST[@]}"; do
        ip netns del "$ns" 2>/dev/null || log "could not delete namespace $ns"
    done
    NSLIST=()
}

on_exit() {
    local rc=$?
    trap - EXIT
    cleanup
    [ -n "$S" ] && rm -rf "$S"
    exit "$rc"
}

# remove leftovers of an earlier run that was killed with SIGKILL (only our own nrb-* namespaces;
# kill what still runs in them first) and scratch dirs
remove_leftovers() {
    local ns pid d
    for ns in $(ip netns list | awk '{print $1}'); do
        case $ns in
            "$P"*)
                log "removing leftover namespace $ns"
                for pid in $(ip netns pids "$ns" 2>/dev/null); do kill "$pid" 2>/dev/null || true; done
                ip netns del "$ns" || true
                ;;
        esac
    done
    for d in /dev/shm/nrb-capture.*; do
        [ -d "$d" ] || continue
        log "removing leftover scratch dir $d"
        rm -rf "$d"
    done
}

# ------------------------------------------------------------------ building blocks

ns_add() { # NAME: a namespace with lo up
    ip netns add "$P$1"
    NSLIST+=("$P$1")
    ip -n "$P$1" link set lo up
}

nx() { # NS ARGS...: ip in namespace NS
    local ns=$1
    shift
    ip -n "$P$ns" "$@"
}

nsctl() { # NS KEY=VALUE...
    local ns=$1 kv
    shift
    for kv in "$@"; do ip netns exec "$P$ns" sysctl -qw "$kv"; done
}

hexid() { od -An -tx1 -N"$1" /dev/urandom | tr -d ' \n'; }

# hub_bridge BRIDGE GW/PFX: the L2 segment (a bridge in the hub) with the gateway address on it
hub_bridge() {
    nx hub link add "$1" type bridge
    nx hub addr add "$2" dev "$1"
    nx hub link set "$1" up
}

# node_eth0 NODE ADDR/PFX GW BRIDGE: the node's eth0, a veth to BRIDGE in the hub, default via GW
node_eth0() {
    local hif
    LINK_N=$((LINK_N + 1))
    hif=h$LINK_N
    ns_add "$1"
    # Debian (systemd's 50-default.conf): loose reverse-path filtering on new interfaces
    nsctl "$1" net.ipv4.conf.default.rp_filter=2 net.ipv4.conf.lo.rp_filter=2
    nx hub link add "$hif" type veth peer name eth0 netns "$P$1"
    nx hub link set "$hif" master "$4"
    nx hub link set "$hif" up
    nx "$1" addr add "$2" dev eth0
    nx "$1" link set eth0 up
    nx "$1" route add default via "$3" dev eth0
}

# pods NODE PREFIX COUNT: cni0 PREFIX.1/24 and COUNT pod namespaces behind veths (host side
# veth<8 hex>, as the bridge plugin names them), pods PREFIX.2, PREFIX.3, ...
pods() {
    local node=$1 pfx=$2 n=$3 i pod hv
    nx "$node" link add cni0 type bridge
    nx "$node" addr add "$pfx.1/24" dev cni0
    nx "$node" link set cni0 up
    for ((i = 1; i <= n; i++)); do
        pod=$node-pod$i
        hv=veth$(hexid 4)
        ns_add "$pod"
        nx "$node" link add "$hv" type veth peer name eth0 netns "$P$pod"
        nx "$node" link set "$hv" master cni0
        nx "$node" link set "$hv" up
        nx "$pod" addr add "$pfx.$((i + 1))/24" dev eth0
        nx "$pod" link set eth0 up
        nx "$pod" route add default via "$pfx.1" dev eth0
    done
}

ping_from() { # NS ADDR...: one echo each (fills the neighbour tables)
    local ns=$1 a
    shift
    for a in "$@"; do
        ip netns exec "$P$ns" "$BUSYBOX" ping -c 1 -W 2 "$a" >/dev/null || die "ping $a from $ns failed"
    done
}

# The copy of python3 that plays kubelet, etcd, ...: ss shows the file name as the process.
LISTEN_PY='
import socket, sys, time
ready, keep = sys.argv[1], []
for spec in sys.argv[2:]:
    proto = "tcp"
    if spec.startswith("udp:"):
        proto, spec = "udp", spec[4:]
    addr, _, port = spec.rpartition(":")
    addr = addr.strip("[]") or "0.0.0.0"
    fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_STREAM if proto == "tcp" else socket.SOCK_DGRAM)
    if fam == socket.AF_INET6:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, int(port)))
    if proto == "tcp":
        s.listen(16)
    keep.append(s)
open(ready, "w").close()
time.sleep(3600)
'

# listen NODE PROCNAME SPEC...: a listener in NODE's namespace; SPEC = [ADDR:]PORT or
# udp:[ADDR:]PORT, ADDR "[::]" = dual-stack any. Returns when all sockets are bound.
listen() {
    local node=$1 name=$2 dir ready pid i
    shift 2
    dir=$S/bin/$name
    if [ ! -x "$dir/$name" ]; then
        mkdir -p "$dir"
        cp "$(readlink -f "$PY")" "$dir/$name"
    fi
    RUN_N=$((RUN_N + 1))
    ready=$S/ready.$RUN_N
    ip netns exec "$P$node" env -i "$dir/$name" -c "$LISTEN_PY" "$ready" "$@" \
        </dev/null >/dev/null 2>"$ready.err" &
    pid=$!
    PIDS+=("$pid")
    for ((i = 0; i < 100; i++)); do
        [ -e "$ready" ] && return 0
        kill -0 "$pid" 2>/dev/null || die "listener $name $* failed: $(cat "$ready.err")"
        sleep 0.05
    done
    die "listener $name $* not ready after 5 s"
}

# node_listeners NODE ROLE IP: what a kubeadm node runs (host network)
node_listeners() {
    listen "$1" sshd 0.0.0.0:22
    listen "$1" containerd 127.0.0.1:39871
    listen "$1" kubelet '[::]:10250' 127.0.0.1:10248
    listen "$1" kube-proxy '[::]:10256' 127.0.0.1:10249
    if [ "$2" = control-plane ]; then
        listen "$1" kube-apiserver '[::]:6443'
        listen "$1" etcd 127.0.0.1:2379 "$3:2379" "$3:2380" 127.0.0.1:2381
        listen "$1" kube-controller-manager 127.0.0.1:10257
        listen "$1" kube-scheduler 127.0.0.1:10259
    fi
}

# load_rules NODE GEN-ARGS...: the kube-proxy-shaped ruleset, loaded inside the node's namespace;
# the generator's counts land in $S/node/NODE/rules.stats
load_rules() {
    local node=$1 d=$S/node/$1
    shift
    mkdir -p "$d"
    "$PY" "$GEN" "$@" --ip6 "$d/rules6" --stats "$d/rules.stats" >"$d/rules4" 2>"$d/gen.log" ||
        die "rule generator failed: $(cat "$d/gen.log")"
    ip netns exec "$P$node" iptables-restore <"$d/rules4"
    ip netns exec "$P$node" ip6tables-restore <"$d/rules6"
    local loaded want
    loaded=$(ip netns exec "$P$node" iptables-save | grep -c '^-A ')
    want=$(sed -n 's/^rules_total=//p' "$d/rules.stats")
    [ "$loaded" = "$want" ] || die "$node: $loaded rules loaded, generated $want"
    log "  $node: $loaded iptables rules loaded ($(tr '\n' ' ' <"$d/gen.log"))"
}

# stage NODE HOSTNAME IP: the node's files for /etc, /opt and /var/lib (copied over overlays in
# each probe run): machine-id, hosts, resolv.conf, the CNI config and plugins, kubelet files
stage() {
    local node=$1 host=$2 ip=$3 st=$S/node/$1/stage b
    mkdir -p "$st/etc/cni/net.d" "$st/opt/cni/bin" "$st/var/lib/kubelet"
    printf '%s\n' "$(hexid 16)" >"$st/etc/machine-id"
    printf '127.0.0.1\tlocalhost\n%s\t%s\n\n::1\tlocalhost ip6-localhost ip6-loopback\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n' \
        "$ip" "$host" >"$st/etc/hosts"
    printf 'search lab.example\nnameserver %s\n' "$4" >"$st/etc/resolv.conf"
    cat >"$st/etc/cni/net.d/10-flannel.conflist" <<'EOF'
{
  "name": "cbr0",
  "cniVersion": "0.3.1",
  "plugins": [
    {
      "type": "flannel",
      "delegate": {
        "hairpinMode": true,
        "isDefaultGateway": true
      }
    },
    {
      "type": "portmap",
      "capabilities": {
        "portMappings": true
      }
    }
  ]
}
EOF
    for b in "$CNI_SRC"/*; do cp -p "$b" "$st/opt/cni/bin/"; done
    # stand-in: flannel-io/cni-plugin is not packaged for Debian
    cat >"$st/opt/cni/bin/flannel" <<'EOF'
#!/bin/sh
# stand-in for flannel's CNI plugin (not packaged for Debian); answers VERSION only
if [ "${CNI_COMMAND:-}" = VERSION ]; then
    printf '{"cniVersion":"1.0.0","supportedVersions":["0.1.0","0.2.0","0.3.0","0.3.1","0.4.0","1.0.0"]}\n'
    exit 0
fi
printf '{"cniVersion":"0.3.1","code":4,"msg":"netready test stand-in for the flannel plugin"}\n'
exit 1
EOF
    chmod 755 "$st/opt/cni/bin/flannel"
    cat >"$st/var/lib/kubelet/config.yaml" <<'EOF'
apiVersion: kubelet.config.k8s.io/v1beta1
authentication:
  anonymous:
    enabled: false
  webhook:
    cacheTTL: 0s
    enabled: true
  x509:
    clientCAFile: /etc/kubernetes/pki/ca.crt
authorization:
  mode: Webhook
  webhook:
    cacheAuthorizedTTL: 0s
    cacheUnauthorizedTTL: 0s
cgroupDriver: systemd
clusterDNS:
- 10.96.0.10
clusterDomain: cluster.local
containerRuntimeEndpoint: ""
cpuManagerReconcilePeriod: 0s
evictionPressureTransitionPeriod: 0s
fileCheckFrequency: 0s
healthzBindAddress: 127.0.0.1
healthzPort: 10248
httpCheckFrequency: 0s
imageMaximumGCAge: 0s
imageMinimumGCAge: 0s
kind: KubeletConfiguration
logging:
  flushFrequency: 0
  options:
    json:
      infoBufferSize: "0"
  verbosity: 0
memorySwap: {}
nodeStatusReportFrequency: 0s
nodeStatusUpdateFrequency: 0s
resolvConf: /etc/resolv.conf
rotateCertificates: true
runtimeRequestTimeout: 0s
shutdownGracePeriod: 0s
shutdownGracePeriodCriticalPods: 0s
staticPodPath: /etc/kubernetes/manifests
streamingConnectionIdleTimeout: 0s
syncFrequency: 0s
volumeStatsAggPeriod: 0s
EOF
    printf '%s\n' 'KUBELET_KUBEADM_ARGS="--container-runtime-endpoint=unix:///var/run/containerd/containerd.sock --pod-infra-container-image=registry.k8s.io/pause:3.9"' \
        >"$st/var/lib/kubelet/kubeadm-flags.env"
    printf '%s' "$host" >"$S/node/$node/hostname"
}

# node_sysctls NODE: what kubeadm's preflight wants (bridge-nf-call-* are 1 in a new namespace
# already; set anyway), rp_filter 2 on every interface as on Debian
node_sysctls() {
    local d
    nsctl "$1" net.ipv4.ip_forward=1 net.bridge.bridge-nf-call-iptables=1 \
        net.bridge.bridge-nf-call-ip6tables=1
    for d in $(ip netns exec "$P$1" sh -c 'ls /proc/sys/net/ipv4/conf'); do
        case $d in all) continue ;; esac
        nsctl "$1" "net.ipv4.conf.$d.rp_filter=2"
    done
}

# What runs inside the probe's private mount + UTS namespace, before the probe itself:
# copy-on-write overlays on /etc, /opt and /var/lib (upper dirs in the run dir), the node's
# staged files copied in, the hostname set; then the probe, timed (wall clock, ns).
# shellcheck disable=SC2016 # expanded by the inner sh
IN_NS='
set -eu
r=$NR_RUN
for d in etc opt var/lib; do
    mkdir -p "$r/ov/$d/u" "$r/ov/$d/w"
    mount -t overlay nrb-ov -o "lowerdir=/$d,upperdir=$r/ov/$d/u,workdir=$r/ov/$d/w" "/$d"
done
for d in etc opt var/lib; do
    cp -a --remove-destination "$NR_NODE/stage/$d/." "/$d/"
done
printf "%s" "$NR_HOSTNAME" >/proc/sys/kernel/hostname
rc=0
t0=$(date +%s%N)
"$@" || rc=$?
t1=$(date +%s%N)
echo $((t1 - t0)) >"$r/wall_ns"
exit $rc
'

# probe_run NODE ROLE [SHELL...]: one run of the real probe (--phase running) in NODE's namespace;
# sets RUN to its run dir (report.json, wall_ns, stderr). SHELL defaults to /bin/sh.
probe_run() {
    local node=$1 role=$2
    shift 2
    [ "$#" -gt 0 ] || set -- /bin/sh
    RUN_N=$((RUN_N + 1))
    RUN=$S/run/$RUN_N
    mkdir -p "$RUN"
    if ! ip netns exec "$P$node" unshare --uts --mount --propagation private \
        env -i PATH="$CLEAN_PATH" NR_RUN="$RUN" NR_NODE="$S/node/$node" \
        NR_HOSTNAME="$(cat "$S/node/$node/hostname")" \
        /bin/sh -c "$IN_NS" in-ns "$@" "$S/netready-probe.sh" --quiet --role "$role" \
        --phase running --output "$RUN/report.json" 2>"$RUN/stderr"; then
        tail -n 50 "$RUN/stderr" >&2
        die "probe run on $node failed"
    fi
    rm -rf "$RUN/ov"
}

ms() { awk -v ns="$1" 'BEGIN { printf "%.0f", ns / 1e6 }'; }

# ------------------------------------------------------------------ the nodes

build_typical() {
    log "typical cluster: hub, cp, w1, w2, w3"
    ns_add hub
    hub_bridge br0 10.213.60.1/24
    node_eth0 cp 10.213.60.11/24 10.213.60.1 br0
    node_eth0 w1 10.213.60.12/24 10.213.60.1 br0
    node_eth0 w2 10.213.60.13/24 10.213.60.1 br0
    node_eth0 w3 10.213.60.14/24 10.213.60.1 br0
    local n sub role peer m
    for n in cp:0:control-plane:10.213.60.11 w1:1:worker:10.213.60.12; do
        IFS=: read -r n sub role peer <<<"$n"
        pods "$n" "10.244.$sub" "$([ "$n" = cp ] && echo 3 || echo 5)"
        # flannel host-gw: each peer's pod subnet via the peer's node IP
        for m in 0:11 1:12 2:13 3:14; do
            [ "${m%%:*}" = "$sub" ] && continue
            nx "$n" route add "10.244.${m%%:*}.0/24" via "10.213.60.${m#*:}" dev eth0
        done
        node_sysctls "$n"
        load_rules "$n" --services 150 --pod-subnet "10.244.$sub.0/24" --api-endpoint 10.213.60.11:6443
        stage "$n" "$([ "$n" = cp ] && echo k8s-cp-01 || echo k8s-worker-01)" "$peer" 10.213.60.1
        node_listeners "$n" "$role" "$peer"
        ping_from "$n" 10.213.60.1 10.213.60.11 10.213.60.12 10.213.60.13 10.213.60.14
    done
    for n in 1 2 3; do ping_from "cp-pod$n" 10.244.0.1; done
    for n in 1 2 3 4 5; do ping_from "w1-pod$n" 10.244.1.1; done
}

# large: node "big" = node 1000 of a 1001-node cluster on 10.213.64.0/22 (gateway .64.1); peer i
# (0..999) has node IP 10.213.64.0 + 20 + i and pod subnet 10.244.0.0/14 + i*256 (/24)
build_large() {
    log "large node: big"
    hub_bridge br1 10.213.64.1/22
    node_eth0 big 10.213.64.10/22 10.213.64.1 br1
    pods big 10.247.232 5
    local i sub gw
    for ((i = 0; i < LARGE_ROUTES; i++)); do
        sub=$((0x0af40000 + i * 256))     # 10.244.0.0 + i*256
        gw=$((0x0ad54000 + 20 + i))       # 10.213.64.0 + 20 + i
        printf 'route add %d.%d.%d.0/24 via %d.%d.%d.%d dev eth0\n' \
            $((sub >> 24)) $(((sub >> 16) & 255)) $(((sub >> 8) & 255)) \
            $((gw >> 24)) $(((gw >> 16) & 255)) $(((gw >> 8) & 255)) $((gw & 255))
    done >"$S/big-routes"
    ip -n "${P}big" -batch "$S/big-routes"
    node_sysctls big
    load_rules big --target-rules "$LARGE_RULES" --pod-cidr 10.244.0.0/14 \
        --pod-subnet 10.247.232.0/24 --endpoint-nodes 1000 --api-endpoint 10.213.64.20:6443
    stage big k8s-worker-1000 10.213.64.10 10.213.64.1
    node_listeners big worker 10.213.64.10
    ping_from big 10.213.64.1
    for i in 1 2 3 4 5; do ping_from "big-pod$i" 10.247.232.1; done
}

# ------------------------------------------------------------------ main

main() {
    while [ "$#" -gt 0 ]; do
        case $1 in
            --runs) RUNS=$2; shift ;;
            --runs=*) RUNS=${1#--runs=} ;;
            -h | --help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; return 0 ;;
            *) die "unknown argument $1" ;;
        esac
        shift
    done
    [[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "--runs needs a positive number"
    [ "$(id -u)" = 0 ] || die "needs root (network namespaces, mounts)"
    local c
    for c in ip unshare iptables-restore ip6tables-restore iptables-save nft "$BUSYBOX" "$PY" bash; do
        command -v "$c" >/dev/null || die "needs $c"
    done
    [ -x "$CNI_SRC/bridge" ] || die "needs $CNI_SRC (apt-get install containernetworking-plugins)"

    local start
    start=$(date +%s%N)
    trap on_exit EXIT
    trap 'log "failed at line $LINENO: $BASH_COMMAND"' ERR
    trap 'exit 130' INT
    trap 'exit 143' TERM
    remove_leftovers
    S=$(mktemp -d /dev/shm/nrb-capture.XXXXXX)
    chmod 755 "$S"
    cp "$PROBE_SRC" "$S/netready-probe.sh"
    mkdir -p "$S/out"

    build_typical
    probe_run cp control-plane
    cp "$RUN/report.json" "$S/out/typical-control-plane.json"
    log "  typical-control-plane.json: $(ms "$(cat "$RUN/wall_ns")") ms"
    probe_run w1 worker
    cp "$RUN/report.json" "$S/out/typical-worker.json"
    log "  typical-worker.json: $(ms "$(cat "$RUN/wall_ns")") ms"

    build_large
    local i runs=() load_before load_after
    load_before=$(cut -d' ' -f1-3 /proc/loadavg)
    for ((i = 1; i <= RUNS; i++)); do
        probe_run big worker
        runs+=("$(cat "$RUN/wall_ns") $RUN")
        log "  large run $i: $(ms "$(cat "$RUN/wall_ns")") ms"
    done
    load_after=$(cut -d' ' -f1-3 /proc/loadavg)
    local sorted median_run
    sorted=$(printf '%s\n' "${runs[@]}" | sort -n)
    median_run=$(sed -n "$(( (RUNS + 1) / 2 ))p" <<<"$sorted" | cut -d' ' -f2)
    cp "$median_run/report.json" "$S/out/large-20k-iptables.json"
    # one more run under bash -x with timestamps: where the time goes
    # shellcheck disable=SC2016 # expanded by the traced bash
    probe_run big worker /bin/bash -c 'PS4="+\${EPOCHREALTIME} "; set -x; . "$0" "$@"'
    local traced_ms
    traced_ms=$(ms "$(cat "$RUN/wall_ns")")
    "$PY" "$BREAKDOWN" "$RUN/stderr" >"$S/breakdown.txt" || die "trace breakdown failed"

    write_timing "$sorted" "$median_run" "$load_before" "$load_after" "$traced_ms" >"$S/out/probe-timing.txt"

    cleanup
    mkdir -p "$(dirname "$OUT_DIR")"
    rm -rf "$OUT_DIR"
    cp -r "$S/out" "$OUT_DIR"
    log "captured in $(( ($(date +%s%N) - start) / 1000000 )) ms"
    stat -c '  %10s  %n' "$OUT_DIR"/* | sed "s|$OUT_DIR/||"
    "$PY" "$CHECKER" "$OUT_DIR"
}

# write_timing SORTED-RUNS MEDIAN-RUN-DIR LOAD-BEFORE LOAD-AFTER TRACED-MS: probe-timing.txt
write_timing() {
    local sorted=$1 t n min max med report
    report=$S/out/large-20k-iptables.json
    n=$(wc -l <<<"$sorted")
    min=$(head -n 1 <<<"$sorted" | cut -d' ' -f1)
    max=$(tail -n 1 <<<"$sorted" | cut -d' ' -f1)
    med=$(sed -n "$(( (n + 1) / 2 ))p" <<<"$sorted" | cut -d' ' -f1)
    printf '# netready probe timing on the large node (written by src/test/probe/capture-bench-reports.sh)\n'
    printf 'date: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
    printf 'machine: %s, %s, %s CPUs, %s MiB RAM\n' "$(uname -srm)" \
        "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)" "$(nproc)" \
        "$(awk '/^MemTotal/ { printf "%d", $2 / 1024 }' /proc/meminfo)"
    # shellcheck disable=SC1091 # the machine's own file
    printf 'os: %s; iptables %s; iproute2 %s\n' "$(. /etc/os-release && echo "$PRETTY_NAME")" \
        "$(iptables --version | awk '{ print $2, $3 }')" "$(ip -V | sed -n 's/.*iproute2-\([^ ,]*\).*/\1/p')"
    printf 'load average (1/5/15 min) before / after the runs: %s / %s\n' "$3" "$4"
    printf 'shell: /bin/sh -> %s; probe %s\n' "$(readlink -f /bin/sh)" \
        "$(sed -n 's/^PROBE_VERSION="\(.*\)"/\1/p' "$PROBE_SRC")"
    printf 'what is timed: the probe alone (/bin/sh netready-probe.sh --quiet --role worker --phase running --output FILE),\n'
    printf '  inside the node namespace and its private mount namespace, from start to exit\n'
    printf 'runs: %d\n' "$n"
    printf 'wall ms (sorted): %s\n' "$(while read -r t _; do printf '%s ' "$(ms "$t")"; done <<<"$sorted")"
    printf 'median ms: %s\n' "$(ms "$med")"
    printf 'min ms: %s\n' "$(ms "$min")"
    printf 'max ms: %s\n' "$(ms "$max")"
    printf 'target ms: %d (met: %s)\n' "$TARGET_MS" "$([ "$(ms "$med")" -lt "$TARGET_MS" ] && echo yes || echo NO)"
    printf 'kept report: the median run; its durationMs: %s\n' \
        "$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["probe"]["durationMs"])' "$report")"
    printf 'report bytes: %d\n' "$(stat -c %s "$report")"
    "$PY" "$CHECKER" --counts "$report"
    printf 'generator: %s\n' "$(tr '\n' ' ' <"$S/node/big/rules.stats")"
    # shellcheck disable=SC2016 # a literal $EPOCHREALTIME
    printf '\n# where the time goes: one more run under bash -x (PS4 with $EPOCHREALTIME), %s ms wall\n' "$5"
    printf '# (bash and the tracing are slower than dash; the split is what matters)\n'
    cat "$S/breakdown.txt"
}

main "$@"
