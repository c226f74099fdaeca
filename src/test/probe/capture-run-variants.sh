#!/bin/bash
# capture-run-variants.sh - capture one node's reports from the REAL probe, run three ways, for the tests of what
# "current" means and of the diff: src/test/resources/run-variants/
#   root-worker.json          as root, --role worker
#   nobody-worker.json        as nobody (uid 65534, setpriv, as a user would run it), --role worker, seconds later
#   root-control-plane.json   as root, --role control-plane
#
# Usage (as root):  bash src/test/probe/capture-run-variants.sh
#
# The node is a network namespace (nrv-node; its peer end in nrv-hub) with eth0 10.213.95.11/24, a default route via
# 10.213.95.1, and three listeners, each a copy of the system python3 named as the process it plays:
#   kubelet     0.0.0.0:10250        a service peers reach
#   containerd  127.0.0.1:<port 0>   the kernel picks a port in the ephemeral range, a new one for every run (as
#                                    containerd's CRI streaming server does on each restart)
#   chronyd     udp 127.0.0.1:323    a fixed loopback port, kept by the listener diff
# The probe runs in its own UTS namespace (hostname nrv-w1). Nothing is added to the root namespace; the namespaces
# and listeners are removed on exit.
set -Eeuo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../../.." && pwd)
OUT=$REPO/src/test/resources/run-variants
N=nrv-node
H=nrv-hub
SCRATCH=$(mktemp -d /dev/shm/nr-variants.XXXXXX)
PIDS=()

cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    ip netns del "$N" 2>/dev/null || true
    ip netns del "$H" 2>/dev/null || true
    rm -rf "$SCRATCH"
}
trap cleanup EXIT

[ "$(id -u)" = 0 ] || { echo "run as root" >&2; exit 2; }
chmod 755 "$SCRATCH"
cp "$REPO/src/main/resources/probe/netready-probe.sh" "$SCRATCH/probe.sh"
chmod 755 "$SCRATCH/probe.sh"

ip netns add "$N"
ip netns add "$H"
ip link add nrv-eth0 type veth peer name nrv-hub0
ip link set nrv-eth0 netns "$N"
ip link set nrv-hub0 netns "$H"
ip -n "$N" link set nrv-eth0 name eth0
ip -n "$N" link set lo up
ip -n "$N" link set eth0 up
ip -n "$N" addr add 10.213.95.11/24 dev eth0
ip -n "$N" route add default via 10.213.95.1
ip -n "$H" link set lo up
ip -n "$H" link set nrv-hub0 up
ip -n "$H" addr add 10.213.95.1/24 dev nrv-hub0

# listen NAME PROTO ADDR PORT: a copy of python3 named NAME holding one socket in the node's namespace
listen() {
    local name=$1 proto=$2 addr=$3 port=$4
    cp "$(readlink -f /usr/bin/python3)" "$SCRATCH/$name"
    ip netns exec "$N" "$SCRATCH/$name" -c '
import socket, sys, time
proto, addr, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM if proto == "tcp" else socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((addr, port))
if proto == "tcp":
    s.listen(16)
time.sleep(3600)' "$proto" "$addr" "$port" &
    PIDS+=($!)
    LAST=$!
    for _ in $(seq 50); do
        if ip netns exec "$N" ss -Hlnp | grep -q "pid=$LAST,"; then return 0; fi
        sleep 0.1
    done
    echo "listener $name did not start" >&2
    exit 1
}

# probe FILE USER ROLE: one run of the real probe on the node, written to FILE
probe() {
    local file=$1 user=$2 role=$3
    local as=()
    [ "$user" = root ] || as=(setpriv --reuid=65534 --regid=65534 --clear-groups)
    ip netns exec "$N" unshare --uts sh -c 'hostname nrv-w1 && exec "$@"' sh \
        "${as[@]}" env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/ \
        dash "$SCRATCH/probe.sh" --role "$role" --output - >"$SCRATCH/out.json"
    mv "$SCRATCH/out.json" "$file"
}

mkdir -p "$OUT"
listen kubelet tcp 0.0.0.0 10250
listen chronyd udp 127.0.0.1 323
listen containerd tcp 127.0.0.1 0
probe "$OUT/root-worker.json" root worker
probe "$OUT/root-control-plane.json" root control-plane
# containerd restarts: a new ephemeral port; the probe then runs as nobody, seconds later
kill "$LAST"
listen containerd tcp 127.0.0.1 0
sleep 2
probe "$OUT/nobody-worker.json" nobody worker
echo "wrote $OUT"
