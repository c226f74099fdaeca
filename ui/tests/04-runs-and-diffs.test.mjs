// Issue 16, items 2 and 3, walked in the browser: a node's run as nobody after its runs as root. The node page says
// which run is current and that it is not a root run (its uid, what it could not check, what the last root run
// showed); the cluster's matrix marks the node; the diff between the root run and the nobody run shows the uid change
// and the rules no longer checked, and the diff between a worker run and a control-plane run shows the role change.
// The three reports are real: the probe run on one namespace node as root, as nobody and as a control plane
// (src/test/resources/run-variants, captured by src/test/probe/capture-run-variants.sh). No probe runs here: the
// reports are uploaded, so no plan sends anyone to the addresses they name.
import { describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { PORTAL, REPO, RUN } from '../lib/env.mjs';
import { launch, newUser, open, screenshot, submit, noteQuiet } from '../lib/browser.mjs';
import { uploadReport } from '../lib/nodes.mjs';
import { journey, setField, signInAndCreateCluster } from '../lib/steps.mjs';

const CLUSTER = `ui-runs-${RUN}`;
const VARIANTS = path.join(REPO, 'src/test/resources/run-variants');
const HOSTNAME = 'nrv-w1';

const state = {};
const users = {};
let browser;

describe('a non-root run after root runs: the current run, the matrix marker, the diffs of uid and role', () => {
  const step = journey(state, users);

  before(async () => {
    browser = await launch();
    users.admin = await newUser(browser, 'admin');
  });

  after(async () => {
    await browser?.close();
  });

  step('admin creates a cluster and a token; the three runs of one node are uploaded', [], async () => {
    const { page } = users.admin;
    await signInAndCreateCluster(users.admin, CLUSTER);
    await setField(page.locator('form#issue-token'), 'tokenName', 'runs');
    await submit(page.locator('form#issue-token'));
    const token = (await page.locator('pre#token').innerText()).trim();
    // in the order of their collection: worker as root, control plane as root, worker as nobody
    for (const name of ['root-worker', 'root-control-plane', 'nobody-worker']) {
      const stored = await uploadReport(PORTAL, token, fs.readFileSync(path.join(VARIANTS, `${name}.json`), 'utf8'));
      state[name] = stored.id;
      state.nodeId = stored.nodeId;
    }
    noteQuiet(users.admin, 'setup');
  });

  step('the node page: the current run is the nobody run, says what it could not check and what the last root run showed', ['nodeId'], async () => {
    const { page } = users.admin;
    await open(users.admin, `/nodes/${state.nodeId}`);
    const run = page.locator('section#current-run');
    assert.equal(await run.getAttribute('data-uid'), '65534');
    const checked = Number(await run.getAttribute('data-checked'));
    const rules = Number(await run.getAttribute('data-rules'));
    assert.ok(checked < rules, `a non-root run checks fewer rules: ${checked} of ${rules}`);
    assert.match(await run.innerText(), new RegExp(`${checked} of ${rules} rules checked`));
    assert.match(await run.innerText(), /not by when the portal received it/);
    const notice = (await page.locator('#non-root').innerText()).trim();
    assert.match(notice, new RegExp(`^Non-root run \\(uid 65534\\): ${rules - checked} rules? not checked`));
    assert.match(notice, /iptables-mode/, 'iptables-save needs root');
    assert.equal(await page.locator(`#non-root a[href="/reports/${state['root-control-plane']}"]`).count() > 0, true,
      'links the last root run');
    await screenshot(users.admin, 'node-non-root-run');
    noteQuiet(users.admin, 'node page');
  });

  step('the cluster page marks the node: uid and coverage beside its name', ['nodeId'], async () => {
    const { page } = users.admin;
    await open(users.admin, `/clusters/${CLUSTER}`);
    const marker = (await page.locator(`table#matrix tr[data-node="${HOSTNAME}"] .non-root`).innerText()).trim();
    assert.match(marker, /^uid 65534 · \d+\/\d+$/);
    assert.ok(await page.locator(`table#matrix tr[data-node="${HOSTNAME}"] td[data-rule="iptables-mode"][data-status="skip"][data-root-status]`).count() === 1,
      'the skipped cell carries the last root run\'s status');
    noteQuiet(users.admin, 'cluster page');
  });

  step('the diff root → nobody shows the uid and the rules no longer checked; worker → control plane shows the role', ['nodeId'], async () => {
    const { page } = users.admin;
    await open(users.admin, `/diff?from=${state['root-worker']}&to=${state['nobody-worker']}`);
    const uid = (await page.locator('section#meta-diff tr[data-field="uid"]').innerText()).replace(/\s+/g, ' ').trim();
    assert.equal(uid, 'uid 0 (root) 65534 (not root)');
    assert.equal(await page.locator('li.newly-not-checked[data-rule="iptables-mode"]').count(), 1,
      'iptables-mode: judged as root, not checked as nobody');
    await screenshot(users.admin, 'diff-root-to-nobody');

    await open(users.admin, `/diff?from=${state['root-worker']}&to=${state['root-control-plane']}`);
    const role = (await page.locator('section#meta-diff tr[data-field="role"]').innerText()).replace(/\s+/g, ' ').trim();
    assert.equal(role, 'role worker control-plane');
    assert.equal(await page.locator('section#meta-diff tr[data-field="uid"]').count(), 0, 'the uid did not change');
    noteQuiet(users.admin, 'diffs');
  });
});
