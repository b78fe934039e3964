// The inventory module learns the catalogue from the reconciler's backfill
// (`npm start` runs it before saying the platform is ready) and from
// webhooks. When the module does not know the catalogue — no backfill ran,
// e.g. the reconciler is not there — every check would mismatch and the demo
// would show nothing but that. Then the demo has the simulator announce the
// catalogue the way Shopify would on a merchant's edits: products/update,
// inventory_items/update and inventory_levels/update for every item and
// level (a zero adjustment), through webhook-ingest and Kafka like any change.

const BATCH = 2_000;

/** How many of `variantIds` the module answers for with the simulator's own quantity (the sum of `available` over locations). */
async function moduleAgrees(inventory, variantIds, truth) {
  const answers = await Promise.all(
    variantIds.map((variantId) =>
      fetch(`${inventory}/v1/check`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ variantId, quantity: 1 }), signal: AbortSignal.timeout(5_000) })
        .then(async (r) => (r.status === 200 ? (await r.json()).availableQuantity : undefined))
        .catch(() => undefined),
    ),
  );
  return answers.filter((quantity, i) => quantity !== undefined && quantity === truth.get(variantIds[i])).length;
}

/** What the module should answer per variant: null for untracked items, else the levels' `available` summed (never below 0). */
function truthOf(levels) {
  const sums = new Map();
  for (const level of levels) {
    const id = String(level.variant_id);
    sums.set(id, level.tracked ? (sums.get(id) ?? 0) + level.available : null);
  }
  for (const [id, sum] of sums) if (sum !== null) sums.set(id, Math.max(0, sum));
  return sums;
}

function sample(list, n) {
  return Array.from({ length: Math.min(n, list.length) }, (_, i) => list[Math.floor((i * list.length) / n)]);
}

/** @param {{sim: string, inventory: string, levels: Array<Record<string, unknown>>, say: (line: string) => void, deadlineMs?: number}} options */
export async function ensureModuleKnowsCatalogue({ sim, inventory, levels, say, deadlineMs = 180_000 }) {
  const variants = [...new Set(levels.map((level) => String(level.variant_id)))];
  const truth = truthOf(levels);
  const probe = sample(variants, 20);
  if ((await moduleAgrees(inventory, probe, truth)) === probe.length) return;
  say(`» the inventory module does not know the catalogue (the backfill did not teach it): the simulator announces its ${variants.length} variants as webhooks`);
  const started = Date.now();
  const changes = [
    ...[...new Set(levels.map((level) => level.product_id))].map((id) => ({ kind: 'product', productId: `gid://shopify/Product/${id}` })),
    ...[...new Set(levels.map((level) => level.inventory_item_id))].map((id) => ({ kind: 'item', inventoryItemId: `gid://shopify/InventoryItem/${id}` })),
    ...levels.map((level) => ({ kind: 'adjust', inventoryItemId: `gid://shopify/InventoryItem/${level.inventory_item_id}`, locationId: `gid://shopify/Location/${level.location_id}`, delta: 0 })),
  ];
  for (let i = 0; i < changes.length; i += BATCH) {
    const response = await fetch(`${sim}/_sim/changes`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ changes: changes.slice(i, i + BATCH) }), signal: AbortSignal.timeout(30_000) });
    if (!response.ok) throw new Error(`the simulator refused the catalogue announcement: HTTP ${response.status} ${await response.text()}`);
  }
  const wider = sample(variants, 50);
  while (Date.now() - started < deadlineMs) {
    if ((await moduleAgrees(inventory, wider, truth)) === wider.length) {
      say(`» the inventory module knows the catalogue (${Math.round((Date.now() - started) / 1000)} s after the announcement)`);
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  say('» the inventory module still misses part of the catalogue; its checks will show up as mismatches until the reconciler repairs it');
}
