// Bench worker for tools/bench/suites/shopify-sim.mjs: drives libs/shopify
// against a running simulator and prints one JSON line of results.
//   node -r @swc-node/register tools/bench/workers/shopify-client.ts <scan|bulk> <simUrl> <shop> <token> <restoreRate>
import { createMetricsRegistry } from '../../../libs/observability/src';
import { budgetUse, BulkQueryRunner, groupBulkObjects, ShopifyAdminClient } from '../../../libs/shopify/src';

const [mode, url, shop, accessToken, restoreRateText] = process.argv.slice(2);
const restoreRate = Number(restoreRateText);

const SCAN = `query Variants($after: String) {
  productVariants(first: 250, after: $after) { nodes { id sku inventoryItem { id } } pageInfo { hasNextPage endCursor } }
}`;

async function scan(client: ShopifyAdminClient) {
  const started = Date.now();
  let variants = 0;
  let steady: { at: number; points: number } | undefined;
  for await (const page of client.paginate<{ id: string }, { productVariants: { nodes: Array<{ id: string }>; pageInfo: { hasNextPage: boolean; endCursor: string } } }>(
    SCAN,
    { connection: (data) => data.productVariants },
  )) {
    variants += page.nodes.length;
    if (!steady && page.cost.throttleStatus.currentlyAvailable < page.cost.requestedQueryCost) steady = { at: Date.now(), points: client.stats().costPoints };
  }
  const elapsedMs = Date.now() - started;
  const stats = client.stats();
  return {
    variants,
    elapsedMs,
    costPoints: stats.costPoints,
    throttled: stats.throttled,
    overallBudgetUse: budgetUse(stats.costPoints, restoreRate, elapsedMs),
    steadyBudgetUse: steady ? budgetUse(stats.costPoints - steady.points, restoreRate, Date.now() - steady.at) : null,
  };
}

async function bulk(client: ShopifyAdminClient) {
  const runner = new BulkQueryRunner(client);
  const started = Date.now();
  const id = await runner.start('{ productVariants { edges { node { id sku inventoryItem { id tracked } } } } }');
  const operation = await runner.waitFor(id, { pollMinMs: 50, pollMaxMs: 500 });
  const completedMs = Date.now() - started;
  let objects = 0;
  for await (const object of groupBulkObjects(runner.lines(operation))) if (object['id']) objects++;
  return { objects, operationMs: completedMs, totalMs: Date.now() - started, fileBytes: Number(operation.fileSize) };
}

async function main() {
  const client = new ShopifyAdminClient({ shop: shop!, accessToken: accessToken!, apiVersion: '2026-10', adminUrl: url, registry: createMetricsRegistry('bench-shopify-client') });
  const result = mode === 'scan' ? await scan(client) : await bulk(client);
  await client.close();
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String((error as Error).stack ?? error)}\n`);
  process.exit(1);
});
