import { Injectable } from '@nestjs/common';
import type { ConsumedMessage } from '@understudy/messaging';
import { ProjectionMetrics } from '@understudy/platform';
import { Database, type Sql } from '../database/database';
import { lockStock } from '../database/stock-locks';
import { compareIds } from '../common/ids';
import {
  type DeletionEvent,
  decodeInventoryEvent,
  type InventoryEvent,
  type ItemEvent,
  type LevelEvent,
  type Outcome,
  planChunk,
  type ProductEvent,
} from './events';
import {
  CLEAR_STOCK_WITHOUT_LEVELS,
  DELETE_ITEMS,
  DELETE_LEVELS,
  DELETE_PRODUCTS,
  ENSURE_STOCK,
  MARK_PROCESSED,
  REFRESH_STOCK,
  REPLACE_VARIANTS,
  UPSERT_ITEMS,
  UPSERT_LEVELS,
  UPSERT_PRODUCTS,
} from './projection.sql';

export type ChunkResult = Record<Outcome, number>;

/**
 * Applies chunks of Shopify events to the projection, each chunk in one
 * transaction: Shopify event ids are claimed (duplicates drop out), each row gets
 * at most one guarded multi-row upsert with its newest version, and the
 * stock rows of touched items are recomputed under their locks. Offsets are
 * committed by the ConsumerRunner only after this transaction commits.
 */
@Injectable()
export class ProjectionService {
  constructor(private readonly database: Database, private readonly metrics: ProjectionMetrics) {}

  /**
   * The consumer's handler: one partition's chunk, in offset order. A malformed message fails the
   * whole chunk as poison; the consumer then retries the chunk's messages one by one, so only that
   * one is dead-lettered (as is a value the database refuses: libs/platform's ProjectionConsumer).
   */
  async handle(messages: ConsumedMessage[]): Promise<void> {
    await this.apply(messages.map(decodeInventoryEvent));
  }

  async apply(events: readonly InventoryEvent[]): Promise<ChunkResult> {
    const result: ChunkResult = { applied: 0, stale: 0, duplicate: 0 };
    if (events.length === 0) return result;
    const { plan, applied } = await this.database.transaction(async (sql) => {
      const fresh = await markProcessed(sql, events);
      const plan = planChunk(events, fresh);
      const applied = new Set<InventoryEvent>();
      for (const event of await upsertItems(sql, plan.items)) applied.add(event);
      const products = await upsertProducts(sql, plan.products);
      for (const event of products) applied.add(event);
      const levels = await upsertLevels(sql, plan.levels);
      for (const event of levels) applied.add(event);
      const deletions = await deleteRows(sql, plan.deletions);
      for (const event of deletions) applied.add(event);
      const levelsRemoved = unique(deletions.filter((event) => event.of === 'level').map((event) => event.key.split(':')[0]!));

      const levelItems = unique([...levels.map((event) => event.inventoryItemId), ...levelsRemoved]);
      const mappedItems = products.flatMap((event) => event.variants.map((variant) => variant.inventoryItemId));
      const touched = unique([...levelItems, ...mappedItems]);
      if (touched.length > 0) await sql(ENSURE_STOCK, [touched]);
      if (levelItems.length > 0) {
        await lockStock(sql, levelItems);
        await sql(REFRESH_STOCK, [levelItems]);
        if (levelsRemoved.length > 0) await sql(CLEAR_STOCK_WITHOUT_LEVELS, [levelsRemoved]);
      }
      return { plan, applied };
    });

    const committedAt = Date.now();
    const count = (event: InventoryEvent, outcome: Exclude<Outcome, 'applied'>) => {
      result[outcome]++;
      this.metrics.count(event.topic, outcome);
    };
    for (const event of plan.duplicates) count(event, 'duplicate');
    for (const event of plan.superseded) count(event, 'stale');
    for (const event of [...plan.items, ...plan.products, ...plan.levels, ...plan.deletions]) {
      if (!applied.has(event)) {
        count(event, 'stale');
        continue;
      }
      result.applied++;
      this.metrics.applied(event.topic, event.version.micros[1] / 1000, committedAt);
    }
    return result;
  }
}

async function markProcessed(sql: Sql, events: readonly InventoryEvent[]): Promise<Set<string>> {
  const topics = new Map<string, string>();
  for (const event of events) if (!topics.has(event.eventId)) topics.set(event.eventId, event.topic);
  // Sorted, so two transactions claiming overlapping ids take their index locks in the same order.
  const ids = [...topics.keys()].sort();
  const rows = await sql<{ event_id: string }>(MARK_PROCESSED, [ids, ids.map((id) => topics.get(id)!)]);
  return new Set(rows.map((row) => row.event_id));
}

async function upsertLevels(sql: Sql, levels: LevelEvent[]): Promise<LevelEvent[]> {
  if (levels.length === 0) return [];
  const rows = await sql<{ item: string; location: string }>(UPSERT_LEVELS, [
    levels.map((e) => e.inventoryItemId),
    levels.map((e) => e.locationId),
    levels.map((e) => e.available),
    levels.map((e) => e.version.updatedAt),
    levels.map((e) => e.version.triggeredAt),
  ]);
  const written = new Set(rows.map((row) => `${row.item}:${row.location}`));
  return levels.filter((event) => written.has(event.key));
}

async function upsertItems(sql: Sql, items: ItemEvent[]): Promise<ItemEvent[]> {
  if (items.length === 0) return [];
  const rows = await sql<{ key: string }>(UPSERT_ITEMS, [
    items.map((e) => e.inventoryItemId),
    items.map((e) => e.tracked),
    items.map((e) => e.sku),
    items.map((e) => e.version.updatedAt),
    items.map((e) => e.version.triggeredAt),
  ]);
  const written = new Set(rows.map((row) => row.key));
  return items.filter((event) => written.has(event.key));
}

async function upsertProducts(sql: Sql, products: ProductEvent[]): Promise<ProductEvent[]> {
  if (products.length === 0) return [];
  const rows = await sql<{ key: string }>(UPSERT_PRODUCTS, [
    products.map((e) => e.productId),
    products.map((e) => e.version.updatedAt),
    products.map((e) => e.version.triggeredAt),
  ]);
  const written = new Set(rows.map((row) => row.key));
  const applied = products.filter((event) => written.has(event.key));
  if (applied.length === 0) return applied;
  // One row per variant (a statement cannot upsert the same row twice), in id order for the locks.
  const byId = new Map(applied.flatMap((event) => event.variants.map((variant) => [variant.variantId, { ...variant, productId: event.productId }])));
  const variants = [...byId.values()].sort((a, b) => compareIds(a.variantId, b.variantId));
  await sql(REPLACE_VARIANTS, [
    variants.map((v) => v.variantId),
    variants.map((v) => v.productId),
    variants.map((v) => v.inventoryItemId),
    applied.map((event) => event.productId),
  ]);
  return applied;
}

/** Guarded deletions, table by table; returns those that removed a row (the rest were older than the row, or it was gone). */
async function deleteRows(sql: Sql, deletions: DeletionEvent[]): Promise<DeletionEvent[]> {
  if (deletions.length === 0) return [];
  const removed = new Set<string>();
  const of = (table: DeletionEvent['of']) => deletions.filter((event) => event.of === table);
  const levels = of('level');
  if (levels.length > 0) {
    const rows = await sql<{ item: string; location: string }>(DELETE_LEVELS, [
      levels.map((e) => e.key.split(':')[0]),
      levels.map((e) => e.key.split(':')[1]),
      levels.map((e) => e.version.updatedAt),
      levels.map((e) => e.version.triggeredAt),
    ]);
    for (const row of rows) removed.add(`level:${row.item}:${row.location}`);
  }
  for (const [table, statement] of [['item', DELETE_ITEMS], ['product', DELETE_PRODUCTS]] as const) {
    const events = of(table);
    if (events.length === 0) continue;
    const rows = await sql<{ key: string }>(statement, [events.map((e) => e.key), events.map((e) => e.version.updatedAt), events.map((e) => e.version.triggeredAt)]);
    for (const row of rows) removed.add(`${table}:${row.key}`);
  }
  return deletions.filter((event) => removed.has(`${event.of}:${event.key}`));
}

function unique(ids: string[]): string[] {
  return [...new Set(ids)].sort(compareIds);
}
