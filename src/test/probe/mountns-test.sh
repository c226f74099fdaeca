#!/bin/sh
# shellcheck disable=SC2086,SC2016,SC2317,SC1003 # word splitting of "$s" (e.g. "busybox sh") and sh -c bodies are intended
# Manual test for file-based sections (needs root + unshare). Inside a private
# mount namespace it fakes /sys/class/dmi/id/product_uuid (root-only), a CNI
# config dir with odd file names, /opt/cni/bin and kubelet files, then runs the
# probe as root and as nobody. Nothing outside the mount namespace changes.
# Usage: sh mountns-test.sh [SHELL]
here=$(cd "$(dirname "$0")" && pwd)
# The namespace mounts tmpfs over /tmp (and more), which may hold this checkout: work from copies in /dev/shm.
scratch=$(mktemp -d /dev/shm/netready-probe-test.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
cp "$here/../../main/resources/probe/netready-probe.sh" "$here/validate_report.py" "$scratch/"
chmod 755 "$scratch"; chmod 644 "$scratch"/*
export NR_PROBE="$scratch/netready-probe.sh"
export NR_CHECK="python3 $scratch/validate_report.py"
export NR_SHELL="${1:-sh}"
cd /
unshare -m sh -c '
set -u
mount --make-rprivate /
# a private tmpfs on /tmp: every scratch file vanishes with the namespace
mount -t tmpfs tmpfs /tmp
etc=$(mktemp -d)
cp -a /etc/. "$etc/"
mount --bind "$etc" /etc
mount -t tmpfs tmpfs /sys/class
mkdir -p /sys/class/dmi/id
echo 4C4C4544-0000-1111-2222-333344445555 >/sys/class/dmi/id/product_uuid
chmod 0400 /sys/class/dmi/id/product_uuid
mkdir -p /etc/cni/net.d /etc/kubernetes
d=/etc/cni/net.d
echo "{\"cniVersion\":\"1.0.0\",\"name\":\"k8s\"}" >$d/10-calico.conflist
echo "{}" >$d/05-Flannel.conf
echo "{}" >"$d/bad name.conf"
printf "{}" >"$d/$(printf "new\nline.conf")"
echo "{}" >$d/.hidden.conf
echo "{}" >$d/20-Dup.conf; echo "{}" >$d/20-dup.conf
echo "{}" >"$d/99-x\$y.conf"
mkdir $d/subdir
echo secret >$d/root-only.conf; chmod 0600 $d/root-only.conf
echo "kubeconfig: never-read" >/etc/kubernetes/kubelet.conf
mount -t tmpfs tmpfs /opt
mkdir -p /opt/cni/bin; : >/opt/cni/bin/bridge; chmod 755 /opt/cni/bin/bridge
mount -t tmpfs tmpfs /var/lib
mkdir -p /var/lib/kubelet
printf "kind: KubeletConfiguration\ncgroupDriver: systemd\n" >/var/lib/kubelet/config.yaml
echo "KUBELET_KUBEADM_ARGS=--node-ip=192.0.2.10" >/var/lib/kubelet/kubeadm-flags.env
fail=0
echo "== as root ($NR_SHELL)"
$NR_SHELL "$NR_PROBE" --output - 2>/dev/null >/tmp/nr-m.json
$NR_CHECK --status product-uuid=ok --status cni-config/10-calico.conflist=ok \
  --status cni-config/05-flannel.conf=ok --status cni-config/.hidden.conf=ok \
  --status cni-config-skipped=ok --status kubelet-config=ok --status kubelet-flags=ok \
  --status cni-bin=ok --show cni-config-skipped --show product-uuid --show kubelet-flags </tmp/nr-m.json || fail=1
python3 -c "import json,sys; d=json.load(sys.stdin); print(\"phase:\", d[\"phase\"]); print(\"cni sections:\", [(k, v[\"source\"]) for k, v in d[\"sections\"].items() if k.startswith(\"cni\")])" </tmp/nr-m.json
echo "== as nobody ($NR_SHELL)"
setpriv --reuid=65534 --regid=65534 --clear-groups $NR_SHELL "$NR_PROBE" --output - 2>/dev/null >/tmp/nr-m.json
$NR_CHECK --status product-uuid=denied --status cni-config/root-only.conf=denied \
  --status iptables=denied --status nftables=denied --status cni-config/10-calico.conflist=ok </tmp/nr-m.json || fail=1
rm -f /tmp/nr-m.json
[ "$fail" -eq 0 ] && echo PASS || echo FAIL
exit $fail
'
