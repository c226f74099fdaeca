#!/usr/bin/env python3
"""Check a netready.report/v1 document (test helper only; the probe never uses python).

usage: validate_report.py [--show SECTION]... [--status SECTION=STATUS]... < report.json
Exits non-zero on the first contract violation.
"""
import base64, json, re, sys

REQUIRED = """hostname machine-id product-uuid kernel os-release links addresses routes routes6
neighbours listeners sysctl modules filesystems iptables ip6tables iptables-legacy iptables-nft iptables-version
nftables firewalld firewalld-zone ufw resolv-conf resolv-conf-systemd hosts nsswitch cni-config-dir
cni-bin swaps proxy-env kubelet-config kubelet-flags""".split()
STATUSES = {"ok", "error", "missing", "denied", "absent", "timeout"}
NAME = re.compile(r"^[a-z0-9][a-z0-9._/-]*$")
FIELDS = ["source", "status", "exitCode", "encoding", "output", "stderr", "bytes", "truncated"]


def fail(msg):
    print("INVALID: " + msg, file=sys.stderr)
    sys.exit(1)


def main(argv):
    raw = sys.stdin.buffer.read()
    try:
        d = json.loads(raw.decode("utf-8"))
    except Exception as e:  # noqa
        fail("not JSON: %s" % e)
    if d.get("format") != "netready.report/v1":
        fail("format")
    if not re.match(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", d.get("reportId", "")):
        fail("reportId %r" % d.get("reportId"))
    if not re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", d.get("collectedAt", "")):
        fail("collectedAt")
    p = d.get("probe", {})
    if p.get("version") != "0.1.0" or not isinstance(p.get("uid"), int) or not isinstance(p.get("durationMs"), int):
        fail("probe %r" % p)
    if d.get("role") not in ("control-plane", "worker") or d.get("phase") not in ("preflight", "running"):
        fail("role/phase")
    secs = d.get("sections")
    if not isinstance(secs, dict):
        fail("sections")
    for r in REQUIRED:
        if r not in secs:
            fail("missing section " + r)
    for name, s in secs.items():
        if not NAME.match(name):
            fail("bad name " + name)
        fields = sorted(k for k in s if k != "sameAs")
        if fields != sorted(FIELDS):
            fail("fields of %s: %r" % (name, sorted(s)))
        if "sameAs" in s and (s["sameAs"] not in secs or "sameAs" in secs[s["sameAs"]] or s["output"] != ""):
            fail("sameAs of %s: %r (must name a section with output of its own; own output empty)" % (name, s["sameAs"]))
        if s["status"] not in STATUSES or s["encoding"] != "base64":
            fail("status/encoding of " + name)
        if not isinstance(s["exitCode"], int) or not isinstance(s["bytes"], int) or not isinstance(s["truncated"], bool):
            fail("types of " + name)
        out = base64.b64decode(s["output"], validate=True)
        err = base64.b64decode(s["stderr"], validate=True)
        if len(err) > 4096:
            fail("stderr too long in " + name)
        if s["truncated"] != (s["bytes"] > len(out)) or len(out) > s["bytes"]:
            fail("bytes/truncated of %s: bytes=%d len=%d" % (name, s["bytes"], len(out)))
        if s["status"] == "ok" and s["exitCode"] != 0:
            fail("ok with exitCode in " + name)
        if s["status"] == "missing" and s["exitCode"] != 127:
            fail("missing without 127 in " + name)
    i = 0
    while i < len(argv):
        if argv[i] == "--show":
            n = argv[i + 1]
            s = secs[n]
            print("== %s [%s rc=%d] source=%s" % (n, s["status"], s["exitCode"], s["source"]))
            sys.stdout.write(base64.b64decode(s["output"]).decode("utf-8", "replace"))
            e = base64.b64decode(s["stderr"]).decode("utf-8", "replace")
            if e:
                sys.stdout.write("-- stderr:\n" + e)
            i += 2
        elif argv[i] == "--status":
            n, want = argv[i + 1].split("=", 1)
            if secs.get(n, {}).get("status") != want:
                fail("%s status %r, wanted %s" % (n, secs.get(n, {}).get("status"), want))
            i += 2
        elif argv[i] == "--summary":
            for n, s in secs.items():
                print("%-28s %-8s rc=%-4d bytes=%-8d %s" % (n, s["status"], s["exitCode"], s["bytes"], s["source"]))
            print("durationMs=%d uid=%d role=%s phase=%s" % (p["durationMs"], p["uid"], d["role"], d["phase"]))
            i += 1
        else:
            fail("bad arg " + argv[i])
    print("VALID: %d sections" % len(secs), file=sys.stderr)


main(sys.argv[1:])
