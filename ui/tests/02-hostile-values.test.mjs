// Hostile values from a node render as text: the real probe runs in a network namespace whose kernel hostname is
// `<img src=x onerror=alert(1)>` and whose interface is named `eth0;reboot`; its reports (made with --output - and
// uploaded with the upload token, as a script would) are shown on every page that shows a node, and no script runs:
// no dialog, no console error (a CSP violation is one), no <img src=x> in the document, the literal text visible.
// The fix script keeps the interface name out of every command.
import { describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { PORTAL, RUN } from '../lib/env.mjs';
import { launch, newUser, open, screenshot, download, fetchAs, submit, assertQuiet, noteQuiet } from '../lib/browser.mjs';
import { TestNode, canMakeNodes, uploadReport } from '../lib/nodes.mjs';
import { journey, setField, signInAndCreateCluster } from '../lib/steps.mjs';

const HOSTNAME = '<img src=x onerror=alert(1)>';
const IFACE = 'eth0;reboot';
const CLUSTER = `ui-hostile-${RUN}`;

const node = new TestNode(`hostile-${RUN}`, 31, HOSTNAME);
const state = {};
const users = {};
let browser;

/** Loads a page and checks that the hostile values are inert there; `show` lists the literal texts it must show. */
async function inert(user, pathAndQuery, show, shot, readme = false) {
  const { page } = user;
  await open(user, pathAndQuery);
  const injected = await page.evaluate(() => ({
    images: document.querySelectorAll('img[src="x"], img[src$="/x"]').length,
    handlers: [...document.querySelectorAll('*')].filter((el) => el.hasAttribute('onerror')).length,
  }));
  assert.deepEqual(injected, { images: 0, handlers: 0 }, `no element made from the hostname on ${pathAndQuery}`);
  for (const text of show) {
    const shown = page.getByText(text, { exact: false }).first();
    await shown.waitFor({ state: 'visible' }).catch(() => {
      throw new assert.AssertionError({ message: `${pathAndQuery} shows the literal text ${text}` });
    });
  }
  if (shot) await screenshot(user, shot, { readme });
  assertQuiet(user, pathAndQuery);
}

describe('hostile hostname and interface name from a real probe run render as text', () => {
  const step = journey(state, users);

  before(async () => {
    browser = await launch();
    users.admin = await newUser(browser, 'admin');
    if (canMakeNodes()) {
      node.create();
      node.renameInterface(IFACE);
      node.sysctl('net.ipv4.ip_forward', '0');
      node.sysctl('net.ipv4.conf.all.rp_filter', '1');
      node.ifaceSysctl('rp_filter', '1');
      state.nodeMade = true;
    }
  });

  after(async () => {
    await browser?.close();
    node.destroy();
    node.removeFiles();
  });

  step('admin signs in, creates a cluster and an upload token on the pages', [], async () => {
    const { page } = users.admin;
    await signInAndCreateCluster(users.admin, CLUSTER);
    const issue = page.locator('form#issue-token');
    await setField(issue, 'tokenName', 'hostile-node');
    await submit(issue);
    state.token = (await page.locator('pre#token').innerText()).trim();
    assert.match(state.token, /^nrt_/);
    // console errors of these pages are the journey's business (01-admin-journey); here only the hostile pages count
    noteQuiet(users.admin, 'setup');
  });

  step('the probe runs twice in the hostile node; both reports upload with the token', ['token', 'nodeMade'], async () => {
    const first = node.probe({ output: '-' });
    const report1 = JSON.parse(first);
    assert.equal(Buffer.from(report1.sections.hostname.output, 'base64').toString().trim(), HOSTNAME);
    assert.match(Buffer.from(report1.sections.links.output, 'base64').toString(), /eth0;reboot/);
    const r1 = await uploadReport(PORTAL, state.token, first);
    node.sysctl('net.ipv4.ip_forward', '1');
    const r2 = await uploadReport(PORTAL, state.token, node.probe({ output: '-' }));
    assert.equal(r1.node, HOSTNAME);
    assert.equal(r2.nodeId, r1.nodeId);
    state.reports = [r1.id, r2.id];
    state.nodeId = r1.nodeId;
  });

  step('cluster page: the matrix row and its link show the hostname as text', ['reports'], async () => {
    const { page } = users.admin;
    await inert(users.admin, `/clusters/${CLUSTER}`, [HOSTNAME], 'hostile-cluster');
    const rows = await page.locator('table#matrix tr[data-node]').evaluateAll((trs) => trs.map((tr) => tr.dataset.node));
    assert.deepEqual(rows, [HOSTNAME]);
    assert.equal((await page.locator('table#matrix a.node-link').innerText()).trim(), HOSTNAME);
  });

  step('fleet page: the cluster is listed, nothing injected', ['reports'], async () => {
    await inert(users.admin, '/clusters', [CLUSTER]);
  });

  step('report pages: hostname, interface name in the raw sections', ['reports'], async () => {
    await inert(users.admin, `/reports/${state.reports[0]}`, [HOSTNAME, IFACE], 'hostile-report');
    await inert(users.admin, `/reports/${state.reports[1]}`, [HOSTNAME, IFACE]);
  });

  step('node page: hostname, timeline of both runs', ['reports'], async () => {
    const { page } = users.admin;
    await inert(users.admin, `/nodes/${state.nodeId}`, [HOSTNAME], 'hostile-node', true);
    assert.equal(await page.locator('#timeline a.run').count(), 2);
  });

  step('diff page: both runs, hostname as text', ['reports'], async () => {
    const [from, to] = state.reports;
    await inert(users.admin, `/diff?from=${from}&to=${to}`, [HOSTNAME], 'hostile-diff');
  });

  step('audit log: the uploads of the hostile node, its name as text', ['reports'], async () => {
    const { page } = users.admin;
    await inert(users.admin, `/audit?cluster=${CLUSTER}&action=upload`, [HOSTNAME]);
    const uploads = page.locator('table#audit tr.event[data-action="upload"]');
    assert.equal(await uploads.count(), 2);
    const csv = await fetchAs(users.admin, `/audit.csv?cluster=${CLUSTER}&action=upload`);
    assert.equal(csv.status, 200);
  });

  step('fix script: a safe file name, the interface name in no command, nothing runs but what it prints', ['reports'], async () => {
    const { page } = users.admin;
    await open(users.admin, `/reports/${state.reports[0]}`);
    const head = await fetchAs(users.admin, `/reports/${state.reports[0]}/fix.sh`);
    assert.equal(head.status, 200);
    assert.match(head.headers['content-disposition'] || '', /attachment/);
    const fix = await download(users.admin, page.locator('a#download-fix'));
    assert.match(fix.filename, /^fix-[A-Za-z0-9._-]*\.sh$/, `file name ${JSON.stringify(fix.filename)}`);
    const syntax = spawnSync('sh', ['-n', fix.file], { encoding: 'utf8' });
    assert.equal(syntax.status, 0, `sh -n: ${syntax.stderr}`);
    // outside comments and quoted strings, no line names the interface (or anything after its ';')
    const unquoted = fix.text.split('\n')
      .filter((line) => !line.trim().startsWith('#'))
      .map((line) => line.replace(/'[^']*'/g, "''").replace(/"[^"$`\\]*"/g, '""'))
      .filter((line) => /reboot|<img/.test(line));
    assert.deepEqual(unquoted, [], 'lines that would run a hostile value');
    const dry = node.runScript(fix.file, '--dry-run');
    assert.equal(dry.status, 0, `--dry-run: ${dry.stderr}`);
    assert.equal(dry.trapped, '', 'the script ran reboot');
  });

  step('diff export: Markdown keeps the hostname out of HTML (escaped or in code)', ['reports'], async () => {
    const [from, to] = state.reports;
    const md = await fetchAs(users.admin, `/diff.md?from=${from}&to=${to}`);
    assert.equal(md.status, 200);
    const bare = md.text.split('\n').filter((line) => line.includes(HOSTNAME) && !/`[^`]*<img src=x onerror=alert\(1\)>[^`]*`/.test(line));
    assert.deepEqual(bare, [], 'lines with the raw hostname outside a code span');
  });
});
