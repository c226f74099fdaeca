// Issue 16, items 6 and 7, walked in the browser: the layout with a long hostname at 1280 px and at 400 px (no panel,
// no navigation wider than the screen; the matrix scrolls in its own box with its header row and node column in
// sight, the name cut with an ellipsis and whole in its title), and the forms: the new token's page reloaded (no
// second token, the secret not shown again), a report file uploaded twice (the second time says it was stored
// before), a file that is not JSON (said in the user's words, with a link back to the cluster), re-evaluation saying
// what it did. The long hostname's report is a real one: the probe's capture of a worker node
// (src/test/resources/bench-reports/typical-worker.json) under a long name.
import { describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PORTAL, REPO, RUN, DOWNLOADS } from '../lib/env.mjs';
import { launch, newUser, open, screenshot, submit, noteQuiet } from '../lib/browser.mjs';
import { uploadReport } from '../lib/nodes.mjs';
import { journey, setField, signInAndCreateCluster } from '../lib/steps.mjs';

const CLUSTER = `ui-layout-${RUN}`;
// 150 characters, labels of at most 63: a valid name, longer than any column has room for
const LONG_HOSTNAME = `ip-10-213-60-12-${RUN}.k8s-worker-pool-general-purpose-b.rack-17-row-c.frankfurt-east-2.`
  + 'platform-team.corp.example.internal';
const FIXTURE = path.join(REPO, 'src/test/resources/bench-reports/typical-worker.json');
const FILLER_NODES = 40; // enough rows that the matrix box scrolls and its header row has to stay

const state = {};
const users = {};
let browser;

/** The real worker report under another hostname and machine-id, with a report id of its own. */
function reportNamed(hostname) {
  const report = JSON.parse(fs.readFileSync(FIXTURE, 'utf8'));
  report.reportId = crypto.randomUUID();
  const set = (name, text) => {
    const bytes = Buffer.from(`${text}\n`);
    Object.assign(report.sections[name], { encoding: 'base64', output: bytes.toString('base64'), bytes: bytes.length });
  };
  set('hostname', hostname);
  if (report.sections['machine-id']) set('machine-id', crypto.randomBytes(16).toString('hex'));
  return JSON.stringify(report);
}

/** What overflows sideways: the page, each panel and section, the header; and where the Sign out control is. */
async function overflow(page) {
  return page.evaluate(() => {
    const wide = [];
    const root = document.documentElement;
    if (root.scrollWidth > root.clientWidth) wide.push(`the page: ${root.scrollWidth} > ${root.clientWidth}`);
    for (const el of document.querySelectorAll('header.top, header.top nav, header.top .who, main, .panel, main > section, main > dl, table#tokens')) {
      if (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX === 'visible') {
        wide.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}.${el.className}: ${el.scrollWidth} > ${el.clientWidth}`);
      }
      const r = el.getBoundingClientRect();
      if (r.right > root.clientWidth + 1) wide.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''} ends at ${r.right} of ${root.clientWidth}`);
    }
    if (wide.length) {
      // name the elements that stick out (those whose children do not), to say what to fix
      const scrolled = (el) => { for (let p = el.parentElement; p; p = p.parentElement) { if (/auto|scroll|hidden/.test(getComputedStyle(p).overflowX)) return true; } return false; };
      const out = [...document.querySelectorAll('main *, header *')].filter((el) => el.getBoundingClientRect().right > root.clientWidth + 1 && !scrolled(el)
        && ![...el.children].some((c) => c.getBoundingClientRect().right > root.clientWidth + 1));
      wide.push(...out.slice(0, 6).map((el) => `sticks out: <${el.tagName.toLowerCase()}${el.id ? ' id=' + el.id : ''} class="${el.className}"> `
        + `${Math.round(el.getBoundingClientRect().right)} px, ${JSON.stringify((el.textContent || '').trim().slice(0, 60))}`));
    }
    const signOut = document.querySelector('header .who a[href="/logout"], header .who form[action="/logout"] button');
    const s = signOut?.getBoundingClientRect();
    return { wide, signOut: s ? { left: s.left, right: s.right, top: s.top, bottom: s.bottom } : null,
      width: root.clientWidth };
  });
}

async function assertNoOverflow(page, where) {
  const o = await overflow(page);
  assert.deepEqual(o.wide, [], `nothing wider than the screen on ${where}`);
  assert.ok(o.signOut, `a Sign out control on ${where}`);
  assert.ok(o.signOut.left >= 0 && o.signOut.right <= o.width, `Sign out inside the screen on ${where}: ${JSON.stringify(o)}`);
}

/**
 * Scrolls the matrix box to its bottom right: the last rule column is inside the box, the node column still at its
 * left and the header row at its top. Scrolls it back.
 */
async function assertMatrixScrolls(box, where) {
  const g = await box.evaluate((wrap) => {
    wrap.scrollLeft = wrap.scrollWidth;
    wrap.scrollTop = wrap.scrollHeight;
    const w = wrap.getBoundingClientRect();
    const heads = wrap.querySelectorAll('thead th');
    const last = heads[heads.length - 1].getBoundingClientRect();
    const rows = wrap.querySelectorAll('tbody tr');
    const nodeCell = rows[rows.length - 1].querySelector('td.node').getBoundingClientRect();
    const result = { wrap: { left: w.left, right: w.right, top: w.top }, last: { left: last.left, right: last.right },
      headTop: heads[0].getBoundingClientRect().top, nodeLeft: nodeCell.left, rows: rows.length,
      scrolledDown: wrap.scrollTop > 0 };
    wrap.scrollLeft = 0;
    wrap.scrollTop = 0;
    return result;
  });
  const seen = JSON.stringify(g);
  assert.ok(g.last.right <= g.wrap.right + 1 && g.last.left >= g.wrap.left - 1, `${where}: the last rule column inside the matrix box: ${seen}`);
  assert.ok(Math.abs(g.nodeLeft - g.wrap.left) <= 2, `${where}: the node column stays at the box's left: ${seen}`);
  assert.ok(g.rows > FILLER_NODES && g.scrolledDown, `${where}: the box scrolls down: ${seen}`);
  assert.ok(Math.abs(g.headTop - g.wrap.top) <= 2, `${where}: the header row stays at the box's top: ${seen}`);
}

describe('layout with a long hostname at 1280 and 400 px; the token, upload and re-evaluate forms', () => {
  const step = journey(state, users);

  before(async () => {
    browser = await launch();
    users.admin = await newUser(browser, 'admin');
  });

  after(async () => {
    await browser?.close();
  });

  step('admin signs in and creates a cluster', [], async () => {
    const { page } = users.admin;
    await signInAndCreateCluster(users.admin, CLUSTER);
    noteQuiet(users.admin, 'setup');
    state.cluster = CLUSTER;
  });

  step('token form: redirected to the secret, shown once; reload, back and the old address issue no second token', ['cluster'], async () => {
    const { page } = users.admin;
    await open(users.admin, `/clusters/${CLUSTER}`);
    await setField(page.locator('form#issue-token'), 'tokenName', 'layout-nodes');
    const response = await submit(page.locator('form#issue-token'));
    assert.equal(response.status(), 200);
    const shown = new URL(page.url());
    assert.match(shown.pathname, new RegExp(`^/clusters/${CLUSTER}/tokens/\\d+/secret$`), 'a GET page after the POST');
    assert.match(shown.searchParams.get('once') || '', /^[A-Za-z0-9_-]{43}$/);
    const secret = (await page.locator('pre#token').innerText()).trim();
    assert.match(secret, /^nrt_[A-Za-z0-9_-]{20,}$/);
    await screenshot(users.admin, 'token-once');

    const reloaded = await page.reload({ waitUntil: 'load' });
    assert.equal(reloaded.status(), 200, 'a reload is no error and no new POST');
    assert.equal(await page.locator('pre#token').count(), 0, 'no secret after a reload');
    assert.ok(!(await page.content()).includes(secret), 'the secret is nowhere on the reloaded page');
    assert.match(await page.locator('#token-shown').innerText(), /already shown once/);
    await page.locator(`#token-shown ~ p a[href="/clusters/${CLUSTER}#tokens"]`).waitFor();
    await screenshot(users.admin, 'token-reloaded');

    // the address the form posted to, bookmarked: the tokens of the cluster page, not a 405
    const bookmarked = await page.goto(`${PORTAL}/clusters/${CLUSTER}/tokens`, { waitUntil: 'load' });
    assert.equal(bookmarked.status(), 200);
    assert.equal(new URL(page.url()).pathname, `/clusters/${CLUSTER}`);
    // back to the secret's page: never cached, asked again, shown no more
    await page.goBack({ waitUntil: 'load' });
    assert.equal(new URL(page.url()).pathname, shown.pathname);
    assert.equal(await page.locator('pre#token').count(), 0, 'no secret after back');

    await open(users.admin, `/clusters/${CLUSTER}`);
    assert.equal(await page.locator('table#tokens tbody tr').count(), 1, 'one token: the reload issued none');
    assert.ok(!(await page.content()).includes(secret));
    noteQuiet(users.admin, 'token pages');
    state.token = secret;
  });

  step('a report file with a long hostname, uploaded twice with form#upload-report: the second time says it was stored', ['token'], async () => {
    const { page } = users.admin;
    const file = path.join(DOWNLOADS, `long-hostname-${RUN}.json`);
    fs.writeFileSync(file, reportNamed(LONG_HOSTNAME));
    const upload = async () => {
      await open(users.admin, `/clusters/${CLUSTER}`);
      const form = page.locator('form#upload-report');
      await form.locator('input[type=file][name="report"]').setInputFiles(file);
      const response = await submit(form);
      assert.equal(response.status(), 200);
      return new URL(page.url());
    };
    const first = await upload();
    assert.match(first.pathname, /^\/reports\/\d+$/);
    assert.equal(first.searchParams.get('uploaded'), 'new');
    assert.equal(await page.locator('#upload-notice').getAttribute('data-upload'), 'new');
    const received = (await page.locator('dl.facts dt', { hasText: /^Received$/ }).locator('xpath=following-sibling::dd[1]').innerText()).trim();

    const again = await upload();
    assert.equal(again.pathname, first.pathname, 'the same report');
    assert.equal(again.searchParams.get('uploaded'), 'again');
    const notice = (await page.locator('#upload-notice').innerText()).trim();
    assert.match(notice, /already stored on \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/);
    assert.match(notice, /nothing new was stored/);
    assert.ok(received.startsWith(notice.match(/stored on (\S+ \S+ UTC)/)[1]), `the time it was stored first: ${received}`);
    await screenshot(users.admin, 'upload-again');
    noteQuiet(users.admin, 'uploads');
    state.reportId = Number(first.pathname.split('/').pop());
  });

  step('a file that is not JSON: a message in the user\'s words and a link back to this cluster', ['cluster'], async () => {
    const { page } = users.admin;
    const file = path.join(DOWNLOADS, `notes-${RUN}.txt`);
    fs.writeFileSync(file, 'not a report: notes from the rack\n');
    await open(users.admin, `/clusters/${CLUSTER}`);
    const form = page.locator('form#upload-report');
    await form.locator('input[type=file][name="report"]').setInputFiles(file);
    const response = await submit(form);
    assert.equal(response.status(), 400);
    const said = (await page.locator('#problem').innerText()).trim();
    assert.match(said, /^This file is not a netready report \(not JSON\): it begins with “not a report: notes from the rack”/);
    assert.doesNotMatch(said, /unexpected character|line 1, column/);
    assert.equal(await page.locator('a#back').getAttribute('href'), `/clusters/${CLUSTER}`);
    await screenshot(users.admin, 'upload-not-json');
    users.admin.errors = users.admin.errors.filter((e) => !/status of 400/.test(e)); // the 400 we asked for
    noteQuiet(users.admin, 'upload of a text file');
  });

  step('more nodes upload with the token, so that the matrix box scrolls', ['token', 'reportId'], async () => {
    for (let i = 1; i <= FILLER_NODES; i++) {
      await uploadReport(PORTAL, state.token, reportNamed(`w${String(i).padStart(2, '0')}-${RUN}`));
    }
    state.filled = true;
  });

  step('at 1280 px: the matrix keeps every rule column in its box, sticky header row and node column, the name cut and whole in its title', ['reportId'], async () => {
    const { page } = users.admin;
    await page.setViewportSize({ width: 1280, height: 900 });
    await open(users.admin, `/clusters/${CLUSTER}`);
    await assertNoOverflow(page, 'the cluster page at 1280 px');
    const link = page.locator(`table#matrix tr[data-node="${LONG_HOSTNAME}"] a.node-link`);
    assert.equal(await link.getAttribute('title'), LONG_HOSTNAME, 'the whole name on hover');
    assert.equal((await link.innerText()).trim(), LONG_HOSTNAME, 'the whole name in the text (cut by CSS only)');
    const cut = await link.evaluate((a) => ({ shown: a.clientWidth, whole: a.scrollWidth, ellipsis: getComputedStyle(a).textOverflow }));
    assert.ok(cut.shown < cut.whole, `the long name is cut: ${JSON.stringify(cut)}`);
    assert.equal(cut.ellipsis, 'ellipsis');
    await screenshot(users.admin, 'cluster-long-hostname', { readme: true });

    // the matrix box: scrolled down, its header row stays at its top
    const box = page.locator('#matrix-wrap');
    const fits = await box.evaluate((wrap) => ({ scrollWidth: wrap.scrollWidth, clientWidth: wrap.clientWidth }));
    assert.ok(fits.scrollWidth <= fits.clientWidth + 1, `every rule column fits at 1280 px, no sideways scrolling: ${JSON.stringify(fits)}`);
    await assertMatrixScrolls(box, 'at 1280 px');
    await box.evaluate((wrap) => { wrap.scrollTop = wrap.scrollHeight / 2; });
    await box.scrollIntoViewIfNeeded();
    await screenshot(users.admin, 'cluster-matrix-scrolled');
    await box.evaluate((wrap) => { wrap.scrollLeft = 0; wrap.scrollTop = 0; });

    // the node's own page and its report: the long name wraps, nothing overflows
    const nodeHref = await link.getAttribute('href');
    await open(users.admin, nodeHref);
    await assertNoOverflow(page, `${nodeHref} at 1280 px`);
    // its waiver form (hostname-valid warns: the name is not in /etc/hosts): the label on one line above a 3-row box
    const waive = await page.locator('form.waive').first().evaluate((form) => {
      const words = form.querySelector('label.reason > span').getBoundingClientRect();
      const box = form.querySelector('textarea');
      return { wordsHeight: words.height, lineHeight: parseFloat(getComputedStyle(form.querySelector('label.reason > span')).lineHeight),
        rows: box.rows, boxTop: box.getBoundingClientRect().top, wordsBottom: words.bottom,
        until: form.querySelector('input[name="expires"]').closest('label').textContent.trim() };
    });
    assert.ok(waive.wordsHeight <= 1.5 * waive.lineHeight, `the reason's label is one line: ${JSON.stringify(waive)}`);
    assert.equal(waive.rows, 3);
    assert.ok(waive.boxTop >= waive.wordsBottom - 1, 'the box under its label');
    assert.equal(waive.until, 'until the end of this day (UTC)');
    await open(users.admin, `/reports/${state.reportId}`);
    await assertNoOverflow(page, `the report page at 1280 px`);
    state.nodePath = nodeHref;
    noteQuiet(users.admin, 'pages at 1280 px');
  });

  step('at 400 px: the navigation wraps with Sign out on the screen, the tokens table stays in its panel', ['reportId'], async () => {
    const { page } = users.admin;
    await page.setViewportSize({ width: 400, height: 860 });
    try {
      await open(users.admin, `/clusters/${CLUSTER}`);
      await assertNoOverflow(page, 'the cluster page at 400 px');
      const tokens = await page.locator('section#tokens').evaluate((panel) => {
        const p = panel.getBoundingClientRect();
        const t = panel.querySelector('table#tokens');
        const r = t.getBoundingClientRect();
        return { panel: { left: p.left, right: p.right }, table: { left: r.left, right: r.right }, scrolls: t.scrollWidth > t.clientWidth };
      });
      assert.ok(tokens.table.left >= tokens.panel.left && tokens.table.right <= tokens.panel.right + 1,
        `the tokens table inside its panel: ${JSON.stringify(tokens)}`);
      await screenshot(users.admin, 'cluster-narrow', { readme: true });
      await assertMatrixScrolls(page.locator('#matrix-wrap'), 'at 400 px');
      await page.locator('section#tokens').scrollIntoViewIfNeeded();
      await screenshot(users.admin, 'cluster-narrow-tokens');
      for (const p of ['/clusters', state.nodePath, `/reports/${state.reportId}`, '/rules', '/audit']) {
        await open(users.admin, p);
        await assertNoOverflow(page, `${p} at 400 px`);
      }
      await screenshot(users.admin, 'audit-narrow');
      noteQuiet(users.admin, 'pages at 400 px');
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
  });

  step('re-evaluate: the page after the redirect says how many reports and what changed', ['reportId'], async () => {
    const { page } = users.admin;
    await open(users.admin, `/clusters/${CLUSTER}`);
    await submit(page.locator('form#reevaluate'));
    const url = new URL(page.url());
    assert.equal(url.pathname, `/clusters/${CLUSTER}`);
    assert.match(url.searchParams.get('reevaluated') || '', /^\d+$/);
    const notice = (await page.locator('#reevaluate-notice').innerText()).trim();
    assert.match(notice, new RegExp(`^Re-evaluated ${FILLER_NODES + 1} reports( with the current rules and settings)?: `));
    assert.match(notice, /no verdict changed|\d+ verdicts? changed \(/);
    // a reload shows the same record, and runs nothing again
    await page.reload({ waitUntil: 'load' });
    assert.equal((await page.locator('#reevaluate-notice').innerText()).trim(), notice);
    await open(users.admin, `/audit?action=reevaluate&cluster=${CLUSTER}`);
    assert.equal(await page.locator('table#audit tr.event[data-action="reevaluate"]').count(), 1, 'one re-evaluation');
    noteQuiet(users.admin, 're-evaluate');
  });

  step('no page of this walk opened a dialog or logged a console error', [], async () => {
    const noted = Object.values(users).flatMap((user) => { noteQuiet(user, 'end'); return user.noted; });
    assert.deepEqual([...new Set(noted)], [], 'console errors (by page)');
  });
});
