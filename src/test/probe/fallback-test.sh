#!/bin/sh
# shellcheck disable=SC2086,SC2016,SC2317,SC1003 # word splitting of "$s" (e.g. "busybox sh") and sh -c bodies are intended
# Manual test of the net-tools / no-ip / no-sysctl fallbacks (needs root + unshare).
# Inside a private mount + network namespace: /usr/sbin is hidden, PATH holds only
# a few coreutils plus ifconfig, route, arp and netstat; the netns has odd interface
# names and /proc/sys/net/bridge is hidden (missing keys). The hand-made sysctl
# output is compared byte for byte with the real sysctl command's output.
# Usage: sh fallback-test.sh [SHELL]
here=$(cd "$(dirname "$0")" && pwd)
# The namespace mounts tmpfs over /tmp (and more), which may hold this checkout: work from copies in /dev/shm.
scratch=$(mktemp -d /dev/shm/netready-probe-test.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
cp "$here/../../main/resources/probe/netready-probe.sh" "$here/validate_report.py" "$scratch/"
chmod 755 "$scratch"; chmod 644 "$scratch"/*
export NR_PROBE="$scratch/netready-probe.sh"
NR_PY=$(command -v python3)
NR_CHECK="$NR_PY $scratch/validate_report.py"
export NR_PY NR_CHECK
export NR_SHELL="${1:-sh}"
cd /
unshare -m -n sh -c '
set -u
mount --make-rprivate /
mount -t tmpfs tmpfs /tmp
bin=/tmp/bin; mkdir $bin
for c in cat head tr base64 wc date id uname ls sort od cp mkdir rm mv hostname printf; do
    ln -s "$(command -v $c)" $bin/$c
done
cp /usr/sbin/ifconfig /usr/sbin/route /usr/sbin/arp /usr/bin/netstat $bin/
mkdir /tmp/bin2; cp /usr/sbin/sysctl /tmp/bin2/
ip link set lo up
ip link add eth0.100 type veth peer name "a=b"
ip link add "x*y" type veth peer name "v.1.2"
mount -t tmpfs tmpfs /proc/sys/net/bridge
# the probe appends /usr/sbin and /sbin to PATH: hide them
mount -t tmpfs tmpfs /usr/sbin
sh_path=$(command -v ${NR_SHELL%% *})
sh_args=${NR_SHELL#"${NR_SHELL%% *}"}
echo "== fallbacks under $NR_SHELL"
env -i PATH=$bin $sh_path $sh_args "$NR_PROBE" --output - 2>/tmp/err >/tmp/r.json
echo "rc=$?"
$NR_CHECK --summary --status links=ok --status routes=ok --status neighbours=ok \
  --status listeners=ok --status sysctl=error --status routes6=missing --status iptables=missing \
  </tmp/r.json | grep -E "^(links|addresses|routes|routes6|neighbours|listeners|sysctl|iptables) |durationMs|VALID|INVALID"
env -i PATH=$bin:/tmp/bin2 $sh_path $sh_args "$NR_PROBE" --output - 2>/tmp/err >/tmp/r2.json
$NR_PY - /tmp/r.json /tmp/r2.json <<PY
import json, sys, base64
a, b = (json.load(open(f))["sections"]["sysctl"] for f in sys.argv[1:3])
dec = lambda s, k: base64.b64decode(s[k]).decode()
print("manual == sysctl command (stdout):", dec(a, "output") == dec(b, "output"))
print("manual status/rc:", a["status"], a["exitCode"], "/ sysctl command status/rc:", b["status"], b["exitCode"])
print("-- stdout:"); print(dec(a, "output"), end="")
print("-- manual stderr:"); print(dec(a, "stderr"), end="")
print("-- command stderr:"); print(dec(b, "stderr"), end="")
PY
'
