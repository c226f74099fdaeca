#!/bin/bash
# capture-rule-samples.sh - capture the readiness rules' sample reports with the REAL probe.
#
# Usage (as root):  bash src/test/probe/capture-rule-samples.sh [--list] [RULE-ID...]
#
# Every scenario is built for real in network namespaces (plus a private mount and UTS
# namespace for each probe run), the probe from src/main/resources/probe runs there with
# --output, and its report is converted (losslessly) to a text sample under
# src/test/resources/rule-samples/ (format and layout: that directory's README.md):
#   <rule-id>/<expected>-<slug>.txt           node-rule sample (one probe report)
#   <rule-id>/<expected>-<slug>.properties    optional sidecar (podCidr, serviceCidr, routingMode)
#   <rule-id>/<slug>/cluster.properties + <node>.txt   cluster-rule sample
# The converter is src/test/java/io/netready/support/RuleSampleFile.java, compiled with javac
# (JDK only, no Maven). It takes the expected status from the file name or, for a cluster
# sample, from the expect.properties written here (which it consumes); a sample that existed
# keeps its comment and its expect message/fix/notes. When the rules now say something else,
# RuleSamplesTest fails; ./mvnw test -Dtest=RuleSamplesTest -Drule-samples.update=true
# rewrites those entries.
# Without arguments every rule is captured; with rule ids only those. Each rule's directory is
# replaced as a whole (built in a scratch dir first), so re-running is idempotent. Afterwards
# check_rule_samples.py checks that every sample shows what its scenario intends.
#
# What it creates, and removes again (also on failure or Ctrl-C):
#   - network namespaces named nrs-* (node namespaces and "hub" namespaces that play the
#     host/gateway/switch side of each node's veth); nothing is added to the root namespace
#   - listener processes (a copy of the system python3 named kubelet, etcd, ...) inside them
#   - a scratch dir /dev/shm/nr-capture.*; the files a scenario puts into /etc, /opt,
#     /var/lib or /run live in overlayfs upper dirs there, mounted only inside the probe's
#     private mount namespace, so the real /etc is never written (/run is overlaid only for
#     a run that stages files there)
#   - swap-off: a 32 MiB swap file /var/tmp/nr.swap, swapped on for two runs (swapoff + rm)
#   - conntrack-capacity: the global net.netfilter.nf_conntrack_max (it is read-only inside
#     network namespaces) is set for one run and restored
#   - clock-sync: chronyd processes inside node namespaces, started with -x (they never set the
#     clock) and no NTP port, answering chronyc over the namespace's own loopback
# Needs: iproute2, iptables (nft + legacy), nftables, util-linux, dash, python3 (/usr/bin),
# containernetworking-plugins (/usr/lib/cni) for cni-config, a JDK 17 or later (javac, java);
# node-tools: conntrack, socat, ethtool (Debian packages of those names); clock-sync: chrony.
set -Eeuo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../../.." && pwd)
PROBE_SRC=$REPO/src/main/resources/probe/netready-probe.sh
SAMPLES=$REPO/src/test/resources/rule-samples
CHECKER=$HERE/check_rule_samples.py
CONVERTER_SRC=$REPO/src/test/java/io/netready/support/RuleSampleFile.java
P=${NR_CAPTURE_PREFIX:-nrs-}            # prefix of every namespace this script creates (several captures at once: give each its own)
SWAPFILE=/var/tmp/nr.swap
CNI_SRC=/usr/lib/cni
CLEAN_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
POD_CIDR=10.244.0.0/16
SVC_CIDR=10.96.0.0/12
DUAL_POD_CIDR=10.244.0.0/16,fd00:10:244::/56   # kubeadm's dual-stack form
DUAL_SVC_CIDR=10.96.0.0/12,fd00:10:96::/112

RULES=(interface-up default-route ip-forward bridge-netfilter kernel-modules hostname-valid
    required-ports nodeport-range firewall-ports iptables-mode dns-resolver dns-limits cni-config
    overlay-mtu swap-off rp-filter conntrack-capacity http-proxy node-tools clock-sync
    unique-hostname unique-mac unique-machine-id unique-product-uuid unique-node-ip cidr-overlap
    pod-cidr-routes mtu-consistent node-reachability)

# ------------------------------------------------------------------ state and cleanup

S=                      # scratch dir
NSLIST=()               # namespaces created (full names)
PIDS=()                 # listener processes started
RESTORE=()              # "key=old value" of global sysctls changed
SWAP_MADE=0
RUN_N=0
LINK_N=0
declare -A NODE_IP=()   # node -> its eth0 IPv4 (no prefix)
declare -A NODE_GW=()   # node -> its default gateway

log() { printf 'capture: %s\n' "$*" >&2; }
die() { printf 'capture: ERROR: %s\n' "$*" >&2; exit 1; }

# cleanup_scenario: undo everything a rule's scenarios created (safe to call repeatedly)
cleanup_scenario() {
    local pid ns i kv
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    PIDS=()
    for ns in "${NSLIST[@]}"; do
        # only our own listeners live there; anything left would keep nothing alive
        ip netns del "$ns" 2>/dev/null || log "could not delete namespace $ns"
    done
    NSLIST=()
    NODE_IP=()
    NODE_GW=()
    for ((i = ${#RESTORE[@]} - 1; i >= 0; i--)); do
        kv=${RESTORE[$i]}
        sysctl -qw "${kv%%=*}=${kv#*=}" || log "could not restore ${kv%%=*}"
    done
    RESTORE=()
    if [ "$SWAP_MADE" = 1 ]; then
        if grep -q "^$SWAPFILE " /proc/swaps; then
            swapoff "$SWAPFILE" || log "swapoff $SWAPFILE failed"
        fi
        rm -f "$SWAPFILE"
        SWAP_MADE=0
    fi
}

on_exit() {
    local rc=$?
    trap - EXIT
    cleanup_scenario
    [ -n "$S" ] && rm -rf "$S"
    exit "$rc"
}

# remove leftovers of an earlier run that was killed with SIGKILL
remove_leftovers() {
    local ns
    for ns in $(ip netns list | awk '{print $1}'); do
        case $ns in
            "$P"*) log "removing leftover namespace $ns"; ip netns del "$ns" || true ;;
        esac
    done
    if grep -q "^$SWAPFILE " /proc/swaps; then
        log "removing leftover swap $SWAPFILE"
        swapoff "$SWAPFILE" || true
    fi
    rm -f "$SWAPFILE"
}

# ------------------------------------------------------------------ building blocks

ns_add() { # NAME: a namespace with lo up
    ip netns add "$P$1"
    NSLIST+=("$P$1")
    ip -n "$P$1" link set lo up
}

ns_exists() {
    local ns
    for ns in "${NSLIST[@]}"; do [ "$ns" = "$P$1" ] && return 0; done
    return 1
}

nsctl() { # NODE KEY=VALUE...: set sysctls inside a node's namespace
    local node=$1 kv
    shift
    for kv in "$@"; do ip netns exec "$P$node" sysctl -qw "$kv"; done
}

global_sysctl() { # KEY VALUE: set a root-namespace sysctl, restored by cleanup_scenario
    local old
    old=$(sysctl -n "$1")
    RESTORE+=("$1=$old")
    sysctl -qw "$1=$2"
}

# link_node NODE ADDR/PFX GW HUB [br=BRIDGE] [mtu=N] [mac=MAC] [nodefault] [src]
# Gives NODE an "eth0": a veth whose other end (h<N>) is in namespace hub-HUB. The gateway
# address GW/PFX sits on that end, or on bridge BRIDGE in the hub when br= is given (nodes on
# one L2). Adds "default via GW" (with "src ADDR" when src is given) unless nodefault.
link_node() {
    local node=$1 addr=$2 gw=$3 hub=$4 o br='' mtu='' mac='' defroute=1 src=0 hif pfx
    shift 4
    for o; do
        case $o in
            br=*) br=${o#br=} ;;
            mtu=*) mtu=${o#mtu=} ;;
            mac=*) mac=${o#mac=} ;;
            nodefault) defroute=0 ;;
            src) src=1 ;;
            *) die "link_node: bad option $o" ;;
        esac
    done
    pfx=${addr#*/}
    ns_exists "hub-$hub" || ns_add "hub-$hub"
    LINK_N=$((LINK_N + 1))
    hif=h$LINK_N
    ip -n "${P}hub-$hub" link add "$hif" type veth peer name eth0 netns "$P$node"
    if [ -n "$mtu" ]; then
        ip -n "${P}hub-$hub" link set "$hif" mtu "$mtu"
        ip -n "$P$node" link set eth0 mtu "$mtu"
    fi
    [ -z "$mac" ] || ip -n "$P$node" link set eth0 address "$mac"
    if [ -n "$br" ]; then
        if ! ip -n "${P}hub-$hub" link show "$br" >/dev/null 2>&1; then
            ip -n "${P}hub-$hub" link add "$br" type bridge
            ip -n "${P}hub-$hub" addr add "$gw/$pfx" dev "$br"
            ip -n "${P}hub-$hub" link set "$br" up
        fi
        ip -n "${P}hub-$hub" link set "$hif" master "$br"
    else
        ip -n "${P}hub-$hub" addr add "$gw/$pfx" dev "$hif"
    fi
    ip -n "${P}hub-$hub" link set "$hif" up
    ip -n "$P$node" addr add "$addr" dev eth0
    ip -n "$P$node" link set eth0 up
    NODE_IP[$node]=${addr%/*}
    if [ "$defroute" = 1 ]; then
        if [ "$src" = 1 ]; then
            ip -n "$P$node" route add default via "$gw" dev eth0 src "${addr%/*}"
        else
            ip -n "$P$node" route add default via "$gw" dev eth0
        fi
        NODE_GW[$node]=$gw
    fi
}

# std_node NODE K: a healthy node: eth0 10.213.K.2/24, default via 10.213.K.1 (the hub),
# ip_forward=1, bridge-nf-call-iptables/ip6tables=1
std_node() {
    ns_add "$1"
    link_node "$1" "10.213.$2.2/24" "10.213.$2.1" nodes
    nsctl "$1" net.ipv4.ip_forward=1 net.bridge.bridge-nf-call-iptables=1 \
        net.bridge.bridge-nf-call-ip6tables=1
}

new_machine_id() {
    od -An -tx1 -N16 /dev/urandom | tr -d ' \n'
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

# listen NODE PROCNAME SPEC...: start a listener in NODE's namespace; SPEC = [ADDR:]PORT or
# udp:[ADDR:]PORT, ADDR "[::]" = dual-stack any. Returns when all sockets are bound.
listen() {
    local node=$1 name=$2 dir ready pid i
    shift 2
    dir=$S/bin/$name
    if [ ! -x "$dir/$name" ]; then
        mkdir -p "$dir"
        cp "$(readlink -f /usr/bin/python3)" "$dir/$name"
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

# The router advertisement the hub end of a node's link sends (python3 from the host, run inside
# the hub namespace): "I am a default router (lifetime 1800 s), and PREFIX/64 is on-link and
# for SLAAC" -- what a home or office router's radvd announces. The kernel fills the checksum.
RA_PY='
import socket, struct, sys, time
ifname, prefix = sys.argv[1], sys.argv[2]
idx = socket.if_nametoindex(ifname)
s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, 255)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_IF, idx)
ra = struct.pack("!BBHBBHII", 134, 0, 0, 64, 0, 1800, 0, 0)
pio = struct.pack("!BBBBIII", 3, 4, 64, 0xC0, 86400, 14400, 0) + socket.inet_pton(socket.AF_INET6, prefix)
for _ in range(3):
    s.sendto(ra + pio, ("ff02::1", 0, 0, idx))
    time.sleep(0.2)
'

# ll_ready NS DEV: wait until DEV's IPv6 link-local address has passed duplicate address detection
ll_ready() {
    local i
    for ((i = 0; i < 100; i++)); do
        if ip -n "$1" -6 addr show dev "$2" scope link | grep -q inet6 &&
            ! ip -n "$1" -6 addr show dev "$2" | grep -q tentative; then
            return 0
        fi
        sleep 0.05
    done
    die "no IPv6 link-local address on $2 in $1"
}

# send_ra NODE PREFIX: right after NODE's std_node, the hub end of its eth0 sends router
# advertisements for PREFIX/64; waits until NODE's eth0 has its SLAAC address (scope global
# dynamic, duplicate address detection done)
send_ra() {
    local node=$1 prefix=$2 hif=h$LINK_N i
    ll_ready "${P}hub-nodes" "$hif"
    ll_ready "$P$node" eth0
    ip netns exec "${P}hub-nodes" python3 -c "$RA_PY" "$hif" "$prefix"
    for ((i = 0; i < 100; i++)); do
        if ip -n "$P$node" -6 addr show dev eth0 scope global | grep -q dynamic &&
            ! ip -n "$P$node" -6 addr show dev eth0 | grep -q tentative; then
            return 0
        fi
        sleep 0.05
    done
    die "$node took no SLAAC address from the router advertisement for $prefix"
}

# What runs inside the probe's private mount + UTS namespace, before the probe itself:
# copy-on-write overlays on /etc, /opt and /var/lib (upper dirs in the scratch dir), and on
# /run where the run stages files there (flannel's /run/flannel/subnet.env; the overlay hides
# the mounts below /run inside this namespace only, so only such runs get it), the run's files
# copied in, /proc/sys/net/bridge hidden if asked, the hostname set.
# shellcheck disable=SC2016 # expanded by the inner sh
IN_NS='
set -eu
r=$NR_RUN
overlaid="etc opt var/lib"
# /run only where a scenario stages files there (timesyncd'"'"'s flag, flannel'"'"'s subnet.env)
if [ -d "$r/stage/run" ]; then overlaid="$overlaid run"; fi
for d in $overlaid; do
    mkdir -p "$r/ov/$d/u" "$r/ov/$d/w"
    mount -t overlay "nr-ov" -o "lowerdir=/$d,upperdir=$r/ov/$d/u,workdir=$r/ov/$d/w" "/$d"
done
cp "$r/machine-id" /etc/machine-id
cp "$r/hosts" /etc/hosts
if [ -f "$r/resolv.conf" ]; then cp "$r/resolv.conf" /etc/resolv.conf; fi
for d in $overlaid; do
    if [ -d "$r/stage/$d" ]; then cp -a "$r/stage/$d/." "/$d/"; fi
done
# commands to hide: a non-executable empty file bound over the program, so command -v finds nothing
for t in $NR_HIDE_TOOLS; do
    p=$(command -v "$t") || continue
    : >"$r/hidden"
    chmod 644 "$r/hidden"
    mount --bind "$r/hidden" "$(readlink -f "$p")"
done
if [ "$NR_HIDE_BRIDGE" = 1 ]; then mount -t tmpfs nr-hide /proc/sys/net/bridge; fi
# not hostname(1): Debian'"'"'s refuses names like Node_1, the kernel takes any
printf "%s" "$NR_HOSTNAME" >/proc/sys/kernel/hostname
exec "$@"
'

# probe_run NODE HOSTNAME SAMPLE-PATH [role=R] [phase=P] [hosts=listed|unlisted]
#           [resolv=FILE] [machine-id=ID] [stage=DIR] [hide-bridge] [hide=CMD,CMD]
#           [env=NAME=VALUE] [path=DIR] [plan=FILE]
# Runs the real probe in NODE's namespace (in a fresh mount + UTS namespace) with --output.
# Defaults: worker, preflight; /etc/hosts lists the hostname with the node's IPv4
# (127.0.1.1 without one); resolv.conf "nameserver <default gateway>" (the host's file when
# the node has no default route); a fresh machine-id. stage=DIR: DIR/{etc,opt,var/lib}
# are copied over those directories (DIR/run over /run). hide=: those commands are not found.
# env=: passed to the probe (a proxy of its shell). path=DIR: DIR first on the probe's PATH.
# plan=FILE: the probe tries the peers of this reachability plan (--plan), as it would the portal's.
probe_run() {
    local node=$1 host=$2 out=$3 o role=worker phase=preflight hosts=listed resolv='' mid='' stage=''
    local hide=0 run ip tools='' envs=() path=$CLEAN_PATH plan=()
    shift 3
    for o; do
        case $o in
            role=*) role=${o#role=} ;;
            phase=*) phase=${o#phase=} ;;
            hosts=*) hosts=${o#hosts=} ;;
            resolv=*) resolv=${o#resolv=} ;;
            machine-id=*) mid=${o#machine-id=} ;;
            stage=*) stage=${o#stage=} ;;
            hide-bridge) hide=1 ;;
            hide=*) tools=${o#hide=}; tools=${tools//,/ } ;;
            env=*) envs+=("${o#env=}") ;;
            path=*) path=${o#path=}:$CLEAN_PATH ;;
            plan=*) plan=(--plan "${o#plan=}") ;;
            *) die "probe_run: bad option $o" ;;
        esac
    done
    RUN_N=$((RUN_N + 1))
    run=$S/run/$RUN_N
    mkdir -p "$run"
    printf '%s\n' "${mid:-$(new_machine_id)}" >"$run/machine-id"
    ip=${NODE_IP[$node]:-127.0.1.1}
    {
        printf '127.0.0.1\tlocalhost\n'
        [ "$hosts" = unlisted ] || printf '%s\t%s\n' "$ip" "$host"
        printf '::1\tlocalhost ip6-localhost ip6-loopback\n'
    } >"$run/hosts"
    if [ -n "$resolv" ]; then
        cp "$resolv" "$run/resolv.conf"
    elif [ -n "${NODE_GW[$node]:-}" ]; then
        printf 'nameserver %s\n' "${NODE_GW[$node]}" >"$run/resolv.conf"
    fi
    [ -z "$stage" ] || cp -a "$stage" "$run/stage"
    if ! ip netns exec "$P$node" unshare --uts --mount --propagation private \
        env -i PATH="$path" NR_RUN="$run" NR_HOSTNAME="$host" NR_HIDE_BRIDGE="$hide" NR_HIDE_TOOLS="$tools" \
        ${envs[@]+"${envs[@]}"} \
        /bin/sh -c "$IN_NS" in-ns /bin/sh "$S/netready-probe.sh" --quiet --role "$role" \
        --phase "$phase" ${plan[@]+"${plan[@]}"} --output "$run/report.json" 2>"$run/stderr"; then
        cat "$run/stderr" >&2
        die "probe run for $out failed"
    fi
    mkdir -p "$(dirname "$out")"
    # what the portal measures at a direct upload: now minus the end of collection by the node's clock
    CLOCK_OFFSET_MS=$(python3 -c 'import json, sys, datetime
r = json.load(open(sys.argv[1]))
start = datetime.datetime.strptime(r["collectedAt"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc)
print(int(sys.argv[2]) - int(start.timestamp() * 1000) - r["probe"]["durationMs"])' "$run/report.json" "$(date +%s%3N)")
    cp "$run/report.json" "$out"
    log "  $(printf '%-58s' "${out#"$S"/out/}") host=$host $role/$phase"
}

# ------------------------------------------------------------------ rule bookkeeping

CUR_RULE=
OUT=

begin_rule() {
    CUR_RULE=$1
    OUT=$S/out/$1
    rm -rf "$OUT"
    mkdir -p "$OUT"
    log "$1"
}

end_rule() {
    cleanup_scenario
    mkdir -p "$SAMPLES"
    # JSON -> text, keeping what the previous samples of this rule said (comment, expect entries)
    java -cp "$S/converter" io.netready.support.RuleSampleFile --previous "$SAMPLES" "$S/out" "$CUR_RULE"
    rm -rf "${SAMPLES:?}/$CUR_RULE"
    cp -r "$OUT" "$SAMPLES/$CUR_RULE"
}

props() { # FILE KEY=VALUE...
    local f=$1
    shift
    mkdir -p "$(dirname "$f")"
    printf '%s\n' "$@" >"$f"
}

cluster_props() { # DIR ROUTING-MODE [POD-CIDR [SVC-CIDR]]
    props "$1/cluster.properties" "podCidr=${3:-$POD_CIDR}" "serviceCidr=${4:-$SVC_CIDR}" \
        "routingMode=$2"
}

# ------------------------------------------------------------------ node rules

# clock_props FILE: the sidecar with the clock offset measured for the last probe run (as at a direct upload)
clock_props() {
    props "$1" "clockOffsetMs=$CLOCK_OFFSET_MS"
}

rule_interface_up() {
    begin_rule interface-up
    std_node up 10
    probe_run up w-ifup-pass "$OUT/pass-eth0-up.json"
    # eth0 keeps its address but is administratively down (its routes go with it)
    std_node down 11
    ip -n "${P}down" link set eth0 down
    probe_run down w-ifup-down "$OUT/fail-eth0-down.json"
    # nothing but lo
    ns_add loonly
    probe_run loonly w-ifup-lo-only "$OUT/fail-only-lo.json"
    end_rule
}

rule_default_route() {
    begin_rule default-route
    std_node gw 10
    probe_run gw w-defroute-pass "$OUT/pass-default-via-gateway.json"
    ns_add nogw
    link_node nogw 10.213.11.2/24 10.213.11.1 nodes nodefault
    nsctl nogw net.ipv4.ip_forward=1
    probe_run nogw w-defroute-fail "$OUT/fail-no-default-route.json"
    # dual-stack cluster: an IPv4 and an IPv6 default route
    std_node ds6 12
    ip -n "${P}hub-nodes" -6 addr add 2001:db8:0:12::1/64 dev "h$LINK_N" nodad
    ip -n "${P}ds6" -6 addr add 2001:db8:0:12::10/64 dev eth0 nodad
    ip -n "${P}ds6" -6 route add default via 2001:db8:0:12::1 dev eth0
    probe_run ds6 w-defroute-ds "$OUT/pass-dual-stack-both-default-routes.json"
    props "$OUT/pass-dual-stack-both-default-routes.properties" "podCidr=$DUAL_POD_CIDR" \
        "serviceCidr=$DUAL_SVC_CIDR"
    # no cluster settings; the CNI's host-local ranges hand out IPv4 and IPv6 addresses
    # (dual-stack) and the kubelet's clusterDNS is IPv6; the node has an IPv6 address but no
    # IPv6 default route
    std_node ds4 13
    ip -n "${P}hub-nodes" -6 addr add 2001:db8:0:13::1/64 dev "h$LINK_N" nodad
    ip -n "${P}ds4" -6 addr add 2001:db8:0:13::10/64 dev eth0 nodad
    stage_cni "$S/stage-ds4" dualstack
    mkdir -p "$S/stage-ds4/var/lib/kubelet"
    printf '%s\n' 'apiVersion: kubelet.config.k8s.io/v1beta1' 'kind: KubeletConfiguration' \
        'cgroupDriver: systemd' 'clusterDNS:' '- fd00:10:96::a' 'clusterDomain: cluster.local' \
        >"$S/stage-ds4/var/lib/kubelet/config.yaml"
    probe_run ds4 w-defroute-ds-nov6 "$OUT/fail-dual-stack-no-ipv6-default-route.json" phase=running \
        stage="$S/stage-ds4"
    end_rule
}

rule_ip_forward() {
    begin_rule ip-forward
    std_node f1 10
    probe_run f1 w-ipfwd-pass "$OUT/pass-ipv4-forwarding-on.json"
    std_node f0 11
    nsctl f0 net.ipv4.ip_forward=0
    probe_run f0 w-ipfwd-fail "$OUT/fail-ipv4-forwarding-off.json"
    # the real host of issue 13: a ULA address from router advertisements (SLAAC), IPv6
    # forwarding off, an IPv4-only cluster
    std_node ula 12
    send_ra ula fd00:0:0:12::
    probe_run ula w-ipfwd-ula "$OUT/pass-ula-ipv4-cluster.json"
    props "$OUT/pass-ula-ipv4-cluster.properties" "podCidr=$POD_CIDR" "serviceCidr=$SVC_CIDR"
    # a static global IPv6 address and an IPv6 default route, no cluster settings: still IPv4 only
    std_node g6 13
    ip -n "${P}hub-nodes" -6 addr add 2001:db8:0:13::1/64 dev "h$LINK_N" nodad
    ip -n "${P}g6" -6 addr add 2001:db8:0:13::10/64 dev eth0 nodad
    ip -n "${P}g6" -6 route add default via 2001:db8:0:13::1 dev eth0
    probe_run g6 w-ipfwd-global6 "$OUT/pass-global-ipv6-ipv4-cluster.json"
    # dual-stack cluster (kubeadm's "v4,v6" CIDRs), SLAAC on eth0, IPv6 forwarding off
    std_node ds0 14
    send_ra ds0 2001:db8:0:14::
    probe_run ds0 w-ipfwd6-fail "$OUT/fail-ipv6-forwarding-off.json"
    props "$OUT/fail-ipv6-forwarding-off.properties" "podCidr=$DUAL_POD_CIDR" "serviceCidr=$DUAL_SVC_CIDR"
    # dual-stack, forwarding on and accept_ra=2: the RA still gives eth0 its address and route
    std_node ds1 15
    nsctl ds1 net.ipv6.conf.eth0.accept_ra=2 net.ipv6.conf.all.forwarding=1
    send_ra ds1 2001:db8:0:15::
    probe_run ds1 w-ipfwd6-pass "$OUT/pass-ipv6-forwarding-on.json"
    props "$OUT/pass-ipv6-forwarding-on.properties" "podCidr=$DUAL_POD_CIDR" "serviceCidr=$DUAL_SVC_CIDR"
    # dual-stack, SLAAC first, then forwarding turned on with accept_ra=1: the kernel drops
    # the RA default route at once and ignores the next advertisements
    std_node ds2 16
    send_ra ds2 2001:db8:0:16::
    nsctl ds2 net.ipv6.conf.all.forwarding=1
    probe_run ds2 w-ipfwd6-ra "$OUT/warn-forwarding-ignores-router-advertisements.json"
    props "$OUT/warn-forwarding-ignores-router-advertisements.properties" "podCidr=$DUAL_POD_CIDR" \
        "serviceCidr=$DUAL_SVC_CIDR"
    # no cluster settings, but kubeadm gave the kubelet an IPv6 --node-ip too; static addresses
    std_node kip 17
    ip -n "${P}hub-nodes" -6 addr add 2001:db8:0:17::1/64 dev "h$LINK_N" nodad
    ip -n "${P}kip" -6 addr add 2001:db8:0:17::10/64 dev eth0 nodad
    ip -n "${P}kip" -6 route add default via 2001:db8:0:17::1 dev eth0
    mkdir -p "$S/stage-kip/var/lib/kubelet"
    printf '%s\n' 'KUBELET_KUBEADM_ARGS="--container-runtime-endpoint=unix:///var/run/containerd/containerd.sock --node-ip=10.213.17.2,2001:db8:0:17::10 --pod-infra-container-image=registry.k8s.io/pause:3.10"' \
        >"$S/stage-kip/var/lib/kubelet/kubeadm-flags.env"
    probe_run kip w-ipfwd6-nodeip "$OUT/fail-ipv6-from-kubelet-node-ip.json" phase=running stage="$S/stage-kip"
    end_rule
}

# stage_calico DIR: /etc/cni/net.d/10-calico.conflist as Calico's installer writes it
stage_calico() {
    mkdir -p "$1/etc/cni/net.d"
    cat >"$1/etc/cni/net.d/10-calico.conflist" <<'EOF'
{
  "name": "k8s-pod-network",
  "cniVersion": "0.3.1",
  "plugins": [
    {
      "type": "calico",
      "log_level": "info",
      "datastore_type": "kubernetes",
      "mtu": 0,
      "ipam": { "type": "calico-ipam" },
      "policy": { "type": "k8s" },
      "kubernetes": { "kubeconfig": "/etc/cni/net.d/calico-kubeconfig" }
    },
    { "type": "portmap", "snat": true, "capabilities": { "portMappings": true } },
    { "type": "bandwidth", "capabilities": { "bandwidth": true } }
  ]
}
EOF
}

rule_bridge_netfilter() {
    begin_rule bridge-netfilter
    std_node on 10
    probe_run on w-brnf-pass "$OUT/pass-bridge-nf-call-iptables-1.json"
    std_node off 11
    nsctl off net.bridge.bridge-nf-call-iptables=0 net.bridge.bridge-nf-call-ip6tables=0
    probe_run off w-brnf-fail "$OUT/fail-bridge-nf-call-iptables-0.json"
    std_node hidden 12
    probe_run hidden w-brnf-notloaded "$OUT/fail-not-loaded.json" hide-bridge
    std_node calico 13
    nsctl calico net.bridge.bridge-nf-call-iptables=0 net.bridge.bridge-nf-call-ip6tables=0
    stage_calico "$S/stage-calico"
    probe_run calico w-brnf-calico "$OUT/skip-calico.json" phase=running stage="$S/stage-calico"
    end_rule
}

rule_kernel_modules() {
    begin_rule kernel-modules
    std_node builtin 10
    probe_run builtin w-kmod-pass "$OUT/pass-built-in.json"
    std_node nobr 11
    probe_run nobr w-kmod-nobrnf "$OUT/fail-no-br-netfilter.json" hide-bridge
    end_rule
}

rule_hostname_valid() {
    begin_rule hostname-valid
    std_node ok 10
    probe_run ok w-hostname-pass "$OUT/pass-listed-in-hosts.json"
    std_node unlisted 11
    probe_run unlisted w-hostname-unlisted "$OUT/warn-not-in-hosts.json" hosts=unlisted
    std_node upper 12
    probe_run upper Node_1 "$OUT/fail-uppercase-underscore.json"
    std_node lh 13
    probe_run lh localhost "$OUT/fail-localhost.json"
    end_rule
}

rule_required_ports() {
    begin_rule required-ports
    std_node wpre 10
    probe_run wpre w-ports-pre-pass "$OUT/pass-worker-preflight.json"
    std_node wprebusy 11
    listen wprebusy python3 10250
    probe_run wprebusy w-ports-pre-fail "$OUT/fail-worker-preflight.json"
    std_node wrun 12
    listen wrun kubelet '[::]:10250'
    probe_run wrun w-ports-run-pass "$OUT/pass-worker-running.json" phase=running
    std_node wrunnone 13
    probe_run wrunnone w-ports-run-fail "$OUT/fail-worker-running.json" phase=running
    std_node cppre 14
    listen cppre haproxy 6443
    probe_run cppre cp-ports-pre-fail "$OUT/fail-controlplane-preflight.json" role=control-plane
    local n api
    for n in cprun cpnginx; do
        std_node "$n" "$([ "$n" = cprun ] && echo 15 || echo 16)"
        api=kube-apiserver
        [ "$n" = cpnginx ] && api=nginx
        listen "$n" "$api" '[::]:6443'
        listen "$n" etcd 127.0.0.1:2379 "${NODE_IP[$n]}:2379" "${NODE_IP[$n]}:2380"
        listen "$n" kubelet '[::]:10250'
        listen "$n" kube-controller-manager 127.0.0.1:10257
        listen "$n" kube-scheduler 127.0.0.1:10259
    done
    probe_run cprun cp-ports-run-pass "$OUT/pass-controlplane-running.json" \
        role=control-plane phase=running
    probe_run cpnginx cp-ports-run-nginx "$OUT/fail-controlplane-running-wrong-process.json" \
        role=control-plane phase=running
    end_rule
}

rule_nodeport_range() {
    begin_rule nodeport-range
    std_node free 10
    probe_run free w-nodeport-pass "$OUT/pass-nothing-listening.json"
    std_node kproxy 11
    listen kproxy kube-proxy 30080 udp:30081
    probe_run kproxy w-nodeport-kproxy "$OUT/pass-only-kube-proxy.json" phase=running
    std_node busy 12
    listen busy python3 30080
    probe_run busy w-nodeport-30080 "$OUT/fail-listener-30080.json"
    std_node lpr 13
    nsctl lpr 'net.ipv4.ip_local_port_range=20000 40000'
    probe_run lpr w-nodeport-lprange "$OUT/fail-local-port-range.json"
    end_rule
}

rule_firewall_ports() {
    begin_rule firewall-ports
    std_node none 10
    probe_run none w-fw-pass "$OUT/pass-no-rules.json"
    std_node drop 11
    ip netns exec "${P}drop" iptables -A INPUT -p tcp --dport 10250 -j DROP
    probe_run drop w-fw-drop "$OUT/fail-iptables-drop.json"
    std_node policy 12
    ip netns exec "${P}policy" iptables -A INPUT -p tcp --dport 22 -j ACCEPT
    ip netns exec "${P}policy" iptables -P INPUT DROP
    probe_run policy w-fw-policy "$OUT/fail-iptables-policy.json"
    std_node accepts 13
    ip netns exec "${P}accepts" iptables -A INPUT -p tcp --dport 22 -j ACCEPT
    ip netns exec "${P}accepts" iptables -A INPUT -p tcp --dport 10250 -j ACCEPT
    ip netns exec "${P}accepts" iptables -A INPUT -p tcp --dport 30000:32767 -j ACCEPT
    ip netns exec "${P}accepts" iptables -P INPUT DROP
    probe_run accepts w-fw-policy-accepts "$OUT/pass-iptables-policy-accepts.json"
    std_node nft 14
    ip netns exec "${P}nft" nft -f - <<'EOF'
table inet filter {
    chain input {
        type filter hook input priority filter; policy accept;
        tcp dport 6443 drop
    }
}
EOF
    probe_run nft cp-fw-nft "$OUT/fail-nft.json" role=control-plane
    std_node reject 15
    ip netns exec "${P}reject" iptables -A INPUT -p tcp --dport 2379 -j REJECT
    probe_run reject cp-fw-reject "$OUT/fail-iptables-reject.json" role=control-plane
    firewall_ports_semantics
    end_rule
}

# fw_restore NODE COMMAND...: load a ruleset from stdin into NODE's namespace (iptables-restore
# is the nf_tables backend here; iptables-legacy-restore; nft -f -)
fw_restore() {
    local node=$1
    shift
    ip netns exec "$P$node" "$@"
}

# The kinds of firewall semantics firewall-ports must get right (issue 13). Each scenario's
# answer is also decided by a real connection from a peer (FirewallSamplesAgreeWithKernelTest).
firewall_ports_semantics() {
    # kubeadm nodes up to ~1.26: the kubelet's KUBE-FIREWALL drops marked packets and martian
    # localnet traffic; a peer's SYN carries no mark and is for the node IP
    std_node kfw 16
    fw_restore kfw iptables-restore <<'EOF'
*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:KUBE-FIREWALL - [0:0]
-A INPUT -j KUBE-FIREWALL
-A OUTPUT -j KUBE-FIREWALL
-A KUBE-FIREWALL -m comment --comment "kubernetes firewall for dropping marked packets" -m mark --mark 0x8000/0x8000 -j DROP
-A KUBE-FIREWALL ! -s 127.0.0.0/8 -d 127.0.0.0/8 -m comment --comment "block incoming localnet connections" -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP
COMMIT
EOF
    probe_run kfw w-fw-kube-firewall "$OUT/pass-kube-firewall-mark-drop.json" phase=running
    # Calico: the drop bound to workload interfaces (cali+) does not touch a peer's packet on eth0
    std_node calico 17
    fw_restore calico iptables-restore <<'EOF'
*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:cali-INPUT - [0:0]
:cali-wl-to-host - [0:0]
:cali-from-host-endpoint - [0:0]
-A INPUT -m comment --comment "cali:Cz_u1IQiXIMmKD4c" -j cali-INPUT
-A cali-INPUT -m comment --comment "cali:FewJpBykm9iJ-YNH" -i cali+ -g cali-wl-to-host
-A cali-INPUT -m comment --comment "cali:hder3ARWznqqv8Va" -m mark --mark 0x10000/0x10000 -j ACCEPT
-A cali-INPUT -m comment --comment "cali:xgOu2uJft6H9oDGF" -j MARK --set-xmark 0x0/0xf0000
-A cali-INPUT -m comment --comment "cali:_-d-qojMfHM6NwBo" -j cali-from-host-endpoint
-A cali-INPUT -m comment --comment "cali:LqmE76MP94lZTGhA" -m comment --comment "Host endpoint policy accepted packet." -m mark --mark 0x10000/0x10000 -j ACCEPT
-A cali-wl-to-host -m comment --comment "cali:Ee9Sbo10IpVujdIY" -m comment --comment "Drop if no profiles matched" -j DROP
COMMIT
EOF
    probe_run calico w-fw-calico "$OUT/pass-calico-workload-drops.json" phase=running
    # RHEL-style: NEW connections accepted port by port, everything else rejected
    std_node rhel 18
    fw_restore rhel iptables-restore <<'EOF'
*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -m state --state RELATED,ESTABLISHED -j ACCEPT
-A INPUT -p icmp -j ACCEPT
-A INPUT -i lo -j ACCEPT
-A INPUT -p tcp -m state --state NEW -m tcp --dport 22 -j ACCEPT
-A INPUT -p tcp -m state --state NEW -m tcp --dport 10250 -j ACCEPT
-A INPUT -p tcp -m state --state NEW -m multiport --dports 30000:32767 -j ACCEPT
-A INPUT -j REJECT --reject-with icmp-host-prohibited
COMMIT
EOF
    probe_run rhel w-fw-rhel "$OUT/pass-ctstate-new-accepts.json"
    # a drop before the filter table: raw PREROUTING
    std_node raw 19
    fw_restore raw iptables-restore <<'EOF'
*raw
:PREROUTING ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A PREROUTING -p tcp -m tcp --dport 10250 -j DROP
COMMIT
EOF
    probe_run raw w-fw-raw "$OUT/fail-raw-prerouting-drop.json"
    # an ACCEPT only from loopback is no opening
    std_node lo 20
    fw_restore lo iptables-restore <<'EOF'
*filter
:INPUT DROP [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -s 127.0.0.0/8 -p tcp -m tcp --dport 10250 -j ACCEPT
-A INPUT -p tcp -m multiport --dports 30000:32767 -j ACCEPT
COMMIT
EOF
    probe_run lo w-fw-lo-only "$OUT/fail-accept-only-from-loopback.json"
    # drops narrowed to another interface; a drop bound to the node's own address
    std_node ifs 21
    fw_restore ifs iptables-restore <<'EOF'
*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -i eth1 -p tcp -m tcp --dport 10250 -j DROP
-A INPUT ! -i eth0 -p tcp -m multiport --dports 30000:32767 -j DROP
COMMIT
EOF
    probe_run ifs w-fw-other-if "$OUT/pass-drops-on-other-interfaces.json"
    std_node own 22
    fw_restore own iptables-restore <<'EOF'
*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -d 10.213.22.2/32 -p tcp -m tcp --dport 10250 -j DROP
COMMIT
EOF
    probe_run own w-fw-own-addr "$OUT/fail-drop-to-node-address.json"
    # nftables: a named interval set under policy drop; a log statement is not a drop
    std_node nset 23
    fw_restore nset nft -f - <<'EOF'
table inet host {
    set kube {
        type inet_service
        flags interval
        elements = { 10250, 30000-32767 }
    }
    chain input {
        type filter hook input priority filter; policy drop;
        ct state established,related accept
        iif "lo" accept
        tcp dport 10250 log prefix "would drop "
        tcp dport @kube accept
    }
}
EOF
    probe_run nset w-fw-nft-set "$OUT/pass-nft-named-set.json"
    # part of the NodePort range dropped
    std_node npart 24
    fw_restore npart iptables-restore <<'EOF'
*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -p tcp -m multiport --dports 31000:32767 -j DROP
COMMIT
EOF
    probe_run npart w-fw-np-part "$OUT/fail-nodeport-range-part.json"
    # kube-proxy's REJECT of a NodePort whose Service has no endpoints is not a closed port
    std_node kpx 25
    fw_restore kpx iptables-restore <<'EOF'
*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:KUBE-EXTERNAL-SERVICES - [0:0]
:KUBE-NODEPORTS - [0:0]
-A INPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES
-A INPUT -m comment --comment "kubernetes health check service ports" -j KUBE-NODEPORTS
-A KUBE-EXTERNAL-SERVICES -p tcp -m comment --comment "default/web has no endpoints" -m addrtype --dst-type LOCAL -m tcp --dport 30080 -j REJECT --reject-with icmp-port-unreachable
COMMIT
EOF
    probe_run kpx w-fw-kproxy "$OUT/pass-kube-proxy-service-without-endpoints.json" phase=running
    # only half of the node's network may connect
    std_node half 26
    fw_restore half iptables-restore <<'EOF'
*filter
:INPUT DROP [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -s 10.213.26.0/25 -p tcp -m tcp --dport 10250 -j ACCEPT
-A INPUT -p tcp -m multiport --dports 30000:32767 -j ACCEPT
COMMIT
EOF
    probe_run half w-fw-half "$OUT/warn-open-to-part-of-the-network.json"
    # a match the dumps cannot decide (a random drop): the answer says so
    std_node rnd 27
    fw_restore rnd iptables-restore <<'EOF'
*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -p tcp -m tcp --dport 10250 -m statistic --mode random --probability 0.50000000000 -j DROP
COMMIT
EOF
    probe_run rnd w-fw-random "$OUT/warn-undecidable-match.json"
    # iptables-legacy and nf_tables rules both apply: a legacy drop wins over an nft accept
    std_node both 28
    fw_restore both iptables-legacy-restore <<'EOF'
*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -p tcp -m tcp --dport 10250 -j DROP
COMMIT
EOF
    fw_restore both iptables-restore <<'EOF'
*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -p tcp -m tcp --dport 10250 -j ACCEPT
COMMIT
EOF
    probe_run both w-fw-legacy-drop "$OUT/fail-legacy-drop-under-nft-accept.json"
    # Flannel's VXLAN device receives on UDP 8472: a drop of it cuts pod traffic between nodes
    std_node vx 29
    ip -n "${P}vx" link add flannel.1 type vxlan id 1 dstport 8472 dev eth0
    ip -n "${P}vx" link set flannel.1 mtu 1450 up
    fw_restore vx iptables-restore <<'EOF'
*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -p udp -m udp --dport 8472 -j DROP
COMMIT
EOF
    probe_run vx w-fw-vxlan "$OUT/fail-flannel-vxlan-port.json" phase=running
}

rule_iptables_mode() {
    begin_rule iptables-mode
    std_node nft 10
    ip netns exec "${P}nft" iptables-nft -A INPUT -p tcp --dport 10250 -j ACCEPT
    probe_run nft w-iptmode-nft "$OUT/pass-nft-only.json"
    std_node both 11
    ip netns exec "${P}both" iptables-legacy -A INPUT -p tcp --dport 10250 -j ACCEPT
    ip netns exec "${P}both" iptables-nft -A INPUT -p tcp --dport 30000:32767 -j ACCEPT
    probe_run both w-iptmode-both "$OUT/fail-legacy-and-nft.json"
    end_rule
}

rule_dns_resolver() {
    begin_rule dns-resolver
    std_node up 10
    printf 'search cluster.example\nnameserver 10.213.10.1\n' >"$S/resolv-up"
    probe_run up w-dns-pass "$OUT/pass-upstream-nameserver.json" resolv="$S/resolv-up"
    std_node none 11
    printf 'search cluster.example\noptions ndots:2\n' >"$S/resolv-none"
    probe_run none w-dns-none "$OUT/fail-no-nameserver.json" resolv="$S/resolv-none"
    std_node stub 12
    # what systemd-resolved's stub file looks like
    printf '%s\n' '# This is /run/systemd/resolve/stub-resolv.conf managed by man:systemd-resolved(8).' \
        'nameserver 127.0.0.53' 'options edns0 trust-ad' 'search .' >"$S/resolv-stub"
    probe_run stub w-dns-stub "$OUT/warn-stub-only.json" resolv="$S/resolv-stub"
    end_rule
}

# stage_cni DIR KIND: /opt/cni/bin with bridge, host-local, portmap, loopback (real binaries)
# and /etc/cni/net.d as KIND says: bridge | ranges | dualstack | calico | badjson | outside | empty
stage_cni() {
    local d=$1 b
    # only the rules that stage CNI plugins need them
    [ -x "$CNI_SRC/bridge" ] || die "needs $CNI_SRC (apt-get install containernetworking-plugins)"
    mkdir -p "$d/opt/cni/bin" "$d/etc/cni/net.d"
    for b in bridge host-local portmap loopback; do cp "$CNI_SRC/$b" "$d/opt/cni/bin/"; done
    local f=$d/etc/cni/net.d/10-bridge.conflist subnet=10.244.1.0/24
    case $2 in
        bridge | outside)
            [ "$2" = outside ] && subnet=192.168.50.0/24
            cat >"$f" <<EOF
{
  "cniVersion": "1.0.0",
  "name": "k8s-pod-network",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "cni0",
      "isGateway": true,
      "ipMasq": true,
      "hairpinMode": true,
      "ipam": {
        "type": "host-local",
        "subnet": "$subnet",
        "routes": [ { "dst": "0.0.0.0/0" } ]
      }
    },
    { "type": "portmap", "capabilities": { "portMappings": true } }
  ]
}
EOF
            ;;
        ranges)
            cat >"$f" <<'EOF'
{
  "cniVersion": "1.0.0",
  "name": "k8s-pod-network",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "cni0",
      "isGateway": true,
      "ipMasq": true,
      "ipam": {
        "type": "host-local",
        "ranges": [ [ { "subnet": "10.244.2.0/24", "gateway": "10.244.2.1" } ] ],
        "routes": [ { "dst": "0.0.0.0/0" } ]
      }
    },
    { "type": "portmap", "capabilities": { "portMappings": true } }
  ]
}
EOF
            ;;
        dualstack)
            cat >"$f" <<'EOF'
{
  "cniVersion": "1.0.0",
  "name": "k8s-pod-network",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "cni0",
      "isGateway": true,
      "ipMasq": true,
      "ipam": {
        "type": "host-local",
        "ranges": [
          [ { "subnet": "10.244.3.0/24" } ],
          [ { "subnet": "fd00:10:244:3::/64" } ]
        ],
        "routes": [ { "dst": "0.0.0.0/0" }, { "dst": "::/0" } ]
      }
    },
    { "type": "portmap", "capabilities": { "portMappings": true } }
  ]
}
EOF
            ;;
        calico)
            f=$d/etc/cni/net.d/10-calico.conflist
            cat >"$f" <<'EOF'
{
  "name": "k8s-pod-network",
  "cniVersion": "0.3.1",
  "plugins": [
    {
      "type": "calico",
      "datastore_type": "kubernetes",
      "ipam": { "type": "host-local", "subnet": "10.244.1.0/24" },
      "policy": { "type": "k8s" }
    },
    { "type": "portmap", "snat": true, "capabilities": { "portMappings": true } }
  ]
}
EOF
            ;;
        badjson)
            # cut off in the middle, as an interrupted write leaves it
            printf '%s\n' '{' '  "cniVersion": "1.0.0",' '  "name": "k8s-pod-network",' \
                '  "plugins": [' '    { "type": "bridge", "bridge": "cni0", "ipam": { "type": "host-local",' \
                >"$f"
            ;;
        empty) ;;
        *) die "stage_cni: bad kind $2" ;;
    esac
}

rule_cni_config() {
    begin_rule cni-config
    local kind slug host phase n=10
    for kind in bridge:pass-bridge-host-local:w-cni-pass:running \
        ranges:pass-host-local-ranges:w-cni-ranges:running \
        calico:fail-missing-plugin:w-cni-calico:running \
        badjson:fail-invalid-json:w-cni-badjson:running \
        outside:fail-subnet-outside:w-cni-subnet:running \
        empty:fail-no-config:w-cni-empty:running \
        bridge:skip-preflight:w-cni-preflight:preflight; do
        IFS=: read -r kind slug host phase <<<"$kind"
        std_node "c$n" "$n"
        stage_cni "$S/stage-$slug" "$kind"
        probe_run "c$n" "$host" "$OUT/$slug.json" phase="$phase" stage="$S/stage-$slug"
        props "$OUT/$slug.properties" "podCidr=$POD_CIDR" "serviceCidr=$SVC_CIDR"
        n=$((n + 1))
    done
    end_rule
}

# stage_cni_file DIR NAME JSON: one CNI configuration file as an overlay CNI's installer writes it
stage_cni_file() {
    mkdir -p "$1/etc/cni/net.d"
    printf '%s\n' "$3" >"$1/etc/cni/net.d/$2"
}

calico_conflist() { # MTU: Calico's conflist with the MTU its installer filled in
    cat <<EOF
{
  "name": "k8s-pod-network",
  "cniVersion": "0.3.1",
  "plugins": [
    {
      "type": "calico",
      "log_level": "info",
      "datastore_type": "kubernetes",
      "mtu": $1,
      "ipam": { "type": "calico-ipam" },
      "policy": { "type": "k8s" },
      "kubernetes": { "kubeconfig": "/etc/cni/net.d/calico-kubeconfig" }
    },
    { "type": "portmap", "snat": true, "capabilities": { "portMappings": true } }
  ]
}
EOF
}

FLANNEL_CONFLIST='{
  "name": "cbr0",
  "cniVersion": "0.3.1",
  "plugins": [
    { "type": "flannel", "delegate": { "hairpinMode": true, "isDefaultGateway": true } },
    { "type": "portmap", "capabilities": { "portMappings": true } }
  ]
}'

CILIUM_CONFLIST='{
  "cniVersion": "0.3.1",
  "name": "cilium",
  "plugins": [
    { "type": "cilium-cni", "enable-debug": false, "log-file": "/var/run/cilium/cilium-cni.log" }
  ]
}'

rule_overlay_mtu() {
    begin_rule overlay-mtu
    std_node none 10
    probe_run none w-ovl-none "$OUT/skip-no-overlay.json"
    # Calico in VXLAN mode: vxlan.calico bound to eth0 (the kernel gives it 1500 - 50) and the
    # CNI's MTU 1450
    std_node calico 11
    ip -n "${P}calico" link add vxlan.calico type vxlan id 4096 dstport 4789 dev eth0 local 10.213.11.2
    ip -n "${P}calico" link set vxlan.calico up
    stage_cni_file "$S/stage-ovl-calico" 10-calico.conflist "$(calico_conflist 1450)"
    probe_run calico w-ovl-calico "$OUT/pass-calico-vxlan-1450.json" phase=running stage="$S/stage-ovl-calico"
    # the same, but the CNI configuration gives pods 1500
    std_node calico15 12
    ip -n "${P}calico15" link add vxlan.calico type vxlan id 4096 dstport 4789 dev eth0 local 10.213.12.2
    ip -n "${P}calico15" link set vxlan.calico up
    stage_cni_file "$S/stage-ovl-calico15" 10-calico.conflist "$(calico_conflist 1500)"
    probe_run calico15 w-ovl-calico-1500 "$OUT/fail-calico-cni-mtu-1500.json" phase=running \
        stage="$S/stage-ovl-calico15"
    # flannel's flannel.1 made over a 1500 eth0, whose MTU then drops to 1400 (an underlay
    # with a smaller MTU): the kernel leaves flannel.1 at 1450
    std_node flannel 13
    ip -n "${P}flannel" link add flannel.1 type vxlan id 1 dstport 8472 dev eth0 local 10.213.13.2 nolearning
    ip -n "${P}flannel" link set flannel.1 up
    ip -n "${P}hub-nodes" link set "h$LINK_N" mtu 1400
    ip -n "${P}flannel" link set eth0 mtu 1400
    stage_cni_file "$S/stage-ovl-flannel" 10-flannel.conflist "$FLANNEL_CONFLIST"
    probe_run flannel w-ovl-flannel "$OUT/fail-flannel-vxlan-over-smaller-eth0.json" phase=running \
        stage="$S/stage-ovl-flannel"
    # Cilium's cilium_vxlan in external (collect-metadata) mode: bound to no device, so the
    # kernel leaves it at 1500 and nothing stops it
    std_node cilium 14
    ip -n "${P}cilium" link add cilium_vxlan type vxlan external dstport 8472
    ip -n "${P}cilium" link set cilium_vxlan up
    stage_cni_file "$S/stage-ovl-cilium" 05-cilium.conflist "$CILIUM_CONFLIST"
    probe_run cilium w-ovl-cilium "$OUT/fail-cilium-vxlan-external-1500.json" phase=running \
        stage="$S/stage-ovl-cilium"
    # geneve and WireGuard where the kernel has them
    std_node geneve 15
    if ip -n "${P}geneve" link add genev_sys_6081 type geneve external 2>/dev/null; then
        ip -n "${P}geneve" link set genev_sys_6081 up
        probe_run geneve w-ovl-geneve "$OUT/fail-geneve-external-1500.json"
    else
        log "  the kernel has no geneve: no geneve sample"
    fi
    std_node wg 16
    if ip -n "${P}wg" link add wg0 type wireguard 2>/dev/null; then
        ip -n "${P}wg" link set wg0 mtu 1420 up
        probe_run wg w-ovl-wg "$OUT/pass-wireguard-1420.json"
    else
        log "  the kernel has no wireguard: no WireGuard sample"
    fi
    end_rule
}

rule_dns_limits() {
    begin_rule dns-limits
    std_node three 10
    printf '%s\n' 'search corp.example lab.corp.example' 'nameserver 10.213.10.1' \
        'nameserver 192.0.2.53' 'nameserver 198.51.100.53' >"$S/resolv-three"
    probe_run three w-dnsl-pass "$OUT/pass-three-nameservers.json" resolv="$S/resolv-three"
    std_node four 11
    printf '%s\n' 'search corp.example' 'nameserver 10.213.11.1' 'nameserver 192.0.2.53' \
        'nameserver 198.51.100.53' 'nameserver 203.0.113.53' >"$S/resolv-four"
    probe_run four w-dnsl-four "$OUT/warn-four-nameservers.json" resolv="$S/resolv-four"
    # 8 search domains: fine for current kubelets, over the 6 of kubelets before 1.28
    std_node eight 12
    {
        printf 'search'
        for i in 1 2 3 4 5 6 7 8; do printf ' site%d.corp.example' "$i"; done
        printf '\nnameserver 10.213.12.1\n'
    } >"$S/resolv-eight"
    probe_run eight w-dnsl-eight "$OUT/pass-eight-search-domains.json" resolv="$S/resolv-eight"
    std_node many 13
    {
        printf 'search'
        for i in $(seq 1 30); do printf ' d%d.corp.example' "$i"; done
        printf '\nnameserver 10.213.13.1\n'
    } >"$S/resolv-many"
    probe_run many w-dnsl-30 "$OUT/warn-search-30-domains.json" resolv="$S/resolv-many"
    std_node long 14
    local label
    label=$(printf 'x%.0s' $(seq 1 60))
    {
        printf 'search'
        for i in $(seq 1 12); do printf ' %s%02d.%s.%s.example' "$label" "$i" "$label" "$label"; done
        printf '\nnameserver 10.213.14.1\n'
    } >"$S/resolv-long"
    probe_run long w-dnsl-long "$OUT/warn-search-over-2048-characters.json" resolv="$S/resolv-long"
    # the kubelet reads a file of its own, which the probe does not collect
    std_node own 15
    mkdir -p "$S/stage-dnsl-own/var/lib/kubelet"
    printf '%s\n' 'apiVersion: kubelet.config.k8s.io/v1beta1' 'kind: KubeletConfiguration' \
        'resolvConf: /etc/kubernetes/resolv.conf' >"$S/stage-dnsl-own/var/lib/kubelet/config.yaml"
    probe_run own w-dnsl-own "$OUT/skip-kubelet-resolv-conf-not-collected.json" phase=running \
        stage="$S/stage-dnsl-own"
    end_rule
}

rule_swap_off() {
    begin_rule swap-off
    grep -q '^/' /proc/swaps && die "swap is already active on this machine; swap-off samples need none"
    std_node noswap 10
    probe_run noswap w-swap-pass "$OUT/pass-no-swap.json"
    SWAP_MADE=1
    dd if=/dev/zero of="$SWAPFILE" bs=1M count=32 status=none
    chmod 600 "$SWAPFILE"
    mkswap "$SWAPFILE" >/dev/null
    if swapon "$SWAPFILE"; then
        std_node swap 11
        probe_run swap w-swap-on "$OUT/fail-swap-active.json"
        std_node allowed 12
        mkdir -p "$S/stage-swap/var/lib/kubelet"
        printf '%s\n' 'apiVersion: kubelet.config.k8s.io/v1beta1' 'kind: KubeletConfiguration' \
            'cgroupDriver: systemd' 'failSwapOn: false' 'memorySwap:' '  swapBehavior: LimitedSwap' \
            >"$S/stage-swap/var/lib/kubelet/config.yaml"
        probe_run allowed w-swap-allowed "$OUT/warn-swap-allowed-by-kubelet.json" phase=running \
            stage="$S/stage-swap"
    else
        log "swapon refused by the kernel: no fail/warn swap samples"
    fi
    end_rule   # swapoff + rm
}

rule_rp_filter() {
    begin_rule rp-filter
    std_node loose 10
    nsctl loose net.ipv4.conf.all.rp_filter=2 net.ipv4.conf.default.rp_filter=2 \
        net.ipv4.conf.eth0.rp_filter=0
    probe_run loose w-rpf-loose "$OUT/pass-loose-all-2.json"
    std_node strictall 11
    nsctl strictall net.ipv4.conf.all.rp_filter=1 net.ipv4.conf.eth0.rp_filter=0
    probe_run strictall w-rpf-all-strict "$OUT/fail-strict-all-1.json"
    std_node strictif 12
    nsctl strictif net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.eth0.rp_filter=1
    probe_run strictif w-rpf-eth0-strict "$OUT/fail-strict-eth0-1.json"
    end_rule
}

rule_conntrack_capacity() {
    begin_rule conntrack-capacity
    # nf_conntrack_max is one global value, read-only inside network namespaces (which show
    # the global value); this VM has 262144 already, elsewhere it is set for the run
    [ "$(sysctl -n net.netfilter.nf_conntrack_max)" = 262144 ] ||
        global_sysctl net.netfilter.nf_conntrack_max 262144
    std_node big 10
    probe_run big w-ct-pass "$OUT/pass-max-262144.json"
    cleanup_scenario
    global_sysctl net.netfilter.nf_conntrack_max 4096
    std_node small 11
    probe_run small w-ct-4096 "$OUT/fail-max-4096.json"
    end_rule   # restores nf_conntrack_max
}

# stage_proxy DIR NO_PROXY: a containerd drop-in and a kubelet drop-in that set a proxy (one with
# credentials, which the probe masks) and NO_PROXY, and /etc/environment with the same for login shells
stage_proxy() {
    mkdir -p "$1/etc/systemd/system/containerd.service.d" "$1/etc/systemd/system/kubelet.service.d"
    printf '%s\n' '[Service]' \
        "Environment=\"HTTP_PROXY=http://builder:s3cret@proxy.example.internal:3128\" \"HTTPS_PROXY=http://builder:s3cret@proxy.example.internal:3128\"" \
        "Environment=\"NO_PROXY=$2\"" >"$1/etc/systemd/system/containerd.service.d/http-proxy.conf"
    printf '%s\n' '[Service]' 'Environment="HTTPS_PROXY=http://proxy.example.internal:3128"' \
        "Environment=\"NO_PROXY=$2\"" >"$1/etc/systemd/system/kubelet.service.d/20-proxy.conf"
    printf '%s\n' 'PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"' \
        'https_proxy=http://proxy.example.internal:3128' "no_proxy=$2" >"$1/etc/environment"
}

rule_http_proxy() {
    begin_rule http-proxy
    std_node none 10
    probe_run none w-proxy-none "$OUT/pass-no-proxy.json"
    props "$OUT/pass-no-proxy.properties" "podCidr=$POD_CIDR" "serviceCidr=$SVC_CIDR"
    std_node covered 11
    stage_proxy "$S/stage-proxy-ok" "localhost,127.0.0.1,10.213.11.0/24,$POD_CIDR,$SVC_CIDR,.svc,.cluster.local"
    probe_run covered w-proxy-covered "$OUT/pass-no-proxy-covers-cluster.json" stage="$S/stage-proxy-ok"
    props "$OUT/pass-no-proxy-covers-cluster.properties" "podCidr=$POD_CIDR" "serviceCidr=$SVC_CIDR"
    # NO_PROXY lists only loopback names: the node IP, pod and Service CIDR all go to the proxy
    std_node short 12
    stage_proxy "$S/stage-proxy-short" "localhost,127.0.0.1,.example.internal"
    probe_run short w-proxy-short "$OUT/warn-no-proxy-misses-cluster.json" stage="$S/stage-proxy-short"
    props "$OUT/warn-no-proxy-misses-cluster.properties" "podCidr=$POD_CIDR" "serviceCidr=$SVC_CIDR"
    # the shell kubeadm would run in has a proxy and no NO_PROXY (a control plane: the API server is the node)
    std_node shell 13
    probe_run shell cp-proxy-shell "$OUT/warn-shell-proxy-control-plane.json" role=control-plane \
        env=https_proxy=http://proxy.example.internal:3128
    props "$OUT/warn-shell-proxy-control-plane.properties" "podCidr=$POD_CIDR" "serviceCidr=$SVC_CIDR"
    end_rule
}

rule_node_tools() {
    begin_rule node-tools
    local c
    for c in conntrack ip iptables mount nsenter ethtool tc socat; do
        command -v "$c" >/dev/null || die "node-tools needs $c on this machine (Debian: conntrack iproute2 iptables mount util-linux ethtool socat)"
    done
    std_node all 10
    probe_run all w-tools-all "$OUT/pass-all-installed.json"
    std_node opt 11
    probe_run opt w-tools-optional "$OUT/warn-no-ethtool-socat.json" hide=ethtool,socat
    std_node req 12
    probe_run req w-tools-required "$OUT/fail-no-nsenter.json" hide=nsenter,conntrack
    end_rule
}

# chronyd_in NODE local|none: a chronyd in NODE's namespace that never sets the clock (-x);
# "local": it keeps time from the local clock (stratum 10) and says it is synchronised,
# "none": no sources at all, so it is not synchronised. chronyc reaches it on 127.0.0.1:323.
chronyd_in() {
    local node=$1 conf=$S/chrony-$1.conf i
    {
        printf '%s\n' 'cmdport 323' 'bindcmdaddress 127.0.0.1' "bindcmdaddress $S/chronyd-$node.sock" \
            "pidfile $S/chronyd-$node.pid" 'port 0'
        [ "$2" = local ] && printf '%s\n' 'local stratum 10'
    } >"$conf"
    ip netns exec "$P$node" chronyd -x -d -u root -f "$conf" </dev/null >"$S/chronyd-$node.log" 2>&1 &
    PIDS+=("$!")
    for ((i = 0; i < 100; i++)); do
        if [ "$2" = none ] || ip netns exec "$P$node" chronyc -n tracking 2>/dev/null | grep -q '^Leap status *: Normal'; then
            ip netns exec "$P$node" chronyc -n tracking >/dev/null 2>&1 && return 0
        fi
        sleep 0.05
    done
    die "chronyd in $node did not answer: $(cat "$S/chronyd-$node.log")"
}

rule_clock_sync() {
    begin_rule clock-sync
    command -v chronyd >/dev/null || die "clock-sync needs chrony (chronyd, chronyc)"
    # systemd-timesyncd's flag file: the clock is synchronised; measured at once, like a direct upload
    mkdir -p "$S/stage-timesync/run/systemd/timesync"
    : >"$S/stage-timesync/run/systemd/timesync/synchronized"
    std_node tsync 10
    probe_run tsync w-clock-timesyncd "$OUT/pass-timesyncd-synchronised.json" stage="$S/stage-timesync"
    clock_props "$OUT/pass-timesyncd-synchronised.properties"
    std_node chrony 11
    chronyd_in chrony local
    probe_run chrony w-clock-chrony "$OUT/pass-chrony-synchronised.json"
    clock_props "$OUT/pass-chrony-synchronised.properties"
    std_node nosync 12
    chronyd_in nosync none
    probe_run nosync w-clock-nosync "$OUT/warn-chrony-not-synchronised.json"
    clock_props "$OUT/warn-chrony-not-synchronised.properties"
    # the node's clock two minutes behind: the probe's date says so (the real clock is untouched)
    mkdir -p "$S/clock-behind"
    printf '%s\n' '#!/bin/sh' 'exec /usr/bin/date -d "-120 seconds" "$@"' >"$S/clock-behind/date"
    chmod 755 "$S/clock-behind/date"
    std_node behind 13
    probe_run behind w-clock-behind "$OUT/warn-clock-120s-behind.json" stage="$S/stage-timesync" \
        path="$S/clock-behind"
    clock_props "$OUT/warn-clock-120s-behind.properties"
    # no time service answers and the report was not measured (spooled or uploaded as a file)
    std_node unknown 14
    probe_run unknown w-clock-unknown "$OUT/skip-unreadable-not-measured.json"
    end_rule
}

# ------------------------------------------------------------------ cluster rules

# cluster_nodes NET NODE...: healthy nodes on one L2 (bridge br0 in hub l2-NET with
# 10.213.NET.1/24; the nodes get .11, .12, ... and a default route via .1)
cluster_nodes() {
    local net=$1 i=11 n
    shift
    for n; do
        ns_add "$n"
        link_node "$n" "10.213.$net.$i/24" "10.213.$net.1" "l2-$net" br=br0
        nsctl "$n" net.ipv4.ip_forward=1
        i=$((i + 1))
    done
}

expect() { # DIR NODE=STATUS...
    props "$1/expect.properties" "${@:2}"
}

rule_unique_hostname() {
    begin_rule unique-hostname
    local d=$OUT/pass-all-unique
    cluster_nodes 90 uha uhb uhc
    probe_run uha uh-ok-a "$d/node-a.json"
    probe_run uhb uh-ok-b "$d/node-b.json"
    probe_run uhc uh-ok-c "$d/node-c.json"
    cluster_props "$d" unknown
    expect "$d" node-a=pass node-b=pass node-c=pass
    d=$OUT/fail-duplicate
    cluster_nodes 91 uhda uhdb uhdc
    probe_run uhda uh-dup-worker "$d/node-a.json"
    probe_run uhdb uh-dup-worker "$d/node-b.json"
    probe_run uhdc uh-dup-other "$d/node-c.json"
    cluster_props "$d" unknown
    expect "$d" node-a=fail node-b=fail node-c=pass
    end_rule
}

rule_unique_mac() {
    begin_rule unique-mac
    local d=$OUT/pass-all-unique
    cluster_nodes 90 uma umb umc
    probe_run uma um-ok-a "$d/node-a.json"
    probe_run umb um-ok-b "$d/node-b.json"
    probe_run umc um-ok-c "$d/node-c.json"
    cluster_props "$d" unknown
    expect "$d" node-a=pass node-b=pass node-c=pass

    d=$OUT/fail-duplicate-eth0
    ns_add umda
    link_node umda 10.213.91.11/24 10.213.91.1 l2-91 br=br0 mac=02:00:00:aa:bb:cc
    ns_add umdb
    link_node umdb 10.213.91.12/24 10.213.91.1 l2-91 br=br0 mac=02:00:00:aa:bb:cc
    ns_add umdc
    link_node umdc 10.213.91.13/24 10.213.91.1 l2-91 br=br0
    probe_run umda um-dup-a "$d/node-a.json"
    probe_run umdb um-dup-b "$d/node-b.json"
    probe_run umdc um-dup-c "$d/node-c.json"
    cluster_props "$d" unknown
    expect "$d" node-a=fail node-b=fail node-c=pass

    # the same MAC on host-side container veths (a pod namespace holds the other end) and
    # on cni0 bridges of two nodes: not node interfaces, so no duplicate
    d=$OUT/pass-duplicate-on-container-veths
    cluster_nodes 92 umva umvb umvc
    local n
    for n in umva umvb; do
        ns_add "pod-$n"
        ip -n "$P$n" link add veth3f9a2b1c type veth peer name eth0 netns "${P}pod-$n"
        ip -n "$P$n" link set veth3f9a2b1c address 02:00:00:dd:ee:ff
        ip -n "$P$n" link add cni0 type bridge
        ip -n "$P$n" link set cni0 address 02:00:00:dd:ee:00
        ip -n "$P$n" link set veth3f9a2b1c master cni0
        ip -n "$P$n" link set veth3f9a2b1c up
        ip -n "$P$n" link set cni0 up
        ip -n "${P}pod-$n" link set eth0 up
    done
    probe_run umva um-veth-a "$d/node-a.json"
    probe_run umvb um-veth-b "$d/node-b.json"
    probe_run umvc um-veth-c "$d/node-c.json"
    cluster_props "$d" unknown
    expect "$d" node-a=pass node-b=pass node-c=pass
    end_rule
}

rule_unique_machine_id() {
    begin_rule unique-machine-id
    local d=$OUT/pass-all-unique
    cluster_nodes 90 mia mib mic
    probe_run mia mid-ok-a "$d/node-a.json"
    probe_run mib mid-ok-b "$d/node-b.json"
    probe_run mic mid-ok-c "$d/node-c.json"
    cluster_props "$d" unknown
    expect "$d" node-a=pass node-b=pass node-c=pass
    d=$OUT/fail-duplicate
    local same
    same=$(new_machine_id)
    cluster_nodes 91 mida midb midc
    # e.g. two VMs cloned from one image without resetting /etc/machine-id
    probe_run mida mid-dup-a "$d/node-a.json" machine-id="$same"
    probe_run midb mid-dup-b "$d/node-b.json" machine-id="$same"
    probe_run midc mid-dup-c "$d/node-c.json"
    cluster_props "$d" unknown
    expect "$d" node-a=fail node-b=fail node-c=pass
    end_rule
}

rule_unique_product_uuid() {
    begin_rule unique-product-uuid
    local d=$OUT/skip-unreadable
    cluster_nodes 90 pua pub puc
    probe_run pua uuid-a "$d/node-a.json"
    probe_run pub uuid-b "$d/node-b.json"
    probe_run puc uuid-c "$d/node-c.json"
    cluster_props "$d" unknown
    expect "$d" node-a=skip node-b=skip node-c=skip
    end_rule
}

rule_unique_node_ip() {
    begin_rule unique-node-ip
    local d=$OUT/pass-all-unique
    cluster_nodes 90 nia nib nic
    probe_run nia nip-ok-a "$d/node-a.json"
    probe_run nib nip-ok-b "$d/node-b.json"
    probe_run nic nip-ok-c "$d/node-c.json"
    cluster_props "$d" unknown
    expect "$d" node-a=pass node-b=pass node-c=pass
    # node-a and node-b both 10.213.77.2 on separate segments (each its own gateway
    # 10.213.77.1); node-a's node IP comes from its default-route device, node-b's from
    # the "src" of its default route
    d=$OUT/fail-duplicate
    ns_add nida
    link_node nida 10.213.77.2/24 10.213.77.1 seg-a
    ns_add nidb
    link_node nidb 10.213.77.2/24 10.213.77.1 seg-b src
    ns_add nidc
    link_node nidc 10.213.78.2/24 10.213.78.1 seg-c
    nsctl nida net.ipv4.ip_forward=1
    nsctl nidb net.ipv4.ip_forward=1
    nsctl nidc net.ipv4.ip_forward=1
    probe_run nida nip-dup-a "$d/node-a.json"
    probe_run nidb nip-dup-b "$d/node-b.json"
    probe_run nidc nip-dup-c "$d/node-c.json"
    cluster_props "$d" unknown
    expect "$d" node-a=fail node-b=fail node-c=pass
    end_rule
}

# stage_control_plane DIR POD-CIDR SVC-CIDR ADVERTISE-ADDRESS: the static pod manifests of a
# kubeadm control plane, shortened; they name the key files the probe must never send
stage_control_plane() {
    mkdir -p "$1/etc/kubernetes/manifests"
    cat >"$1/etc/kubernetes/manifests/kube-controller-manager.yaml" <<MANIFEST
apiVersion: v1
kind: Pod
metadata:
  labels:
    component: kube-controller-manager
    tier: control-plane
  name: kube-controller-manager
  namespace: kube-system
spec:
  containers:
  - command:
    - kube-controller-manager
    - --allocate-node-cidrs=true
    - --authentication-kubeconfig=/etc/kubernetes/controller-manager.conf
    - --bind-address=127.0.0.1
    - --client-ca-file=/etc/kubernetes/pki/ca.crt
    - --cluster-cidr=$2
    - --cluster-name=kubernetes
    - --cluster-signing-cert-file=/etc/kubernetes/pki/ca.crt
    - --cluster-signing-key-file=/etc/kubernetes/pki/ca.key
    - --controllers=*,bootstrapsigner,tokencleaner
    - --kubeconfig=/etc/kubernetes/controller-manager.conf
    - --leader-elect=true
    - --requestheader-client-ca-file=/etc/kubernetes/pki/front-proxy-ca.crt
    - --root-ca-file=/etc/kubernetes/pki/ca.crt
    - --service-account-private-key-file=/etc/kubernetes/pki/sa.key
    - --service-cluster-ip-range=$3
    - --use-service-account-credentials=true
    image: registry.k8s.io/kube-controller-manager:v1.30.2
MANIFEST
    cat >"$1/etc/kubernetes/manifests/kube-apiserver.yaml" <<MANIFEST
apiVersion: v1
kind: Pod
metadata:
  name: kube-apiserver
  namespace: kube-system
spec:
  containers:
  - command:
    - kube-apiserver
    - --advertise-address=$4
    - --client-ca-file=/etc/kubernetes/pki/ca.crt
    - --etcd-certfile=/etc/kubernetes/pki/apiserver-etcd-client.crt
    - --etcd-keyfile=/etc/kubernetes/pki/apiserver-etcd-client.key
    - --etcd-servers=https://127.0.0.1:2379
    - --service-account-key-file=/etc/kubernetes/pki/sa.pub
    - --service-account-signing-key-file=/etc/kubernetes/pki/sa.key
    - --service-cluster-ip-range=$3
    - --tls-cert-file=/etc/kubernetes/pki/apiserver.crt
    - --tls-private-key-file=/etc/kubernetes/pki/apiserver.key
    image: registry.k8s.io/kube-apiserver:v1.30.2
MANIFEST
}

# stage_flannel DIR NETWORK NODE-SUBNET: what flanneld writes on every node it runs on, and
# flannel's CNI configuration (which names no subnet: it delegates with the one of subnet.env)
stage_flannel() {
    mkdir -p "$1/run/flannel"
    printf 'FLANNEL_NETWORK=%s\nFLANNEL_SUBNET=%s\nFLANNEL_MTU=1450\nFLANNEL_IPMASQ=true\n' "$2" "$3" \
        >"$1/run/flannel/subnet.env"
    stage_cni_file "$1" 10-flannel.conflist "$FLANNEL_CONFLIST"
}

empty_settings() { # DIR [ROUTING-MODE]: a cluster whose pod and Service CIDRs are not set in netready
    props "$1/cluster.properties" podCidr= serviceCidr= "routingMode=${2:-unknown}"
}

# inferred_nodes NET A B C: three nodes on 10.NET.0/24 (hub bridge .1, nodes .11-.13); A a kubeadm
# control plane (its manifests say pod CIDR 10.244.0.0/16, Service CIDR 10.96.0.0/12), all three
# run flannel with network 10.244.0.0/16 and node subnets 10.244.0-2.0/24
inferred_nodes() {
    local net=$1 hub=l2-$2 i=11 k=0 n
    shift
    for n; do
        ns_add "$n"
        link_node "$n" "10.$net.$i/24" "10.$net.1" "$hub" br=br0
        nsctl "$n" net.ipv4.ip_forward=1
        mkdir -p "$S/stage-$n"
        stage_flannel "$S/stage-$n" "$POD_CIDR" "10.244.$k.1/24"
        i=$((i + 1))
        k=$((k + 1))
    done
    stage_control_plane "$S/stage-$1" "$POD_CIDR" "$SVC_CIDR" "10.$net.11"
}

rule_cidr_overlap() {
    begin_rule cidr-overlap
    local d=$OUT/pass-no-overlap
    cluster_nodes 90 coa cob coc
    probe_run coa cidr-ok-a "$d/node-a.json"
    probe_run cob cidr-ok-b "$d/node-b.json"
    probe_run coc cidr-ok-c "$d/node-c.json"
    cluster_props "$d" unknown "$POD_CIDR" "$SVC_CIDR"
    expect "$d" node-a=pass node-b=pass node-c=pass
    d=$OUT/fail-pod-cidr-contains-node-network
    cluster_nodes 91 cofa cofb cofc
    probe_run cofa cidr-bad-a "$d/node-a.json"
    probe_run cofb cidr-bad-b "$d/node-b.json"
    probe_run cofc cidr-bad-c "$d/node-c.json"
    cluster_props "$d" unknown 10.213.0.0/16 "$SVC_CIDR"
    expect "$d" node-a=fail node-b=fail node-c=fail
    # settings empty: the control plane's kube-controller-manager says --cluster-cidr=10.244.0.0/16
    # and flannel on every node says the same, while the nodes themselves sit in 10.244.91.0/24
    d=$OUT/fail-inferred-pod-cidr-contains-node-address
    inferred_nodes 244.91 coia coib coic
    probe_run coia cidr-inf-cp-1 "$d/node-a.json" role=control-plane phase=running stage="$S/stage-coia"
    probe_run coib cidr-inf-w-1 "$d/node-b.json" phase=running stage="$S/stage-coib"
    probe_run coic cidr-inf-w-2 "$d/node-c.json" phase=running stage="$S/stage-coic"
    empty_settings "$d"
    expect "$d" node-a=fail node-b=fail node-c=fail
    # the same sources, the nodes in 10.213.92.0/24: no overlap
    d=$OUT/pass-inferred-no-overlap
    inferred_nodes 213.92 copa copb copc
    probe_run copa cidr-inf-ok-cp-1 "$d/node-a.json" role=control-plane phase=running stage="$S/stage-copa"
    probe_run copb cidr-inf-ok-w-1 "$d/node-b.json" phase=running stage="$S/stage-copb"
    probe_run copc cidr-inf-ok-w-2 "$d/node-c.json" phase=running stage="$S/stage-copc"
    empty_settings "$d"
    expect "$d" node-a=pass node-b=pass node-c=pass
    end_rule
}

# routed_nodes TAG MISSING: node-1..3 on 192.168.77.0/24 (hub bridge .1, nodes .11-.13),
# each with cni0 10.244.N.1/24 and routes to its peers' pod subnets via their node IPs,
# except route "A>B" named in MISSING (node A lacks the route to node B's subnet)
routed_nodes() {
    local tag=$1 missing=$2 n m
    for n in 1 2 3; do
        ns_add "$tag$n"
        link_node "$tag$n" "192.168.77.1$n/24" 192.168.77.1 "l2-$tag" br=nrbr0
        nsctl "$tag$n" net.ipv4.ip_forward=1
        ip -n "$P$tag$n" link add cni0 type bridge
        ip -n "$P$tag$n" addr add "10.244.$n.1/24" dev cni0
        ip -n "$P$tag$n" link set cni0 up
    done
    [ "$tag" = ov ] && return 0
    for n in 1 2 3; do
        for m in 1 2 3; do
            [ "$n" = "$m" ] && continue
            [ "$n>$m" = "$missing" ] && continue
            ip -n "$P$tag$n" route add "10.244.$m.0/24" via "192.168.77.1$m" dev eth0
        done
    done
}

rule_pod_cidr_routes() {
    begin_rule pod-cidr-routes
    local d n role tag missing
    for d in pass-all-routes:ok: fail-node-1-missing-route:miss:1\>3 skip-overlay:ov: \
        fail-inferred-flannel-host-gw-missing-route:fl:2\>1; do
        IFS=: read -r d tag missing <<<"$d"
        routed_nodes "$tag" "$missing"
        for n in 1 2 3; do
            role=worker
            [ "$n" = 1 ] && role=control-plane
            if [ "$tag" = fl ]; then
                # flannel's host-gw backend: plain routes between the nodes to the pod subnets of
                # subnet.env; netready's settings say only "routed"
                mkdir -p "$S/stage-fl$n"
                stage_flannel "$S/stage-fl$n" "$POD_CIDR" "10.244.$n.1/24"
                probe_run "$tag$n" "pcr-$tag-node-$n" "$OUT/$d/node-$n.json" role=$role phase=running \
                    stage="$S/stage-fl$n"
            else
                probe_run "$tag$n" "pcr-$tag-node-$n" "$OUT/$d/node-$n.json" role=$role phase=running
            fi
        done
        case $tag in
            ok) cluster_props "$OUT/$d" routed
                expect "$OUT/$d" node-1=pass node-2=pass node-3=pass ;;
            miss) cluster_props "$OUT/$d" routed
                expect "$OUT/$d" node-1=fail node-2=pass node-3=pass ;;
            ov) cluster_props "$OUT/$d" overlay
                expect "$OUT/$d" node-1=skip node-2=skip node-3=skip ;;
            fl) empty_settings "$OUT/$d" routed
                expect "$OUT/$d" node-1=pass node-2=fail node-3=pass ;;
        esac
    done
    end_rule
}

rule_mtu_consistent() {
    begin_rule mtu-consistent
    local d=$OUT/pass-all-1500
    cluster_nodes 90 mta mtb mtc
    probe_run mta mtu-ok-a "$d/node-a.json"
    probe_run mtb mtu-ok-b "$d/node-b.json"
    probe_run mtc mtu-ok-c "$d/node-c.json"
    cluster_props "$d" unknown
    expect "$d" node-a=pass node-b=pass node-c=pass
    d=$OUT/fail-one-node-1400
    ns_add mtfa
    link_node mtfa 10.213.91.11/24 10.213.91.1 l2-91 br=br0
    ns_add mtfb
    link_node mtfb 10.213.91.12/24 10.213.91.1 l2-91 br=br0
    ns_add mtfc
    link_node mtfc 10.213.91.13/24 10.213.91.1 l2-91 br=br0 mtu=1400
    probe_run mtfa mtu-a "$d/node-a.json"
    probe_run mtfb mtu-b "$d/node-b.json"
    probe_run mtfc mtu-c-1400 "$d/node-c.json"
    cluster_props "$d" unknown
    expect "$d" node-a=pass node-b=pass node-c=fail
    end_rule
}

# node_port_sample HOSTNAME: the NodePort peers try on a worker, as ReachabilityPorts.nodePortSample computes it
# (Java's long arithmetic, wrapping at 64 bits)
node_port_sample() {
    python3 -c 'import sys
def wrap(x):
    x &= (1 << 64) - 1
    return x - (1 << 64) if x >= 1 << 63 else x
h = 1125899906842597
for c in sys.argv[1].lower():
    h = wrap(31 * h + ord(c))
print(30000 + wrap(h * 2654435761) % 2768)' "$1"
}

# reach_nodes TAG K: node-1 (a control plane, 10.242.K.11) and node-2 (a worker, 10.242.K.12) on one subnet, node-3
# (a worker, 10.243.K.11) on another; the hub namespace r-TAG routes between them (bridges bra and brb with the
# gateways .1, ip_forward on): the "cloud network" whose FORWARD chain plays the security groups
reach_nodes() {
    local tag=$1 k=$2
    ns_add "${tag}1"
    link_node "${tag}1" "10.242.$k.11/24" "10.242.$k.1" "r-$tag" br=bra
    ns_add "${tag}2"
    link_node "${tag}2" "10.242.$k.12/24" "10.242.$k.1" "r-$tag" br=bra
    ns_add "${tag}3"
    link_node "${tag}3" "10.243.$k.11/24" "10.243.$k.1" "r-$tag" br=brb
    nsctl "hub-r-$tag" net.ipv4.ip_forward=1
    local n
    for n in 1 2 3; do nsctl "$tag$n" net.ipv4.ip_forward=1 net.bridge.bridge-nf-call-iptables=1; done
}

# reach_plan FILE NODE NAME@ADDR=PORT,PORT ...: the reachability plan for NODE as the portal writes it (GET
# /api/v1/plan): only these peers (namespaces of the scenario) and ports of the catalog
reach_plan() {
    local file=$1 node=$2 t first=1 name addr ports p pfirst
    shift 2
    {
        printf '{"format":"netready.plan/v1","cluster":"node-reachability","node":"%s","generatedAt":"%s",' \
            "$node" "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
        printf '"maxConnects":64,"connectTimeoutMs":1000,"targets":['
        for t; do
            name=${t%%@*}
            addr=${t#*@}
            addr=${addr%%=*}
            ports=${t#*=}
            [ "$first" = 1 ] || printf ','
            first=0
            printf '{"node":"%s","address":"%s","ports":[' "$name" "$addr"
            pfirst=1
            for p in ${ports//,/ }; do
                [ "$pfirst" = 1 ] || printf ','
                pfirst=0
                printf '{"port":%s,"protocol":"tcp","why":"the catalog port"}' "$p"
            done
            printf ']}'
        done
        printf '],"untested":[{"port":8472,"protocol":"udp","why":"VXLAN"}]}\n'
    } >"$file"
}

# reach_run TAG K SLUG N PHASE: node N of reach_nodes TAG K runs the probe with its plan: the other two nodes on
# the ports the portal plans (a control plane: 6443 and 10250; a worker: 10250 and its NodePort sample); its hostname
# is nr-TAG-N (so the NodePort samples are fixed by the scenario)
reach_run() {
    local tag=$1 k=$2 slug=$3 n=$4 phase=$5 role=worker m targets=() plan
    [ "$n" = 1 ] && role=control-plane
    for m in 1 2 3; do
        [ "$m" = "$n" ] && continue
        case $m in
            1) targets+=("nr-$tag-1@10.242.$k.11=6443,10250") ;;
            2) targets+=("nr-$tag-2@10.242.$k.12=10250,$(node_port_sample "nr-$tag-2")") ;;
            3) targets+=("nr-$tag-3@10.243.$k.11=10250,$(node_port_sample "nr-$tag-3")") ;;
        esac
    done
    plan=$S/plan-$tag-$n.json
    reach_plan "$plan" "nr-$tag-$n" "${targets[@]}"
    probe_run "$tag$n" "nr-$tag-$n" "$OUT/$slug/node-$n.json" role=$role phase="$phase" plan="$plan"
}

# reach_listen TAG [SKIP...]: the components listen: node-1 kube-apiserver (6443) and kubelet (10250), the workers
# kubelet and kube-proxy on their NodePort sample; SKIP "N:PORT" leaves that one out
reach_listen() {
    local tag=$1 spec n port
    shift
    for spec in 1:6443:kube-apiserver 1:10250:kubelet 2:10250:kubelet 3:10250:kubelet \
        "2:$(node_port_sample "nr-$tag-2"):kube-proxy" "3:$(node_port_sample "nr-$tag-3"):kube-proxy"; do
        n=${spec%%:*}
        port=${spec#*:}
        port=${port%%:*}
        case " $* " in *" $n:$port "*) continue ;; esac
        listen "$tag$n" "${spec##*:}" "$port"
    done
}

rule_node_reachability() {
    begin_rule node-reachability
    local d n
    # everything listens, nothing drops: every peer connects
    d=pass-all-open
    reach_nodes ro 10
    reach_listen ro
    for n in 1 2 3; do reach_run ro 10 "$d" "$n" running; done
    cluster_props "$OUT/$d" unknown
    expect "$OUT/$d" node-1=pass node-2=pass node-3=pass
    # before kubeadm: nothing listens, every connect is refused (a reset: the path is open)
    d=pass-preflight-refused
    reach_nodes rp 11
    for n in 1 2 3; do reach_run rp 11 "$d" "$n" preflight; done
    cluster_props "$OUT/$d" unknown
    expect "$OUT/$d" node-1=pass node-2=pass node-3=pass
    # the router (a security group between the subnets) drops 6443 both ways; the nodes' own firewalls are empty
    d=fail-between-subnets
    reach_nodes rb 12
    reach_listen rb
    ip netns exec "${P}hub-r-rb" iptables -A FORWARD -s 10.243.12.0/24 -d 10.242.12.0/24 -p tcp --dport 6443 -j DROP
    ip netns exec "${P}hub-r-rb" iptables -A FORWARD -s 10.242.12.0/24 -d 10.243.12.0/24 -p tcp --dport 6443 -j DROP
    for n in 1 2 3; do reach_run rb 12 "$d" "$n" running; done
    cluster_props "$OUT/$d" unknown
    expect "$OUT/$d" node-1=fail node-2=pass node-3=pass
    # node-2's own INPUT chain drops the kubelet port; the network lets everything through
    d=fail-own-firewall
    reach_nodes rf 13
    reach_listen rf
    ip netns exec "${P}rf2" iptables -A INPUT -p tcp --dport 10250 -j DROP
    for n in 1 2 3; do reach_run rf 13 "$d" "$n" running; done
    cluster_props "$OUT/$d" unknown
    expect "$OUT/$d" node-1=pass node-2=fail node-3=pass
    # 10250 from node-3's subnet to the other is dropped, the other way is open (a one-sided security group)
    d=fail-one-way
    reach_nodes rw 14
    reach_listen rw
    ip netns exec "${P}hub-r-rw" iptables -A FORWARD -s 10.243.14.0/24 -d 10.242.14.0/24 -p tcp --dport 10250 -j DROP
    for n in 1 2 3; do reach_run rw 14 "$d" "$n" running; done
    cluster_props "$OUT/$d" unknown
    expect "$OUT/$d" node-1=fail node-2=fail node-3=pass
    # the cluster runs, but node-2's kubelet does not listen: its peers' connects are refused
    d=warn-running-not-listening
    reach_nodes rn 15
    reach_listen rn 2:10250
    for n in 1 2 3; do reach_run rn 15 "$d" "$n" running; done
    cluster_props "$OUT/$d" unknown
    expect "$OUT/$d" node-1=pass node-2=warn node-3=pass
    # node-3 reports, then goes down (its link with it): its address is silent when the others try it
    d=fail-peer-down
    reach_nodes rd 16
    reach_listen rd
    reach_run rd 16 "$d" 3 running
    ip -n "${P}rd3" link set eth0 down
    for n in 1 2; do reach_run rd 16 "$d" "$n" running; done
    cluster_props "$OUT/$d" unknown
    expect "$OUT/$d" node-1=pass node-2=pass node-3=fail
    end_rule
}

# ------------------------------------------------------------------ main

main() {
    local r want=() start
    while [ "$#" -gt 0 ]; do
        case $1 in
            --list) printf '%s\n' "${RULES[@]}"; return 0 ;;
            -h | --help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; return 0 ;;
            -*) die "unknown option $1" ;;
            *)
                declare -F "rule_${1//-/_}" >/dev/null || die "unknown rule id $1 (see --list)"
                want+=("$1")
                ;;
        esac
        shift
    done
    [ "${#want[@]}" -gt 0 ] || want=("${RULES[@]}")
    [ "$(id -u)" = 0 ] || die "needs root (network namespaces, mounts, swapon)"
    local c
    for c in ip unshare iptables-legacy iptables-nft nft mkswap swapon python3 javac java; do
        command -v "$c" >/dev/null || die "needs $c"
    done

    start=$(date +%s%N)
    trap on_exit EXIT
    trap 'log "failed at line $LINENO: $BASH_COMMAND"' ERR
    trap 'exit 130' INT
    trap 'exit 143' TERM
    remove_leftovers
    S=$(mktemp -d /dev/shm/nr-capture.XXXXXX)
    chmod 755 "$S"
    cp "$PROBE_SRC" "$S/netready-probe.sh"
    javac -d "$S/converter" "$CONVERTER_SRC"
    for r in "${want[@]}"; do
        "rule_${r//-/_}"
    done
    log "captured ${#want[@]} rule(s) in $(( ($(date +%s%N) - start) / 1000000 )) ms"
    python3 "$CHECKER" "$SAMPLES" "${want[@]}"
    log "the samples' expect entries are checked by: ./mvnw test -Dtest=RuleSamplesTest" \
        "(-Drule-samples.update=true rewrites them from what the rules say now)"
}

main "$@"
