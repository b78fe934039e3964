import { type AppProcess, migrateAppProcess, startAppProcess, type TestDatabase, waitFor } from '@understudy/testing';
import { createTestDatabase } from '@understudy/testing';
import { adminClient, asMessages, graphql, migratedDatabase, post, pricingEnv, pricingFacts, productFacts, readModelCaughtUp, type RunningPricing, SIM_SHOP, SIM_TOKEN, startPricing } from './support/pricing';

// eslint-disable-next-line @typescript-eslint/no-require-imports, @nx/enforce-module-boundaries -- the workspace table of app environments (a script, not a project)
const apps = require('../../../tools/dev/apps.js') as {
  localEnv: (app: string, overrides?: Record<string, string>, base?: NodeJS.ProcessEnv) => NodeJS.ProcessEnv;
  LOCAL_ADMIN_TOKEN: string;
};

const env = (app: string, overrides: Record<string, string>) => apps.localEnv(app, { LOG_LEVEL: 'warn', NODE_ENV: 'test', HOST: '127.0.0.1', ...overrides }, { PATH: process.env['PATH'] });
const ADMIN = { authorization: `Bearer ${apps.LOCAL_ADMIN_TOKEN}`, 'content-type': 'application/json' };

interface Report {
  overall: { counts: Record<'match' | 'mismatch' | 'error' | 'timeout' | 'skipped', number>; samples: number; mismatchPaths: Array<{ path: string; count: number }> };
}

/**
 * pricing.quote at 100 % shadow: the monolith answers, the pricing module is
 * compared with it under the route's seeded comparison spec. Quotes where
 * both sides apply the same rules must match despite the monolith's floats;
 * quotes where a second catalog is cheaper, or a quantity rule binds, must
 * mismatch — by the JSON paths that show the monolith's bugs.
 */
describe('pricing.quote shadowed against the monolith', () => {
  let sim: AppProcess;
  let monolith: AppProcess;
  let gateway: AppProcess;
  let pricing: RunningPricing;
  const databases: TestDatabase[] = [];

  beforeAll(async () => {
    sim = await startAppProcess('shopify-sim', env('shopify-sim', { SIM_SHOP, SIM_ACCESS_TOKENS: SIM_TOKEN, SIM_SEED_VARIANTS: '0', SIM_PLAN: 'plus' }));
    const seeded = await post(sim.url, '/_sim/seed', { shop: SIM_SHOP, variants: 160, locations: 1, companies: 8, priceLists: 1, seed: 5, accessTokens: [SIM_TOKEN] });
    expect(seeded.status).toBe(201);
    const [pricingDb, monolithDb, gatewayDb] = await Promise.all([migratedDatabase(), createTestDatabase('monolith'), createTestDatabase('gateway')]);
    databases.push(pricingDb, monolithDb, gatewayDb);
    const monolithEnv = env('legacy-monolith', { DATABASE_URL: monolithDb.url, SHOPIFY_ADMIN_URL: sim.url, SHOPIFY_SHOP: SIM_SHOP, SHOPIFY_ACCESS_TOKEN: SIM_TOKEN, POLL_INTERVAL_MS: '3600000', POLL_RETRY_MS: '200' });
    await migrateAppProcess('legacy-monolith', monolithEnv);
    monolith = await startAppProcess('legacy-monolith', monolithEnv, { waitPath: '/health/ready' });
    const synced = await post<{ lastError: string | null }>(monolith.url, '/sync', {});
    expect(synced.body.lastError).toBeNull();

    pricing = await startPricing(pricingEnv(pricingDb.url));
    const client = adminClient(sim.url);
    try {
      const asOf = new Date().toISOString();
      const facts = [...(await productFacts(client, asOf)), ...(await pricingFacts(client, asOf))];
      for (let i = 0; i < facts.length; i += 500) await pricing.projection.handle(asMessages(facts.slice(i, i + 500)));
      await readModelCaughtUp(pricing);
    } finally {
      await client.close();
    }

    const gatewayEnv = env('gateway', { DATABASE_URL: gatewayDb.url, MONOLITH_URL: monolith.url, PRICING_URL: pricing.url, INVENTORY_URL: 'http://127.0.0.1:9' });
    await migrateAppProcess('gateway', gatewayEnv);
    gateway = await startAppProcess('gateway', gatewayEnv, { waitPath: '/health/ready' });
  }, 240_000);

  afterAll(async () => {
    await gateway?.stop();
    await pricing?.stop();
    await monolith?.stop();
    await sim?.stop();
    for (const database of databases) await database.drop();
  });

  let sent = 0;
  /** Sends the quotes through the gateway and waits until the report counts every comparison so far (the route's stats accumulate). */
  async function shadowAll(bodies: unknown[]): Promise<Report> {
    sent += bodies.length;
    const current = (await (await fetch(`${gateway.url}/admin/routes/pricing.quote`, { headers: ADMIN })).json()) as { version: number };
    const patched = await fetch(`${gateway.url}/admin/routes/pricing.quote`, {
      method: 'PATCH',
      headers: ADMIN,
      body: JSON.stringify({ version: current.version, reason: 'test', mode: 'shadow', shadowPercent: 100 }),
    });
    expect(patched.status).toBe(200);
    for (const body of bodies) expect((await post(gateway.url, '/v1/pricing/quote', body)).status).toBeLessThan(500);
    let last: unknown;
    return waitFor(
      async () => {
        const report = (await (await fetch(`${gateway.url}/admin/routes/pricing.quote/report`, { headers: ADMIN })).json()) as Report;
        last = report;
        return report.overall.samples === sent && report;
      },
      { timeoutMs: 30_000, what: 'every shadow comparison in the report' },
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}; last report: ${JSON.stringify(last)}`);
    });
  }

  it('matches the float noise and shows the multi-catalog and quantity-rule bugs by JSON path', async () => {
    const data = await graphql<{ companyLocations: { nodes: Array<{ id: string; catalogs: { nodes: Array<{ status: string }> } }> }; productVariants: { nodes: Array<{ legacyResourceId: string }> } }>(
      sim.url,
      '{ companyLocations(first: 30) { nodes { id catalogs(first: 5) { nodes { status } } } } productVariants(first: 160) { nodes { legacyResourceId } } }',
    );
    const variants = data.productVariants.nodes.map((n) => n.legacyResourceId);
    const single = data.companyLocations.nodes.find((l) => l.catalogs.nodes.length === 1)!.id.replace(/^.*\//, '');
    const multi = data.companyLocations.nodes.find((l) => l.catalogs.nodes.filter((c) => c.status === 'ACTIVE').length >= 2)!.id.replace(/^.*\//, '');

    // The module's own answers tell which quotes are which: a line won by the second catalog, a line a rule refuses.
    const quote = (companyLocationId: string | undefined, variantId: string, quantity: number) => ({ currency: 'USD', ...(companyLocationId && { companyLocationId }), lines: [{ variantId, quantity }] });
    const agreeing: unknown[] = [];
    const secondCatalog: unknown[] = [];
    const ruled: unknown[] = [];
    for (const variantId of variants) {
      for (const [location, quantity] of [[undefined, 3], [single, 1], [multi, 1], [single, 7]] as const) {
        const body = quote(location, variantId, quantity);
        const answer = await post<{ lines?: Array<{ catalogId: string | null; priceListId: string | null }>; priceListId?: string | null; error?: { code: string } }>(pricing.url, '/v1/quotes', body);
        if (answer.body.error?.code === 'QUANTITY_RULE_VIOLATION') {
          if (ruled.length < 5) ruled.push(body);
        } else if (location === multi && answer.body.lines![0]!.priceListId !== answer.body.priceListId) {
          if (secondCatalog.length < 5) secondCatalog.push(body);
        } else if (location !== multi && quantity <= 3 && agreeing.length < 20) {
          agreeing.push(body);
        }
      }
    }
    expect({ agreeing: agreeing.length, secondCatalog: secondCatalog.length, ruled: ruled.length }).toEqual({ agreeing: 20, secondCatalog: 5, ruled: 5 });

    const noise = await shadowAll(agreeing);
    expect(noise.overall.counts).toMatchObject({ match: 20, mismatch: 0, error: 0 });

    const bugs = await shadowAll([...secondCatalog, ...ruled]);
    expect(bugs.overall.counts).toMatchObject({ match: 20, mismatch: 10, error: 0 });
    const paths = new Map(bugs.overall.mismatchPaths.map((p) => [p.path, p.count]));
    // The second catalog's lower price: the unit price, the line total and the subtotal differ.
    expect(paths.get('$.lines[*].unitPrice')).toBeGreaterThanOrEqual(5);
    // A quantity rule the monolith never applied: it answers 200 with a quote, the module 422.
    expect(paths.get('(status)')).toBeGreaterThanOrEqual(5);
  }, 240_000);
});
