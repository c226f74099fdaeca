// Real test nodes: network namespaces joined to this host by a veth pair (like src/test/java/io/netready/support/Netns.java),
// where the real probe runs with a hostname, machine-id, /etc/hosts and resolv.conf of the node's own. Needs root.
//
// Node k is namespace nrui-<label>, eth0 = 10.215.k.2/24 with a default route via the host end nrui<k> = 10.215.k.1,
// where the portal listens (it is started on 0.0.0.0). Nothing in the root namespace changes but that veth (which also
// forwards, so that nodes reach each other), and the
// files the node's /etc shows are bind-mounted in a private mount namespace of each probe run.
import { execFileSync, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROBE, PORTAL_PORT } from './env.mjs';

const CLEAN_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

function run(cmd, args, { input, allowFail = false } = {}) {
  const r = spawnSync(cmd, args, { input, encoding: 'utf8', maxBuffer: 64 << 20, timeout: 60_000 });
  if (!allowFail && (r.status !== 0 || r.error)) {
    throw new Error(`${cmd} ${args.join(' ')} failed (${r.error || 'exit ' + r.status}): ${r.stderr}`);
  }
  return r;
}

// Inside `ip netns exec NS unshare --uts --mount`: the node's files over /etc, its hostname written to /proc (the
// kernel takes names that hostname(1) refuses), then the probe.
const IN_NODE = `set -eu
d=$NR_NODE_DIR
mount --bind "$d/machine-id" /etc/machine-id
mount --bind "$d/hosts" /etc/hosts
mount --bind "$d/resolv.conf" /etc/resolv.conf
printf '%s' "$NR_HOSTNAME" > /proc/sys/kernel/hostname
exec "$@"`;

export class TestNode {
  /**
   * @param label short name for the namespace (nrui-<label>)
   * @param k 1..250: the node's /24 (10.215.k.0/24) and host veth (nrui<k>)
   * @param hostname what the kernel of the node's UTS namespace says (any bytes the kernel takes)
   */
  constructor(label, k, hostname) {
    this.ns = `nrui-${label}`;
    this.k = k;
    this.hostVeth = `nrui${k}`;
    this.hostAddress = `10.215.${k}.1`;
    this.address = `10.215.${k}.2`;
    this.hostname = hostname;
    this.iface = 'eth0';
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), `nrui-${label}-`));
  }

  /** The URL of the portal as the node reaches it: the host end of its veth. */
  get server() {
    return `http://${this.hostAddress}:${PORTAL_PORT}`;
  }

  create() {
    this.destroy();
    run('ip', ['netns', 'add', this.ns]);
    run('ip', ['link', 'add', this.hostVeth, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', this.ns]);
    run('ip', ['addr', 'add', `${this.hostAddress}/24`, 'dev', this.hostVeth]);
    run('ip', ['link', 'set', this.hostVeth, 'up']);
    // the nodes try each other (their reachability plans): the host forwards between the test's own veths only
    // (IPv4 forwarding is decided by the interface a packet comes in on; the host's ip_forward stays as it is)
    run('sysctl', ['-q', '-w', `net.ipv4.conf.${this.hostVeth}.forwarding=1`]);
    this.ip('link', 'set', 'lo', 'up');
    this.ip('addr', 'add', `${this.address}/24`, 'dev', 'eth0');
    this.ip('link', 'set', 'eth0', 'up');
    this.ip('route', 'add', 'default', 'via', this.hostAddress);
    this.sysctl('net.ipv4.ip_forward', '1');
    fs.writeFileSync(path.join(this.dir, 'machine-id'), crypto.randomBytes(16).toString('hex') + '\n');
    fs.writeFileSync(path.join(this.dir, 'resolv.conf'), `nameserver ${this.hostAddress}\n`);
    this.writeHosts();
    return this;
  }

  /** The node's /etc/hosts: localhost, and its own name unless told otherwise. */
  writeHosts(listed = true) {
    fs.writeFileSync(path.join(this.dir, 'hosts'),
      `127.0.0.1\tlocalhost\n${listed ? `${this.address}\t${this.hostname}\n` : ''}::1\tlocalhost ip6-localhost ip6-loopback\n`);
  }

  /** ip ARGS inside the namespace. */
  ip(...args) {
    return run('ip', ['-n', this.ns, ...args]).stdout;
  }

  /** A command inside the namespace. */
  exec(cmd, ...args) {
    return run('ip', ['netns', 'exec', this.ns, cmd, ...args]).stdout;
  }

  /** Sets a sysctl inside the namespace (a plain key: dots only between its parts). */
  sysctl(key, value) {
    return this.writeProc('/proc/sys/' + key.replaceAll('.', '/'), value);
  }

  /** Sets an interface's IPv4 sysctl, whatever its name (e.g. conf/eth0;reboot/rp_filter). */
  ifaceSysctl(name, value, iface = this.iface) {
    return this.writeProc(`/proc/sys/net/ipv4/conf/${iface}/${name}`, value);
  }

  writeProc(file, value) {
    run('ip', ['netns', 'exec', this.ns, 'sh', '-c', 'printf "%s\\n" "$1" > "$2"', 'sh', value, file]);
    return this;
  }

  /** Renames eth0 (e.g. to a hostile name); the address and routes stay. */
  renameInterface(name) {
    this.ip('link', 'set', this.iface, 'down');
    this.ip('link', 'set', this.iface, 'name', name);
    this.ip('link', 'set', name, 'up');
    this.ip('route', 'replace', 'default', 'via', this.hostAddress, 'dev', name);
    this.iface = name;
    return this;
  }

  /**
   * Runs the real probe (POSIX sh: dash) in the node. With {server, token} it uploads, as on a real node, and returns
   * its printed answer; with {output: '-'} it returns the report it wrote to stdout.
   */
  probe({ role = 'worker', phase, server, token, output, probe = PROBE } = {}) {
    const args = ['--role', role];
    if (phase) args.push('--phase', phase);
    if (output) args.push('--output', output, '--quiet');
    if (server) args.push('--server', server, '--token', token);
    const spool = path.join(this.dir, 'spool');
    fs.mkdirSync(spool, { recursive: true });
    const r = run('ip', ['netns', 'exec', this.ns, 'unshare', '--uts', '--mount', '--propagation', 'private',
      'env', '-i', `PATH=${CLEAN_PATH}`, `NR_NODE_DIR=${this.dir}`, `NR_HOSTNAME=${this.hostname}`,
      `NETREADY_SPOOL_DIR=${spool}`, `TMPDIR=${this.dir}`,
      'sh', '-c', IN_NODE, 'in-node', 'sh', probe, ...args], { allowFail: true });
    if (r.status !== 0) {
      throw new Error(`probe on ${this.ns} exited ${r.status}: ${r.stderr}\n${r.stdout}`);
    }
    return r.stdout;
  }

  /** Uploads with the probe itself and returns the report id the portal answered. */
  probeAndUpload(token, options = {}) {
    const answer = this.probe({ ...options, server: this.server, token });
    const m = /report (\d+) stored/.exec(answer);
    if (!m) throw new Error(`no report id in the probe's answer: ${answer}`);
    return { id: Number(m[1]), answer };
  }

  /**
   * Runs a shell script (a downloaded fix script) in the node: in a private mount namespace whose /etc/sysctl.d and
   * /etc/modules-load.d are empty tmpfs, with a PATH that starts with traps: `reboot`, `shutdown`, `halt` and
   * `poweroff` only leave a mark. Returns {status, stdout, stderr, trapped}.
   */
  runScript(file, ...args) {
    const trapDir = path.join(this.dir, 'traps');
    const mark = path.join(this.dir, 'trapped');
    fs.rmSync(mark, { force: true });
    fs.mkdirSync(trapDir, { recursive: true });
    for (const cmd of ['reboot', 'shutdown', 'halt', 'poweroff']) {
      fs.writeFileSync(path.join(trapDir, cmd), `#!/bin/sh\necho "${cmd} $*" >> "$NR_TRAP_MARK"\nexit 0\n`, { mode: 0o755 });
    }
    const inner = `set -eu
for d in /etc/sysctl.d /etc/modules-load.d; do [ -d "$d" ] && mount -t tmpfs nrui-fix "$d"; done
exec "$@"`;
    const r = run('ip', ['netns', 'exec', this.ns, 'unshare', '--mount', '--propagation', 'private',
      'env', '-i', `PATH=${trapDir}:${CLEAN_PATH}`, `NR_TRAP_MARK=${mark}`, 'sh', '-c', inner, 'in-node',
      'sh', file, ...args], { allowFail: true });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr,
      trapped: fs.existsSync(mark) ? fs.readFileSync(mark, 'utf8') : '' };
  }

  destroy() {
    run('ip', ['netns', 'del', this.ns], { allowFail: true });
    run('ip', ['link', 'del', this.hostVeth], { allowFail: true });
  }

  removeFiles() {
    if (this.dir) fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** True when this process may create namespaces (root with ip and unshare). */
export function canMakeNodes() {
  if (process.getuid?.() !== 0) return false;
  try {
    execFileSync('ip', ['netns', 'list'], { stdio: 'ignore' });
    execFileSync('unshare', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Uploads a report (a JSON string) with an upload token, as the probe or a script would. */
export async function uploadReport(portal, token, json) {
  const response = await fetch(`${portal}/api/v1/reports`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', Authorization: `Bearer ${token}` },
    body: json,
  });
  const body = await response.text();
  if (response.status !== 201 && response.status !== 200) {
    throw new Error(`upload answered ${response.status}: ${body}`);
  }
  return JSON.parse(body);
}
