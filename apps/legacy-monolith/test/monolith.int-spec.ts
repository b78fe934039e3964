import { loadConfig } from '@understudy/config';
import { verifyLegacyCartToken } from '@understudy/contracts';
import { createDataSource, runMigrations } from '@understudy/database';
import { createService, type RunningService } from '@understudy/platform';
import { type AppProcess, createTestDatabase, startAppProcess, type TestDatabase, waitFor } from '@understudy/testing';
import { configSchema } from '../src/config';
import { migrations } from '../src/migrations';
import { monolithService } from '../src/monolith';

// eslint-disable-next-line @typescript-eslint/no-require-imports, @nx/enforce-module-boundaries -- the workspace table of app environments (a script, not a project)
const { localEnv, LOCAL_SHOP, LOCAL_CART_TOKEN_SECRET } = require('../../../tools/dev/apps.js') as {
  localEnv: (app: string, overrides?: Record<string, string>, base?: NodeJS.ProcessEnv) => NodeJS.ProcessEnv;
  LOCAL_SHOP: string;
  LOCAL_CART_TOKEN_SECRET: string;
};

interface Level {
  variant_id: number;
  inventory_item_id: number;
  location_id: number;
  tracked: boolean;
  available: number;
}

/** The monolith in this process, the Shopify simulator in its own (the monolith polls its Admin API). */
describe('legacy monolith', () => {
  let sim: AppProcess;
  let database: TestDatabase;
  let monolith: RunningService;
  let url: string;
  const statuses: number[] = [];

  const call = async <T = Record<string, unknown>>(method: 'GET' | 'POST', path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    statuses.push(response.status);
    const text = await response.text();
    return { status: response.status, body: JSON.parse(text) as T, text };
  };
  const simEnv = () => localEnv('shopify-sim', { LOG_LEVEL: 'warn', HOST: '127.0.0.1', SIM_SEED_VARIANTS: '0' }, { PATH: process.env['PATH'] });
  const truth = async (): Promise<Map<string, { tracked: boolean; available: number; item: number; location: number }>> => {
    const text = await (await fetch(`${sim.url}/_sim/truth/inventory`)).text();
    const byVariant = new Map<string, { tracked: boolean; available: number; item: number; location: number }>();
    for (const level of text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Level)) {
      const current = byVariant.get(String(level.variant_id));
      byVariant.set(String(level.variant_id), {
        tracked: level.tracked,
        available: (current?.available ?? 0) + level.available,
        item: level.inventory_item_id,
        location: current?.location ?? level.location_id,
      });
    }
    return byVariant;
  };
  const sync = () => call<{ lastError: string | null; variants: number; failures: number }>('POST', '/sync');
  const newCart = async () => (await call<{ cartToken: string }>('POST', '/carts')).body.cartToken;

  beforeAll(async () => {
    sim = await startAppProcess('shopify-sim', simEnv());
    await (await fetch(`${sim.url}/_sim/seed`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ shop: LOCAL_SHOP, variants: 10, locations: 2, companies: 2, seed: 5 }) })).json();
    database = await createTestDatabase('monolith');
    const dataSource = createDataSource({ url: database.url, migrations });
    await dataSource.initialize();
    await runMigrations(dataSource);
    await dataSource.destroy();
    const env = localEnv('legacy-monolith', { DATABASE_URL: database.url, SHOPIFY_ADMIN_URL: sim.url, LOG_LEVEL: 'silent', POLL_INTERVAL_MS: '3600000', POLL_RETRY_MS: '200' }, {});
    monolith = await createService(monolithService(loadConfig(configSchema, env as Record<string, string>)));
    await monolith.app.listen(0, '127.0.0.1');
    url = (await monolith.app.getUrl()).replace('[::1]', '127.0.0.1').replace('localhost', '127.0.0.1');
    await waitFor(async () => (await call<{ lastSuccessAt: string | null }>('GET', '/sync')).body.lastSuccessAt !== null, { what: 'the first catalogue poll' });
  });

  afterAll(async () => {
    expect(statuses.filter((status) => status >= 500 && status !== 503)).toEqual([]);
    await monolith?.app.close();
    await sim?.stop();
    await database?.drop();
  });

  it('mirrors the simulator’s catalogue and answers checks in its legacy format', async () => {
    const stock = await truth();
    expect((await call<{ variants: number; lastError: null }>('GET', '/sync')).body).toMatchObject({ variants: 10, lastError: null });
    for (const [variantId, expected] of stock) {
      const answer = await call<Record<string, unknown>>('POST', '/inventory/check', { variantId: `gid://shopify/ProductVariant/${variantId}`, quantity: 3 });
      expect(answer.body).toEqual({
        variantId: Number(variantId),
        requested: 3,
        available: !expected.tracked || expected.available >= 3,
        availableQuantity: expected.tracked ? expected.available : null,
        generatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/),
      });
    }
    const first = await call('POST', '/inventory/check', { variantId: [...stock.keys()][0], quantity: 1 });
    const second = await call('POST', '/inventory/check', { variantId: [...stock.keys()][0], quantity: 1 });
    expect(first.body['generatedAt']).not.toBe(second.body['generatedAt']);
    expect((await call('POST', '/inventory/check', { variantId: 99, quantity: 1 })).status).toBe(404);
  });

  it('issues and insists on its own signed cart tokens', async () => {
    const token = await newCart();
    expect(verifyLegacyCartToken(token, [LOCAL_CART_TOKEN_SECRET])).toMatchObject({ ok: true });
    const variantId = [...(await truth()).keys()][0];
    const forged = await call<{ error: { code: string } }>('POST', '/inventory/check', { variantId, quantity: 1, cartToken: 'plain-cart-id' });
    expect(forged).toMatchObject({ status: 400, body: { error: { code: 'INVALID_CART_TOKEN' } } });
    expect((await call('POST', '/inventory/check', { variantId, quantity: 1, cartToken: token })).status).toBe(200);
  });

  it('reserves all lines or none, counts a cart’s own hold as available to it, and dry-runs shadow requests', async () => {
    const stock = await truth();
    const [variantId, expected] = [...stock].find(([, s]) => s.tracked && s.available > 4)!;
    const cart = await newCart();
    const reserved = await call<Record<string, unknown>>('POST', '/inventory/reservations', { cartToken: cart, lines: [{ variantId, quantity: 4 }] });
    expect(reserved).toMatchObject({ status: 201, body: { id: expect.stringMatching(/^lmr_\d+$/), cartToken: cart, status: 'active', lines: [{ variantId: Number(variantId), quantity: 4 }] } });
    expect((await call('POST', '/inventory/check', { variantId, quantity: 1 })).body['availableQuantity']).toBe(expected.available - 4);
    expect((await call('POST', '/inventory/check', { variantId, quantity: 1, cartToken: cart })).body['availableQuantity']).toBe(expected.available);

    const tooMany = await call<{ error: { code: string; details: unknown } }>('POST', '/inventory/reservations', {
      cartToken: await newCart(),
      lines: [{ variantId, quantity: expected.available }],
    });
    expect(tooMany).toMatchObject({ status: 409, body: { error: { code: 'INSUFFICIENT_INVENTORY', details: { lines: [{ variantId, requested: expected.available, availableQuantity: expected.available - 4 }] } } } });

    const dryRun = await call('POST', '/inventory/reservations', { cartToken: await newCart(), lines: [{ variantId, quantity: 1 }] }, { 'x-understudy-shadow': '1' });
    expect(dryRun.status).toBe(201);
    expect((await call('POST', '/inventory/check', { variantId, quantity: 1 })).body['availableQuantity']).toBe(expected.available - 4);
  });

  it('prices in floating point, retail and B2B', async () => {
    const ids = [...(await truth()).keys()];
    const retail = await call<{ lines: Array<{ unitPrice: number; lineTotal: number; quantity: number }>; subtotal: number; priceListId: null }>('POST', '/pricing/quote', {
      currency: 'USD',
      lines: ids.slice(0, 3).map((variantId, i) => ({ variantId, quantity: i + 7 })),
    });
    expect(retail.status).toBe(200);
    expect(retail.body.priceListId).toBeNull();
    for (const line of retail.body.lines) expect(line.lineTotal).toBe(line.unitPrice * line.quantity);
    expect(typeof retail.body.subtotal).toBe('number');

    const locations = (await (
      await fetch(`${sim.url}/admin/api/2026-10/graphql.json`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-shopify-access-token': 'shpat_understudy_dev' },
        body: JSON.stringify({ query: '{ companyLocations(first: 5) { nodes { id currency } } }' }),
      })
    ).json()) as { data: { companyLocations: { nodes: Array<{ id: string; currency: string }> } } };
    const location = locations.data.companyLocations.nodes[0]!;
    const b2b = await call<{ currency: string; priceListId: string; lines: Array<{ source: string }> }>('POST', '/pricing/quote', {
      currency: location.currency,
      companyLocationId: location.id,
      lines: ids.slice(0, 3).map((variantId) => ({ variantId, quantity: 2 })),
    });
    expect(b2b.status).toBe(200);
    expect(b2b.body.priceListId).toMatch(/^\d+$/);
    expect(b2b.body.lines.map((line) => line.source)).toContain('adjusted');
    const wrongCurrency = await call<{ error: { code: string } }>('POST', '/pricing/quote', { currency: location.currency === 'USD' ? 'EUR' : 'USD', companyLocationId: location.id, lines: [{ variantId: ids[0], quantity: 1 }] });
    expect(wrongCurrency).toMatchObject({ status: 422, body: { error: { code: 'CURRENCY_MISMATCH' } } });
    expect((await call('POST', '/pricing/quote', { currency: 'USD', companyLocationId: '404', lines: [{ variantId: ids[0], quantity: 1 }] })).status).toBe(404);
  });

  it('lags behind Shopify until its next poll', async () => {
    const stock = await truth();
    const [variantId, expected] = [...stock].find(([, s]) => s.tracked)!;
    const changed = await fetch(`${sim.url}/_sim/changes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ changes: [{ kind: 'adjust', inventoryItemId: String(expected.item), locationId: String(expected.location), delta: 25 }] }),
    });
    expect(changed.status).toBe(200);
    const before = await call('POST', '/inventory/check', { variantId, quantity: 1 });
    expect(before.body['availableQuantity']).not.toBe(expected.available + 25);
    expect((await sync()).body.lastError).toBeNull();
    const after = await call('POST', '/inventory/check', { variantId, quantity: 1 });
    expect(after.body['availableQuantity']).toBe((before.body['availableQuantity'] as number) + 25);
  });

  it('logs and retries a failed poll, and keeps serving what it has', async () => {
    const port = sim.port;
    const [variantId] = [...(await truth()).keys()];
    await sim.stop();
    const failed = await sync();
    expect(failed.body.lastError).toEqual(expect.any(String));
    expect((await call('POST', '/inventory/check', { variantId, quantity: 1 })).status).toBe(200);
    const variants = (await call<{ variants: number }>('GET', '/sync')).body.variants;
    expect(variants).toBe(10);
    sim = await startAppProcess('shopify-sim', simEnv(), { port });
    await (await fetch(`${sim.url}/_sim/seed`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ shop: LOCAL_SHOP, variants: 10, locations: 2, companies: 2, seed: 5 }) })).json();
    // The retry (POLL_RETRY_MS) comes by itself.
    await waitFor(async () => (await call<{ lastError: string | null }>('GET', '/sync')).body.lastError === null, { timeoutMs: 20_000, what: 'the poll to recover' });
  });
});
