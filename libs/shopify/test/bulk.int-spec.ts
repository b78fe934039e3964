import v8 from 'node:v8';
import vm from 'node:vm';
import { Registry } from 'prom-client';
import { BulkQueryRunner, ShopifyAdminClient } from '../src';
import { startSimulatorProcess, type SimulatorProcess } from './simulator-process';

// Live-heap measurements need a real collection before each sample.
v8.setFlagsFromString('--expose_gc');
const collectGarbage = vm.runInNewContext('gc') as () => void;
const liveHeap = () => {
  collectGarbage();
  return process.memoryUsage().heapUsed;
};

const SHOP = 'bulk-test.myshopify.com';
const TOKEN = 'shpat_bulk_test';

const VARIANTS_WITH_LEVELS = `{
  productVariants {
    edges {
      node {
        id sku title price barcode inventoryPolicy createdAt updatedAt
        product { id title handle vendor status }
        inventoryItem {
          id tracked requiresShipping
          inventoryLevels { edges { node { id quantities(names: ["available", "on_hand", "committed"]) { name quantity } } } }
        }
      }
    }
  }
}`;

describe('a bulk operation over 100k variants, streamed through BulkQueryRunner', () => {
  let sim: SimulatorProcess;
  let client: ShopifyAdminClient;

  beforeAll(async () => {
    sim = await startSimulatorProcess();
    await sim.control('POST', '/_sim/seed', { shop: SHOP, variants: 100_000, locations: 2, companies: 0, seed: 3, accessTokens: [TOKEN] });
    client = new ShopifyAdminClient({ shop: SHOP, accessToken: TOKEN, apiVersion: '2026-10', adminUrl: sim.url, registry: new Registry() });
  });

  afterAll(async () => {
    await client?.close();
    await sim?.stop();
  });

  it('re-attaches every nested inventory level to its variant with flat memory', async () => {
    const runner = new BulkQueryRunner(client);
    const id = await runner.start(VARIANTS_WITH_LEVELS);
    const started = Date.now();
    const operation = await runner.waitFor(id, { pollMinMs: 100, pollMaxMs: 1_000, timeoutMs: 90_000 });
    const bulkMs = Date.now() - started;
    expect(operation.status).toBe('COMPLETED');
    expect(typeof operation.objectCount).toBe('string');
    expect(typeof operation.fileSize).toBe('string');
    expect(operation.rootObjectCount).toBe('100000');
    const fileBytes = Number(operation.fileSize);

    const baselineHeap = liveHeap();
    const baselineRss = process.memoryUsage().rss;
    let peakHeap = baselineHeap;
    let peakRss = baselineRss;
    let roots = 0;
    let children = 0;
    const { groupBulkObjects } = await import('../src/bulk/jsonl');
    for await (const variant of groupBulkObjects(runner.lines(operation))) {
      roots++;
      expect(String(variant['id'])).toMatch(/^gid:\/\/shopify\/ProductVariant\/\d+$/);
      for (const level of variant.__children ?? []) {
        children++;
        expect(String(level['id'])).toContain(`inventory_item_id=`);
        expect(level['quantities']).toHaveLength(3);
      }
      if (roots % 10_000 === 0) {
        peakHeap = Math.max(peakHeap, liveHeap());
        peakRss = Math.max(peakRss, process.memoryUsage().rss);
      }
    }
    expect(roots).toBe(100_000);
    expect(roots + children).toBe(Number(operation.objectCount));
    const heapGrowth = peakHeap - baselineHeap;
    // Holding the parsed file would take several times its size; streaming holds a chunk of text and one object.
    expect(heapGrowth).toBeLessThan(Math.min(8 * 1024 * 1024, fileBytes / 8));
    // eslint-disable-next-line no-console
    console.log(
      `bulk: ${roots} variants + ${children} levels, ${(fileBytes / 2 ** 20).toFixed(1)} MiB JSONL, operation ${bulkMs} ms; ` +
        `heap growth while streaming ${(heapGrowth / 2 ** 20).toFixed(1)} MiB, RSS growth ${((peakRss - baselineRss) / 2 ** 20).toFixed(1)} MiB`,
    );
  });

  it('refuses what Shopify refuses: no connection, node at the top level, too deep', async () => {
    const runner = new BulkQueryRunner(client);
    await expect(runner.start('{ shop { name } }')).rejects.toThrow(/INVALID.*connection/);
    await expect(runner.start('{ node(id: "gid://shopify/Product/1") { id } }')).rejects.toThrow(/INVALID/);
    await expect(
      runner.start('{ products { edges { node { variants { edges { node { inventoryItem { inventoryLevels { edges { node { id } } } } } } } } } } }'),
    ).rejects.toThrow(/nested more than 2 levels/);
  });
});
