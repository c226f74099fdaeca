#!/bin/bash
# capture-parser-fixtures.sh - capture the parser fixtures with the REAL probe.
#
# Usage (as root):  bash src/test/probe/capture-parser-fixtures.sh [--list] [SCENARIO...]
#
# Each scenario is ONE network namespace "node" (nrp-<scenario>, with "hub" namespaces playing
# the gateway and pod side of its veths). Once it is built, the probe from src/main/resources/probe
# runs three times in that same, unchanged namespace, each time in its own mount + UTS namespace
# that decides which tools the probe can find:
#   json.json      the system's tools: iproute2 `ip -j`, `ss`
#   iptext.json    BusyBox: `ip` and `netstat` are symlinks to busybox in a private PATH dir;
#                  the real ip, ss and netstat are hidden (so `ip -j` fails -> plain `ip` text,
#                  and `netstat -plntu` fails -> `netstat -lntu`)
#   nettools.json  no ip, no ss: Debian's net-tools (ifconfig -a, route -n, arp -an, netstat -plntu)
# Tools are hidden with read-only overlay mounts holding whiteouts over /usr/bin, /usr/sbin
# (and /usr/local/*), inside the probe's private mount namespace only, so the probe's own
# PATH additions (/usr/sbin, /sbin) cannot find them either; every other tool stays. Before
# each run the script checks where ip, ss, netstat, ifconfig, route and arp resolve.
# The reports land, untouched, in src/test/resources/parser-fixtures/<scenario>/; each
# scenario's directory is replaced as a whole. Afterwards check_parser_fixtures.py decodes
# the three forms and checks that they describe the same interfaces, addresses, routes,
# neighbours and listening ports.
#
# Scenarios:
#   basic  eth0 10.213.50.2/24 up, default via 10.213.50.1, 10.244.3.0/24 via 10.213.50.9,
#          eth1 (veth) DOWN with 192.168.60.5/24; kubelet 0.0.0.0:10250, kube-apiserver
#          10.213.50.2:6443, flanneld udp 0.0.0.0:8472
#   ipv6   eth0 10.213.51.2/24 + 2001:db8:51::2/64 (nodad), IPv4 and IPv6 default routes,
#          a long 2001:db8:51:0:aaaa:bbbb:cccc:10/64; kubelet [::]:10250 (dual-stack),
#          kube-apiserver [2001:db8:51::2]:6443, etcd on the long address, flanneld udp [::]:8472
#   many   eth0 (plus a labelled and an unlabelled secondary IPv4), veths cali1234abcd and
#          cali5f3e9a01 (pods behind them), vxlan.calico and flannel.1 (real vxlan devices
#          when the kernel has vxlan, else veths), eth0.100 (a VLAN when the kernel has 8021q,
#          else a veth); scope-link, onlink, blackhole and unreachable routes; a permanent and
#          a FAILED neighbour; kubelet, calico-node (bird),
#          kube-controller-manager (a name longer than 15 characters), the vxlan kernel sockets
#
# What it creates, and removes again (also on failure or Ctrl-C): network namespaces nrp-*,
# listener processes in them (copies of /usr/bin/python3 named kubelet, ...), a scratch dir
# /dev/shm/nrp-capture.*. Mounts only exist in the probe runs' private mount namespaces.
# Nothing is added to the root namespace.
# Needs: iproute2, busybox (with ip, netstat, ping), net-tools, util-linux, python3 (/usr/bin).
set -Eeuo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../../.." && pwd)
PROBE_SRC=$REPO/src/main/resources/probe/netready-probe.sh
FIXTURES=$REPO/src/test/resources/parser-fixtures
CHECKER=$HERE/check_parser_fixtures.py
P=nrp-                                  # prefix of every namespace this script creates
CLEAN_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
# real directories searched by CLEAN_PATH (and the probe's own additions); /sbin and /bin
# may be symlinks to /usr/sbin and /usr/bin (merged /usr)
BIN_DIRS=(/usr/local/sbin /usr/local/bin /usr/sbin /usr/bin /sbin /bin)
BUSYBOX=/usr/bin/busybox
FORMS=(json iptext nettools)
SCENARIOS=(basic ipv6 many)

# ------------------------------------------------------------------ state and cleanup

S=                      # scratch dir
NSLIST=()               # namespaces created (full names)
PIDS=()                 # listener processes started
RUN_N=0
LINK_N=0
HIF=                    # hub-side name of the last veth made
NOTES=()                # what the kernel did not allow (printed at the end)

log() { printf 'capture: %s\n' "$*" >&2; }
die() { printf 'capture: ERROR: %s\n' "$*" >&2; exit 1; }

# cleanup_scenario: undo everything a scenario created (safe to call repeatedly)
cleanup_scenario() {
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
}

# ------------------------------------------------------------------ building blocks

ns_add() { # NAME: a namespace with lo up
    ip netns add "$P$1"
    NSLIST+=("$P$1")
    ip -n "$P$1" link set lo up
}

nx() { # NS ARGS...: run ip in namespace NS
    local ns=$1
    shift
    ip -n "$P$ns" "$@"
}

# veth NODE IFNAME HUB [ADDR/PFX] [GW/PFX]: a veth IFNAME in NODE whose peer (h<N>) is in HUB,
# both ends up; ADDR on IFNAME, GW on the peer. Sets HIF to the peer's name.
veth() {
    local node=$1 ifname=$2 hub=$3 addr=${4:-} gw=${5:-} hif
    LINK_N=$((LINK_N + 1))
    hif=h$LINK_N
    HIF=$hif
    nx "$hub" link add "$hif" type veth peer name "$ifname" netns "$P$node"
    [ -z "$gw" ] || nx "$hub" addr add "$gw" dev "$hif"
    nx "$hub" link set "$hif" up
    [ -z "$addr" ] || nx "$node" addr add "$addr" dev "$ifname"
    nx "$node" link set "$ifname" up
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

# ping_from NS ADDR...: one echo to each ADDR (fills the neighbour tables on both sides)
ping_from() {
    local ns=$1 a
    shift
    for a in "$@"; do
        ip netns exec "$P$ns" "$BUSYBOX" ping -c 1 -W 2 "$a" >/dev/null ||
            die "ping $a from $ns failed"
    done
}

# neigh_failed NODE ADDR: ask for ADDR (nobody answers) and wait until the entry is FAILED
neigh_failed() {
    local i
    ip netns exec "$P$1" "$BUSYBOX" ping -c 1 -W 1 "$2" >/dev/null 2>&1 || true
    for ((i = 0; i < 100; i++)); do
        nx "$1" neigh show "$2" | grep -q FAILED && return 0
        sleep 0.1
    done
    die "neighbour $2 of $1 not FAILED after 10 s"
}

# settle NODE: wait until no IPv6 address of NODE is tentative (DAD done), so the three runs
# see the same address flags
settle() {
    local i
    for ((i = 0; i < 100; i++)); do
        [ -z "$(nx "$1" -6 addr show tentative)" ] && return 0
        sleep 0.1
    done
    die "IPv6 addresses of $1 still tentative after 10 s"
}

# ------------------------------------------------------------------ probe runs

# What runs inside the probe's private mount + UTS namespace, before the probe itself:
# a copy-on-write overlay on /etc with the node's machine-id, hosts and resolv.conf; read-only
# overlays with whiteouts over the bin directories that hold a tool listed in NR_HIDE; the
# hostname; then it records where each tool resolves (with the probe's PATH) and runs the probe.
# shellcheck disable=SC2016 # expanded by the inner sh
IN_NS='
set -eu
r=$NR_RUN
mkdir -p "$r/ov/etc/u" "$r/ov/etc/w"
mount -t overlay nrp-ov -o "lowerdir=/etc,upperdir=$r/ov/etc/u,workdir=$r/ov/etc/w" /etc
for f in machine-id hosts resolv.conf; do
    rm -f "/etc/$f"
    cp "$NR_NODE/$f" "/etc/$f"
done
for d in $NR_BIN_DIRS; do
    made=0
    for t in $NR_HIDE; do
        if [ -e "$d/$t" ] || [ -L "$d/$t" ]; then
            mkdir -p "$r/wh$d"
            mknod "$r/wh$d/$t" c 0 0
            made=1
        fi
    done
    if [ "$made" = 1 ]; then
        mount -t overlay nrp-hide -o "lowerdir=$r/wh$d:$d" "$d"
    fi
done
printf "%s" "$NR_HOSTNAME" >/proc/sys/kernel/hostname
for t in ip ss netstat ifconfig route arp; do
    printf "%s=%s\n" "$t" "$(command -v "$t" || true)"
done >"$r/tools"
exec "$@"
'

# form_env FORM: sets F_PATH, F_HIDE (tools to hide) and F_WANT (expected "tool=path" lines)
form_env() {
    local tools=$S/tools/$1
    case $1 in
        json)
            F_PATH=$CLEAN_PATH
            F_HIDE=
            F_WANT="ip=$(command -v ip) ss=$(command -v ss)"
            ;;
        iptext)
            mkdir -p "$tools"
            ln -sfn "$BUSYBOX" "$tools/ip"
            ln -sfn "$BUSYBOX" "$tools/netstat"
            F_PATH=$tools:$CLEAN_PATH
            F_HIDE="ip ss netstat"
            F_WANT="ip=$tools/ip ss= netstat=$tools/netstat"
            ;;
        nettools)
            F_PATH=$CLEAN_PATH
            F_HIDE="ip ss"
            F_WANT="ip= ss= netstat=$(command -v netstat) ifconfig=$(command -v ifconfig)"
            F_WANT+=" route=$(command -v route) arp=$(command -v arp)"
            ;;
        *) die "unknown form $1" ;;
    esac
}

# node_files NODE HOSTNAME IPV4 [NAMESERVER]: the node's machine-id, hosts and resolv.conf,
# shared by its three runs
node_files() {
    local d=$S/node/$1
    mkdir -p "$d"
    od -An -tx1 -N16 /dev/urandom | tr -d ' \n' >"$d/machine-id"
    printf '\n' >>"$d/machine-id"
    printf '127.0.0.1\tlocalhost\n%s\t%s\n::1\tlocalhost ip6-localhost ip6-loopback\n' \
        "$3" "$2" >"$d/hosts"
    printf 'nameserver %s\n' "${4:-10.96.0.10}" >"$d/resolv.conf"
    printf '%s' "$2" >"$d/hostname"
}

# probe_run NODE FORM OUT ROLE: the real probe in NODE's namespace, in a fresh mount + UTS
# namespace set up for FORM, with --output
probe_run() {
    local node=$1 form=$2 out=$3 role=$4 run host w got
    form_env "$form"
    RUN_N=$((RUN_N + 1))
    run=$S/run/$RUN_N
    mkdir -p "$run"
    host=$(cat "$S/node/$node/hostname")
    if ! ip netns exec "$P$node" unshare --uts --mount --propagation private \
        env -i PATH="$F_PATH" NR_RUN="$run" NR_NODE="$S/node/$node" NR_HOSTNAME="$host" \
        NR_HIDE="$F_HIDE" NR_BIN_DIRS="${BIN_DIRS[*]}" \
        /bin/sh -c "$IN_NS" in-ns /bin/sh "$S/netready-probe.sh" --quiet --role "$role" \
        --output "$run/report.json" 2>"$run/stderr"; then
        cat "$run/stderr" >&2
        die "probe run $form for $node failed"
    fi
    for w in $F_WANT; do
        got=$(grep "^${w%%=*}=" "$run/tools" || true)
        [ "$got" = "$w" ] || die "$form run of $node: wanted $w, the probe's PATH gave $got"
    done
    mkdir -p "$(dirname "$out")"
    cp "$run/report.json" "$out"
    log "  $(printf '%-22s' "${out#"$S"/out/}") $(sed "s|$S/|\$S/|" "$run/tools" | tr '\n' ' ')"
}

# netstate NODE: the node's links, addresses and routes (all tables), without counters
netstate() {
    nx "$1" -d link show
    nx "$1" addr show
    nx "$1" route show table all
    nx "$1" -6 route show table all
}

# capture NODE ROLE: the three runs, one right after the other, in the unchanged namespace
# (checked: links, addresses and routes are the same before the first and after the last run;
# neighbour states may age, e.g. REACHABLE -> STALE, that is the kernel's doing)
capture() {
    local form before
    settle "$1"
    before=$(netstate "$1")
    for form in "${FORMS[@]}"; do
        probe_run "$1" "$form" "$OUT/$form.json" "$2"
    done
    [ "$before" = "$(netstate "$1")" ] || die "the namespace of $1 changed during the runs"
}

# ------------------------------------------------------------------ scenario bookkeeping

CUR=
OUT=

begin_scenario() {
    CUR=$1
    OUT=$S/out/$1
    rm -rf "$OUT"
    mkdir -p "$OUT"
    log "$1"
}

end_scenario() {
    cleanup_scenario
    mkdir -p "$FIXTURES"
    rm -rf "${FIXTURES:?}/$CUR"
    cp -r "$OUT" "$FIXTURES/$CUR"
}

# ------------------------------------------------------------------ scenarios

scenario_basic() {
    begin_scenario basic
    ns_add basic
    ns_add hub-basic
    veth basic eth0 hub-basic 10.213.50.2/24 10.213.50.1/24
    nx basic route add default via 10.213.50.1 dev eth0
    nx basic route add 10.244.3.0/24 via 10.213.50.9 dev eth0
    # a second veth, administratively down, with an address (its peer is up)
    veth basic eth1 hub-basic 192.168.60.5/24 192.168.60.1/24
    nx basic link set eth1 down
    listen basic kubelet 10250
    listen basic kube-apiserver 10.213.50.2:6443
    listen basic flanneld udp:8472
    ping_from basic 10.213.50.1
    node_files basic pf-basic 10.213.50.2 10.213.50.1
    capture basic control-plane
    end_scenario
}

scenario_ipv6() {
    begin_scenario ipv6
    ns_add ipv6
    ns_add hub-ipv6
    veth ipv6 eth0 hub-ipv6 10.213.51.2/24 10.213.51.1/24
    nx hub-ipv6 -6 addr add 2001:db8:51::1/64 dev "$HIF" nodad
    # the hub routes: its neighbour advertisements carry the router flag
    ip netns exec "${P}hub-ipv6" sysctl -qw net.ipv6.conf.all.forwarding=1
    nx ipv6 -6 addr add 2001:db8:51::2/64 dev eth0 nodad
    # a long address: netstat cuts "address:port" to 23 characters
    nx ipv6 -6 addr add 2001:db8:51:0:aaaa:bbbb:cccc:10/64 dev eth0 nodad
    nx ipv6 route add default via 10.213.51.1 dev eth0
    nx ipv6 -6 route add default via 2001:db8:51::1 dev eth0
    listen ipv6 kubelet '[::]:10250'
    listen ipv6 kube-apiserver '[2001:db8:51::2]:6443'
    listen ipv6 etcd '[2001:db8:51:0:aaaa:bbbb:cccc:10]:2379'
    listen ipv6 flanneld 'udp:[::]:8472'
    settle ipv6
    settle hub-ipv6
    ping_from ipv6 10.213.51.1 2001:db8:51::1
    node_files ipv6 pf-ipv6 10.213.51.2 2001:db8:51::1
    capture ipv6 worker
    end_scenario
}

# vxlan_dev NODE NAME VNI PORT: a real vxlan device over eth0, or a veth of that name when
# the kernel has no vxlan
vxlan_dev() {
    if nx "$1" link add "$2" type vxlan id "$3" dstport "$4" dev eth0 2>/dev/null; then
        nx "$1" link set "$2" up
    else
        NOTES+=("many: kernel refused a vxlan device, $2 is a veth")
        veth "$1" "$2" "hub-$1"
    fi
}

scenario_many() {
    begin_scenario many
    local pod ifname addr
    ns_add many
    ns_add hub-many
    veth many eth0 hub-many 10.213.52.2/24 10.213.52.1/24
    # a labelled secondary (keepalived-style VIP) and an unlabelled one
    nx many addr add 10.213.52.100/24 dev eth0 label eth0:vip
    nx many addr add 10.213.52.101/24 dev eth0
    nx many route add default via 10.213.52.1 dev eth0
    # calico-style pod veths: the pod side has 10.244.x.y/32 and a default route out of it
    for pod in a:cali1234abcd:10.244.1.5 b:cali5f3e9a01:10.244.1.6; do
        IFS=: read -r pod ifname addr <<<"$pod"
        ns_add "pod-$pod"
        nx many link add "$ifname" type veth peer name eth0 netns "${P}pod-$pod"
        nx many link set "$ifname" up
        nx "pod-$pod" addr add "$addr/32" dev eth0
        nx "pod-$pod" link set eth0 up
        nx "pod-$pod" route add default dev eth0
        nx many route add "$addr" dev "$ifname" scope link
    done
    vxlan_dev many vxlan.calico 4096 4789
    nx many addr add 10.244.64.0/32 dev vxlan.calico
    nx many route add 10.244.130.0/26 via 10.244.130.0 dev vxlan.calico onlink
    nx many route add blackhole 10.244.64.0/26 proto 80
    nx many route add unreachable 10.244.65.0/26
    vxlan_dev many flannel.1 1 8472
    nx many addr add 10.244.0.0/32 dev flannel.1
    nx many route add 10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink
    if nx many link add link eth0 name eth0.100 type vlan id 100 2>/dev/null; then
        nx many link set eth0.100 up
        nx many addr add 192.168.100.2/24 dev eth0.100
    else
        NOTES+=("many: kernel refused a VLAN device (no 8021q), eth0.100 is a veth")
        veth many eth0.100 hub-many 192.168.100.2/24 192.168.100.1/24
    fi
    listen many kubelet '[::]:10250'
    listen many calico-node 179
    listen many kube-controller-manager 127.0.0.1:10257
    settle many
    ping_from many 10.213.52.1 10.244.1.5 10.244.1.6
    # a static entry and a failed one (nobody has 10.213.52.77)
    nx many neigh add 10.213.52.50 lladdr 02:00:0a:d5:34:32 dev eth0 nud permanent
    neigh_failed many 10.213.52.77
    node_files many pf-many 10.213.52.2 10.213.52.1
    capture many worker
    end_scenario
}

# ------------------------------------------------------------------ main

main() {
    local s want=() start c
    while [ "$#" -gt 0 ]; do
        case $1 in
            --list) printf '%s\n' "${SCENARIOS[@]}"; return 0 ;;
            -h | --help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; return 0 ;;
            -*) die "unknown option $1" ;;
            *)
                declare -F "scenario_$1" >/dev/null || die "unknown scenario $1 (see --list)"
                want+=("$1")
                ;;
        esac
        shift
    done
    [ "${#want[@]}" -gt 0 ] || want=("${SCENARIOS[@]}")
    [ "$(id -u)" = 0 ] || die "needs root (network namespaces, mounts)"
    for c in ip ss unshare mknod ifconfig route arp netstat python3; do
        command -v "$c" >/dev/null || die "needs $c"
    done
    [ -x "$BUSYBOX" ] || die "needs $BUSYBOX (apt-get install busybox)"
    for c in ip netstat ping; do
        "$BUSYBOX" --list | grep -qx "$c" || die "$BUSYBOX has no $c applet"
    done

    start=$(date +%s%N)
    trap on_exit EXIT
    trap 'log "failed at line $LINENO: $BASH_COMMAND"' ERR
    trap 'exit 130' INT
    trap 'exit 143' TERM
    remove_leftovers
    S=$(mktemp -d /dev/shm/nrp-capture.XXXXXX)
    chmod 755 "$S"
    cp "$PROBE_SRC" "$S/netready-probe.sh"
    for s in "${want[@]}"; do
        "scenario_$s"
    done
    for s in "${NOTES[@]}"; do log "note: $s"; done
    log "captured ${#want[@]} scenario(s) in $(( ($(date +%s%N) - start) / 1000000 )) ms"
    python3 "$CHECKER" "$FIXTURES" "${want[@]}"
}

main "$@"
