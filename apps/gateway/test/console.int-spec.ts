import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { waitFor } from '@understudy/testing';
import type { Page } from 'playwright-core';
import { type Chromium, launchChromium } from './support/browser';
import { ADMIN, migrateGateway, type RouteView } from './support/gateway';
import { type AppProcess, json, LOCAL_ADMIN_TOKEN, startApp } from './support/processes';
import { World } from './support/world';

// eslint-disable-next-line @typescript-eslint/no-require-imports, @nx/enforce-module-boundaries -- the console's build script (a workspace tool, not a project)
const { buildConsoleWeb } = require('../../../tools/dev/console-web.js') as { buildConsoleWeb: (outDir: string) => string };

const root = path.resolve(__dirname, '../../..');
const shots = path.join(root, 'tmp/console');

/**
 * The operator console in Debian's chromium, against two real gateway
 * replicas (their own processes, one PostgreSQL database, the shared Redis)
 * in front of the real monolith and inventory module: sign in, see the
 * routes, watch a change made elsewhere arrive, roll a route back from the
 * page, find it in the audit log — with no console errors.
 */
describe('operator console (chromium)', () => {
  let world: World;
  let a: AppProcess;
  let b: AppProcess;
  let chromium: Chromium;
  let page: Page;
  let traffic: { stop: () => Promise<void> } | undefined;
  const assets = path.join(root, 'tmp', `console-web-${process.pid}`);

  const routeOn = async (replica: AppProcess, name = 'inventory.check') => (await json<RouteView & { step: { mode: string; percent: number } }>(`${replica.url}/admin/routes/${name}`, 'GET', undefined, ADMIN)).body;

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    buildConsoleWeb(assets);
    world = await World.start({ inventory: true });
    const database = await world.database('gateway_console');
    await migrateGateway(database.url);
    const common = {
      DATABASE_URL: database.url,
      MONOLITH_URL: world.monolith.url,
      INVENTORY_URL: world.inventory!.url,
      PRICING_URL: 'http://127.0.0.1:9',
      GATEWAY_REDIS_PREFIX: `test:${database.name}`,
      CONSOLE_ASSETS_DIR: assets,
      CONSOLE_HISTORY_INTERVAL_MS: '500',
      // Where no reconciler listens: the console must say so and carry on.
      RECONCILER_URL: 'http://127.0.0.1:9',
    };
    [a, b] = await Promise.all([
      startApp('gateway', { ...common, GATEWAY_REPLICA_ID: 'replica-a' }, '/health/ready'),
      startApp('gateway', { ...common, GATEWAY_REPLICA_ID: 'replica-b' }, '/health/ready'),
    ]);
    // inventory.check shadowed at 10 %, guards off so only the test and the page move it.
    const { version } = await routeOn(a);
    const patched = await json(
      `${a.url}/admin/routes/inventory.check`,
      'PATCH',
      {
        version,
        reason: 'console test set-up',
        mode: 'shadow',
        shadowPercent: 10,
        guards: { promotion: { enabled: false }, rollback: { enabled: false } },
        // The monolith's generatedAt is left for the noise learner to find (it differs between two identical calls), so the page has a learned path to reject.
        comparison: { ignore: [] },
        noise: { enabled: true, sampleRate: 0.5, minObservations: 8, minDifferences: 3, minRatio: 0.5 },
      },
      ADMIN,
    );
    expect(patched.status).toBe(200);
    traffic = checkTraffic([a, b], world.variants.map((v) => v.variantId));
    chromium = await launchChromium();
    page = await chromium.newPage({ width: 1400, height: 900 });
  });

  afterAll(async () => {
    await traffic?.stop();
    await chromium?.close();
    await Promise.all([a?.stop(), b?.stop()]);
    await world?.close();
    rmSync(assets, { recursive: true, force: true });
  });

  it('serves the page with a strict content security policy and shows nothing about routes before sign-in', async () => {
    const response = await fetch(`${a.url}/console`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await response.text()).not.toContain('inventory.check');
    expect((await fetch(`${a.url}/console/js/../../admin/routes`)).status).not.toBe(200);
    expect((await fetch(`${a.url}/console/nope.js`)).status).toBe(404);

    await page.goto(`${a.url}/console`);
    await page.getByLabel('Admin token').waitFor();
    expect(await page.locator('[data-route]').count()).toBe(0);
  });

  it('signs in with the keyboard and shows every route with its ramp, match rate and guard', async () => {
    await page.getByLabel('Admin token').focus();
    await page.keyboard.type(LOCAL_ADMIN_TOKEN);
    await page.keyboard.press('Enter');
    for (const name of ['inventory.check', 'inventory.reserve', 'pricing.quote']) await page.locator(`[data-route="${name}"]`).waitFor({ timeout: 15_000 });
    const card = page.locator('[data-route="inventory.check"]');
    await waitFor(async () => /\d+\.\d+ %/.test((await card.getByTestId('match-rate').textContent()) ?? ''), { timeoutMs: 30_000, what: 'a match rate on the inventory.check card' });
    expect(await card.locator('.badge').first().textContent()).toBe('shadow 10 %');
    expect(await card.locator('.guard').textContent()).toMatch(/Guard: hold/);
    // The token never reaches a URL.
    expect(page.url()).not.toContain(LOCAL_ADMIN_TOKEN);
    await page.screenshot({ path: path.join(shots, 'console-1400x900.png'), fullPage: false });
  });

  it('shows a change made on the other replica within the live-update period', async () => {
    const { version } = await routeOn(b);
    const promoted = await json(`${b.url}/admin/routes/inventory.check/promote`, 'POST', { version, reason: 'promoted by the console test via replica B' }, { ...ADMIN, 'x-understudy-actor': 'console-test' });
    expect(promoted.status).toBe(200);
    const badge = page.locator('[data-route="inventory.check"] .badge').first();
    await waitFor(async () => (await badge.textContent()) === 'shadow 50 %', { timeoutMs: 10_000, intervalMs: 100, what: 'the page to show shadow 50 %' });
  });

  it('rolls the route back from the page, on both replicas, with the reason in the audit log', async () => {
    const card = page.locator('[data-route="inventory.check"]');
    await card.getByLabel('Reason for inventory.check').fill('browser test: rolling back from the console');
    await card.getByRole('button', { name: 'Roll back' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('from shadow 50 % to shadow 10 %');
    const clicked = Date.now();
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    const seen: Partial<Record<'a' | 'b', number>> = {};
    await waitFor(
      async () => {
        const [onA, onB] = await Promise.all([routeOn(a), routeOn(b)]);
        if (onA.shadowPercent === 10) seen.a ??= Date.now() - clicked;
        if (onB.shadowPercent === 10) seen.b ??= Date.now() - clicked;
        return seen.a !== undefined && seen.b !== undefined;
      },
      { timeoutMs: 10_000, intervalMs: 10, what: 'both replicas back on shadow 10 %' },
    );
    process.stdout.write(`console rollback: replica A served it ${seen.a} ms and replica B ${seen.b} ms after the click (including the browser's request)\n`);

    const audit = page.locator('#audit-table tbody tr').filter({ hasText: 'browser test: rolling back from the console' });
    await audit.first().waitFor({ timeout: 10_000 });
    expect(await audit.first().textContent()).toContain('admin:console');
    expect(await audit.first().textContent()).toContain('rollback');
    const stored = await json<{ entries: Array<{ action: string; actor: string; reason: string }> }>(`${b.url}/admin/audit?route=inventory.check&limit=5`, 'GET', undefined, ADMIN);
    expect(stored.body.entries[0]).toMatchObject({ action: 'rollback', actor: 'admin:console', reason: 'browser test: rolling back from the console' });
    await waitFor(async () => (await card.locator('.badge').first().textContent()) === 'shadow 10 %', { timeoutMs: 10_000, what: 'the card back on shadow 10 %' });
  });

  it('rejects learned noise from the page with a reason and a confirmation: both replicas compare it again, and it is audited', async () => {
    const item = page.locator('[data-noise-route="inventory.check"] [data-noise-path="$.generatedAt"]');
    const state = async () => ((await item.count()) === 1 ? item.getAttribute('data-noise-state') : null);
    await waitFor(async () => (await state()) === 'learned', { timeoutMs: 90_000, intervalMs: 250, what: 'the page to list $.generatedAt as learned noise' });
    const reject = page.getByRole('button', { name: 'Reject $.generatedAt as noise on inventory.check' });
    // Without a reason nothing is sent.
    await reject.click();
    await waitFor(async () => /write a reason first/.test((await page.locator('#announce').textContent()) ?? ''), { timeoutMs: 5_000, what: 'the reason prompt' });
    expect((await routeOn(a)).config).toMatchObject({ noise: { rejected: [] } });

    await page.getByLabel('Reason for a noise decision').fill('browser test: the module must send generatedAt');
    await reject.click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('Reject $.generatedAt as noise on inventory.check?');
    expect(await dialog.textContent()).toContain('count as mismatches again');
    const mismatches = async (replica: AppProcess) => {
      const answer = await json<{ overall: { mismatchPaths: Array<{ path: string; count: number }> } }>(`${replica.url}/admin/routes/inventory.check/report?scope=replica`, 'GET', undefined, ADMIN);
      return answer.body.overall.mismatchPaths.find((p) => p.path === '$.generatedAt')?.count ?? 0;
    };
    const before = await Promise.all([mismatches(a), mismatches(b)]);
    await dialog.getByRole('button', { name: 'Confirm' }).click();

    await waitFor(async () => (await state()) === 'rejected', { timeoutMs: 10_000, intervalMs: 100, what: 'the page to show $.generatedAt as rejected' });
    // Every replica stops ignoring it (its own learner had found it too) and counts its differences again.
    await waitFor(
      async () => {
        const [onA, onB] = await Promise.all([routeOn(a), routeOn(b)]);
        return [onA, onB].every((r) => !r.learnedIgnore.includes('$.generatedAt') && JSON.stringify((r.config as { noise: { rejected: string[] } }).noise.rejected) === '["$.generatedAt"]');
      },
      { timeoutMs: 10_000, intervalMs: 50, what: 'both replicas to drop $.generatedAt from their ignored paths' },
    );
    await waitFor(async () => (await mismatches(a)) > before[0]! && (await mismatches(b)) > before[1]!, { timeoutMs: 60_000, intervalMs: 250, what: '$.generatedAt mismatches on both replicas' });

    const audit = page.locator('#audit-table tbody tr').filter({ hasText: 'browser test: the module must send generatedAt' });
    await audit.first().waitFor({ timeout: 10_000 });
    expect(await audit.first().textContent()).toContain('noise-reject');
    const stored = await json<{ entries: Array<{ action: string; actor: string; reason: string }> }>(`${b.url}/admin/audit?route=inventory.check&limit=5`, 'GET', undefined, ADMIN);
    expect(stored.body.entries[0]).toMatchObject({ action: 'noise-reject', actor: 'admin:console', reason: 'browser test: the module must send generatedAt' });
    // The reason field is cleared for the next decision, and the rejected path offers Confirm to undo it.
    expect(await page.getByLabel('Reason for a noise decision').inputValue()).toBe('');
    expect(await item.getByRole('button', { name: 'Confirm $.generatedAt as noise on inventory.check' }).count()).toBe(1);
    await page.screenshot({ path: path.join(shots, 'console-noise-rejected.png'), fullPage: true });
  });

  it('asks for a reason before changing anything, and a cancelled confirmation changes nothing', async () => {
    const card = page.locator('[data-route="inventory.reserve"]');
    const before = await routeOn(a, 'inventory.reserve');
    await card.getByRole('button', { name: 'Freeze' }).click();
    await waitFor(async () => /write a reason first/.test((await page.locator('#announce').textContent()) ?? ''), { timeoutMs: 5_000, what: 'the reason prompt' });
    await card.getByLabel('Reason for inventory.reserve').fill('not really');
    await card.getByRole('button', { name: 'Freeze' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    expect((await routeOn(a, 'inventory.reserve')).version).toBe(before.version);
  });

  it('says the reconciler is unavailable without breaking the rest, and lays out on a laptop screen', async () => {
    await waitFor(async () => /Reconciler unavailable/.test((await page.locator('#sync').textContent()) ?? ''), { timeoutMs: 15_000, what: 'the reconciler notice' });
    await page.setViewportSize({ width: 1366, height: 768 });
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: path.join(shots, 'console-1366x768-full.png'), fullPage: true });
    expect(chromium.errors).toEqual([]);
  });
});

/** A steady trickle of inventory checks through both replicas until stopped. */
function checkTraffic(replicas: AppProcess[], variants: string[]): { stop: () => Promise<void> } {
  let running = true;
  const loop = (async () => {
    let i = 0;
    while (running) {
      const replica = replicas[i % replicas.length]!;
      const variantId = variants[i % variants.length]!;
      await fetch(`${replica.url}/v1/inventory/check`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ variantId, quantity: 1 }) }).catch(() => undefined);
      i += 1;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
    },
  };
}
