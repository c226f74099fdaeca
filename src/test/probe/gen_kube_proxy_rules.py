#!/usr/bin/env python3
"""gen_kube_proxy_rules.py - an iptables-restore ruleset shaped like kube-proxy's iptables mode.

Test tooling for capture-bench-reports.sh (never used by the probe or the portal). Writes, on stdout,
what `iptables-save` shows on a kubeadm node whose kube-proxy runs in iptables mode (v1.28+ layout)
next to flannel: the mangle canary chains, the filter chains (KUBE-FIREWALL, KUBE-FORWARD,
KUBE-SERVICES / KUBE-EXTERNAL-SERVICES REJECTs for Services without endpoints, KUBE-PROXY-FIREWALL,
FLANNEL-FWD) and the nat chains (KUBE-SERVICES, KUBE-NODEPORTS, KUBE-SVC-*, KUBE-SEP-*, KUBE-EXT-*,
KUBE-MARK-MASQ, KUBE-POSTROUTING, FLANNEL-POSTRTG). Chain names are kube-proxy's own hashes
(base32 of sha256 of "ns/svc:port" + protocol [+ endpoint]); probabilities are kube-proxy's
1/(n-i) with 10 decimals. The Services are made up but deterministic (--seed).

  --services N          generate N Services (typical node: 150)
  --target-rules N      instead: generate Services until the ruleset has exactly N rules (-A lines, all tables)
  --comments MODE       always | auto (default): like kube-proxy, drop the per-endpoint comments when the node has
                        more than 1000 endpoints ("large cluster mode")
  --pod-cidr, --pod-subnet, --node-ip, --api-endpoint, --endpoint-nodes N
  --ip6 FILE            also write the IPv6 skeleton kube-proxy keeps on a single-stack IPv4 node
  --stats FILE          write counts as key=value lines

The rules load with `iptables-restore` (nft or legacy backend).
"""

import argparse
import base64
import hashlib
import ipaddress
import random
import sys

LARGE_CLUSTER_ENDPOINTS = 1000  # kube-proxy's largeClusterEndpointsThreshold

NAMESPACES = ["default", "kube-system", "monitoring", "ingress-nginx", "cert-manager", "logging", "payments",
              "orders", "catalog", "checkout", "search", "identity", "notifications", "billing", "reports",
              "inventory", "shipping", "gateway", "analytics", "media"]
NAMES = ["api", "web", "frontend", "backend", "worker", "db", "redis", "cache", "queue", "auth", "admin", "grpc",
         "metrics", "events", "sync", "store", "proxy", "scheduler", "indexer", "mailer", "uploader", "render",
         "feed", "ledger", "audit", "config", "session", "pricing", "stock", "tracking"]
PORTS = [("http", "tcp", 80, 8080), ("https", "tcp", 443, 8443), ("grpc", "tcp", 9090, 9090),
         ("metrics", "tcp", 9100, 9100), ("", "tcp", 8080, 8080), ("", "tcp", 5432, 5432),
         ("redis", "tcp", 6379, 6379), ("amqp", "tcp", 5672, 5672), ("web", "tcp", 3000, 3000),
         ("syslog", "udp", 514, 5514)]


def h16(s):
    return base64.b32encode(hashlib.sha256(s.encode()).digest()).decode()[:16]


def q(comment):
    return '"' + comment + '"'


class Gen:
    def __init__(self, args):
        self.a = args
        self.rnd = random.Random(args.seed)
        self.pod_net = ipaddress.ip_network(args.pod_cidr)
        self.svc_net = ipaddress.ip_network(args.service_cidr)
        self.used_ips = {self.svc_net[1], self.svc_net[10]}
        self.used_nodeports = set()
        self.used_names = set()
        self.ports = []            # (spn, proto, cluster_ip, port, endpoints [(ip, port)], nodeport or None)
        self.endpoints = 0

    # --- the made-up cluster

    def pod_ip(self):
        # endpoints on the first --endpoint-nodes node subnets (/24 each) of the pod CIDR
        node = self.rnd.randrange(self.a.endpoint_nodes)
        base = int(self.pod_net.network_address) + node * 256
        return str(ipaddress.ip_address(base + self.rnd.randrange(2, 250)))

    def cluster_ip(self):
        while True:
            ip = self.svc_net[self.rnd.randrange(2, min(self.svc_net.num_addresses - 1, 1 << 20))]
            if ip not in self.used_ips:
                self.used_ips.add(ip)
                return str(ip)

    def nodeport(self):
        while True:
            p = self.rnd.randrange(30001, 32768)   # 30000 is the portal's probe port for the range
            if p not in self.used_nodeports:
                self.used_nodeports.add(p)
                return p

    def service_name(self):
        for _ in range(1000):
            n = self.rnd.choice(NAMESPACES) + "/" + self.rnd.choice(NAMES)
            if self.rnd.random() < 0.5:
                n += "-" + self.rnd.choice(NAMES)
            if n not in self.used_names:
                self.used_names.add(n)
                return n
        n = "%s/svc-%d" % (self.rnd.choice(NAMESPACES), len(self.used_names))
        self.used_names.add(n)
        return n

    def add_port(self, svc, pname, proto, port, target, n_ep, nodeport, ip):
        spn = svc + (":" + pname if pname else "")
        eps = []
        while len(eps) < n_ep:
            ep = (self.pod_ip(), target)
            if ep not in eps:
                eps.append(ep)
        self.ports.append((spn, proto, ip, port, eps, nodeport))
        self.endpoints += n_ep

    def well_known(self):
        self.add_port("default/kubernetes", "https", "tcp", 443, 6443, 0, None, str(self.svc_net[1]))
        self.ports[-1][4].append((self.a.api_endpoint.rsplit(":", 1)[0], int(self.a.api_endpoint.rsplit(":", 1)[1])))
        self.endpoints += 1
        dns = str(self.svc_net[10])
        dns_eps = [(self.pod_ip(), 53), (self.pod_ip(), 53)]
        for pname, proto, port in (("dns", "udp", 53), ("dns-tcp", "tcp", 53), ("metrics", "tcp", 9153)):
            self.ports.append(("kube-system/kube-dns:" + pname, proto, dns, port,
                               [(ip, port) for ip, _ in dns_eps], None))
            self.endpoints += 2
        self.used_names.update({"default/kubernetes", "kube-system/kube-dns"})

    def random_service(self, n_ports=None, n_ep=None, nodeport=None):
        svc = self.service_name()
        ip = self.cluster_ip()
        if n_ports is None:
            r = self.rnd.random()
            n_ports = 1 if r < 0.8 else 2 if r < 0.95 else 3
        if nodeport is None:
            nodeport = self.rnd.random() < 0.08
        chosen = self.rnd.sample(PORTS, n_ports)
        for pname, proto, port, target in chosen:
            if n_ports > 1 and not pname:
                pname = "p%d" % port         # multi-port Services need port names
            k = n_ep
            if k is None:
                r = self.rnd.random()
                k = 0 if r < 0.03 else 1 if r < 0.25 else 2 if r < 0.6 else 3 if r < 0.88 else 5
            self.add_port(svc, pname, proto, port, target, k, self.nodeport() if nodeport else None, ip)

    @staticmethod
    def port_rules(k, nodeport):
        """rules one Service port adds (nat + filter)"""
        if k == 0:
            return 2 if nodeport else 1
        return 2 + 3 * k + (3 if nodeport else 0)

    def build(self):
        self.well_known()
        if self.a.target_rules:
            # random Services while far from the target, then single-port ones that fit, then
            # Services without endpoints (1 rule each) for the last few
            while True:
                left = self.a.target_rules - self.count_rules()
                if left <= 0:
                    break
                if left >= 200:
                    self.random_service()
                elif left >= 5:
                    k = min(self.rnd.choice((1, 2, 2, 3, 5)), (left - 2) // 3)
                    self.random_service(1, k, False)
                else:
                    self.random_service(1, 0, False)
            assert self.count_rules() == self.a.target_rules, (self.count_rules(), self.a.target_rules)
        else:
            for _ in range(self.a.services - 2):
                self.random_service()

    def count_rules(self):
        return FIXED_RULES + sum(self.port_rules(len(eps), np) for _, _, _, _, eps, np in self.ports)

    # --- rendering

    def render(self):
        comments = self.a.comments == "always" or self.endpoints <= LARGE_CLUSTER_ENDPOINTS
        pod = self.a.pod_cidr
        subnet = self.a.pod_subnet
        svc_chains, sep_chains, ext_chains = [], [], []
        nat_services, nat_nodeports, nat_chain_rules = [], [], []
        f_services, f_external = [], []
        for spn, proto, ip, port, eps, nodeport in self.ports:
            m = "-m %s --dport %d" % (proto, port)
            if not eps:
                f_services.append('-A KUBE-SERVICES -d %s/32 -p %s -m comment --comment %s %s -j REJECT --reject-with icmp-port-unreachable'
                                  % (ip, proto, q(spn + " has no endpoints"), m))
                if nodeport:
                    f_external.append('-A KUBE-EXTERNAL-SERVICES -p %s -m comment --comment %s -m addrtype --dst-type LOCAL -m %s --dport %d -j REJECT --reject-with icmp-port-unreachable'
                                      % (proto, q(spn + " has no endpoints"), proto, nodeport))
                continue
            svc = "KUBE-SVC-" + h16(spn + proto)
            svc_chains.append(svc)
            nat_services.append('-A KUBE-SERVICES -d %s/32 -p %s -m comment --comment %s %s -j %s'
                                % (ip, proto, q(spn + " cluster IP"), m, svc))
            rules = ['-A %s ! -s %s -d %s/32 -p %s -m comment --comment %s %s -j KUBE-MARK-MASQ'
                     % (svc, pod, ip, proto, q(spn + " cluster IP"), m)]
            if nodeport:
                ext = "KUBE-EXT-" + h16(spn + proto)
                ext_chains.append(ext)
                nat_nodeports.append('-A KUBE-NODEPORTS -p %s -m comment --comment %s -m %s --dport %d -j %s'
                                     % (proto, q(spn), proto, nodeport, ext))
                nat_chain_rules.append('-A %s -m comment --comment %s -j KUBE-MARK-MASQ'
                                       % (ext, q("masquerade traffic for " + spn + " external destinations")))
                nat_chain_rules.append('-A %s -j %s' % (ext, svc))
            seps = []
            n = len(eps)
            for i, (eip, eport) in enumerate(eps):
                ep = "%s:%d" % (eip, eport)
                sep = "KUBE-SEP-" + h16(spn + proto + ep)
                sep_chains.append(sep)
                c = (" -m comment --comment %s" % q(spn + " -> " + ep)) if comments else ""
                if i < n - 1:
                    rules.append('-A %s%s -m statistic --mode random --probability %.10f -j %s'
                                 % (svc, c, 1.0 / (n - i), sep))
                else:
                    rules.append('-A %s%s -j %s' % (svc, c, sep))
                c = (" -m comment --comment %s" % q(spn)) if comments else ""
                seps.append('-A %s -s %s/32%s -j KUBE-MARK-MASQ' % (sep, eip, c))
                seps.append('-A %s -p %s%s -m %s -j DNAT --to-destination %s' % (sep, proto, c, proto, ep))
            nat_chain_rules.extend(rules)
            nat_chain_rules.extend(seps)

        out = []
        out.append("*mangle")
        out += [":%s ACCEPT [0:0]" % c for c in ("PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING")]
        out += [":KUBE-IPTABLES-HINT - [0:0]", ":KUBE-KUBELET-CANARY - [0:0]", ":KUBE-PROXY-CANARY - [0:0]"]
        out.append("COMMIT")

        out.append("*filter")
        out += [":INPUT ACCEPT [0:0]", ":FORWARD ACCEPT [0:0]", ":OUTPUT ACCEPT [0:0]"]
        out += [":%s - [0:0]" % c for c in ("FLANNEL-FWD", "KUBE-EXTERNAL-SERVICES", "KUBE-FIREWALL", "KUBE-FORWARD",
                                            "KUBE-KUBELET-CANARY", "KUBE-NODEPORTS", "KUBE-PROXY-CANARY",
                                            "KUBE-PROXY-FIREWALL", "KUBE-SERVICES")]
        out += [
            '-A INPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL',
            '-A INPUT -m comment --comment "kubernetes health check service ports" -j KUBE-NODEPORTS',
            '-A INPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES',
            '-A INPUT -j KUBE-FIREWALL',
            '-A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL',
            '-A FORWARD -m comment --comment "kubernetes forwarding rules" -j KUBE-FORWARD',
            '-A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
            '-A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES',
            '-A FORWARD -m comment --comment "flanneld forward" -j FLANNEL-FWD',
            '-A OUTPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL',
            '-A OUTPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
            '-A OUTPUT -j KUBE-FIREWALL',
            '-A FLANNEL-FWD -s %s -m comment --comment "flanneld forward" -j ACCEPT' % pod,
            '-A FLANNEL-FWD -d %s -m comment --comment "flanneld forward" -j ACCEPT' % pod,
        ]
        out += f_external
        out += [
            '-A KUBE-FIREWALL ! -s 127.0.0.0/8 -d 127.0.0.0/8 -m comment --comment "block incoming localnet connections" -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP',
            '-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP',
            '-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT',
            '-A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
        ]
        out += f_services
        out.append("COMMIT")

        out.append("*nat")
        out += [":%s ACCEPT [0:0]" % c for c in ("PREROUTING", "INPUT", "OUTPUT", "POSTROUTING")]
        fixed = ["FLANNEL-POSTRTG", "KUBE-KUBELET-CANARY", "KUBE-MARK-MASQ", "KUBE-NODEPORTS", "KUBE-POSTROUTING",
                 "KUBE-PROXY-CANARY", "KUBE-SERVICES"]
        out += [":%s - [0:0]" % c for c in sorted(fixed + svc_chains + sep_chains + ext_chains)]
        out += [
            '-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
            '-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
            '-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING',
            '-A POSTROUTING -m comment --comment "flanneld masq" -j FLANNEL-POSTRTG',
            '-A FLANNEL-POSTRTG -m mark --mark 0x4000/0x4000 -m comment --comment "flanneld masq" -j RETURN',
            '-A FLANNEL-POSTRTG -s %s -d %s -m comment --comment "flanneld masq" -j RETURN' % (subnet, pod),
            '-A FLANNEL-POSTRTG -s %s -d %s -m comment --comment "flanneld masq" -j RETURN' % (pod, subnet),
            '-A FLANNEL-POSTRTG ! -s %s -d %s -m comment --comment "flanneld masq" -j RETURN' % (pod, subnet),
            '-A FLANNEL-POSTRTG -s %s ! -d 224.0.0.0/4 -m comment --comment "flanneld masq" -j MASQUERADE --random-fully' % pod,
            '-A FLANNEL-POSTRTG ! -s %s -d %s -m comment --comment "flanneld masq" -j MASQUERADE --random-fully' % (pod, pod),
            '-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000',
        ]
        out += nat_nodeports
        out += [
            '-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN',
            '-A KUBE-POSTROUTING -j MARK --set-xmark 0x4000/0x0',
            '-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully',
        ]
        out += nat_chain_rules
        out += nat_services
        out.append('-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS')
        out.append("COMMIT")
        stats = {
            "services": len({spn.split(":")[0] for spn, *_ in self.ports}),
            "service_ports": len(self.ports),
            "endpoints": self.endpoints,
            "nodeports": sum(1 for p in self.ports if p[5]),
            "no_endpoint_ports": sum(1 for p in self.ports if not p[4]),
            "large_cluster_mode": int(not comments),
            "rules_filter": sum(1 for line in out[out.index("*filter"):out.index("*nat")] if line.startswith("-A ")),
            "rules_nat": sum(1 for line in out[out.index("*nat"):] if line.startswith("-A ")),
            "rules_mangle": 0,
            "chains_kube_svc": len(svc_chains),
            "chains_kube_sep": len(sep_chains),
        }
        stats["rules_total"] = stats["rules_filter"] + stats["rules_nat"] + stats["rules_mangle"]
        return "\n".join(out) + "\n", stats


# rules that do not depend on the Services: filter 14 + 4, nat 11 + 3 + 1
FIXED_RULES = 18 + 15

IP6 = """*mangle
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:KUBE-IPTABLES-HINT - [0:0]
:KUBE-KUBELET-CANARY - [0:0]
:KUBE-PROXY-CANARY - [0:0]
COMMIT
*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:KUBE-EXTERNAL-SERVICES - [0:0]
:KUBE-FIREWALL - [0:0]
:KUBE-FORWARD - [0:0]
:KUBE-KUBELET-CANARY - [0:0]
:KUBE-NODEPORTS - [0:0]
:KUBE-PROXY-CANARY - [0:0]
:KUBE-PROXY-FIREWALL - [0:0]
:KUBE-SERVICES - [0:0]
-A INPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL
-A INPUT -m comment --comment "kubernetes health check service ports" -j KUBE-NODEPORTS
-A INPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES
-A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL
-A FORWARD -m comment --comment "kubernetes forwarding rules" -j KUBE-FORWARD
-A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES
-A OUTPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL
-A OUTPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP
-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT
-A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
COMMIT
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:KUBE-KUBELET-CANARY - [0:0]
:KUBE-MARK-MASQ - [0:0]
:KUBE-NODEPORTS - [0:0]
:KUBE-POSTROUTING - [0:0]
:KUBE-PROXY-CANARY - [0:0]
:KUBE-SERVICES - [0:0]
-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING
-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000
-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
-A KUBE-POSTROUTING -j MARK --set-xmark 0x4000/0x0
-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully
-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
COMMIT
"""


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    g = ap.add_mutually_exclusive_group(required=True)
    g.add_argument("--services", type=int)
    g.add_argument("--target-rules", type=int)
    ap.add_argument("--comments", choices=["always", "auto"], default="auto")
    ap.add_argument("--pod-cidr", default="10.244.0.0/16")
    ap.add_argument("--pod-subnet", default="10.244.1.0/24", help="this node's pod subnet (flannel masq rules)")
    ap.add_argument("--service-cidr", default="10.96.0.0/12")
    ap.add_argument("--api-endpoint", default="10.213.60.11:6443")
    ap.add_argument("--endpoint-nodes", type=int, default=4, help="pods run on the first N /24s of the pod CIDR")
    ap.add_argument("--seed", default="netready-bench")
    ap.add_argument("--ip6", help="write the IPv6 skeleton here")
    ap.add_argument("--stats", help="write key=value counts here")
    a = ap.parse_args()
    gen = Gen(a)
    gen.build()
    text, stats = gen.render()
    if a.target_rules and stats["rules_total"] != a.target_rules:
        sys.exit("internal: %d rules, wanted %d" % (stats["rules_total"], a.target_rules))
    sys.stdout.write(text)
    if a.ip6:
        with open(a.ip6, "w") as f:
            f.write(IP6)
    if a.stats:
        with open(a.stats, "w") as f:
            for k, v in stats.items():
                f.write("%s=%s\n" % (k, v))
    print(" ".join("%s=%s" % kv for kv in stats.items()), file=sys.stderr)


if __name__ == "__main__":
    main()
