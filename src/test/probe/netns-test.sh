#!/bin/sh
# shellcheck disable=SC2086,SC2016,SC2317,SC1003 # word splitting of "$s" (e.g. "busybox sh") and sh -c bodies are intended
# Manual integration test for netready-probe.sh (needs root, iproute2, iptables,
# busybox, python3). Everything happens inside a throw-away network namespace
# "nrtest"; nothing is changed in the root namespace. Usage: sh netns-test.sh [SHELL]
set -u
here=$(cd "$(dirname "$0")" && pwd)
probe="$here/../../main/resources/probe/netready-probe.sh"
check="python3 $here/validate_report.py"
shell=${1:-sh}
ns=nrtest
out=$(mktemp)
fail=0

cleanup() {
    [ -n "${nc_pid:-}" ] && kill "$nc_pid" 2>/dev/null
    ip netns del "$ns" 2>/dev/null
    ip link del nrtest-h 2>/dev/null   # only exists if the move into the ns failed
    rm -f "$out"
}
trap cleanup EXIT

ip netns add "$ns" || exit 1
ip -n "$ns" link set lo up
# veth pair created directly inside the namespace (no host side is left behind)
ip -n "$ns" link add nrtest-a type veth peer name nrtest-b
ip -n "$ns" addr add 192.0.2.10/24 dev nrtest-a
ip -n "$ns" link set nrtest-a up
ip -n "$ns" link set nrtest-b up
ip -n "$ns" route add default via 192.0.2.1 dev nrtest-a
# awkward interface names: a dot (sysctl key uses '/'), '=' (sysctl would WRITE), glob chars
# (veth pairs: this test kernel has no dummy driver)
ip -n "$ns" link add eth0.100 type veth peer name 'a=b' || fail=1
ip -n "$ns" link add 'x*y' type veth peer name 'q"\\' || fail=1
ip netns exec "$ns" sysctl -qw net.ipv4.ip_forward=0
ip netns exec "$ns" sysctl -qw net.ipv4.conf.eth0/100.rp_filter=2
ip netns exec "$ns" iptables -A INPUT -p tcp --dport 10250 -j DROP
ip netns exec "$ns" busybox nc -l -p 10250 </dev/null >/dev/null 2>&1 &
nc_pid=$!
sleep 0.3

start=$(date +%s%N)
ip netns exec "$ns" $shell "$probe" --output - >"$out" 2>/dev/null
rc=$?
end=$(date +%s%N)
echo "probe under '$shell' in netns: rc=$rc wall=$(( (end - start) / 1000000 )) ms"
$check <"$out" || fail=1

want() { # SECTION TEXT
    if $check --show "$1" <"$out" 2>/dev/null | grep -qF -- "$2"; then
        echo "  ok   $1 contains: $2"
    else
        echo "  FAIL $1 lacks: $2"; fail=1
    fi
}
want addresses '"local":"192.0.2.10"'
want routes '"dst":"default","gateway":"192.0.2.1"'
want links '"ifname":"eth0.100"'
want sysctl 'net.ipv4.ip_forward = 0'
want sysctl 'net.ipv4.conf.eth0/100.rp_filter = 2'
want sysctl 'net.ipv4.conf.a=b.rp_filter = '
want sysctl 'net.ipv4.conf.x*y.rp_filter = '
want iptables '-A INPUT -p tcp -m tcp --dport 10250 -j DROP'
want listeners ':10250'
# iptables-save stamps each table with the time; the probe drops the stamps, so
# an unchanged firewall sends the same bytes on every run (stored once)
sleep 1.1
ip netns exec "$ns" $shell "$probe" --output - >"$out.again" 2>/dev/null
first=$($check --show iptables <"$out" 2>/dev/null)
again=$($check --show iptables <"$out.again" 2>/dev/null)
if [ -n "$first" ] && [ "$first" = "$again" ] && ! printf '%s\n' "$first" | grep -q '^# \(Generated\|Completed\)'; then
    echo "  ok   iptables section unstamped and the same one second later"
else
    echo "  FAIL iptables section stamped or changed between runs"; fail=1
fi
rm -f "$out.again"
# the probe must not have changed anything
if [ "$(ip netns exec "$ns" cat /proc/sys/net/ipv4/conf/a=b/rp_filter)" = "$(ip netns exec "$ns" cat /proc/sys/net/ipv4/conf/default/rp_filter)" ]; then
    echo "  ok   a=b rp_filter untouched"
else
    echo "  FAIL a=b rp_filter changed"; fail=1
fi
[ "$fail" -eq 0 ] && echo PASS || echo FAIL
exit "$fail"
