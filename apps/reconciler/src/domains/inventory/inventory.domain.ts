import type { BulkObject, WebhookTopic } from '@understudy/shopify';
import { type DomainPage, type IncrementalRead, type ModuleRecord, type ReconcileDomain, type ShopifyFact, updatedSinceFilter } from '../domain';
import {
  type ChangedVariant,
  deletionFact,
  factsFromChangedVariant,
  factsFromItemObject,
  factsFromProductObject,
  moduleItem,
  moduleLevel,
  moduleProduct,
  parseChangedVariant,
  parseLevelNode,
} from './facts';
import type { InventoryExportClient } from './inventory-export.client';

/** Stocked locations read per item in the incremental query; an item at more is completed by a follow-up query. */
const LEVELS_PER_ITEM = 10;

const LEVEL_FIELDS = 'updatedAt location { id } quantities(names: ["available"]) { name quantity }';

/**
 * Full runs: two bulk operations, run side by side — products with their
 * variants (the mapping), and inventory items with their levels.
 */
export const INVENTORY_BULK_QUERIES = {
  products: `{ products { edges { node { id title updatedAt variants { edges { node { id inventoryItem { id } } } } } } } }`,
  items: `{ inventoryItems { edges { node { id sku tracked updatedAt inventoryLevels { edges { node { ${LEVEL_FIELDS} } } } } } } }`,
} as const;

/**
 * Incremental runs read the variants Shopify changed (a variant's `updated_at`
 * moves with its stock), with their item and levels. Sorted by id: the run's
 * resume point is the page cursor of this one query, and the next run's
 * window starts from this run's as-of time, so the order needs no meaning.
 */
export function changedVariantsQuery(pageSize: number): string {
  return `query ChangedVariants($after: String, $query: String!) {
  productVariants(first: ${pageSize}, after: $after, query: $query, sortKey: ID) {
    nodes { id inventoryItem { id sku tracked updatedAt inventoryLevels(first: ${LEVELS_PER_ITEM}) { nodes { ${LEVEL_FIELDS} } pageInfo { hasNextPage endCursor } } } }
    pageInfo { hasNextPage endCursor }
  }
}`;
}

const MORE_LEVELS = `query MoreLevels($id: ID!, $after: String) {
  inventoryItem(id: $id) { inventoryLevels(first: 50, after: $after) { nodes { ${LEVEL_FIELDS} } pageInfo { hasNextPage endCursor } } }
}`;

export class InventoryDomain implements ReconcileDomain {
  readonly name = 'inventory';
  readonly webhookTopics: readonly WebhookTopic[] = ['inventory_levels/update', 'inventory_items/update', 'products/update'];
  readonly deliveryKinds = ['level'] as const;
  readonly bulkQueries = INVENTORY_BULK_QUERIES;

  constructor(
    private readonly exports: InventoryExportClient,
    private readonly options: { incrementalPageSize: number },
  ) {}

  factsFromBulk(query: string, object: BulkObject): ShopifyFact[] {
    return query === 'products' ? factsFromProductObject(object) : factsFromItemObject(object);
  }

  async *moduleState(signal: AbortSignal): AsyncIterable<ModuleRecord> {
    for await (const row of this.exports.all('products', signal)) yield moduleProduct(row);
    for await (const row of this.exports.all('items', signal)) yield moduleItem(row);
    for await (const row of this.exports.all('levels', signal)) yield moduleLevel(row);
  }

  async *changedSince(read: IncrementalRead): AsyncIterable<DomainPage> {
    const pages = read.client.paginate<unknown, { productVariants: never }>(changedVariantsQuery(this.options.incrementalPageSize), {
      connection: (data) => data.productVariants,
      after: read.after,
      variables: { query: updatedSinceFilter(read.since) },
      signal: read.signal,
    });
    for await (const page of pages) {
      const facts: ShopifyFact[] = [];
      for (const node of page.nodes) {
        const variant = parseChangedVariant(node);
        facts.push(...factsFromChangedVariant(variant, await this.remainingLevels(read, variant)));
      }
      yield { facts, endCursor: page.endCursor };
    }
  }

  async moduleRecordsFor(facts: readonly ShopifyFact[], signal: AbortSignal): Promise<ModuleRecord[]> {
    const items = facts.filter((fact) => fact.kind !== 'product').map((fact) => fact.partitionKey);
    const products = facts.filter((fact) => fact.kind === 'product').map((fact) => fact.key);
    const [levels, itemRows, productRows] = await Promise.all([
      items.length ? this.exports.byIds('levels', items, signal) : [],
      items.length ? this.exports.byIds('items', items, signal) : [],
      products.length ? this.exports.byIds('products', products, signal) : [],
    ]);
    return [...levels.map(moduleLevel), ...itemRows.map(moduleItem), ...productRows.map(moduleProduct)];
  }

  deletionFact(record: ModuleRecord, updatedAt: string): ShopifyFact {
    return deletionFact(record, updatedAt);
  }

  private async remainingLevels(read: IncrementalRead, variant: ChangedVariant) {
    const levels = [];
    let page = variant.inventoryItem.inventoryLevels.pageInfo;
    while (page.hasNextPage) {
      const response = await read.client.request<{ inventoryItem: { inventoryLevels: { nodes: unknown[]; pageInfo: typeof page } } | null }>(MORE_LEVELS, {
        variables: { id: `gid://shopify/InventoryItem/${variant.inventoryItem.id}`, after: page.endCursor ?? null },
        signal: read.signal,
      });
      const connection = response.data.inventoryItem?.inventoryLevels;
      if (!connection) break;
      levels.push(...connection.nodes.map(parseLevelNode));
      page = connection.pageInfo;
    }
    return levels;
  }
}
