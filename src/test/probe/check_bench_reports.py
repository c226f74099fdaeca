#!/usr/bin/env python3
"""check_bench_reports.py - decode the benchmark reports and confirm what they hold.

Test tooling only (the probe never uses python).
  check_bench_reports.py [DIR]        check typical-worker.json, typical-control-plane.json and
                                      large-20k-iptables.json in DIR (default: src/test/resources/bench-reports)
                                      and the figures in DIR/probe-timing.txt; prints section sizes and counts
  check_bench_reports.py --counts F   print the count lines probe-timing.txt holds for report F
Exits 1 when a report does not show its scenario.
"""

import base64
import ipaddress
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_DIR = os.path.join(HERE, "..", "resources", "bench-reports")
POD_CIDR = {"typical": ipaddress.ip_network("10.244.0.0/16"), "large": ipaddress.ip_network("10.244.0.0/14")}
NODE_NET = {"typical": ipaddress.ip_network("10.213.60.0/24"), "large": ipaddress.ip_network("10.213.64.0/22")}

PROBLEMS = []


def problem(msg):
    PROBLEMS.append(msg)
    print("  PROBLEM: " + msg)


def expect(cond, msg):
    if not cond:
        problem(msg)


class Report:
    def __init__(self, path):
        self.path = path
        self.size = os.path.getsize(path)
        with open(path, "rb") as f:
            self.doc = json.loads(f.read().decode("utf-8"))
        self.sections = self.doc["sections"]
        self.out = {}
        for name, s in self.sections.items():
            out = base64.b64decode(s["output"], validate=True)
            base64.b64decode(s["stderr"], validate=True)
            if "sameAs" in s:
                continue  # its output is another section's (the probe did not send it twice)
            if s["truncated"] != (s["bytes"] > len(out)):
                problem("%s: %s bytes/truncated disagree" % (os.path.basename(path), name))
            self.out[name] = out.decode("utf-8", "replace")
        for name, s in self.sections.items():
            if "sameAs" in s:
                self.out[name] = self.out.get(s["sameAs"], "")

    def text(self, name):
        return self.out.get(name, "")

    def status(self, name):
        return self.sections.get(name, {}).get("status")

    # --- counts

    def iptables_rules(self, name="iptables"):
        """-A lines per table of an iptables-save dump"""
        tables, table = {}, None
        for line in self.text(name).splitlines():
            if line.startswith("*"):
                table = line[1:]
                tables.setdefault(table, 0)
            elif line.startswith("-A ") and table:
                tables[table] += 1
        return tables

    def nft_rules(self):
        """rule lines inside chains of `nft list ruleset` (not the type/policy lines)"""
        n, in_chain = 0, False
        for line in self.text("nftables").splitlines():
            s = line.strip()
            if s.startswith("chain ") and s.endswith("{"):
                in_chain = True
            elif s == "}":
                in_chain = False
            elif in_chain and s and not s.startswith("type ") and not s.startswith("policy ") \
                    and not s.startswith("comment "):
                n += 1
        return n

    def routes(self):
        t = self.text("routes")
        return json.loads(t) if t.startswith("[") else []

    def links(self):
        t = self.text("links")
        return json.loads(t) if t.startswith("[") else []

    def addresses(self):
        t = self.text("addresses")
        return json.loads(t) if t.startswith("[") else []

    def listeners(self):
        """(process, local address) of each TCP listener"""
        res = []
        for line in self.text("listeners").splitlines():
            f = line.split()
            if len(f) < 5 or f[0] != "tcp":
                continue
            m = re.search(r'users:\(\("([^"]+)"', line)
            res.append((m.group(1) if m else "-", f[4]))
        return res

    def sysctl(self):
        d = {}
        for line in self.text("sysctl").splitlines():
            if " = " in line:
                k, v = line.split(" = ", 1)
                d[k] = v
        return d


def counts(r, kind):
    """the figures that probe-timing.txt records, as (key, value)"""
    t = r.iptables_rules()
    routes = r.routes()
    pod = POD_CIDR[kind]
    peer = [x for x in routes if "gateway" in x and x.get("dst", "default") != "default"
            and ipaddress.ip_network(x["dst"]).subnet_of(pod)]
    rows = [
        ("iptables rules (iptables-save -A lines, all tables)", sum(t.values())),
        ("iptables rules by table", " ".join("%s=%d" % kv for kv in sorted(t.items()))),
        ("iptables-nft rules", sum(r.iptables_rules("iptables-nft").values())),
        ("ip6tables rules", sum(r.iptables_rules("ip6tables").values())),
        ("nftables rule lines", r.nft_rules()),
        ("routes (ip -j route show entries)", len(routes)),
        ("peer pod-subnet routes via node IPs", len(peer)),
        ("links", len(r.links())),
    ]
    return rows


def print_sections(r):
    print("  %-30s %-7s %10s %10s  %s" % ("section", "status", "bytes", "in JSON", "source"))
    rows = sorted(r.sections.items(), key=lambda kv: -len(kv[1]["output"]))
    for name, s in rows:
        print("  %-30s %-7s %10d %10d  %s%s" % (name, s["status"], s["bytes"], len(s["output"]) + len(s["stderr"]),
                                              s["source"][:40], "  TRUNCATED" if s["truncated"] else ""))


def check_node(r, name, kind, role, rules_range, peer_routes, hostname_prefix):
    d = r.doc
    print("\n== %s: %d bytes, %d sections, role %s, phase %s, probe durationMs %d, hostname %s" % (
        name, r.size, len(r.sections), d["role"], d["phase"], d["probe"]["durationMs"], r.text("hostname").strip()))
    print_sections(r)
    for k, v in counts(r, kind):
        print("  %-55s %s" % (k + ":", v))
    expect(d["format"] == "netready.report/v1", "format")
    expect(d["role"] == role and d["phase"] == "running", "role/phase %s/%s" % (d["role"], d["phase"]))
    host = r.text("hostname").strip()
    expect(host.startswith(hostname_prefix), "hostname %r" % host)
    expect(re.search(r"^\S+\s+%s\s*$" % re.escape(host), r.text("hosts"), re.M), "hostname not in /etc/hosts")
    ns = re.findall(r"^nameserver\s+(\S+)", r.text("resolv-conf"), re.M)
    expect(ns and not ipaddress.ip_address(ns[0]).is_loopback, "nameserver %r" % ns)
    for s, st in r.sections.items():
        expect(not st["truncated"], "section %s truncated (%d bytes on the node)" % (s, st["bytes"]))
    for s in ("iptables", "iptables-nft", "nftables", "routes", "links", "listeners", "kubelet-config",
              "cni-config/10-flannel.conflist", "cni-bin", "hosts", "resolv-conf"):
        expect(r.status(s) == "ok", "section %s is %s" % (s, r.status(s)))

    # iptables: kube-proxy's shape, really loaded (it comes back from iptables-save and nft)
    t = r.iptables_rules()
    total = sum(t.values())
    expect(rules_range[0] <= total <= rules_range[1], "%d iptables rules, wanted %d-%d" % ((total,) + rules_range))
    ipt = r.text("iptables")
    for chain in ("KUBE-SERVICES", "KUBE-NODEPORTS", "KUBE-POSTROUTING", "KUBE-FIREWALL", "KUBE-MARK-MASQ"):
        expect(re.search(r"^:%s " % chain, ipt, re.M), "no chain " + chain)
    expect(len(re.findall(r"^-A KUBE-SVC-[A-Z0-9]{16} ", ipt, re.M)) > 100, "few KUBE-SVC-* rules")
    expect(len(re.findall(r"^-A KUBE-SEP-[A-Z0-9]{16} .*-j DNAT --to-destination ", ipt, re.M)) > 100,
           "few DNAT rules in KUBE-SEP-*")
    expect("-m statistic --mode random --probability" in ipt, "no statistic rules")
    expect(re.search(r'--comment "?[a-z-]+/[a-z0-9-]+(:[a-z0-9-]+)? cluster IP"?', ipt), "no cluster IP comments")
    expect(sum(r.iptables_rules("iptables-nft").values()) == total, "iptables-nft-save disagrees with iptables-save")
    expect(r.nft_rules() >= total, "nft list ruleset has fewer rules than iptables-save")
    expect(sum(r.iptables_rules("ip6tables").values()) > 0, "no ip6tables rules")

    # routes: default, and each peer's pod subnet via its node IP
    routes = r.routes()
    expect(any(x.get("dst") == "default" for x in routes), "no default route")
    pod, net = POD_CIDR[kind], NODE_NET[kind]
    peer = [x for x in routes if "gateway" in x and x.get("dst") != "default"
            and ipaddress.ip_network(x["dst"]).subnet_of(pod)]
    expect(len(peer) == peer_routes, "%d peer routes, wanted %d" % (len(peer), peer_routes))
    expect(all(ipaddress.ip_address(x["gateway"]) in net for x in peer), "a peer route's gateway is off the node net")

    # cni0 with the node's pod subnet .1, veths to pods, eth0 with the node IP
    addrs = {a["ifname"]: [i["local"] + "/" + str(i["prefixlen"]) for i in a.get("addr_info", [])
                           if i.get("family") == "inet"] for a in r.addresses()}
    cni0 = addrs.get("cni0", [])
    expect(len(cni0) == 1 and cni0[0].endswith(".1/24") and ipaddress.ip_interface(cni0[0]).network.subnet_of(pod),
           "cni0 %r" % cni0)
    veths = [ln["ifname"] for ln in r.links() if ln["ifname"].startswith("veth")
             and ln.get("master") == "cni0"]
    expect(len(veths) >= 3, "veths on cni0: %r" % veths)
    expect(any(ipaddress.ip_interface(a).ip in net for a in addrs.get("eth0", [])), "eth0 %r" % addrs.get("eth0"))

    # listeners
    ls = r.listeners()
    want = {"kubelet": "10250", "kube-proxy": "10256"}
    if role == "control-plane":
        want.update({"kube-apiserver": "6443", "etcd": "2380", "kube-controller": "10257", "kube-scheduler": "10259"})
    for proc, port in want.items():
        expect(any(p == proc and a.endswith(":" + port) for p, a in ls), "no %s on %s" % (proc, port))
    if role == "control-plane":
        expect(any(p == "etcd" and a.endswith(":2379") for p, a in ls), "no etcd on 2379")
    print("  listeners: " + ", ".join("%s %s" % pa for pa in ls))

    # sysctls, CNI, kubelet
    sc = r.sysctl()
    expect(sc.get("net.ipv4.ip_forward") == "1", "ip_forward %r" % sc.get("net.ipv4.ip_forward"))
    expect(sc.get("net.bridge.bridge-nf-call-iptables") == "1", "bridge-nf-call-iptables")
    conf = json.loads(r.text("cni-config/10-flannel.conflist"))
    types = [p["type"] for p in conf["plugins"]]
    expect(types == ["flannel", "portmap"], "conflist plugins %r" % types)
    binaries = {ln.split()[-1] for ln in r.text("cni-bin").splitlines() if ln.startswith("-")}
    expect({"flannel", "portmap", "bridge", "host-local", "loopback"} <= binaries, "cni-bin %r" % sorted(binaries))
    expect("kind: KubeletConfiguration" in r.text("kubelet-config"), "kubelet config")
    print("  sysctl: ip_forward=%s bridge-nf-call-iptables=%s; nameserver %s; cni: %s; plugins: %d" % (
        sc.get("net.ipv4.ip_forward"), sc.get("net.bridge.bridge-nf-call-iptables"), ns[0] if ns else None,
        "+".join(types), len(binaries)))
    return counts(r, kind)


def check_timing(path, report, rows):
    print("\n== %s" % os.path.basename(path))
    with open(path, encoding="utf-8") as f:
        text = f.read()
    fig = {}
    for line in text.splitlines():
        if ": " in line and not line.startswith(" ") and not line.startswith("#"):
            k, v = line.split(": ", 1)
            fig[k] = v
    for k in ("date", "machine", "median ms", "min ms", "max ms", "report bytes"):
        expect(k in fig, "probe-timing.txt has no '%s'" % k)
    expect(fig.get("report bytes") == str(report.size),
           "report bytes %s, the file has %d" % (fig.get("report bytes"), report.size))
    for k, v in rows:
        expect(fig.get(k) == str(v), "probe-timing.txt says %s: %s, the report %s" % (k, fig.get(k), v))
    ms = [int(x) for x in fig.get("wall ms (sorted)", "").split()]
    if ms:
        expect(ms == sorted(ms) and str(ms[(len(ms) - 1) // 2]) == fig.get("median ms"), "median does not match runs")
        expect(fig.get("min ms") == str(ms[0]) and fig.get("max ms") == str(ms[-1]), "min/max do not match runs")
    print("  median %s ms (min %s, max %s) over %d runs, target %s; report %s bytes; counts agree" % (
        fig.get("median ms"), fig.get("min ms"), fig.get("max ms"), len(ms), fig.get("target ms"),
        fig.get("report bytes")))


def main(argv):
    if len(argv) == 2 and argv[0] == "--counts":
        r = Report(argv[1])
        for k, v in counts(r, "large" if "large" in os.path.basename(argv[1]) else "typical"):
            print("%s: %s" % (k, v))
        sizes = sorted(r.sections.items(), key=lambda kv: -kv[1]["bytes"])[:6]
        print("largest sections (bytes on the node): " + ", ".join("%s %d" % (n, s["bytes"]) for n, s in sizes))
        return 0
    d = argv[0] if argv else DEFAULT_DIR
    files = {n: os.path.join(d, n) for n in ("typical-worker.json", "typical-control-plane.json",
                                              "large-20k-iptables.json", "probe-timing.txt")}
    for n, p in files.items():
        if not os.path.isfile(p):
            problem("missing " + n)
    if PROBLEMS:
        return 1
    check_node(Report(files["typical-worker.json"]), "typical-worker.json", "typical", "worker", (1500, 2500), 3,
               "k8s-worker-")
    check_node(Report(files["typical-control-plane.json"]), "typical-control-plane.json", "typical",
               "control-plane", (1500, 2500), 3, "k8s-cp-")
    large = Report(files["large-20k-iptables.json"])
    rows = check_node(large, "large-20k-iptables.json", "large", "worker", (20000, 20000), 1000, "k8s-worker-")
    check_timing(files["probe-timing.txt"], large, rows)
    if PROBLEMS:
        print("\n%d problem(s)" % len(PROBLEMS))
        return 1
    print("\nall bench reports show their scenario")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
