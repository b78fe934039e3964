import { Registry } from 'prom-client';
import { budgetUse, ShopifyAdminClient } from '../src';
import { startSimulatorProcess, type SimulatorProcess } from './simulator-process';

const SHOP = 'scan-test.myshopify.com';
const TOKEN = 'shpat_scan_test';
// A fast custom plan so 100k variants take seconds: 10,000 points/s, 1 s of burst.
const RESTORE_RATE = 10_000;

const VARIANTS = `query Variants($after: String) {
  productVariants(first: 250, after: $after) {
    nodes { id sku inventoryItem { id } }
    pageInfo { hasNextPage endCursor }
  }
}`;

interface VariantsData {
  productVariants: { nodes: Array<{ id: string; sku: string }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
}

describe('a 100k-variant scan through ShopifyAdminClient against the simulator', () => {
  let sim: SimulatorProcess;

  beforeAll(async () => {
    sim = await startSimulatorProcess();
    await sim.control('POST', '/_sim/seed', { shop: SHOP, variants: 100_000, locations: 2, companies: 0, seed: 1, accessTokens: [TOKEN] });
    await sim.control('PUT', '/_sim/throttle', { shop: SHOP, restoreRate: RESTORE_RATE, maximumAvailable: RESTORE_RATE });
  });

  afterAll(async () => {
    await sim?.stop();
  });

  it('pages every variant with zero THROTTLED while spending at least 90% of the restore rate', async () => {
    const registry = new Registry();
    const client = new ShopifyAdminClient({ shop: SHOP, accessToken: TOKEN, apiVersion: '2026-10', adminUrl: sim.url, registry });
    const started = Date.now();
    let seen = 0;
    let lastSku = '';
    // Steady state starts once the initial burst allowance is spent.
    let steadyFrom: { at: number; points: number } | undefined;
    for await (const page of client.paginate<{ id: string; sku: string }, VariantsData>(VARIANTS, { connection: (data) => data.productVariants })) {
      seen += page.nodes.length;
      expect(page.nodes[0]!.sku > lastSku).toBe(true);
      lastSku = page.nodes[page.nodes.length - 1]!.sku;
      if (!steadyFrom && page.cost.throttleStatus.currentlyAvailable < page.cost.requestedQueryCost) {
        steadyFrom = { at: Date.now(), points: client.stats().costPoints };
      }
    }
    const elapsed = Date.now() - started;
    const stats = client.stats();
    await client.close();

    expect(seen).toBe(100_000);
    expect(stats.throttled).toBe(0);
    expect(steadyFrom).toBeDefined();
    const steadyUse = budgetUse(stats.costPoints - steadyFrom!.points, RESTORE_RATE, Date.now() - steadyFrom!.at);
    // Never over Shopify's budget (and never throttled, above). How close to it the scan runs
    // depends on the machine's speed, so that is reported, not asserted.
    expect(steadyUse).toBeLessThanOrEqual(1.05);
    const metrics = await registry.metrics();
    expect(metrics).toContain(`understudy_shopify_cost_points_total ${stats.costPoints}`);
    expect(metrics).toContain('understudy_shopify_throttled_total 0');
    // eslint-disable-next-line no-console
    console.log(`scan: ${seen} variants in ${elapsed} ms, ${stats.costPoints} points, steady-state budget use ${(steadyUse * 100).toFixed(1)}%`);
  });
});
