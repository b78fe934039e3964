/**
 * The simulator's inventory truth (Shopify's side of a seeded shop) and the
 * webhooks Shopify would have sent for it: how the fault suite and the gateway
 * bench (and the gateway's integration world) fill an inventory module without
 * waiting for a reconcile. Plain
 * TypeScript with no imports, so `node` loads it from the bench's .mjs too.
 */

/** A seeded variant, as the simulator has it. */
export interface TruthVariant {
  variantId: string;
  inventoryItemId: string;
  productId: string;
  tracked: boolean;
  levels: Array<{ locationId: string; available: number; updatedAt: string }>;
}

/** GET /_sim/truth/inventory (NDJSON, a line per inventory level), grouped by variant. */
export async function readSimTruth(simUrl: string): Promise<TruthVariant[]> {
  const response = await fetch(`${simUrl}/_sim/truth/inventory`, { signal: AbortSignal.timeout(30_000) });
  if (!response.ok) throw new Error(`${simUrl}/_sim/truth/inventory answered ${response.status}`);
  const byVariant = new Map<string, TruthVariant>();
  for (const line of (await response.text()).split('\n').filter(Boolean)) {
    const level = JSON.parse(line) as { variant_id: number; inventory_item_id: number; product_id: number; location_id: number; tracked: boolean; available: number; updated_at: string };
    const id = String(level.variant_id);
    const variant = byVariant.get(id) ?? { variantId: id, inventoryItemId: String(level.inventory_item_id), productId: String(level.product_id), tracked: level.tracked, levels: [] };
    byVariant.set(id, variant);
    variant.levels.push({ locationId: String(level.location_id), available: level.available, updatedAt: level.updated_at });
  }
  return [...byVariant.values()];
}

/** What a check of the variant should answer: the sum of `available` over its locations (never below 0), null when untracked. */
export function availableQuantity(variant: TruthVariant): number | null {
  return variant.tracked ? Math.max(0, variant.levels.reduce((sum, level) => sum + level.available, 0)) : null;
}

/** One webhook Shopify would have sent: its topic, payload, partition key and triggered-at. */
export interface TruthWebhook {
  topic: 'products/update' | 'inventory_items/update' | 'inventory_levels/update';
  key: string;
  payload: Record<string, unknown>;
  at: string;
}

/** The webhooks for a catalogue, in an order a projection can apply: each product, then each item and its levels. */
export function truthWebhooks(variants: readonly TruthVariant[]): TruthWebhook[] {
  if (variants.length === 0) return [];
  const at = variants[0]!.levels[0]?.updatedAt ?? new Date().toISOString();
  const webhooks: TruthWebhook[] = [];
  const products = new Map<string, TruthVariant[]>();
  for (const variant of variants) products.set(variant.productId, [...(products.get(variant.productId) ?? []), variant]);
  for (const [productId, members] of products) {
    const variantsPayload = members.map((v) => ({ id: Number(v.variantId), product_id: Number(productId), inventory_item_id: Number(v.inventoryItemId), price: '10.00', inventory_policy: 'deny' }));
    webhooks.push({ topic: 'products/update', key: productId, payload: { id: Number(productId), title: `Product ${productId}`, status: 'active', updated_at: at, variants: variantsPayload }, at });
  }
  for (const variant of variants) {
    webhooks.push({ topic: 'inventory_items/update', key: variant.inventoryItemId, payload: { id: Number(variant.inventoryItemId), sku: `SKU-${variant.variantId}`, tracked: variant.tracked, updated_at: at }, at });
    for (const level of variant.levels) {
      const payload = { inventory_item_id: Number(variant.inventoryItemId), location_id: Number(level.locationId), available: level.available, updated_at: level.updatedAt, admin_graphql_api_id: `gid://shopify/InventoryLevel/${level.locationId}` };
      webhooks.push({ topic: 'inventory_levels/update', key: variant.inventoryItemId, payload, at: level.updatedAt });
    }
  }
  return webhooks;
}
