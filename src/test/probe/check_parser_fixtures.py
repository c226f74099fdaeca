#!/usr/bin/env python3
"""Check that the three forms of each parser fixture describe the same node (test helper;
python is never used by the probe, and the portal has its own parsers).

usage: check_parser_fixtures.py [FIXTURES-DIR [SCENARIO...]]
  FIXTURES-DIR defaults to src/test/resources/parser-fixtures next to this checkout.

Each scenario dir holds three reports of one unchanged network namespace, written by
capture-parser-fixtures.sh:
  json.json      ip -j ..., ss -Htlnup
  iptext.json    BusyBox ip (plain text, no -j, no -d), BusyBox netstat -lntu
  nettools.json  ifconfig -a, route -n, arp -an, netstat -plntu (no ip at all)
The sections links, addresses, routes, routes6, neighbours and listeners are decoded with a
small parser chosen by each section's `source`, normalised, and compared at the detail every
form offers. What a form cannot show (ifconfig: unlabelled secondary IPv4 addresses; arp:
IPv6 neighbours; net-tools: IPv6 routes; BusyBox netstat: process names; netstat: the end of
a long address) is listed as an expected gap, never silently ignored; anything else that
differs is a failure. Also checks the sources, hostname and machine-id, the scenario's own
facts, and that every report passes validate_report.py. Exit status 1 on any failure.
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
DEFAULT_DIR = os.path.join(HERE, "..", "resources", "parser-fixtures")
FORMS = ("json", "iptext", "nettools")
SECTIONS = ("links", "addresses", "routes", "routes6", "neighbours", "listeners")

# the exact source (and status) each form must record
SOURCES = {
    "json": {"links": "ip -j -d link show", "addresses": "ip -j addr show",
             "routes": "ip -j route show", "routes6": "ip -j -6 route show",
             "neighbours": "ip neigh show", "listeners": "ss -Htlnup"},
    "iptext": {"links": "ip link show", "addresses": "ip addr show",
               "routes": "ip route show", "routes6": "ip -6 route show",
               "neighbours": "ip neigh show", "listeners": "netstat -lntu"},
    "nettools": {"links": "ifconfig -a", "addresses": "ifconfig -a", "routes": "route -n",
                 "routes6": "ip -j -6 route show", "neighbours": "arp -an",
                 "listeners": "netstat -plntu"},
}
MISSING = {("nettools", "routes6")}

# ------------------------------------------------------------------ helpers


def cidr(addr, plen):
    return str(ipaddress.ip_interface("%s/%s" % (addr, plen)))


def net(dst, v6=False):
    """'default', '10.1.2.3', '10.1.0.0/16' -> normalised network string"""
    if dst == "default":
        return "::/0" if v6 else "0.0.0.0/0"
    return str(ipaddress.ip_network(dst, strict=False))


def mask_len(mask):
    return ipaddress.IPv4Network("0.0.0.0/" + mask).prefixlen


def valid_ip(s):
    try:
        ipaddress.ip_address(s)
        return True
    except ValueError:
        return False


class Report:
    def __init__(self, path):
        self.path = path
        with open(path, "rb") as f:
            self.raw = f.read()
        self.d = json.loads(self.raw)
        self.s = self.d["sections"]

    def text(self, name):
        return base64.b64decode(self.s[name]["output"]).decode("utf-8", "replace")

    def source(self, name):
        return self.s[name]["source"]

    def status(self, name):
        return self.s[name]["status"]


# ------------------------------------------------------------------ parsers
# Each returns facts normalised to the same shapes, whatever the source.
# links:      {name: {"up", "carrier", "mtu", "mac"}}
# addresses:  {(dev, cidr, label-or-None, secondary)}   label only for IPv4
# routes:     {(kind, dst, gateway, dev, metric, prefsrc, onlink)}
# neighbours: {ip: {"dev", "mac", "router", "state"}}
# listeners:  {(proto, addr, port, process-or-None, cut)}


def links_ip_json(text):
    res = {}
    for l in json.loads(text):
        res[l["ifname"]] = {"up": "UP" in l["flags"], "carrier": "LOWER_UP" in l["flags"],
                            "mtu": l["mtu"],
                            "mac": l.get("address") if l.get("link_type") == "ether" else None}
    return res


IP_HEAD = re.compile(r"^\d+:\s+(\S+?):\s+<([^>]*)>\s+mtu\s+(\d+)")


def links_ip_text(text):
    """iproute2 or BusyBox `ip link show` / `ip addr show`: 'N: name[@peer]: <FLAGS> mtu M ...'"""
    res, cur = {}, None
    for line in text.splitlines():
        m = IP_HEAD.match(line)
        if m:
            # 'eth0@if7' (iproute2) or 'eth0@eth0' (BusyBox: the peer's index looked up in the
            # wrong namespace) - the part after '@' is never part of the name
            name = m.group(1).split("@", 1)[0]
            flags = m.group(2).split(",")
            cur = res[name] = {"up": "UP" in flags, "carrier": "LOWER_UP" in flags,
                               "mtu": int(m.group(3)), "mac": None}
            continue
        f = line.split()
        if cur is not None and len(f) >= 2 and f[0] == "link/ether":
            cur["mac"] = f[1]
    return res


IFC_NEW = re.compile(r"^(\S+): flags=\d+<([^>]*)>\s+mtu (\d+)")
IFC_OLD = re.compile(r"^(\S+)\s+Link encap:(.*?)(?:\s+HWaddr (\S+))?\s*$")


def ifconfig_blocks(text):
    """net-tools 2.x ('eth0: flags=4163<UP,...>  mtu 1500') or the old / BusyBox format
    ('eth0      Link encap:Ethernet  HWaddr ...'); yields (name, header match, body lines)"""
    name, head, body = None, None, []
    for line in text.splitlines():
        if line and not line[0].isspace():
            if name:
                yield name, head, body
            m = IFC_NEW.match(line) or IFC_OLD.match(line)
            name, head, body = (m.group(1), m, []) if m else (None, None, [])
        elif name:
            body.append(line.strip())
    if name:
        yield name, head, body


def links_ifconfig(text):
    res = {}
    for name, m, body in ifconfig_blocks(text):
        if ":" in name:   # an alias (address label) such as eth0:vip, not a link
            continue
        if m.re is IFC_NEW:
            flags = m.group(2).split(",")
            mtu = int(m.group(3))
            mac = next((b.split()[1] for b in body if b.startswith("ether ")), None)
        else:
            flags_line = next((b for b in body if re.search(r"\bMTU:\d+", b)), "")
            flags = flags_line.split()
            mtu = int(re.search(r"\bMTU:(\d+)", flags_line).group(1))
            mac = m.group(3).lower() if m.group(3) and "Ethernet" in m.group(2) else None
        res[name] = {"up": "UP" in flags, "carrier": "RUNNING" in flags, "mtu": mtu, "mac": mac}
    return res


def addrs_ip_json(text):
    res = set()
    for l in json.loads(text):
        for a in l.get("addr_info", []):
            label = a.get("label") if a["family"] == "inet" else None
            res.add((l["ifname"], cidr(a["local"], a["prefixlen"]), label,
                     bool(a.get("secondary"))))
    return res


def addrs_ip_text(text):
    res, dev = set(), None
    for line in text.splitlines():
        m = IP_HEAD.match(line)
        if m:
            dev = m.group(1).split("@", 1)[0]
            continue
        f = line.split()
        if dev and f and f[0] in ("inet", "inet6"):
            label = None
            if f[0] == "inet":
                # the label ends the line (after scope, secondary, dynamic, ...)
                label = f[-1]
            res.add((dev, cidr(*f[1].split("/")), label, "secondary" in f))
    return res


def addrs_ifconfig(text):
    res = set()
    for name, m, body in ifconfig_blocks(text):
        dev = name.split(":", 1)[0]
        for b in body:
            f = b.split()
            if m.re is IFC_NEW and f[:1] == ["inet"]:
                res.add((dev, cidr(f[1], mask_len(f[f.index("netmask") + 1])), name, None))
            elif m.re is IFC_NEW and f[:1] == ["inet6"]:
                res.add((dev, cidr(f[1], f[f.index("prefixlen") + 1]), None, None))
            elif f[:1] == ["inet"] and f[1].startswith("addr:"):
                mask = next(x[5:] for x in f if x.startswith("Mask:"))
                res.add((dev, cidr(f[1][5:], mask_len(mask)), name, None))
            elif f[:2] == ["inet6", "addr:"]:
                res.add((dev, str(ipaddress.ip_interface(f[2])), None, None))
    return res


ROUTE_TYPES = {"unicast", "local", "broadcast", "multicast", "blackhole", "unreachable",
               "prohibit", "throw", "nat", "anycast"}


def routes_ip_json(text, v6=False):
    res = set()
    for r in json.loads(text):
        res.add((r.get("type", "unicast"), net(r["dst"], v6), r.get("gateway"), r.get("dev"),
                 r.get("metric", 0), r.get("prefsrc"), "onlink" in r.get("flags", [])))
    return res


def routes_ip_text(text, v6=False):
    """'[TYPE] DST [via GW] [dev DEV] [proto P] [scope S] [src A] [metric M] [onlink] ...'"""
    res = set()
    for line in text.splitlines():
        f = line.split()
        if not f:
            continue
        kind = "unicast"
        if f[0] in ROUTE_TYPES:
            kind, f = f[0], f[1:]
        dst, kv = f[0], {}
        i = 1
        while i < len(f):
            if f[i] in ("via", "dev", "proto", "scope", "src", "metric", "table", "pref",
                        "mtu", "expires", "realm", "advmss", "hoplimit"):
                kv[f[i]] = f[i + 1] if i + 1 < len(f) else None
                i += 2
            else:
                kv[f[i]] = True
                i += 1
        res.add((kind, net(dst, v6), kv.get("via"), kv.get("dev"), int(kv.get("metric", 0)),
                 kv.get("src"), "onlink" in kv))
    return res


def routes_route_n(text):
    """`route -n` (or `netstat -rn`): columns found from the header. Reject routes
    (unreachable, prohibit) have flag '!' and '-' for gateway and iface; routes without a
    device (blackhole, throw) have iface '*'."""
    res, cols = set(), None
    for line in text.splitlines():
        f = line.split()
        if f[:1] == ["Destination"]:
            cols = {c: i for i, c in enumerate(f)}
            continue
        if cols is None or len(f) != len(cols):
            continue
        dst, gw, mask, flags, dev = (f[cols["Destination"]], f[cols["Gateway"]],
                                     f[cols["Genmask"]], f[cols["Flags"]], f[cols["Iface"]])
        if "!" in flags:
            kind, dev = "unreachable/prohibit", None
        elif dev == "*":
            kind, dev = "blackhole/throw", None
        else:
            kind = "unicast"
        gw = None if gw in ("0.0.0.0", "*", "-") else gw
        metric = int(f[cols["Metric"]]) if "Metric" in cols else None
        res.add((kind, "%s/%d" % (dst, mask_len(mask)), gw, dev, metric))
    return res


def coarse_route(r):
    """what route -n can tell of a route: no src, no onlink, reject kinds merged"""
    kind = {"unreachable": "unreachable/prohibit", "prohibit": "unreachable/prohibit",
            "blackhole": "blackhole/throw", "throw": "blackhole/throw"}.get(r[0], r[0])
    return (kind, r[1], r[2], r[3], r[4])


NEIGH_STATES = {"PERMANENT", "NOARP", "REACHABLE", "STALE", "DELAY", "PROBE", "FAILED",
                "INCOMPLETE", "NONE"}


def neigh_ip_text(text):
    """'ADDR dev DEV [lladdr MAC] [router] [ref N used a/b/c probes N] STATE' (BusyBox adds the
    ref/used/probes counters; both may print several states)"""
    res = {}
    for line in text.splitlines():
        f = line.split()
        if len(f) < 3 or f[1] != "dev":
            continue
        mac = f[f.index("lladdr") + 1] if "lladdr" in f else None
        states = [x for x in f if x in NEIGH_STATES]
        res[f[0]] = {"dev": f[2], "mac": mac, "router": "router" in f,
                     "state": states[-1] if states else None}
    return res


ARP_LINE = re.compile(r"^\S+ \(([^)]+)\) at (\S+)(?: \[(\w+)\])?((?: \w+)*?) on (\S+)")


def neigh_arp(text):
    """`arp -an`: '? (IP) at MAC [ether] [PERM] on DEV' or '? (IP) at <incomplete> on DEV'"""
    res = {}
    for line in text.splitlines():
        m = ARP_LINE.match(line)
        if not m:
            continue
        mac = None if m.group(2).startswith("<") else m.group(2)
        flags = m.group(4).split()
        res[m.group(1)] = {"dev": m.group(5), "mac": mac, "router": None,
                           "state": "PERMANENT" if "PERM" in flags else None}
    return res


def split_local(local):
    """'0.0.0.0:22', '*:22', '[::]:22', '[fe80::1]%eth0:22', ':::22', '2001:db8::2:6443'"""
    addr, _, port = local.rpartition(":")
    addr = addr.strip("[]")
    if "%" in addr:
        addr = addr.split("%", 1)[0].strip("[]")
    if addr == "*":
        addr = "::"   # ss: a dual-stack (not v6only) socket on any address
    return addr, int(port)


def listeners_ss(text):
    res = set()
    for line in text.splitlines():
        f = line.split()
        if len(f) < 6:
            continue
        addr, port = split_local(f[4])
        names = re.findall(r'\("([^"]+)"', line)
        res.add((f[0], str(ipaddress.ip_address(addr)), port, names[0] if names else None,
                 False))
    return res


def listeners_netstat(text):
    """net-tools (proto tcp/tcp6/udp/udp6, PID/Program name column with -p) or BusyBox
    (proto tcp/udp for both families, no -p). UDP rows have an empty State column. Without
    -W, net-tools cuts 'address:port' to 23 characters by dropping the end of the address."""
    res = set()
    with_p = "PID/Program name" in text
    for line in text.splitlines():
        f = line.split(None, 5)
        if len(f) < 5 or not re.match(r"^(tcp|udp)6?$", f[0]):
            continue
        proto = f[0][:3]
        rest = f[5].split() if len(f) > 5 else []
        if proto == "tcp" and rest:
            rest = rest[1:]                         # the State column
        prog = None
        if with_p and rest and rest[0] != "-":
            prog = rest[0].split("/", 1)[1] if "/" in rest[0] else rest[0]
        addr, port = split_local(f[3])
        cut = not valid_ip(addr) or len(f[3]) == 23 and ":" in addr
        if valid_ip(addr):
            addr = str(ipaddress.ip_address(addr))
        res.add((proto, addr, port, prog, cut))
    return res


def parse(report, section):
    src, text = report.source(section), report.text(section)
    if report.status(section) != "ok":
        return None
    v6 = section == "routes6"
    if section == "links":
        return (links_ip_json(text) if src.startswith("ip -j") else
                links_ifconfig(text) if src.startswith("ifconfig") else links_ip_text(text))
    if section == "addresses":
        return (addrs_ip_json(text) if src.startswith("ip -j") else
                addrs_ifconfig(text) if src.startswith("ifconfig") else addrs_ip_text(text))
    if section in ("routes", "routes6"):
        if src.startswith("ip -j"):
            return routes_ip_json(text, v6)
        if src.startswith("ip "):
            return routes_ip_text(text, v6)
        return routes_route_n(text)
    if section == "neighbours":
        return neigh_arp(text) if src.startswith("arp") else neigh_ip_text(text)
    if section == "listeners":
        return listeners_ss(text) if src.startswith("ss") else listeners_netstat(text)
    raise ValueError(section)


# ------------------------------------------------------------------ scenario facts
# (section, what, predicate(facts of the json form))

def _has_addr(dev, c):
    return lambda a: any(x[0] == dev and x[1] == c for x in a)


def _has_route(dst, gw=None, dev=None, kind="unicast"):
    return lambda rs: any(r[0] == kind and r[1] == dst and r[2] == gw and
                          (dev is None or r[3] == dev) for r in rs)


def _listens(proto, addr, port, prog):
    return lambda ls: (proto, addr, port, prog, False) in ls


EXPECT = {
    "basic": [
        ("links", "eth0 up, eth1 down", lambda l: l["eth0"]["up"] and not l["eth1"]["up"]),
        ("addresses", "eth0 10.213.50.2/24", _has_addr("eth0", "10.213.50.2/24")),
        ("addresses", "eth1 192.168.60.5/24", _has_addr("eth1", "192.168.60.5/24")),
        ("routes", "default via 10.213.50.1", _has_route("0.0.0.0/0", "10.213.50.1", "eth0")),
        ("routes", "10.244.3.0/24 via 10.213.50.9",
         _has_route("10.244.3.0/24", "10.213.50.9", "eth0")),
        ("listeners", "kubelet :10250", _listens("tcp", "0.0.0.0", 10250, "kubelet")),
        ("listeners", "kube-apiserver :6443",
         _listens("tcp", "10.213.50.2", 6443, "kube-apiserver")),
        ("listeners", "udp :8472", lambda ls: any(x[0] == "udp" and x[2] == 8472 for x in ls)),
    ],
    "ipv6": [
        ("addresses", "eth0 10.213.51.2/24", _has_addr("eth0", "10.213.51.2/24")),
        ("addresses", "eth0 2001:db8:51::2/64", _has_addr("eth0", "2001:db8:51::2/64")),
        ("routes6", "default via 2001:db8:51::1",
         lambda rs: any(r[1] == "::/0" and r[2] == "2001:db8:51::1" for r in rs)),
        ("listeners", "kubelet [::]:10250", _listens("tcp", "::", 10250, "kubelet")),
    ],
    "many": [
        ("links", "eth0 + 5 more", lambda l: {"eth0", "cali1234abcd", "cali5f3e9a01",
                                              "vxlan.calico", "flannel.1", "eth0.100"} <= set(l)),
        ("routes", "blackhole 10.244.64.0/26", _has_route("10.244.64.0/26", kind="blackhole")),
        ("routes", "10.244.1.5 dev cali1234abcd", _has_route("10.244.1.5/32", None, "cali1234abcd")),
        ("neighbours", "10.213.52.77 FAILED", lambda n: n["10.213.52.77"]["mac"] is None),
    ],
}

# ------------------------------------------------------------------ comparing


class Scenario:
    def __init__(self, d, name):
        self.name = name
        self.r = {f: Report(os.path.join(d, name, f + ".json")) for f in FORMS}
        self.facts = {f: {s: parse(self.r[f], s) for s in SECTIONS} for f in FORMS}
        self.fail = []
        self.lines = []
        self.gaps = []

    def bad(self, msg):
        self.fail.append(msg)

    def same(self, section, what, a_form, a, b_form, b):
        if a == b:
            return True
        self.bad("%s: %s %s != %s\n      only %s: %s\n      only %s: %s" % (
            section, what, a_form, b_form, a_form, sorted(a - b, key=str), b_form,
            sorted(b - a, key=str)))
        return False

    def check_meta(self):
        for f in FORMS:
            r = self.r[f]
            p = subprocess.run([sys.executable, VALIDATOR], input=r.raw, capture_output=True)
            if p.returncode != 0:
                self.bad("%s: validate_report.py: %s" % (f, p.stderr.decode().strip()))
            for s in SECTIONS:
                want_status = "missing" if (f, s) in MISSING else "ok"
                if r.source(s) != SOURCES[f][s] or r.status(s) != want_status:
                    self.bad("%s %s: source %r status %s, wanted %r %s" % (
                        f, s, r.source(s), r.status(s), SOURCES[f][s], want_status))
        for s in ("hostname", "machine-id"):
            vals = {self.r[f].text(s) for f in FORMS}
            if len(vals) != 1:
                self.bad("%s differs between the forms: %s" % (s, vals))
        for s, what, pred in EXPECT.get(self.name, []):
            try:
                ok = pred(self.facts["json"][s])
            except (KeyError, TypeError):
                ok = False
            if not ok:
                self.bad("scenario fact missing from json.json %s: %s" % (s, what))

    def check_links(self):
        j, t, n = (self.facts[f]["links"] for f in FORMS)
        ok = j == t == n
        if not ok:
            for name in sorted(set(j) | set(t) | set(n)):
                vals = [x.get(name) for x in (j, t, n)]
                if not vals[0] == vals[1] == vals[2]:
                    self.bad("links: %s json %s / iptext %s / nettools %s" % (name, *vals))
        down = sorted(k for k, v in j.items() if not v["up"])
        self.lines.append("links       %d interfaces (%s; down: %s), up/carrier/mtu/mac: %s" % (
            len(j), " ".join(sorted(j)), " ".join(down) or "none",
            "same in all three" if ok else "DIFFERENT"))

    def check_addresses(self):
        j, t, n = (self.facts[f]["addresses"] for f in FORMS)
        ok = self.same("addresses", "(dev, address, label, secondary)", "json", j, "iptext", t)
        # ifconfig shows one IPv4 address per interface name: the primary, and each labelled
        # secondary as an alias interface; an unlabelled secondary has no name to show under
        hidden = {x for x in j if x[2] is not None and x[3] and x[2] == x[0]}
        jj = {x[:3] for x in j - hidden}
        nn = {x[:3] for x in n}
        ok = self.same("addresses", "(dev, address, label)", "json", jj, "nettools", nn) and ok
        if hidden:
            self.gaps.append("ifconfig -a: no unlabelled secondary IPv4 address (%s)" %
                             ", ".join("%s %s" % (x[0], x[1]) for x in sorted(hidden)))
        fam = lambda s, v: sum(1 for x in s if (":" in x[1]) == v)
        self.lines.append("addresses   %d IPv4 + %d IPv6: %s" % (
            fam(j, False), fam(j, True), "same in all three" if ok and not hidden else
            "same in json/iptext, nettools = json minus %d hidden" % len(hidden) if ok else
            "DIFFERENT"))

    def check_routes(self):
        j, t, n = (self.facts[f]["routes"] for f in FORMS)
        ok = self.same("routes", "(kind, dst, via, dev, metric, src, onlink)",
                       "json", j, "iptext", t)
        ok = self.same("routes", "(kind, dst, via, dev, metric)", "json",
                       {coarse_route(r) for r in j}, "nettools", n) and ok
        kinds = sorted({r[0] for r in j} - {"unicast"})
        self.lines.append("routes      %d IPv4 routes%s: %s" % (
            len(j), " (incl. %s)" % ", ".join(kinds) if kinds else "",
            "same in all three (route -n: no src/onlink, reject kinds merged)" if ok
            else "DIFFERENT"))

    def check_routes6(self):
        j, t, n = (self.facts[f]["routes6"] for f in FORMS)
        # BusyBox `ip -6 route show` also prints the local table's multicast routes
        extra = {r for r in t if r[0] == "multicast"}
        if extra:
            self.gaps.append("BusyBox ip -6 route: %d extra 'multicast ff00::/8' route(s) "
                             "(local table)" % len(extra))
        ok = self.same("routes6", "(kind, dst, via, dev, metric, src, onlink)",
                       "json", j, "iptext", t - extra)
        if n is not None:
            self.bad("routes6: nettools form unexpectedly has IPv6 routes")
        self.gaps.append("net-tools: no IPv6 routes (routes6 missing; route -n is IPv4 only)")
        self.lines.append("routes6     %d IPv6 routes: %s, nettools: section missing" % (
            len(j), "same in json/iptext (iptext minus %d multicast)" % len(extra) if ok
            else "DIFFERENT"))

    def check_neighbours(self):
        j, t, n = (self.facts[f]["neighbours"] for f in FORMS)
        key = lambda m, with_state: {(ip, v["dev"], v["mac"], v["router"]) + (
            (v["state"],) if with_state else ()) for ip, v in m.items()}
        ok = self.same("neighbours", "(ip, dev, mac, router)", "json", key(j, False),
                       "iptext", key(t, False))
        states = {ip: (j[ip]["state"], t.get(ip, {}).get("state")) for ip in j}
        aged = {ip: s for ip, s in states.items() if s[0] != s[1]}
        if aged:
            self.lines.append("            (states aged between runs: %s)" % aged)
        v4 = {ip: v for ip, v in j.items() if ":" not in ip}
        perm = lambda m: {(ip, v["dev"], v["mac"], v["state"] == "PERMANENT")
                          for ip, v in m.items()}
        ok = self.same("neighbours", "IPv4 (ip, dev, mac, permanent)", "json", perm(v4),
                       "nettools", perm(n)) and ok
        if len(v4) != len(j):
            self.gaps.append("arp -an: no IPv6 neighbours (%d)" % (len(j) - len(v4)))
        self.lines.append("neighbours  %d entries (%d IPv6): %s" % (
            len(j), len(j) - len(v4), "same in all three (arp: IPv4 only)" if ok and
            len(v4) != len(j) else "same in all three" if ok else "DIFFERENT"))

    def check_listeners(self):
        j, t, n = (self.facts[f]["listeners"] for f in FORMS)
        ok = True
        notes = set()
        for form, other in (("iptext", t), ("nettools", n)):
            unmatched = set(j)
            for proto, addr, port, prog, cut in sorted(other, key=str):
                cands = [x for x in unmatched if x[0] == proto and x[2] == port and (
                    x[1] == addr or cut and x[1].startswith(addr.rstrip(":")))]
                if not cands:
                    ok = False
                    self.bad("listeners: %s has %s %s:%s (%s), json has no such socket" % (
                        form, proto, addr, port, prog))
                    continue
                x = cands[0]
                unmatched.discard(x)
                if x[1] != addr:
                    notes.add("netstat cut %s:%d to %r (23 characters)" % (x[1], port, addr))
                if form == "iptext":
                    continue  # BusyBox netstat: no -p, no process
                if (prog or None) != x[3] and not (prog and x[3] and (
                        prog.startswith(x[3]) or x[3].startswith(prog))):
                    ok = False
                    self.bad("listeners: %s:%d process %r (%s) vs %r (json)" % (
                        addr, port, prog, form, x[3]))
                elif prog != x[3]:
                    notes.add("process name %r (ss) vs %r (netstat -p)" % (x[3], prog))
            if unmatched:
                ok = False
                self.bad("listeners: %s lacks %s" % (form, sorted(unmatched, key=str)))
        self.gaps.append("BusyBox netstat: no -p, no process names")
        self.gaps.extend(sorted(notes))
        self.lines.append("listeners   %d sockets (%s): %s" % (
            len(j), ", ".join("%s %s:%d" % (p, "[%s]" % a if ":" in a else a, port)
                              for p, a, port, _, _ in sorted(j, key=lambda x: (x[2], x[0]))),
            "same in all three" if ok else "DIFFERENT"))

    def run(self):
        self.check_meta()
        self.check_links()
        self.check_addresses()
        self.check_routes()
        self.check_routes6()
        self.check_neighbours()
        self.check_listeners()

    def report(self):
        print("== %s (%s, host %s)" % (self.name, ", ".join(f + ".json" for f in FORMS),
                                       self.r["json"].text("hostname").strip()))
        for f in FORMS:
            print("   %-9s %s" % (f, " | ".join("%s: %s" % (s, self.r[f].source(s) + (
                " (%s)" % self.r[f].status(s) if self.r[f].status(s) != "ok" else ""))
                for s in SECTIONS)))
        for line in self.lines:
            print("   " + line)
        for g in self.gaps:
            print("   expected gap: " + g)
        for msg in self.fail:
            print("   FAIL " + msg)
        print("   %s" % ("OK" if not self.fail else "FAILED (%d)" % len(self.fail)))


def main(argv):
    d = os.path.abspath(argv[1] if len(argv) > 1 else DEFAULT_DIR)
    names = argv[2:] or sorted(x for x in os.listdir(d) if os.path.isdir(os.path.join(d, x)))
    failed = 0
    for name in names:
        sc = Scenario(d, name)
        try:
            sc.run()
        except Exception as e:  # noqa: a parser that throws is a failure, shown as such
            sc.bad("exception: %r" % e)
        sc.report()
        failed += bool(sc.fail)
    print("parser fixtures: %d scenario(s), %s" % (
        len(names), "all forms agree" if not failed else "%d FAILED" % failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
