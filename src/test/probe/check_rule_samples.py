#!/usr/bin/env python3
"""Check that each rule sample shows what its scenario intends (test helper; python is never
used by the probe).

usage: check_rule_samples.py [SAMPLES-DIR [RULE-ID...]]
  SAMPLES-DIR defaults to src/test/resources/rule-samples next to this checkout.
  With rule ids, only those rules' directories are checked.

For every sample report: it passes validate_report.py, and the facts its scenario is about
are decoded from the raw sections and checked (e.g. ip-forward/fail-ipv4-forwarding-off.txt:
sysctl says net.ipv4.ip_forward = 0). Samples are text files (rule-samples/README.md); read_sample
turns one back into the report's JSON for the validator and the checks. Every sample file must have checks and every expected
sample must exist (except the swap samples that need a kernel accepting swapon). A node
sample's "expect status" entry matches its file name. Cluster sample dirs: cluster.properties has
podCidr/serviceCidr/routingMode, the node files' "expect status" entries are as the scenario intends. Exit status 1 on any failure.
"""
import base64
import ipaddress
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
VALIDATOR = os.path.join(HERE, "validate_report.py")
STATUSES = {"pass", "warn", "fail", "skip"}


def read_sample(path):
    """(expect entries, report as the probe's JSON would parse) from a text sample; the format is
    described in rule-samples/README.md and written by src/test/java/io/netready/support/RuleSampleFile.java"""
    with open(path, "rb") as f:
        text = f.read().decode("utf-8")
    lines = text.split("\n")  # not splitlines(): it also breaks at \x0b, \x85, U+2028 ...
    if text.endswith("\n"):
        lines.pop()
    entries, header = [], None
    for line in lines:
        if line.startswith("-- ") and line.endswith(" --") and len(line) >= 6:
            header = line[3:-3]
            entries.append((header, []))
        elif header is not None:
            entries[-1][1].append(line)
    expect, fields, sections = {}, {}, {}
    last = None
    for header, body in entries:
        kind, _, rest = header.partition(" ")
        content = "".join(line + "\n" for line in body)
        if kind == "expect":
            expect[rest] = content[:-1] if content.endswith("\n") else content
        elif kind == "report":
            fields = dict(line.split(": ", 1) for line in body)
        elif kind == "section":
            m = re.match(r"^([^:]+): (.*?) ?source(64)?=(.*)$", rest)
            if not m:
                raise ValueError("%s: bad section header %r" % (path, header))
            name, attrs = m.group(1), dict((a.split("=", 1) + [""])[:2] for a in m.group(2).split())
            source = base64.b64decode(m.group(4)).decode() if m.group(3) else m.group(4)
            out = body_bytes(content, attrs)
            sec = {"source": source, "status": attrs["status"], "exitCode": int(attrs["exit"]), "encoding": "base64"}
            if "sameAs" in attrs:
                sec["sameAs"] = attrs["sameAs"]
            sec.update(output=base64.b64encode(out).decode(), stderr="",
                       bytes=int(attrs.get("bytes", len(out))), truncated="truncated" in attrs)
            sections[name] = last = sec
        elif kind == "stderr":
            name, _, flags = rest.partition(": ")
            assert last is sections.get(name), "%s: stderr %s does not follow its section" % (path, name)
            last["stderr"] = base64.b64encode(body_bytes(content, dict.fromkeys(flags.split(), ""))).decode()
        else:
            raise ValueError("%s: unknown entry %r" % (path, header))
    probe = dict(a.split("=", 1) for a in fields.pop("probe").split())
    probe = {k: (v if k == "version" else int(v)) for k, v in probe.items()}
    d = {"format": fields["format"], "reportId": fields["reportId"], "collectedAt": fields["collectedAt"],
         "probe": probe, "role": fields["role"], "phase": fields["phase"], "sections": sections}
    return expect, d


def body_bytes(content, flags):
    if "base64" in flags:
        return base64.b64decode("".join(content.split()))
    if "noeol" in flags:
        content = content[:-1]
    return content.encode("utf-8")


class Report:
    def __init__(self, path):
        self.path = path
        self.expect, self.d = read_sample(path)
        self.raw = json.dumps(self.d).encode()
        self.s = self.d["sections"]

    def text(self, name):
        return base64.b64decode(self.s[name]["output"]).decode("utf-8", "replace")

    def status(self, name):
        return self.s.get(name, {}).get("status")

    @property
    def hostname(self):
        return self.text("hostname").strip()

    @property
    def sysctl(self):
        out = {}
        for line in self.text("sysctl").splitlines():
            if " = " in line:
                k, v = line.split(" = ", 1)
                out[k] = " ".join(v.split())
        return out

    def js(self, name):
        return json.loads(self.text(name))

    def link(self, ifname):
        return next((l for l in self.js("links") if l["ifname"] == ifname), None)

    def addrs(self, family="inet", scope="global", ifname=None):
        res = []
        for l in self.js("addresses"):
            if ifname and l["ifname"] != ifname:
                continue
            for a in l.get("addr_info", []):
                if a["family"] == family and (scope is None or a.get("scope") == scope):
                    res.append((l["ifname"], "%s/%d" % (a["local"], a["prefixlen"])))
        return res

    def up(self, ifname):
        l = self.link(ifname)
        return l is not None and "UP" in l["flags"]

    def routes(self, v6=False):
        return self.js("routes6" if v6 else "routes")

    def default(self, v6=False):
        return next((r for r in self.routes(v6) if r["dst"] == "default"), None)

    def has_route(self, dst, gateway=None):
        return any(r["dst"] == dst and (gateway is None or r.get("gateway") == gateway)
                   for r in self.routes())

    def listeners(self):
        """(proto, local address, [process names]) from `ss -Htlnup`"""
        res = []
        for line in self.text("listeners").splitlines():
            f = line.split()
            if len(f) < 5:
                continue
            res.append((f[0], f[4], re.findall(r'\("([^"]+)"', line)))
        return res

    def on_port(self, port, proto="tcp"):
        """process names of sockets bound to PORT (empty list: a socket without a name)"""
        return [names for p, local, names in self.listeners()
                if p == proto and local.rsplit(":", 1)[1] == str(port)]

    def ports_in(self, lo, hi):
        return sorted({int(local.rsplit(":", 1)[1]) for _, local, _ in self.listeners()
                       if lo <= int(local.rsplit(":", 1)[1]) <= hi})

    def node_ip(self):
        d = self.default()
        if d is None:
            return None
        if d.get("prefsrc"):
            return d["prefsrc"]
        a = self.addrs(ifname=d["dev"])
        return a[0][1].split("/")[0] if a else None

    def cni(self):
        return {k.split("/", 1)[1]: self.text(k) for k in self.s if k.startswith("cni-config/")}

    def filesystems(self):
        return {l.split()[-1] for l in self.text("filesystems").splitlines() if l.strip()}


def mac(r, ifname="eth0"):
    l = r.link(ifname)
    return l and l["address"]


def mtu(r, ifname="eth0"):
    l = r.link(ifname)
    return l and l["mtu"]


# ------------------------------------------------------------------ expectations
# path relative to the samples dir -> list of (what, predicate(report))

CHECKS = {}
OPTIONAL = set()


def check(path, *items, optional=False):
    CHECKS.setdefault(path, []).extend(items)
    if optional:
        OPTIONAL.add(path)


def healthy_eth0(net):
    """a std_node: eth0 up with 10.213.NET.2/24, default via 10.213.NET.1"""
    return [
        ("eth0 UP with 10.213.%d.2/24" % net,
         lambda r: r.up("eth0") and ("eth0", "10.213.%d.2/24" % net) in r.addrs()),
        ("default via 10.213.%d.1" % net,
         lambda r: (r.default() or {}).get("gateway") == "10.213.%d.1" % net),
    ]


def host(name):
    return ("hostname is %s" % name, lambda r: r.hostname == name)


def sysctl(key, value):
    return ("sysctl %s = %s" % (key, value), lambda r: r.sysctl.get(key) == value)


def role_phase(role, phase):
    return ("role %s, phase %s" % (role, phase),
            lambda r: r.d["role"] == role and r.d["phase"] == phase)


def nothing_on(port):
    return ("nothing listening on tcp %d" % port, lambda r: r.on_port(port) == [])


def only_proc_on(port, name, proto="tcp"):
    return ("%s %d held by %s only" % (proto, port, name),
            lambda r: r.on_port(port, proto) != [] and
            all(n == [name] for n in r.on_port(port, proto)))


# interface-up
check("interface-up/pass-eth0-up.txt", host("w-ifup-pass"), *healthy_eth0(10))
check("interface-up/fail-eth0-down.txt", host("w-ifup-down"),
      ("eth0 exists but is not UP", lambda r: r.link("eth0") and not r.up("eth0")),
      ("eth0 still has 10.213.11.2/24", lambda r: ("eth0", "10.213.11.2/24") in r.addrs()),
      ("no other non-lo interface", lambda r: {l["ifname"] for l in r.js("links")} == {"lo", "eth0"}),
      ("no default route (gone with the link)", lambda r: r.default() is None))
check("interface-up/fail-only-lo.txt", host("w-ifup-lo-only"),
      ("only lo", lambda r: [l["ifname"] for l in r.js("links")] == ["lo"]),
      ("no global IPv4", lambda r: r.addrs() == []))

def slaac(prefix):
    """eth0 has a dynamic (SLAAC) address in PREFIX::/64, from the hub's router advertisement"""
    return ("eth0 has a SLAAC address in %s/64" % prefix, lambda r: any(
        a["family"] == "inet6" and a.get("dynamic") and a["local"].startswith(prefix)
        for l in r.js("addresses") if l["ifname"] == "eth0" for a in l.get("addr_info", [])))


def ra_default(present):
    return ("%s IPv6 default route from router advertisements" % ("an" if present else "no"),
            lambda r: any(x["dst"] == "default" and x.get("protocol") == "ra" for x in r.routes(True)) == present)


def sidecar_is(path, pod, svc):
    return ("sidecar podCidr=%s serviceCidr=%s" % (pod, svc),
            lambda r: props(path[:-4] + ".properties") == {"podCidr": pod, "serviceCidr": svc})


DUAL = ("10.244.0.0/16,fd00:10:244::/56", "10.96.0.0/12,fd00:10:96::/112")


# default-route
check("default-route/pass-default-via-gateway.txt", *healthy_eth0(10))
check("default-route/fail-no-default-route.txt",
      ("eth0 UP with 10.213.11.2/24", lambda r: r.up("eth0") and ("eth0", "10.213.11.2/24") in r.addrs()),
      ("no IPv4 default route", lambda r: r.default() is None),
      ("no IPv6 default route", lambda r: r.default(v6=True) is None))
check("default-route/pass-dual-stack-both-default-routes.txt", *healthy_eth0(12),
      ("IPv6 default via 2001:db8:0:12::1", lambda r: (r.default(True) or {}).get("gateway") == "2001:db8:0:12::1"),
      sidecar_is("default-route/pass-dual-stack-both-default-routes.txt", *DUAL))
check("default-route/fail-dual-stack-no-ipv6-default-route.txt", *healthy_eth0(13), role_phase("worker", "running"),
      ("global 2001:db8:0:13::10/64 on eth0", lambda r: ("eth0", "2001:db8:0:13::10/64") in r.addrs("inet6")),
      ("no IPv6 default route", lambda r: r.default(v6=True) is None),
      ("CNI host-local ranges 10.244.3.0/24 and fd00:10:244:3::/64",
       lambda r: ipam_subnets(r) == ["10.244.3.0/24", "fd00:10:244:3::/64"]),
      ("kubelet clusterDNS fd00:10:96::a", lambda r: "- fd00:10:96::a" in r.text("kubelet-config").splitlines()))

# ip-forward
no_global6 = ("no global IPv6 address", lambda r: r.addrs("inet6") == [])
check("ip-forward/pass-ipv4-forwarding-on.txt", host("w-ipfwd-pass"),
      sysctl("net.ipv4.ip_forward", "1"), no_global6)
check("ip-forward/fail-ipv4-forwarding-off.txt", host("w-ipfwd-fail"),
      sysctl("net.ipv4.ip_forward", "0"), no_global6)
check("ip-forward/pass-ula-ipv4-cluster.txt", host("w-ipfwd-ula"),
      sysctl("net.ipv4.ip_forward", "1"), sysctl("net.ipv6.conf.all.forwarding", "0"),
      sysctl("net.ipv6.conf.eth0.accept_ra", "1"), slaac("fd00::12:"), ra_default(True),
      sidecar_is("ip-forward/pass-ula-ipv4-cluster.txt", "10.244.0.0/16", "10.96.0.0/12"))
check("ip-forward/pass-global-ipv6-ipv4-cluster.txt", host("w-ipfwd-global6"),
      sysctl("net.ipv4.ip_forward", "1"), sysctl("net.ipv6.conf.all.forwarding", "0"),
      ("global 2001:db8:0:13::10/64 on eth0", lambda r: ("eth0", "2001:db8:0:13::10/64") in r.addrs("inet6")),
      ("IPv6 default via 2001:db8:0:13::1", lambda r: (r.default(True) or {}).get("gateway") == "2001:db8:0:13::1"))
check("ip-forward/fail-ipv6-forwarding-off.txt", host("w-ipfwd6-fail"),
      sysctl("net.ipv4.ip_forward", "1"), sysctl("net.ipv6.conf.all.forwarding", "0"),
      sysctl("net.ipv6.conf.eth0.accept_ra", "1"), slaac("2001:db8:0:14:"), ra_default(True),
      sidecar_is("ip-forward/fail-ipv6-forwarding-off.txt", *DUAL))
check("ip-forward/pass-ipv6-forwarding-on.txt", host("w-ipfwd6-pass"),
      sysctl("net.ipv4.ip_forward", "1"), sysctl("net.ipv6.conf.all.forwarding", "1"),
      sysctl("net.ipv6.conf.eth0.accept_ra", "2"), slaac("2001:db8:0:15:"), ra_default(True),
      sidecar_is("ip-forward/pass-ipv6-forwarding-on.txt", *DUAL))
check("ip-forward/warn-forwarding-ignores-router-advertisements.txt", host("w-ipfwd6-ra"),
      sysctl("net.ipv6.conf.all.forwarding", "1"), sysctl("net.ipv6.conf.eth0.accept_ra", "1"),
      slaac("2001:db8:0:16:"), ra_default(False),
      sidecar_is("ip-forward/warn-forwarding-ignores-router-advertisements.txt", *DUAL))
check("ip-forward/fail-ipv6-from-kubelet-node-ip.txt", host("w-ipfwd6-nodeip"), role_phase("worker", "running"),
      sysctl("net.ipv4.ip_forward", "1"), sysctl("net.ipv6.conf.all.forwarding", "0"),
      ("kubeadm-flags.env --node-ip=10.213.17.2,2001:db8:0:17::10",
       lambda r: "--node-ip=10.213.17.2,2001:db8:0:17::10 " in r.text("kubelet-flags")),
      ("no dynamic IPv6 address", lambda r: not any(a.get("dynamic") for l in r.js("addresses")
                                                    for a in l.get("addr_info", []) if a["family"] == "inet6")))

# bridge-netfilter
no_cni = ("no /etc/cni/net.d", lambda r: r.status("cni-config-dir") == "absent" and r.cni() == {})
check("bridge-netfilter/pass-bridge-nf-call-iptables-1.txt",
      sysctl("net.bridge.bridge-nf-call-iptables", "1"), no_cni)
check("bridge-netfilter/fail-bridge-nf-call-iptables-0.txt",
      sysctl("net.bridge.bridge-nf-call-iptables", "0"), no_cni)
check("bridge-netfilter/fail-not-loaded.txt",
      ("bridge-nf keys missing", lambda r: not any(k.startswith("net.bridge.") for k in r.sysctl)),
      ("sysctl complains about them",
       lambda r: "bridge-nf-call-iptables: No such file" in base64.b64decode(r.s["sysctl"]["stderr"]).decode()),
      ("other keys still there", lambda r: r.sysctl.get("net.ipv4.ip_forward") == "1"), no_cni)
check("bridge-netfilter/skip-calico.txt", role_phase("worker", "running"),
      sysctl("net.bridge.bridge-nf-call-iptables", "0"),
      ("first CNI config is 10-calico.conflist with plugin type calico",
       lambda r: sorted(r.cni()) == ["10-calico.conflist"]
       and json.loads(r.cni()["10-calico.conflist"])["plugins"][0]["type"] == "calico"))

# kernel-modules
check("kernel-modules/pass-built-in.txt",
      ("/proc/modules absent", lambda r: r.status("modules") == "absent"),
      ("overlay in /proc/filesystems", lambda r: "overlay" in r.filesystems()),
      ("bridge-nf keys present", lambda r: "net.bridge.bridge-nf-call-iptables" in r.sysctl),
      ("nf_conntrack_max present", lambda r: "net.netfilter.nf_conntrack_max" in r.sysctl))
check("kernel-modules/fail-no-br-netfilter.txt",
      ("/proc/modules absent", lambda r: r.status("modules") == "absent"),
      ("overlay in /proc/filesystems", lambda r: "overlay" in r.filesystems()),
      ("bridge-nf keys missing", lambda r: not any(k.startswith("net.bridge.") for k in r.sysctl)),
      ("nf_conntrack_max present", lambda r: "net.netfilter.nf_conntrack_max" in r.sysctl))

# hostname-valid
def in_hosts(r):
    return any(r.hostname in l.split()[1:] for l in r.text("hosts").splitlines()
               if l.strip() and not l.startswith("#"))


check("hostname-valid/pass-listed-in-hosts.txt", host("w-hostname-pass"),
      ("listed in /etc/hosts", in_hosts))
check("hostname-valid/warn-not-in-hosts.txt", host("w-hostname-unlisted"),
      ("not in /etc/hosts", lambda r: not in_hosts(r)))
check("hostname-valid/fail-uppercase-underscore.txt", host("Node_1"),
      ("listed in /etc/hosts (only the name is wrong)", in_hosts))
check("hostname-valid/fail-localhost.txt", host("localhost"))

# required-ports
CP_PORTS = [(6443, "kube-apiserver"), (2379, "etcd"), (2380, "etcd"), (10250, "kubelet"),
            (10257, "kube-controller"), (10259, "kube-scheduler")]
check("required-ports/pass-worker-preflight.txt", role_phase("worker", "preflight"),
      ("no listeners at all", lambda r: r.listeners() == []))
check("required-ports/fail-worker-preflight.txt", role_phase("worker", "preflight"),
      ("tcp 10250 in use", lambda r: r.on_port(10250) != []))
check("required-ports/pass-worker-running.txt", role_phase("worker", "running"),
      only_proc_on(10250, "kubelet"))
check("required-ports/fail-worker-running.txt", role_phase("worker", "running"),
      nothing_on(10250))
check("required-ports/fail-controlplane-preflight.txt", role_phase("control-plane", "preflight"),
      only_proc_on(6443, "haproxy"), *[nothing_on(p) for p, _ in CP_PORTS if p != 6443])
check("required-ports/pass-controlplane-running.txt", role_phase("control-plane", "running"),
      *[only_proc_on(p, n) for p, n in CP_PORTS])
check("required-ports/fail-controlplane-running-wrong-process.txt",
      role_phase("control-plane", "running"), only_proc_on(6443, "nginx"),
      *[only_proc_on(p, n) for p, n in CP_PORTS if p != 6443])

# nodeport-range
default_lpr = sysctl("net.ipv4.ip_local_port_range", "32768 60999")
check("nodeport-range/pass-nothing-listening.txt",
      ("nothing in 30000-32767", lambda r: r.ports_in(30000, 32767) == []), default_lpr)
check("nodeport-range/pass-only-kube-proxy.txt", only_proc_on(30080, "kube-proxy"),
      only_proc_on(30081, "kube-proxy", "udp"),
      ("only 30080/30081 in range", lambda r: r.ports_in(30000, 32767) == [30080, 30081]), default_lpr)
check("nodeport-range/fail-listener-30080.txt", only_proc_on(30080, "python3"), default_lpr)
check("nodeport-range/fail-local-port-range.txt", sysctl("net.ipv4.ip_local_port_range", "20000 40000"),
      ("nothing in 30000-32767", lambda r: r.ports_in(30000, 32767) == []))

# firewall-ports
def ipt_rules(r, section="iptables"):
    return [l for l in r.text(section).splitlines() if l.startswith("-A ")]


def ipt_policy(r, chain="INPUT", section="iptables"):
    m = re.search(r"^:%s (\S+)" % chain, r.text(section), re.M)
    return m and m.group(1)


check("firewall-ports/pass-no-rules.txt", role_phase("worker", "preflight"),
      ("no iptables rules", lambda r: ipt_rules(r) == []), ("empty nft ruleset", lambda r: r.text("nftables") == ""))
check("firewall-ports/fail-iptables-drop.txt", role_phase("worker", "preflight"),
      ("only -A INPUT ... --dport 10250 -j DROP",
       lambda r: ipt_rules(r) == ["-A INPUT -p tcp -m tcp --dport 10250 -j DROP"]),
      ("policy ACCEPT", lambda r: ipt_policy(r) == "ACCEPT"))
check("firewall-ports/fail-iptables-policy.txt", role_phase("worker", "preflight"),
      ("only ssh accepted", lambda r: ipt_rules(r) == ["-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT"]),
      ("INPUT policy DROP", lambda r: ipt_policy(r) == "DROP"))
check("firewall-ports/pass-iptables-policy-accepts.txt", role_phase("worker", "preflight"),
      ("ssh, 10250 and 30000:32767 accepted", lambda r: ipt_rules(r) == [
          "-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT",
          "-A INPUT -p tcp -m tcp --dport 10250 -j ACCEPT",
          "-A INPUT -p tcp -m tcp --dport 30000:32767 -j ACCEPT"]),
      ("INPUT policy DROP", lambda r: ipt_policy(r) == "DROP"))
check("firewall-ports/fail-nft.txt", role_phase("control-plane", "preflight"),
      ("nft inet filter input drops 6443", lambda r: re.search(
          r"table inet filter \{\s*chain input \{\s*type filter hook input priority filter; policy accept;\s*tcp dport 6443 drop",
          r.text("nftables")) is not None),
      ("no iptables rules", lambda r: ipt_rules(r) == []))
check("firewall-ports/fail-iptables-reject.txt", role_phase("control-plane", "preflight"),
      ("REJECT 2379", lambda r: ipt_rules(r) == [
          "-A INPUT -p tcp -m tcp --dport 2379 -j REJECT --reject-with icmp-port-unreachable"]))


def has_line(section, line):
    return ("%s holds %r" % (section, line[:60]), lambda r: line in r.text(section).splitlines())


def nft_has(pattern):
    return ("nftables matches %r" % pattern[:60], lambda r: re.search(pattern, r.text("nftables")) is not None)


check("firewall-ports/pass-kube-firewall-mark-drop.txt", role_phase("worker", "running"),
      has_line("iptables", "-A KUBE-FIREWALL -m comment --comment \"kubernetes firewall for dropping marked packets\" "
               "-m mark --mark 0x8000/0x8000 -j DROP"), ("INPUT policy ACCEPT", lambda r: ipt_policy(r) == "ACCEPT"))
check("firewall-ports/pass-calico-workload-drops.txt", role_phase("worker", "running"),
      has_line("iptables", "-A cali-INPUT -i cali+ -m comment --comment \"cali:FewJpBykm9iJ-YNH\" -g cali-wl-to-host"),
      ("cali-wl-to-host drops", lambda r: any(l.startswith("-A cali-wl-to-host") and l.endswith("-j DROP")
                                              for l in r.text("iptables").splitlines())))
check("firewall-ports/pass-ctstate-new-accepts.txt", role_phase("worker", "preflight"),
      has_line("iptables", "-A INPUT -p tcp -m state --state NEW -m tcp --dport 10250 -j ACCEPT"),
      has_line("iptables", "-A INPUT -j REJECT --reject-with icmp-host-prohibited"))
check("firewall-ports/fail-raw-prerouting-drop.txt", role_phase("worker", "preflight"),
      ("raw PREROUTING drops 10250", lambda r: "*raw" in r.text("iptables")
       and "-A PREROUTING -p tcp -m tcp --dport 10250 -j DROP" in r.text("iptables").splitlines()))
check("firewall-ports/fail-accept-only-from-loopback.txt", role_phase("worker", "preflight"),
      has_line("iptables", "-A INPUT -s 127.0.0.0/8 -p tcp -m tcp --dport 10250 -j ACCEPT"),
      ("INPUT policy DROP", lambda r: ipt_policy(r) == "DROP"))
check("firewall-ports/pass-drops-on-other-interfaces.txt", role_phase("worker", "preflight"),
      has_line("iptables", "-A INPUT -i eth1 -p tcp -m tcp --dport 10250 -j DROP"),
      has_line("iptables", "-A INPUT ! -i eth0 -p tcp -m multiport --dports 30000:32767 -j DROP"))
check("firewall-ports/fail-drop-to-node-address.txt", role_phase("worker", "preflight"),
      has_line("iptables", "-A INPUT -d 10.213.22.2/32 -p tcp -m tcp --dport 10250 -j DROP"))
check("firewall-ports/pass-nft-named-set.txt", role_phase("worker", "preflight"),
      nft_has(r"set kube \{\s*type inet_service\s*flags interval\s*elements = \{ 10250, 30000-32767 \}"),
      nft_has(r"policy drop;"), nft_has(r'tcp dport 10250 log prefix "would drop "'))
check("firewall-ports/fail-nodeport-range-part.txt", role_phase("worker", "preflight"),
      has_line("iptables", "-A INPUT -p tcp -m multiport --dports 31000:32767 -j DROP"))
check("firewall-ports/pass-kube-proxy-service-without-endpoints.txt", role_phase("worker", "running"),
      ("kube-proxy's no-endpoints REJECT", lambda r: any("has no endpoints" in l and "--dport 30080 -j REJECT" in l
                                                         for l in r.text("iptables").splitlines())))
check("firewall-ports/warn-open-to-part-of-the-network.txt", role_phase("worker", "preflight"),
      has_line("iptables", "-A INPUT -s 10.213.26.0/25 -p tcp -m tcp --dport 10250 -j ACCEPT"),
      ("INPUT policy DROP", lambda r: ipt_policy(r) == "DROP"))
check("firewall-ports/warn-undecidable-match.txt", role_phase("worker", "preflight"),
      ("a random drop of 10250", lambda r: any("-m statistic --mode random" in l and "--dport 10250" in l
                                               for l in r.text("iptables").splitlines())))
check("firewall-ports/fail-legacy-drop-under-nft-accept.txt", role_phase("worker", "preflight"),
      has_line("iptables-legacy", "-A INPUT -p tcp -m tcp --dport 10250 -j DROP"),
      has_line("iptables", "-A INPUT -p tcp -m tcp --dport 10250 -j ACCEPT"))
check("firewall-ports/fail-flannel-vxlan-port.txt", role_phase("worker", "running"),
      has_line("iptables", "-A INPUT -p udp -m udp --dport 8472 -j DROP"),
      ("flannel.1 is a VXLAN device on UDP 8472", lambda r: '"port":8472' in r.text("links").replace(" ", "")))

# iptables-mode
check("iptables-mode/pass-nft-only.txt",
      ("a rule in iptables-nft", lambda r: len(ipt_rules(r, "iptables-nft")) == 1),
      ("no legacy tables", lambda r: r.text("iptables-legacy") == ""))
check("iptables-mode/fail-legacy-and-nft.txt",
      ("a rule in iptables-nft", lambda r: ipt_rules(r, "iptables-nft") ==
       ["-A INPUT -p tcp -m tcp --dport 30000:32767 -j ACCEPT"]),
      ("a rule in iptables-legacy", lambda r: ipt_rules(r, "iptables-legacy") ==
       ["-A INPUT -p tcp -m tcp --dport 10250 -j ACCEPT"]),
      ("iptables-nft-save warns about legacy tables",
       lambda r: "iptables-legacy tables present" in base64.b64decode(r.s["iptables-nft"]["stderr"]).decode()))

# dns-resolver
def nameservers(r):
    return [l.split()[1] for l in r.text("resolv-conf").splitlines() if l.startswith("nameserver ")]


check("dns-resolver/pass-upstream-nameserver.txt", ("nameserver 10.213.10.1", lambda r: nameservers(r) == ["10.213.10.1"]))
check("dns-resolver/fail-no-nameserver.txt", ("no nameserver", lambda r: nameservers(r) == []),
      ("resolv.conf not empty", lambda r: "search cluster.example" in r.text("resolv-conf")))
check("dns-resolver/warn-stub-only.txt", ("only 127.0.0.53", lambda r: nameservers(r) == ["127.0.0.53"]),
      ("no kubelet config", lambda r: r.status("kubelet-config") == "absent"))

# cni-config
BINS = {"bridge", "host-local", "portmap", "loopback"}


def cni_bins(r):
    return {l.split()[-1] for l in r.text("cni-bin").splitlines()[1:] if l.startswith("-")}


def cni_first(r):
    c = r.cni()
    return c[sorted(c)[0]] if c else None


def plugin_types(r):
    return [p["type"] for p in json.loads(cni_first(r))["plugins"]]


def ipam_subnets(r):
    res = []
    for p in json.loads(cni_first(r))["plugins"]:
        ipam = p.get("ipam", {})
        if ipam.get("type") == "host-local":
            if "subnet" in ipam:
                res.append(ipam["subnet"])
            for rs in ipam.get("ranges", []):
                res += [x["subnet"] for x in rs]
    return res


def sidecar(path):
    return ("sidecar podCidr=10.244.0.0/16", lambda r: props(path[:-4] + ".properties").get("podCidr") == "10.244.0.0/16")


binaries = ("binaries bridge, host-local, portmap, loopback", lambda r: cni_bins(r) == BINS)
for slug, phase, items in [
    ("pass-bridge-host-local", "running", [
        ("plugins bridge, portmap", lambda r: plugin_types(r) == ["bridge", "portmap"]),
        ("host-local subnet 10.244.1.0/24", lambda r: ipam_subnets(r) == ["10.244.1.0/24"])]),
    ("pass-host-local-ranges", "running", [
        ("plugins bridge, portmap", lambda r: plugin_types(r) == ["bridge", "portmap"]),
        ("host-local ranges subnet 10.244.2.0/24", lambda r: ipam_subnets(r) == ["10.244.2.0/24"])]),
    ("fail-missing-plugin", "running", [
        ("plugins calico, portmap", lambda r: plugin_types(r) == ["calico", "portmap"]),
        ("no calico binary", lambda r: "calico" not in cni_bins(r)),
        ("host-local subnet 10.244.1.0/24", lambda r: ipam_subnets(r) == ["10.244.1.0/24"])]),
    ("fail-invalid-json", "running", [
        ("one file, not JSON", lambda r: len(r.cni()) == 1 and not valid_json(cni_first(r)))]),
    ("fail-subnet-outside", "running", [
        ("host-local subnet 192.168.50.0/24, outside 10.244.0.0/16",
         lambda r: ipam_subnets(r) == ["192.168.50.0/24"] and not ipaddress.ip_network("192.168.50.0/24")
         .subnet_of(ipaddress.ip_network("10.244.0.0/16")))]),
    ("fail-no-config", "running", [
        ("/etc/cni/net.d exists and is empty",
         lambda r: r.status("cni-config-dir") == "ok" and r.cni() == {}
         and len(r.text("cni-config-dir").splitlines()) == 3)]),
    ("skip-preflight", "preflight", [
        ("valid bridge config", lambda r: ipam_subnets(r) == ["10.244.1.0/24"])]),
]:
    path = "cni-config/%s.txt" % slug
    check(path, role_phase("worker", phase), binaries, sidecar(path), *items)


def valid_json(t):
    try:
        json.loads(t)
        return True
    except ValueError:
        return False


# overlay-mtu
def kind(r, ifname):
    l = r.link(ifname)
    return l and l.get("linkinfo", {}).get("info_kind")


def vxlan_data(r, ifname):
    return r.link(ifname).get("linkinfo", {}).get("info_data", {})


def cni_mtu(r):
    c = cni_first(r)
    return c and [p.get("mtu") for p in json.loads(c)["plugins"] if "mtu" in p]


check("overlay-mtu/skip-no-overlay.txt", ("no vxlan, geneve, wireguard or ipip link", lambda r: not any(
    l.get("linkinfo", {}).get("info_kind") in ("vxlan", "geneve", "wireguard", "ipip") for l in r.js("links"))))
check("overlay-mtu/pass-calico-vxlan-1450.txt", role_phase("worker", "running"),
      ("vxlan.calico: vxlan on eth0, mtu 1450, up", lambda r: kind(r, "vxlan.calico") == "vxlan"
       and vxlan_data(r, "vxlan.calico").get("link") == "eth0" and mtu(r, "vxlan.calico") == 1450
       and r.up("vxlan.calico")),
      ("eth0 mtu 1500", lambda r: mtu(r) == 1500), ("10-calico.conflist mtu 1450", lambda r: cni_mtu(r) == [1450]))
check("overlay-mtu/fail-calico-cni-mtu-1500.txt", role_phase("worker", "running"),
      ("vxlan.calico: vxlan on eth0, mtu 1450", lambda r: vxlan_data(r, "vxlan.calico").get("link") == "eth0"
       and mtu(r, "vxlan.calico") == 1450),
      ("eth0 mtu 1500", lambda r: mtu(r) == 1500), ("10-calico.conflist mtu 1500", lambda r: cni_mtu(r) == [1500]))
check("overlay-mtu/fail-flannel-vxlan-over-smaller-eth0.txt", role_phase("worker", "running"),
      ("flannel.1: vxlan on eth0, port 8472, mtu 1450", lambda r: kind(r, "flannel.1") == "vxlan"
       and vxlan_data(r, "flannel.1").get("link") == "eth0" and vxlan_data(r, "flannel.1").get("port") == 8472
       and mtu(r, "flannel.1") == 1450),
      ("eth0 mtu 1400", lambda r: mtu(r) == 1400), ("flannel conflist without mtu", lambda r: cni_mtu(r) == []))
check("overlay-mtu/fail-cilium-vxlan-external-1500.txt", role_phase("worker", "running"),
      ("cilium_vxlan: external vxlan on no device, mtu 1500", lambda r: kind(r, "cilium_vxlan") == "vxlan"
       and "link" not in vxlan_data(r, "cilium_vxlan") and vxlan_data(r, "cilium_vxlan").get("external")
       and mtu(r, "cilium_vxlan") == 1500),
      ("eth0 mtu 1500", lambda r: mtu(r) == 1500), ("05-cilium.conflist", lambda r: sorted(r.cni()) == ["05-cilium.conflist"]))
check("overlay-mtu/fail-geneve-external-1500.txt", ("genev_sys_6081 geneve mtu 1500",
      lambda r: kind(r, "genev_sys_6081") == "geneve" and mtu(r, "genev_sys_6081") == 1500), optional=True)
check("overlay-mtu/pass-wireguard-1420.txt", ("wg0 wireguard mtu 1420",
      lambda r: kind(r, "wg0") == "wireguard" and mtu(r, "wg0") == 1420), optional=True)


# dns-limits
def search_line(r):
    lines = [l.split()[1:] for l in r.text("resolv-conf").splitlines() if l.startswith("search ")]
    return lines[-1] if lines else []


check("dns-limits/pass-three-nameservers.txt", ("3 nameservers", lambda r: len(nameservers(r)) == 3),
      ("2 search domains", lambda r: len(search_line(r)) == 2))
check("dns-limits/warn-four-nameservers.txt", ("4 nameservers", lambda r: nameservers(r) == [
    "10.213.11.1", "192.0.2.53", "198.51.100.53", "203.0.113.53"]))
check("dns-limits/pass-eight-search-domains.txt", ("8 search domains", lambda r: len(search_line(r)) == 8),
      ("1 nameserver", lambda r: len(nameservers(r)) == 1))
check("dns-limits/warn-search-30-domains.txt", ("30 search domains", lambda r: len(search_line(r)) == 30),
      ("under 2048 characters", lambda r: len(" ".join(search_line(r))) < 2048))
check("dns-limits/warn-search-over-2048-characters.txt", ("12 search domains", lambda r: len(search_line(r)) == 12),
      ("over 2048 characters", lambda r: len(" ".join(search_line(r))) > 2048))
check("dns-limits/skip-kubelet-resolv-conf-not-collected.txt", role_phase("worker", "running"),
      ("kubelet resolvConf: /etc/kubernetes/resolv.conf",
       lambda r: "resolvConf: /etc/kubernetes/resolv.conf" in r.text("kubelet-config").splitlines()))

# swap-off
def swaps(r):
    return [l.split()[0] for l in r.text("swaps").splitlines()[1:] if l.strip()]


check("swap-off/pass-no-swap.txt", ("no active swap", lambda r: swaps(r) == []))
check("swap-off/fail-swap-active.txt", ("/var/tmp/nr.swap active", lambda r: swaps(r) == ["/var/tmp/nr.swap"]),
      ("no kubelet config", lambda r: r.status("kubelet-config") == "absent"), optional=True)
check("swap-off/warn-swap-allowed-by-kubelet.txt",
      ("/var/tmp/nr.swap active", lambda r: swaps(r) == ["/var/tmp/nr.swap"]),
      ("kubelet config failSwapOn: false", lambda r: "failSwapOn: false" in r.text("kubelet-config").splitlines()),
      role_phase("worker", "running"), optional=True)

# rp-filter
check("rp-filter/pass-loose-all-2.txt", sysctl("net.ipv4.conf.all.rp_filter", "2"),
      sysctl("net.ipv4.conf.eth0.rp_filter", "0"))
check("rp-filter/fail-strict-all-1.txt", sysctl("net.ipv4.conf.all.rp_filter", "1"),
      sysctl("net.ipv4.conf.eth0.rp_filter", "0"))
check("rp-filter/fail-strict-eth0-1.txt", sysctl("net.ipv4.conf.all.rp_filter", "0"),
      sysctl("net.ipv4.conf.eth0.rp_filter", "1"))

# conntrack-capacity
check("conntrack-capacity/pass-max-262144.txt", sysctl("net.netfilter.nf_conntrack_max", "262144"))
check("conntrack-capacity/fail-max-4096.txt", sysctl("net.netfilter.nf_conntrack_max", "4096"),
      ("count far below 80%", lambda r: int(r.sysctl["net.netfilter.nf_conntrack_count"]) < 3000))


# http-proxy: proxy variables as the probe found them (component, file, NAME=VALUE), credentials masked
def proxy_lines(r):
    return [tuple(l.split("\t")) for l in r.text("proxy-config").splitlines() if l]


def proxy_sidecar(path):
    return ("sidecar podCidr=10.244.0.0/16 serviceCidr=10.96.0.0/12",
            lambda r: props(path[:-4] + ".properties") == {"podCidr": "10.244.0.0/16", "serviceCidr": "10.96.0.0/12"})


no_secret = ("no proxy password leaves the node (masked as ***@)",
             lambda r: "s3cret" not in json.dumps(r.d) and "s3cret" not in r.text("proxy-config"))


def proxied(no_proxy):
    return [
        ("containerd drop-in sets HTTP(S)_PROXY (masked) and NO_PROXY=%s" % no_proxy,
         lambda r: ("containerd", "/etc/systemd/system/containerd.service.d/http-proxy.conf",
                    "HTTPS_PROXY=http://***@proxy.example.internal:3128") in proxy_lines(r)
         and ("containerd", "/etc/systemd/system/containerd.service.d/http-proxy.conf", "NO_PROXY=" + no_proxy)
         in proxy_lines(r)),
        ("kubelet drop-in sets HTTPS_PROXY and NO_PROXY",
         lambda r: ("kubelet", "/etc/systemd/system/kubelet.service.d/20-proxy.conf", "NO_PROXY=" + no_proxy)
         in proxy_lines(r)),
        ("/etc/environment sets https_proxy and no_proxy for login shells",
         lambda r: ("login", "/etc/environment", "no_proxy=" + no_proxy) in proxy_lines(r)),
        no_secret,
    ]


check("http-proxy/pass-no-proxy.txt", ("no proxy variable anywhere",
      lambda r: r.text("proxy-config") == "" and r.text("proxy-env") == ""),
      proxy_sidecar("http-proxy/pass-no-proxy.txt"), *healthy_eth0(10))
check("http-proxy/pass-no-proxy-covers-cluster.txt",
      *proxied("localhost,127.0.0.1,10.213.11.0/24,10.244.0.0/16,10.96.0.0/12,.svc,.cluster.local"),
      proxy_sidecar("http-proxy/pass-no-proxy-covers-cluster.txt"), *healthy_eth0(11))
check("http-proxy/warn-no-proxy-misses-cluster.txt", *proxied("localhost,127.0.0.1,.example.internal"),
      proxy_sidecar("http-proxy/warn-no-proxy-misses-cluster.txt"), *healthy_eth0(12))
check("http-proxy/warn-shell-proxy-control-plane.txt",
      ("the probe's shell has https_proxy and no no_proxy",
       lambda r: r.text("proxy-env") == "https_proxy=http://proxy.example.internal:3128\n"),
      ("no proxy in the node's files", lambda r: r.text("proxy-config") == ""),
      role_phase("control-plane", "preflight"),
      proxy_sidecar("http-proxy/warn-shell-proxy-control-plane.txt"), *healthy_eth0(13))


# node-tools: what command -v found on the probe's PATH
def tools(r):
    return dict(l.split("=", 1) for l in r.text("node-tools").splitlines() if "=" in l)


TOOLS = ["conntrack", "ip", "iptables", "mount", "nsenter", "ethtool", "tc", "socat"]


def tools_missing(*missing):
    return ("command -v finds all but %s" % (", ".join(missing) or "none"),
            lambda r: all((tools(r)[t] == "") == (t in missing) for t in TOOLS)
            and "/usr/sbin" in tools(r)["PATH"].split(":"))


check("node-tools/pass-all-installed.txt", tools_missing(), *healthy_eth0(10))
check("node-tools/warn-no-ethtool-socat.txt", tools_missing("ethtool", "socat"), *healthy_eth0(11))
check("node-tools/fail-no-nsenter.txt", tools_missing("conntrack", "nsenter"), *healthy_eth0(12))
for path in ["node-tools/pass-all-installed.txt", "node-tools/warn-no-ethtool-socat.txt",
             "node-tools/fail-no-nsenter.txt"]:
    check(path, ("os-release is Debian", lambda r: "ID=debian" in r.text("os-release").splitlines()))


# clock-sync: the time tools' answers and the offset the capture measured as the portal would
def clock_sidecar(path, low, high):
    return ("sidecar clockOffsetMs within %d..%d ms" % (low, high),
            lambda r: low <= int(props(path[:-4] + ".properties")["clockOffsetMs"]) <= high)


def leap(r):
    return [l.split(":", 1)[1].strip() for l in r.text("chrony-tracking").splitlines() if l.startswith("Leap status")]


no_tools = ("timedatectl fails (no systemd), ntpq missing",
            lambda r: r.status("timedatectl") == "error" and r.status("ntpq-peers") == "missing")
check("clock-sync/pass-timesyncd-synchronised.txt", no_tools,
      ("timesyncd's flag file exists", lambda r: r.status("timesync-synchronized") == "ok"),
      clock_sidecar("clock-sync/pass-timesyncd-synchronised.txt", -1000, 3000), *healthy_eth0(10))
check("clock-sync/pass-chrony-synchronised.txt", no_tools,
      ("chronyc tracking: Leap status Normal", lambda r: leap(r) == ["Normal"]),
      clock_sidecar("clock-sync/pass-chrony-synchronised.txt", -1000, 3000), *healthy_eth0(11))
check("clock-sync/warn-chrony-not-synchronised.txt", no_tools,
      ("chronyc tracking: Not synchronised", lambda r: leap(r) == ["Not synchronised"]),
      ("no timesyncd flag", lambda r: r.status("timesync-synchronized") == "absent"),
      clock_sidecar("clock-sync/warn-chrony-not-synchronised.txt", -1000, 3000), *healthy_eth0(12))
check("clock-sync/warn-clock-120s-behind.txt", no_tools,
      ("timesyncd's flag file exists", lambda r: r.status("timesync-synchronized") == "ok"),
      clock_sidecar("clock-sync/warn-clock-120s-behind.txt", 119000, 123000), *healthy_eth0(13))
check("clock-sync/skip-unreadable-not-measured.txt", no_tools,
      ("chronyc cannot talk to a daemon, no timesyncd flag",
       lambda r: r.status("chrony-tracking") == "error" and r.status("timesync-synchronized") == "absent"),
      *healthy_eth0(14))


# ------------------------------------------------------------------ cluster samples

def cluster(rule, slug, nodes, mode="unknown", pod="10.244.0.0/16", svc="10.96.0.0/12", expect=None,
            each=(), per_node=None):
    base = "%s/%s" % (rule, slug)
    CLUSTER_DIRS[base] = (set(nodes), {"podCidr": pod, "serviceCidr": svc, "routingMode": mode}, expect)
    for n in nodes:
        items = list(each) + list((per_node or {}).get(n, []))
        check("%s/%s.txt" % (base, n), *items)


CLUSTER_DIRS = {}
ABC = ["node-a", "node-b", "node-c"]
ALL_PASS = {n: "pass" for n in ABC}
DUP_AB = {"node-a": "fail", "node-b": "fail", "node-c": "pass"}

# cross-node facts are checked on the whole directory (see check_cluster_facts)
cluster("unique-hostname", "pass-all-unique", ABC, expect=ALL_PASS)
cluster("unique-hostname", "fail-duplicate", ABC, expect=DUP_AB)
cluster("unique-mac", "pass-all-unique", ABC, expect=ALL_PASS)
cluster("unique-mac", "fail-duplicate-eth0", ABC, expect=DUP_AB)
cluster("unique-mac", "pass-duplicate-on-container-veths", ABC, expect=ALL_PASS,
        per_node={n: [("veth3f9a2b1c 02:00:00:dd:ee:ff on cni0",
                       lambda r: mac(r, "veth3f9a2b1c") == "02:00:00:dd:ee:ff"
                       and r.link("veth3f9a2b1c").get("master") == "cni0"),
                      ("cni0 02:00:00:dd:ee:00", lambda r: mac(r, "cni0") == "02:00:00:dd:ee:00")]
                  for n in ["node-a", "node-b"]})
cluster("unique-machine-id", "pass-all-unique", ABC, expect=ALL_PASS)
cluster("unique-machine-id", "fail-duplicate", ABC, expect=DUP_AB)
cluster("unique-product-uuid", "skip-unreadable", ABC, expect={n: "skip" for n in ABC},
        each=[("product-uuid absent", lambda r: r.status("product-uuid") == "absent")])
cluster("unique-node-ip", "pass-all-unique", ABC, expect=ALL_PASS)
cluster("unique-node-ip", "fail-duplicate", ABC, expect=DUP_AB,
        per_node={"node-a": [("node IP from the default-route device",
                              lambda r: "prefsrc" not in r.default() and r.node_ip() == "10.213.77.2")],
                  "node-b": [("node IP from the default route's src",
                              lambda r: r.default().get("prefsrc") == "10.213.77.2")]})
cluster("cidr-overlap", "pass-no-overlap", ABC, expect=ALL_PASS,
        each=[("connected networks outside 10.244/16 and 10.96/12", lambda r: all(
            not ipaddress.ip_network(a, strict=False).overlaps(ipaddress.ip_network(c))
            for _, a in r.addrs() for c in ("10.244.0.0/16", "10.96.0.0/12")))])
cluster("cidr-overlap", "fail-pod-cidr-contains-node-network", ABC, pod="10.213.0.0/16",
        expect={n: "fail" for n in ABC},
        each=[("eth0 network inside 10.213.0.0/16", lambda r: ipaddress.ip_network(
            r.addrs(ifname="eth0")[0][1], strict=False).subnet_of(ipaddress.ip_network("10.213.0.0/16")))])
N123 = ["node-1", "node-2", "node-3"]


def cidr_sources(control_plane, subnet):
    """what an inferred-CIDR node shows: flannel's subnet.env values, and on a control plane its manifests' flag
    values and nothing else of them"""
    items = [("flannel's subnet.env: network 10.244.0.0/16, node subnet " + subnet,
              lambda r: r.text("cluster-cidrs/flannel-subnet-env")
              == "FLANNEL_NETWORK=10.244.0.0/16\nFLANNEL_SUBNET=%s\n" % subnet),
             ("no flannel net-conf.json", lambda r: r.status("cluster-cidrs/flannel-net-conf") == "absent"),
             ("flannel's CNI config", lambda r: plugin_types(r) == ["flannel", "portmap"])]
    if control_plane:
        items += [("kube-controller-manager: only its two CIDR flags",
                   lambda r: r.text("cluster-cidrs/kube-controller-manager")
                   == "cluster-cidr=10.244.0.0/16\nservice-cluster-ip-range=10.96.0.0/12\n"),
                  ("kube-apiserver: only --service-cluster-ip-range",
                   lambda r: r.text("cluster-cidrs/kube-apiserver") == "service-cluster-ip-range=10.96.0.0/12\n"),
                  ("no key file named in any section",
                   lambda r: not any("pki/" in r.text(s) for s in r.s if r.status(s) == "ok"))]
    else:
        items += [("no static pod manifests",
                   lambda r: r.status("cluster-cidrs/kube-controller-manager") == "absent"
                   and r.status("cluster-cidrs/kube-apiserver") == "absent")]
    return items


cluster("cidr-overlap", "fail-inferred-pod-cidr-contains-node-address", ABC, pod="", svc="",
        expect={n: "fail" for n in ABC},
        per_node={n: cidr_sources(n == "node-a", "10.244.%d.1/24" % i)
                  + [("eth0 10.244.91.%d/24, inside 10.244.0.0/16" % (11 + i),
                      lambda r, i=i: ("eth0", "10.244.91.%d/24" % (11 + i)) in r.addrs()
                      and r.node_ip() == "10.244.91.%d" % (11 + i))]
                  for i, n in enumerate(ABC)})
cluster("cidr-overlap", "pass-inferred-no-overlap", ABC, pod="", svc="", expect=ALL_PASS,
        per_node={n: cidr_sources(n == "node-a", "10.244.%d.1/24" % i)
                  + [("eth0 10.213.92.%d/24" % (11 + i),
                      lambda r, i=i: ("eth0", "10.213.92.%d/24" % (11 + i)) in r.addrs())]
                  for i, n in enumerate(ABC)})


def pcr_node(n, peers):
    items = [("node IP 192.168.77.1%d" % n, lambda r: r.node_ip() == "192.168.77.1%d" % n),
             ("cni0 10.244.%d.1/24" % n, lambda r: ("cni0", "10.244.%d.1/24" % n) in r.addrs()),
             ("connected 10.244.%d.0/24 dev cni0" % n,
              lambda r: any(x["dst"] == "10.244.%d.0/24" % n and x["dev"] == "cni0" for x in r.routes()))]
    for m in (1, 2, 3):
        if m == n:
            continue
        dst, gw = "10.244.%d.0/24" % m, "192.168.77.1%d" % m
        if m in peers:
            items.append(("route %s via %s" % (dst, gw), lambda r, d=dst, g=gw: r.has_route(d, g)))
        else:
            items.append(("no route to %s" % dst, lambda r, d=dst: not r.has_route(d)))
    return items


cluster("pod-cidr-routes", "pass-all-routes", N123, mode="routed", expect={n: "pass" for n in N123},
        per_node={"node-%d" % n: pcr_node(n, {1, 2, 3}) for n in (1, 2, 3)})
cluster("pod-cidr-routes", "fail-node-1-missing-route", N123, mode="routed",
        expect={"node-1": "fail", "node-2": "pass", "node-3": "pass"},
        per_node={"node-1": pcr_node(1, {2}), "node-2": pcr_node(2, {1, 3}), "node-3": pcr_node(3, {1, 2})})
cluster("pod-cidr-routes", "skip-overlay", N123, mode="overlay", expect={n: "skip" for n in N123},
        per_node={"node-%d" % n: pcr_node(n, set()) for n in (1, 2, 3)})


def flannel_node(n):
    return [("flannel's subnet.env: network 10.244.0.0/16, node subnet 10.244.%d.1/24" % n,
             lambda r: r.text("cluster-cidrs/flannel-subnet-env")
             == "FLANNEL_NETWORK=10.244.0.0/16\nFLANNEL_SUBNET=10.244.%d.1/24\n" % n),
            ("flannel's CNI config", lambda r: plugin_types(r) == ["flannel", "portmap"])]


cluster("pod-cidr-routes", "fail-inferred-flannel-host-gw-missing-route", N123, mode="routed", pod="", svc="",
        expect={"node-1": "pass", "node-2": "fail", "node-3": "pass"},
        per_node={"node-1": pcr_node(1, {2, 3}) + flannel_node(1), "node-2": pcr_node(2, {3}) + flannel_node(2),
                  "node-3": pcr_node(3, {1, 2}) + flannel_node(3)})
cluster("mtu-consistent", "pass-all-1500", ABC, expect=ALL_PASS,
        each=[("eth0 mtu 1500", lambda r: mtu(r) == 1500)])
cluster("mtu-consistent", "fail-one-node-1400", ABC, expect={"node-a": "pass", "node-b": "pass", "node-c": "fail"},
        per_node={"node-a": [("mtu 1500", lambda r: mtu(r) == 1500)],
                  "node-b": [("mtu 1500", lambda r: mtu(r) == 1500)],
                  "node-c": [("mtu 1400", lambda r: mtu(r) == 1400)]})


# node-reachability: node-1 (control plane, 10.242.K.11) and node-2 (worker, 10.242.K.12) on one subnet, node-3
# (worker, 10.243.K.11) on the other, a router between them; each probe tried the other two with --plan
def node_port_sample(hostname):
    """ReachabilityPorts.nodePortSample: Java's long arithmetic, wrapping at 64 bits"""
    def wrap(x):
        x &= (1 << 64) - 1
        return x - (1 << 64) if x >= 1 << 63 else x
    h = 1125899906842597
    for c in hostname.lower():
        h = wrap(31 * h + ord(c))
    return 30000 + wrap(h * 2654435761) % 2768


REACH_IP = {1: "10.242.%d.11", 2: "10.242.%d.12", 3: "10.243.%d.11"}


def reach_ports(tag, m):
    """the ports the plan names on node m: a control plane's 6443 and 10250, a worker's 10250 and NodePort sample"""
    return [6443, 10250] if m == 1 else [10250, node_port_sample("nr-%s-%d" % (tag, m))]


def reach_node(tag, k, n, phase, outcomes, listening=True, skip=()):
    """node n's report: its hostname, role and phase, node IP, and what it met at each peer's port: outcomes maps
    (peer, port or "np") to an outcome, every other pair is `connected` (or `refused` where nothing listens)"""
    role = "control-plane" if n == 1 else "worker"
    want = []
    for m in (1, 2, 3):
        if m == n:
            continue
        for i, port in enumerate(reach_ports(tag, m)):
            key = (m, "np" if m != 1 and i == 1 else port)
            default = "connected" if listening and (m, port) not in skip else "refused"
            want.append("tcp %s %d %s" % (REACH_IP[m] % k, port, outcomes.get(key, default)))
    own = [p for p in reach_ports(tag, n) if listening and (n, p) not in skip]
    items = [host("nr-%s-%d" % (tag, n)), role_phase(role, phase),
             ("node IP %s" % (REACH_IP[n] % k), lambda r: r.node_ip() == REACH_IP[n] % k),
             ("reachability: %s" % "; ".join(sorted(want)), lambda r: r.text("reachability") == "".join(
                 l + "\n" for l in sorted(want))),
             ("reachability-times: the same attempts, each with its seconds", lambda r: [
                 " ".join(l.split()[:4]) for l in r.text("reachability-times").splitlines()] == sorted(want)),
             ("listening on %s" % (own or "nothing of the catalog"),
              lambda r: all(r.on_port(p) for p in own) and not any(
                  r.on_port(p) for p in reach_ports(tag, n) if p not in own))]
    # timed-out connects wait the plan's second: no more
    items.append(("timeouts took 0.9-1.5 s", lambda r: all(
        0.9 <= float(l.split()[4]) < 1.5 for l in r.text("reachability-times").splitlines() if " timeout " in l)))
    return items


def no_own_rules(r):
    return ipt_rules(r) == [] and r.text("nftables").strip() == ""


def reach_cluster(slug, tag, k, phase, expect, outcomes=None, listening=True, skip=(), extra=None):
    per_node = {"node-%d" % n: reach_node(tag, k, n, phase, (outcomes or {}).get(n, {}), listening, skip)
                + (extra or {}).get(n, [("no firewall rules of its own", no_own_rules)]) for n in (1, 2, 3)}
    cluster("node-reachability", slug, N123, expect=dict(zip(N123, expect)), per_node=per_node)


reach_cluster("pass-all-open", "ro", 10, "running", ["pass", "pass", "pass"])
reach_cluster("pass-preflight-refused", "rp", 11, "preflight", ["pass", "pass", "pass"], listening=False)
# the router drops 6443 between the subnets: node-3 times out on node-1's API server, node-2 (same subnet) connects
reach_cluster("fail-between-subnets", "rb", 12, "running", ["fail", "pass", "pass"],
              outcomes={3: {(1, 6443): "timeout"}})
reach_cluster("fail-own-firewall", "rf", 13, "running", ["pass", "fail", "pass"],
              outcomes={1: {(2, 10250): "timeout"}, 3: {(2, 10250): "timeout"}},
              extra={2: [("only -A INPUT ... --dport 10250 -j DROP",
                          lambda r: ipt_rules(r) == ["-A INPUT -p tcp -m tcp --dport 10250 -j DROP"])]})
# 10250 dropped from node-3's subnet only: node-1 and node-2 reach node-3 on it, not the other way
reach_cluster("fail-one-way", "rw", 14, "running", ["fail", "fail", "pass"],
              outcomes={3: {(1, 10250): "timeout", (2, 10250): "timeout"}})
reach_cluster("warn-running-not-listening", "rn", 15, "running", ["pass", "warn", "pass"], skip={(2, 10250)})
# node-3 reported first, then went down: node-1 and node-2 met silence on both its ports
reach_cluster("fail-peer-down", "rd", 16, "running", ["pass", "pass", "fail"],
              outcomes={1: {(3, 10250): "timeout", (3, "np"): "timeout"}, 2: {(3, 10250): "timeout", (3, "np"): "timeout"}})


def check_cluster_facts(base, reps):
    """cross-node facts of a cluster sample dir: (what, bool) items"""
    rule, slug = base.split("/")
    v = lambda f: {n: f(r) for n, r in reps.items()}
    distinct = lambda d: len(set(d.values())) == len(d)
    out = []
    if rule == "unique-hostname":
        h = v(lambda r: r.hostname)
        if slug == "fail-duplicate":
            out.append(("node-a and node-b share a hostname, node-c differs",
                        h["node-a"] == h["node-b"] != h["node-c"]))
        else:
            out.append(("hostnames distinct", distinct(h)))
    if rule == "unique-mac":
        m = v(mac)
        if slug == "fail-duplicate-eth0":
            out.append(("eth0 of node-a and node-b is 02:00:00:aa:bb:cc, node-c differs",
                        m["node-a"] == m["node-b"] == "02:00:00:aa:bb:cc" != m["node-c"]))
        else:
            out.append(("eth0 MACs distinct", distinct(m)))
    if rule == "unique-machine-id":
        m = v(lambda r: r.text("machine-id").strip())
        out.append(("machine-ids are 32 hex", all(re.fullmatch("[0-9a-f]{32}", x) for x in m.values())))
        if slug == "fail-duplicate":
            out.append(("node-a and node-b share a machine-id, node-c differs",
                        m["node-a"] == m["node-b"] != m["node-c"]))
        else:
            out.append(("machine-ids distinct", distinct(m)))
    if rule == "unique-node-ip":
        ip = v(lambda r: r.node_ip())
        if slug == "fail-duplicate":
            out.append(("node-a and node-b have node IP 10.213.77.2, node-c 10.213.78.2",
                        ip == {"node-a": "10.213.77.2", "node-b": "10.213.77.2", "node-c": "10.213.78.2"}))
        else:
            out.append(("node IPs distinct", distinct(ip) and None not in ip.values()))
    if rule not in ("unique-node-ip", "unique-hostname"):
        out.append(("node IPs distinct", distinct(v(lambda r: r.node_ip()))))
    if rule not in ("unique-hostname",):
        out.append(("hostnames distinct", distinct(v(lambda r: r.hostname))))
    if rule not in ("unique-machine-id",):
        out.append(("machine-ids distinct", distinct(v(lambda r: r.text("machine-id")))))
    if rule not in ("unique-mac",):
        out.append(("eth0 MACs distinct", distinct(v(mac))))
    return out


# ------------------------------------------------------------------ running

def props(path):
    res = {}
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                k, _, val = line.partition("=")
                res[k.strip()] = val.strip()
    return res


def main(argv):
    root = argv[0] if argv else os.path.join(HERE, "..", "resources", "rule-samples")
    root = os.path.abspath(root)
    rules = argv[1:] or sorted({k.split("/")[0] for k in CHECKS})
    os.chdir(root)
    bad = 0
    count = 0

    def result(ok, what, where):
        nonlocal bad
        if not ok:
            bad += 1
        print("  %-4s %s%s" % ("ok" if ok else "FAIL", what, "" if ok else "   [%s]" % where))

    for rule in rules:
        if not os.path.isdir(rule):
            print("FAIL %s: no directory" % rule)
            bad += 1
            continue
        print("== %s" % rule)
        files = sorted(os.path.join(dp, f)[2 if dp.startswith("./") else 0:] for dp, _, fs in os.walk(rule) for f in fs)
        # every expected sample exists
        for path in sorted(p for p in CHECKS if p.split("/")[0] == rule):
            if not os.path.exists(path):
                if path in OPTIONAL:
                    print("  note %s not captured (optional)" % path)
                else:
                    result(False, "sample missing", path)
        for path in files:
            if path.endswith(".properties"):
                if not any(path == p[:-4] + ".properties" for p in CHECKS) and \
                        os.path.dirname(path) not in CLUSTER_DIRS:
                    result(False, "unexpected file", path)
                continue
            if path not in CHECKS:
                result(False, "sample without checks", path)
                continue
            m = re.match(r"^[^/]+/(pass|warn|fail|skip)-[a-z0-9-]+(\.txt|/[a-z0-9-]+\.txt)$", path)
            if not m:
                result(False, "name does not follow the layout", path)
            count += 1
            r = Report(path)
            v = subprocess.run([sys.executable, VALIDATOR], input=r.raw, capture_output=True)
            print("-- %s (host %s)" % (path, r.hostname))
            result(v.returncode == 0, "valid v1 report (%s)" % v.stderr.decode().strip(), path)
            if m and m.group(2) == ".txt":
                result(r.expect.get("status") == m.group(1), "expect status %s" % m.group(1), path)
            items = CHECKS.get(path, [])
            for what, pred in items:
                try:
                    ok = bool(pred(r))
                except Exception as e:  # noqa: BLE001 - a broken section is a failed check
                    ok, what = False, "%s (%s: %s)" % (what, type(e).__name__, e)
                result(ok, what, path)
        for base, (nodes, cprops, expect) in sorted(CLUSTER_DIRS.items()):
            if base.split("/")[0] != rule or not os.path.isdir(base):
                continue
            print("-- %s/ (cluster)" % base)
            present = {f[:-4] for f in os.listdir(base) if f.endswith(".txt")}
            result(present == nodes, "node files %s" % sorted(nodes), base)
            cp = props(os.path.join(base, "cluster.properties")) if os.path.exists(
                os.path.join(base, "cluster.properties")) else {}
            result(cp == cprops, "cluster.properties %s" % cprops, base)
            reps = {n: Report(os.path.join(base, n + ".txt")) for n in present}
            ep = {n: r.expect.get("status") for n, r in reps.items()}
            result(ep == expect and set(ep.values()) <= STATUSES, "expect status %s" % expect, base)
            for what, ok in check_cluster_facts(base, reps):
                result(ok, what, base)
    print("%d sample reports checked, %s" % (count, "ALL OK" if bad == 0 else "%d FAILED" % bad))
    return 1 if bad else 0


sys.exit(main(sys.argv[1:]))
