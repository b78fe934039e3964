import type { ExportedItem, ExportedLevel, ExportedProduct } from '@understudy/contracts';
import { type BulkObject, parseId } from '@understudy/shopify';
import { z } from 'zod';
import type { ModuleRecord, ShopifyFact } from '../domain';

/**
 * Shopify's inventory as facts, and inventory's export as records, in one
 * comparable form. Pure: the domain's I/O lives in inventory.domain.ts.
 * Kinds: `product` (its variant ↔ inventory item mapping), `item` (tracked,
 * sku) and `level` (available at a location; null when the item is not
 * tracked, as in Shopify's webhook).
 */

const gid = (type: string) =>
  z.string().transform((value, context) => {
    const id = parseId(value, type);
    if (id === undefined) context.addIssue({ code: 'custom', message: `not a ${type} id` });
    return id ?? '';
  });
const isoTime = z.iso.datetime({ offset: true });

const levelNode = z.object({
  updatedAt: isoTime,
  location: z.object({ id: gid('Location') }),
  quantities: z.array(z.object({ name: z.string(), quantity: z.number().int() })),
});
const itemNode = z.object({ id: gid('InventoryItem'), sku: z.string().nullable().optional(), tracked: z.boolean(), updatedAt: isoTime });
const productNode = z.object({ id: gid('Product'), title: z.string(), updatedAt: isoTime });
const variantNode = z.object({ id: gid('ProductVariant'), inventoryItem: z.object({ id: gid('InventoryItem') }) });

function parse<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new Error(`unexpected ${what} from Shopify: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
}

/** Orders decimal id strings numerically. */
export function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

const mappingValue = (variants: ReadonlyArray<readonly [string, string]>) =>
  [...variants].sort((a, b) => compareIds(a[0], b[0])).map(([variant, item]) => `${variant}:${item}`).join(',');
const itemValue = (tracked: boolean, sku: string | null | undefined) => `${tracked}|${sku ?? ''}`;
const levelValue = (available: number | null) => (available === null ? 'null' : String(available));

export function productFact(product: { id: string; title: string; updatedAt: string }, variants: ReadonlyArray<readonly [string, string]>): ShopifyFact {
  return {
    kind: 'product',
    key: product.id,
    updatedAt: product.updatedAt,
    value: mappingValue(variants),
    topic: 'reconcile/products',
    partitionKey: product.id,
    payload: {
      id: Number(product.id),
      title: product.title,
      updated_at: product.updatedAt,
      variants: variants.map(([variant, item]) => ({ id: Number(variant), product_id: Number(product.id), inventory_item_id: Number(item) })),
    },
  };
}

export function itemFact(item: z.infer<typeof itemNode>): ShopifyFact {
  return {
    kind: 'item',
    key: item.id,
    updatedAt: item.updatedAt,
    value: itemValue(item.tracked, item.sku),
    topic: 'reconcile/inventory_items',
    partitionKey: item.id,
    payload: { id: Number(item.id), sku: item.sku ?? null, tracked: item.tracked, updated_at: item.updatedAt },
  };
}

export function levelFact(item: { id: string; tracked: boolean }, level: z.infer<typeof levelNode>): ShopifyFact {
  const available = item.tracked ? (level.quantities.find((q) => q.name === 'available')?.quantity ?? 0) : null;
  return {
    kind: 'level',
    key: `${item.id}:${level.location.id}`,
    updatedAt: level.updatedAt,
    value: levelValue(available),
    topic: 'reconcile/inventory_levels',
    partitionKey: item.id,
    payload: { inventory_item_id: Number(item.id), location_id: Number(level.location.id), available, updated_at: level.updatedAt },
  };
}

/**
 * The deletion of a row inventory holds and Shopify's snapshot does not, in
 * the payload shape of Shopify's delete webhook for it (`inventory_levels/disconnect`,
 * `inventory_items/delete`, `products/delete`) plus its version `updatedAt`.
 */
export function deletionFact(record: Pick<ModuleRecord, 'kind' | 'key'>, updatedAt: string): ShopifyFact {
  const base = { kind: record.kind, key: record.key, updatedAt, value: '' };
  switch (record.kind) {
    case 'level': {
      const [item = '', location = ''] = record.key.split(':');
      const payload = { inventory_item_id: Number(item), location_id: Number(location), updated_at: updatedAt };
      return { ...base, topic: 'reconcile/inventory_levels_delete', partitionKey: item, payload };
    }
    case 'item':
      return { ...base, topic: 'reconcile/inventory_items_delete', partitionKey: record.key, payload: { id: Number(record.key), updated_at: updatedAt } };
    case 'product':
      return { ...base, topic: 'reconcile/products_delete', partitionKey: record.key, payload: { id: Number(record.key), updated_at: updatedAt } };
    default:
      throw new Error(`no deletion for an inventory ${record.kind}`);
  }
}

/** A product bulk object (variants under `__children`) → its mapping fact. */
export function factsFromProductObject(object: BulkObject): ShopifyFact[] {
  const product = parse(productNode, object, 'product');
  const variants = (object.__children ?? []).map((child) => {
    const variant = parse(variantNode, child, 'variant');
    return [variant.id, variant.inventoryItem.id] as const;
  });
  return [productFact(product, variants)];
}

/** An inventory item bulk object (levels under `__children`) → its item fact and level facts. */
export function factsFromItemObject(object: BulkObject): ShopifyFact[] {
  const item = parse(itemNode, object, 'inventory item');
  return [itemFact(item), ...(object.__children ?? []).map((child) => levelFact(item, parse(levelNode, child, 'inventory level')))];
}

/** The incremental read's variant node. */
export const changedVariantNode = z.object({
  id: gid('ProductVariant'),
  inventoryItem: itemNode.extend({
    inventoryLevels: z.object({ nodes: z.array(levelNode), pageInfo: z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable().optional() }) }),
  }),
});
export type ChangedVariant = z.infer<typeof changedVariantNode>;

export function parseChangedVariant(node: unknown): ChangedVariant {
  return parse(changedVariantNode, node, 'product variant');
}

export function parseLevelNode(node: unknown): z.infer<typeof levelNode> {
  return parse(levelNode, node, 'inventory level');
}

export function factsFromChangedVariant(variant: ChangedVariant, extraLevels: ReadonlyArray<z.infer<typeof levelNode>> = []): ShopifyFact[] {
  const item = variant.inventoryItem;
  return [itemFact(item), ...[...item.inventoryLevels.nodes, ...extraLevels].map((level) => levelFact(item, level))];
}

export function moduleLevel(row: ExportedLevel): ModuleRecord {
  return { kind: 'level', key: `${row.inventoryItemId}:${row.locationId}`, updatedAt: row.updatedAt, triggeredAt: row.triggeredAt, value: levelValue(row.available) };
}

export function moduleItem(row: ExportedItem): ModuleRecord {
  return { kind: 'item', key: row.inventoryItemId, updatedAt: row.updatedAt, triggeredAt: row.triggeredAt, value: itemValue(row.tracked, row.sku) };
}

export function moduleProduct(row: ExportedProduct): ModuleRecord {
  return { kind: 'product', key: row.productId, updatedAt: row.updatedAt, triggeredAt: row.triggeredAt, value: mappingValue(row.variants) };
}
