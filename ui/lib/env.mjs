// Where things are: set by ui/run-browser-tests.sh, with the same defaults for a hand-started stack.
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import fs from 'node:fs';

export const UI_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const REPO = path.resolve(UI_DIR, '..');
export const PORTAL = (process.env.NETREADY_URL || 'http://localhost:8080').replace(/\/$/, '');
export const PORTAL_PORT = new URL(PORTAL).port || '80';
export const KEYCLOAK = (process.env.KEYCLOAK_URL || 'http://localhost:8180').replace(/\/$/, '');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const RESULTS = process.env.UI_RESULTS || path.join(UI_DIR, 'test-results');
export const SCREENSHOTS = path.join(RESULTS, 'screenshots');
export const DOWNLOADS = path.join(RESULTS, 'downloads');
export const PROBE = path.join(REPO, 'src/main/resources/probe/netready-probe.sh');

fs.mkdirSync(SCREENSHOTS, { recursive: true });
fs.mkdirSync(DOWNLOADS, { recursive: true });

/** A suffix that makes this run's cluster and host names unique, also against a database kept from an earlier run. */
export const RUN = Date.now().toString(36).slice(-5);

/** The realm's users (src/main/keycloak/netready-realm.json). */
export const USERS = {
  admin: { username: 'admin', password: 'admin' },
  pat: { username: 'pat', password: 'pat' },
  pia: { username: 'pia', password: 'pia' },
};
