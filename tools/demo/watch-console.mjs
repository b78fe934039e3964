// Watches the demo the way a newcomer would: opens the console in Debian's
// chromium, signs in, and reports what the page shows — each route's step and
// match rate — whenever a step changes and once a minute, until
// inventory.check is beyond 10 % shadow with a match rate (or the deadline).
// Optionally saves a screenshot for the README.
//
//   node tools/demo/watch-console.mjs [--url http://localhost:3000/console] [--token …]
//        [--minutes 5] [--screenshot docs/console.png] [--until-step "module-primary 1 %"]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: 'http://localhost:3000/console' },
    token: { type: 'string', default: process.env.ADMIN_TOKEN ?? 'understudy-local-admin-token' },
    minutes: { type: 'string', default: '5' },
    screenshot: { type: 'string' },
    'until-step': { type: 'string' },
  },
});

const deadline = Date.now() + Number(values.minutes) * 60_000;
const started = Date.now();
const at = () => {
  const s = Math.round((Date.now() - started) / 1000);
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
};
const ORDER = ['monolith', 'shadow 1 %', 'shadow 10 %', 'shadow 50 %', 'shadow 100 %', 'module-primary 1 %', 'module-primary 10 %', 'module-primary 50 %', 'module-primary 100 %', 'module-only'];
const target = values['until-step'] ?? 'shadow 50 %';

const profile = mkdtempSync(path.join(tmpdir(), 'understudy-watch-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  viewport: { width: 1400, height: 900 },
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const errors = [];
let code = 1;
try {
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(values.url);
  await page.getByLabel('Admin token').fill(values.token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('[data-route="inventory.check"]').waitFor({ timeout: 30_000 });
  console.log(`${at()} signed in; routes shown`);

  const read = async () => {
    const routes = {};
    for (const card of await page.locator('[data-route]').all()) {
      const name = await card.getAttribute('data-route');
      routes[name] = {
        step: await card.locator('.badge').first().textContent(),
        rate: await card.getByTestId('match-rate').textContent(),
        guard: (await card.locator('.guard').textContent()).replace(/^Guard: /, ''),
      };
    }
    return routes;
  };
  const line = (routes) => Object.entries(routes).map(([name, r]) => `${name}: ${r.step}, match ${r.rate} (${r.guard})`).join(' | ');
  let last = {};
  let lastMinute = -1;
  for (;;) {
    const routes = await read();
    const check = routes['inventory.check'];
    const changed = Object.keys(routes).some((name) => routes[name].step !== last[name]?.step);
    const minute = Math.floor((Date.now() - started) / 60_000);
    if (changed || minute !== lastMinute) console.log(`${at()} ${line(routes)}`);
    last = routes;
    lastMinute = minute;
    if (ORDER.indexOf(check.step) >= ORDER.indexOf(target) && /\d %$/.test(check.rate)) {
      console.log(`${at()} inventory.check reached ${check.step} with match rate ${check.rate}`);
      code = 0;
      break;
    }
    if (Date.now() > deadline) {
      console.log(`${at()} deadline: inventory.check is on ${check.step}`);
      break;
    }
    await page.waitForTimeout(1_000);
  }
  if (values.screenshot) {
    await page.screenshot({ path: values.screenshot });
    console.log(`screenshot: ${values.screenshot}`);
  }
  if (errors.length) {
    console.log(`browser errors: ${errors.join(' / ')}`);
    code = 1;
  }
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
process.exit(code);
