// A journey of dependent steps in one node:test suite: a step runs only when what it needs was set by earlier steps
// (else it is skipped, naming what it waited for), and a failing step leaves a screenshot of each open page.
import { it } from 'node:test';
import { open, screenshot, signIn, submit } from './browser.mjs';

export function journey(state, users) {
  return function step(name, needs, fn) {
    it(name, async (t) => {
      const missing = needs.filter((key) => state[key] === undefined || state[key] === null);
      if (missing.length) {
        t.skip(`waits for ${missing.join(', ')} from an earlier step`);
        return;
      }
      try {
        await fn(t);
      } catch (error) {
        const slug = name.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60);
        for (const user of Object.values(users)) {
          if (user?.page && !user.page.isClosed()) {
            await screenshot(user, `FAILED-${slug}-${user.name}`).catch(() => {});
          }
        }
        throw error;
      }
    });
  };
}

/** Sets a form field by name, whether it is an input, a textarea or a select. */
export async function setField(form, name, value) {
  const field = form.locator(`[name="${name}"]`).first();
  const tag = await field.evaluate((el) => el.tagName.toLowerCase());
  if (tag === 'select') {
    await field.selectOption(String(value));
  } else {
    await field.fill(String(value));
  }
}

/** The text of each element matched, trimmed. */
export async function texts(locator) {
  return (await locator.allInnerTexts()).map((s) => s.trim());
}

export function isoDate(daysFromNow) {
  return new Date(Date.now() + daysFromNow * 86_400_000).toISOString().slice(0, 10);
}

/** Signs the user in and creates a cluster of team platform with the fleet page's form; leaves its page open. */
export async function signInAndCreateCluster(user, cluster) {
  await signIn(user);
  await open(user, '/clusters');
  const form = user.page.locator('form#new-cluster');
  await setField(form, 'name', cluster);
  await setField(form, 'team', 'platform');
  await submit(form);
  await open(user, `/clusters/${cluster}`);
}
