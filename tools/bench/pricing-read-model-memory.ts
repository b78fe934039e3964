// How much heap the pricing read model takes per 100,000 rows of each kind (docs/pricing.md, "The read model").
//   node --expose-gc -r @swc-node/register tools/bench/pricing-read-model-memory.ts [rows=100000]
// Builds a PricingReadModel from N synthetic rows of one table at a time (ids and values shaped as the
// load query returns them) and reports the heap (and RSS) growth after a forced GC, in MB.
import { PricingReadModel } from '../../apps/pricing/src/read-model/read-model';
import type { ProjectionRows, TableName } from '../../apps/pricing/src/read-model/rows';

const N = Number(process.argv[2] ?? 100_000);
const AS_OF = '2026-12-01T10:00:00.000Z';
const id = (base: number, i: number) => String(base + i);
const variant = (i: number) => id(45_000_000_000_001, i);
const list = (i: number) => id(9_200_000_000, i % 50);

const empty = (): ProjectionRows => ({
  pricing_variants: [],
  pricing_price_lists: [],
  pricing_fixed_prices: [],
  pricing_quantity_rules: [],
  pricing_catalogs: [],
  pricing_company_locations: [],
});

/** N rows of one table, as the load query yields them (fixed prices: every other one with two quantity breaks). */
function synthetic(table: TableName, n: number): ProjectionRows {
  const rows = empty();
  for (let i = 0; i < n; i++) {
    const price = `${10 + (i % 90)}.${String((i * 37) % 100).padStart(2, '0')}`;
    switch (table) {
      case 'pricing_variants':
        rows.pricing_variants.push({ variantId: variant(i), price, compareAtPrice: i % 3 === 0 ? `${20 + (i % 90)}.00` : null });
        break;
      case 'pricing_fixed_prices':
        rows.pricing_fixed_prices.push({ priceListId: list(i), variantId: variant(Math.floor(i / 50)), price, compareAtPrice: null, breaks: i % 2 === 0 ? [{ minimumQuantity: 5, price: '8.00' }, { minimumQuantity: 10, price: '7.50' }] : [] });
        break;
      case 'pricing_quantity_rules':
        rows.pricing_quantity_rules.push({ priceListId: list(i), variantId: variant(Math.floor(i / 50)), minimum: 1 + (i % 3), maximum: i % 2 ? null : 100, increment: 1 });
        break;
      case 'pricing_company_locations':
        rows.pricing_company_locations.push({ companyLocationId: id(9_300_000_000_000, i), currency: 'USD', catalogIds: [id(9_100_000_000, i % 50), id(9_100_000_000, (i + 3) % 50), id(9_100_000_000, (i + 7) % 50)], asOf: AS_OF });
        break;
      default:
        throw new Error(`not measured: ${table}`);
    }
  }
  return rows;
}

function settledHeap(): { heap: number; rss: number } {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc');
  for (let i = 0; i < 3; i++) gc();
  const { heapUsed, rss } = process.memoryUsage();
  return { heap: heapUsed, rss };
}

const MB = 1024 * 1024;
const results: Record<string, string> = {};
for (const table of ['pricing_variants', 'pricing_fixed_prices', 'pricing_quantity_rules', 'pricing_company_locations'] as const) {
  const before = settledHeap();
  let model: PricingReadModel | undefined = PricingReadModel.from(synthetic(table, N));
  const after = settledHeap();
  const per100k = (bytes: number) => ((bytes / MB) * (100_000 / N)).toFixed(1);
  results[table] = `${per100k(after.heap - before.heap)} MB heap (${per100k(after.rss - before.rss)} MB RSS) per 100k rows; ${model.sizes()[table]} held`;
  model = undefined;
  void model;
}
process.stdout.write(`${JSON.stringify({ rows: N, node: process.version, results }, null, 2)}\n`);
