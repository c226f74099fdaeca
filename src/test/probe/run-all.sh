#!/bin/sh
# shellcheck disable=SC2086,SC2016,SC2317,SC1003 # word splitting of "$s" (e.g. "busybox sh") and sh -c bodies are intended
# Runs the manual probe checks (root needed for the namespace tests).
# Requires: shellcheck, dash, busybox, bash, python3 (for validation only), iproute2,
# iptables, util-linux (unshare, setpriv).
here=$(cd "$(dirname "$0")" && pwd)
probe="$here/../../main/resources/probe/netready-probe.sh"
check="python3 $here/validate_report.py"
rc=0
echo "== shellcheck -s dash"
shellcheck -s dash "$probe" && echo "clean" || rc=1
for s in dash "busybox sh" bash; do
    echo "== $s --output - (root namespace, uid $(id -u))"
    start=$(date +%s%N)
    $s "$probe" --output - 2>/dev/null | $check || rc=1
    echo "   wall $(( ($(date +%s%N) - start) / 1000000 )) ms"
    echo "== $s as nobody"
    setpriv --reuid=65534 --regid=65534 --clear-groups $s "$probe" --output - 2>/dev/null |
        $check --status iptables=denied --status nftables=denied || rc=1
done
for s in dash "busybox sh" bash; do
    sh "$here/netns-test.sh" "$s" || rc=1
    sh "$here/mountns-test.sh" "$s" || rc=1
    sh "$here/fallback-test.sh" "$s" | grep -E 'VALID|==|manual ==' || rc=1
done
[ "$rc" -eq 0 ] && echo "ALL PASSED" || echo "SOME CHECKS FAILED"
exit "$rc"
