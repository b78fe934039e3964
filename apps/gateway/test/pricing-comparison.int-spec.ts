import { waitFor } from '@understudy/testing';
import { PRICING_QUOTE } from '../src/routes/checkout-routes';
import { configure, migrateGateway, type RunningGateway, report, startGateway } from './support/gateway';
import { json, LOCAL_ACCESS_TOKEN } from './support/processes';
import { ReferencePricing } from './support/reference-pricing';
import { World } from './support/world';

/**
 * The real monolith prices in binary floats (95.39099999999999, 139.92999999999998),
 * prints ids as numbers and stamps answers; an exact pricing implementation
 * answers decimal strings. Ignored paths, transforms and numeric tolerance
 * are what turn those differences into matches without hiding real ones.
 */
describe('comparison spec against the monolith’s floating-point prices', () => {
  let world: World;
  let pricing: ReferencePricing;
  let gateway: RunningGateway;
  let companyLocationId: string;

  beforeAll(async () => {
    world = await World.start({ inventory: false });
    pricing = await ReferencePricing.start(world.sim.url);
    const database = await world.database('gateway');
    await migrateGateway(database.url);
    gateway = await startGateway({ DATABASE_URL: database.url, MONOLITH_URL: world.monolith.url, INVENTORY_URL: 'http://127.0.0.1:9', PRICING_URL: pricing.url });
    const locations = await json<{ data: { companyLocations: { nodes: Array<{ id: string; currency: string; catalogs: { nodes: unknown[] } }> } } }>(
      `${world.sim.url}/admin/api/2026-10/graphql.json`,
      'POST',
      { query: '{ companyLocations(first: 10) { nodes { id currency catalogs(first: 1) { nodes { __typename } } } } }' },
      { 'x-shopify-access-token': LOCAL_ACCESS_TOKEN },
    );
    const b2b = locations.body.data.companyLocations.nodes.find((node) => node.currency === 'USD' && node.catalogs.nodes.length > 0)!;
    companyLocationId = b2b.id.replace(/^.*\//, '');
  });

  afterAll(async () => {
    await gateway?.stop();
    await pricing?.close();
    await world?.close();
  });

  /** The same cart quoted four ways: retail, and B2B with fixed prices, quantity breaks and a percentage adjustment. */
  const quotes = () => {
    const [a, b, c, d] = world.variants.map((v) => v.variantId);
    return [
      { currency: 'USD', lines: [{ variantId: a, quantity: 7 }, { variantId: b, quantity: 3 }] },
      { currency: 'USD', lines: [{ variantId: c, quantity: 1 }, { variantId: d, quantity: 13 }] },
      { currency: 'USD', companyLocationId, lines: [{ variantId: a, quantity: 2 }, { variantId: b, quantity: 3 }] },
      { currency: 'USD', companyLocationId, lines: [{ variantId: a, quantity: 60 }, { variantId: c, quantity: 7 }, { variantId: d, quantity: 1 }] },
    ];
  };

  async function run(comparison: Record<string, unknown>) {
    // Deadlines far above any answer time: this test is about the comparison, and on a busy machine a
    // shadow past the route's default 500 ms would count as a timeout instead of a match or mismatch.
    await configure(gateway.url, 'pricing.quote', { mode: 'shadow', shadowPercent: 100, comparison, timeouts: { primaryMs: 30_000, shadowMs: 30_000 } });
    for (const body of quotes()) {
      const answer = await json(`${gateway.url}/v1/pricing/quote`, 'POST', body);
      expect(answer.status).toBe(200);
    }
    return waitFor(async () => {
      const current = await report(gateway.url, 'pricing.quote');
      return current.overall.samples === quotes().length && current;
    });
  }

  it('the monolith really does answer floats, and the reference decimals', async () => {
    const body = quotes()[2]!;
    const legacy = await json<{ lines: Array<{ unitPrice: unknown }>; subtotal: unknown }>(`${world.monolith.url}/pricing/quote`, 'POST', body);
    const exact = await json<{ lines: Array<{ unitPrice: unknown }>; subtotal: unknown }>(`${pricing.url}/v1/quotes`, 'POST', body);
    expect(typeof legacy.body.subtotal).toBe('number');
    expect(typeof exact.body.subtotal).toBe('string');
    expect(Math.abs((legacy.body.subtotal as number) - Number(exact.body.subtotal))).toBeGreaterThan(0);
    expect(Math.abs((legacy.body.subtotal as number) - Number(exact.body.subtotal))).toBeLessThan(0.05);
  });

  it('without a spec every quote is a mismatch', async () => {
    const stats = await run({ ignore: [], transforms: [], tolerance: [], arraysAsSets: [] });
    expect(stats.overall.counts).toMatchObject({ match: 0, mismatch: 4 });
    expect(stats.overall.mismatchPaths.map((p) => p.path)).toEqual(
      expect.arrayContaining(['$.generatedAt', '$.lines[*].variantId', '$.lines[*].unitPrice', '$.lines[*].lineTotal', '$.subtotal']),
    );
  });

  it('ignoring the timestamp and normalising types leaves only the float arithmetic', async () => {
    const stats = await run({
      ignore: ['$.generatedAt', '$.lines[*].source'],
      transforms: [
        { path: '**.variantId', op: 'toString' },
        { path: '$.lines[*].unitPrice', op: 'toNumber' },
        { path: '$.lines[*].lineTotal', op: 'toNumber' },
        { path: '$.subtotal', op: 'toNumber' },
      ],
      tolerance: [],
    });
    // Retail prices agree to the last bit once parsed (float noise is not a difference); unrounded B2B adjustments do not.
    expect(stats.overall.counts).toMatchObject({ match: 2, mismatch: 2 });
    const paths = stats.overall.mismatchPaths.map((p) => p.path);
    expect(paths).toEqual(expect.arrayContaining(['$.lines[*].unitPrice', '$.subtotal']));
    expect(paths).not.toContain('$.generatedAt');
  });

  it('with the seeded spec (ignore + transforms + tolerance to the cent) every quote matches', async () => {
    const stats = await run(PRICING_QUOTE.defaults.comparison as Record<string, unknown>);
    expect(stats.overall.counts).toMatchObject({ match: 4, mismatch: 0, error: 0 });
  });

  it('tolerance to the cent still catches a price one cent off', async () => {
    ReferencePricing.unitPriceErrorCents = 1;
    try {
      // A comparison change resets the route's stats, so the next samples are these alone.
      const stats = await run({ ...(PRICING_QUOTE.defaults.comparison as Record<string, unknown>), maxDiffs: 50 });
      expect(stats.overall.counts).toMatchObject({ match: 0, mismatch: 4 });
      expect(stats.overall.mismatchPaths[0]).toMatchObject({ path: '$.lines[*].unitPrice', count: 4 });
    } finally {
      ReferencePricing.unitPriceErrorCents = 0;
    }
  });
});
