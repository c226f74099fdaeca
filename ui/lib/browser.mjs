// Debian's Chromium driven by playwright-core: one browser per test file, one context (cookie jar) per user.
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { CHROMIUM, KEYCLOAK, PORTAL, SCREENSHOTS, DOWNLOADS, USERS } from './env.mjs';

// The flags that work as root on these machines (shared/STACK.md). playwright-core adds --headless,
// --no-sandbox (chromiumSandbox: false) and a fresh --user-data-dir of its own for every launch.
const FLAGS = ['--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];

export async function launch() {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, chromiumSandbox: false, args: FLAGS, timeout: 60_000 });
}

/**
 * A signed-out user: a browser context of its own with one page. `watch` collects what no page of the portal may
 * do: open a dialog (alert/confirm/prompt), throw, or log a console error (CSP violations are console errors).
 */
export async function newUser(browser, name) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true,
    locale: 'en-GB', timezoneId: 'UTC' });
  context.setDefaultTimeout(15_000);
  context.setDefaultNavigationTimeout(30_000);
  const page = await context.newPage();
  const user = { name, context, page, dialogs: [], errors: [], noted: [] };
  page.on('dialog', async (dialog) => {
    user.dialogs.push(`${dialog.type()}: ${dialog.message()} (on ${page.url()})`);
    await dialog.dismiss().catch(() => {});
  });
  page.on('pageerror', (error) => user.errors.push(`page error on ${page.url()}: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const source = message.location()?.url || '';
    // Chromium asks every site for /favicon.ico on its own; a missing icon is no error of a page
    if (/\/favicon\.ico$/.test(source)) return;
    user.errors.push(`console error on ${page.url()}: ${message.text()}${source ? ` (${source})` : ''}`);
  });
  return user;
}

/** Asserts that no dialog opened and no script error or console error happened since the last call. */
export function assertQuiet(user, where = '') {
  const dialogs = user.dialogs.splice(0);
  const errors = user.errors.splice(0);
  assert.deepEqual(dialogs, [], `no dialog may open${where ? ' on ' + where : ''}`);
  assert.deepEqual(errors, [], `no script or console error${where ? ' on ' + where : ''}`);
}

/**
 * Like assertQuiet for dialogs (a dialog means a script ran: always a failure), but keeps console errors for the
 * journey's last check (noted), so that one page's console error does not stop the steps after it.
 */
export function noteQuiet(user, where = '') {
  const dialogs = user.dialogs.splice(0);
  assert.deepEqual(dialogs, [], `no dialog may open${where ? ' on ' + where : ''}`);
  user.noted.push(...user.errors.splice(0).map((e) => `${where}: ${e}`));
}

/** Opens a portal path and asserts the HTTP status of the page (200 unless told). */
export async function open(user, pathAndQuery, status = 200) {
  const response = await user.page.goto(PORTAL + pathAndQuery, { waitUntil: 'load' });
  assert.ok(response, `no response for ${pathAndQuery}`);
  assert.equal(response.status(), status, `GET ${pathAndQuery}: HTTP status`);
  return response;
}

/** Signs in through Keycloak's own login form, starting from a portal page that needs a login. */
export async function signIn(user, account = USERS[user.name], start = '/clusters') {
  const { page } = user;
  await page.goto(PORTAL + start);
  // the portal sends the browser to Keycloak's login page of realm netready
  await page.waitForURL((url) => url.href.startsWith(KEYCLOAK + '/realms/netready/'), { timeout: 30_000 });
  await page.locator('#kc-form-login').waitFor();
  await page.fill('#username', account.username);
  await page.fill('#password', account.password);
  // a fresh Keycloak's first login (and the portal's first page) can take more than the 15 s default on a busy machine
  await Promise.all([
    page.waitForURL((url) => url.href.startsWith(PORTAL + start), { timeout: 90_000 }),
    page.click('#kc-login', { timeout: 90_000 }),
  ]);
  await page.locator('header .who').getByText(account.username, { exact: true }).first().waitFor();
}

/**
 * Signs out with the portal's "Sign out" button (a form: POST /logout with the session's CSRF token; a GET of /logout
 * only shows that form) and checks that the next page needs a login again.
 */
export async function signOut(user) {
  const { page } = user;
  await Promise.all([
    page.waitForURL((url) => url.href.startsWith(PORTAL + '/signed-out'), { timeout: 30_000 }),
    page.locator('header .who form#sign-out[method="post"][action="/logout"] button[type="submit"]').click(),
  ]);
  await page.goto(PORTAL + '/clusters');
  await page.waitForURL((url) => url.href.startsWith(KEYCLOAK + '/realms/netready/'), { timeout: 30_000 });
  await page.locator('#kc-form-login').waitFor();
}

/**
 * Saves a screenshot of the page (its first 3000 px) under ui/test-results/screenshots/NAME.png; with readme, also its
 * first screen (1280x900) under screenshots/readme/, which `UI_UPDATE_SCREENSHOTS=1 ui/run-browser-tests.sh` copies
 * to ui/screenshots/ for the README.
 */
export async function screenshot(user, name, { readme = false } = {}) {
  const { page } = user;
  const file = path.join(SCREENSHOTS, `${name}.png`);
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  const width = page.viewportSize().width;
  // a 3000 px page (the rules) can take more than the 15 s default to paint on a busy machine
  await page.screenshot({ path: file, fullPage: true, clip: { x: 0, y: 0, width, height: Math.min(height, 3000) }, timeout: 60_000 });
  if (readme) {
    fs.mkdirSync(path.join(SCREENSHOTS, 'readme'), { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'readme', `${name}.png`), timeout: 60_000 });
  }
  return file;
}

/**
 * Clicks a link that the server answers with an attachment, and returns {filename, text, file}; the file is kept
 * under ui/test-results/downloads/.
 */
export async function download(user, locator) {
  const [dl] = await Promise.all([user.page.waitForEvent('download', { timeout: 20_000 }), locator.click()]);
  const failure = await dl.failure();
  assert.equal(failure, null, `download of ${dl.url()} failed: ${failure}`);
  const filename = dl.suggestedFilename();
  const file = path.join(DOWNLOADS, filename.replace(/[^A-Za-z0-9._-]/g, '_'));
  await dl.saveAs(file);
  return { filename, file, url: dl.url(), text: fs.readFileSync(file, 'utf8') };
}

/** GET with the user's cookies (no navigation): for statuses and headers of downloads and of forbidden pages. */
export async function fetchAs(user, pathAndQuery, options = {}) {
  const response = await user.context.request.get(PORTAL + pathAndQuery, { maxRedirects: 0, ...options });
  return { status: response.status(), headers: response.headers(), text: await response.text() };
}

/** Submits a form with a click on its submit button and waits for the page it redirects to. */
export async function submit(form) {
  const page = form.page();
  const [response] = await Promise.all([
    page.waitForNavigation({ waitUntil: 'load' }),
    form.locator('button[type=submit], input[type=submit]').first().click(),
  ]);
  return response;
}
