import { Injectable } from '@nestjs/common';
import type { ConsumedMessage } from '@understudy/messaging';
import { ProjectionMetrics } from '@understudy/platform';
import type { PricingFact } from '@understudy/shopify';
import { Database, type Sql } from '../database/database';
import { type BasePrice, decodePricingEvent, type PricingEvent, type SnapshotMarkEvent } from './events';
import {
  FACT_STATEMENTS,
  SNAPSHOT_MARK_AS_OF,
  UPSERT_SNAPSHOT_MARK,
  UPSERT_VARIANT,
  VARIANT_VERSION,
} from './projection.sql';

export type Outcome = 'applied' | 'stale' | 'duplicate';

/**
 * Applies a chunk of pricing events in one transaction, every row through
 * its guarded upsert (a snapshot never overwrites a newer row, a webhook
 * never an newer price). Offsets are committed by the ConsumerRunner only
 * after this transaction commits.
 */
@Injectable()
export class ProjectionService {
  constructor(private readonly database: Database, private readonly metrics: ProjectionMetrics) {}

  /** The consumer's handler: one partition's chunk, in offset order (a value the database refuses is poison: libs/platform's ProjectionConsumer). */
  async handle(messages: ConsumedMessage[]): Promise<void> {
    const events = messages.map(decodePricingEvent);
    const outcomes = await this.database.transaction(async (sql) => {
      const results: Array<{ topic: string; outcome: Outcome; clock: string }> = [];
      for (const event of events) results.push(...(await this.applyEvent(sql, event)));
      return results;
    });
    const now = Date.now();
    for (const { topic, outcome, clock } of outcomes) {
      if (outcome === 'applied') this.metrics.applied(topic, Date.parse(clock), now);
      else this.metrics.count(topic, outcome);
    }
  }

  private async applyEvent(sql: Sql, event: PricingEvent): Promise<Array<{ topic: string; outcome: Outcome; clock: string }>> {
    if (event.kind === 'base_prices') {
      const results = [];
      for (const price of event.prices) results.push({ topic: event.topic, outcome: await applyBasePrice(sql, price), clock: price.triggeredAt });
      return results;
    }
    if (event.kind === 'snapshot_mark') return [{ topic: event.topic, outcome: await applySnapshotMark(sql, event), clock: event.asOf }];
    return [{ topic: event.topic, outcome: await applyFact(sql, event.fact), clock: event.fact.as_of }];
  }
}

async function applyBasePrice(sql: Sql, price: BasePrice): Promise<Outcome> {
  const applied = await sql(UPSERT_VARIANT, [price.variantId, price.productId, price.price, price.compareAtPrice, price.updatedAt, price.triggeredAt]);
  if (applied.length > 0) return 'applied';
  const [row] = await sql<{ same: boolean }>(VARIANT_VERSION, [price.variantId, price.updatedAt, price.triggeredAt]);
  return row?.same ? 'duplicate' : 'stale';
}

/** A run's end mark for its partition (the view pricing_confirmed_snapshot combines them). */
async function applySnapshotMark(sql: Sql, mark: SnapshotMarkEvent): Promise<Outcome> {
  if ((await sql(UPSERT_SNAPSHOT_MARK, [mark.partition, mark.partitions, mark.asOf])).length > 0) return 'applied';
  const [row] = await sql<{ same: boolean }>(SNAPSHOT_MARK_AS_OF, [mark.partition, mark.asOf]);
  return row?.same ? 'duplicate' : 'stale';
}

/** One B2B row; a deletion writes a tombstone carrying the snapshot's as_of. */
export async function applyFact(sql: Sql, fact: PricingFact): Promise<Outcome> {
  const { as_of: asOf, deleted } = fact;
  let keys: unknown[];
  let columns: unknown[];
  switch (fact.kind) {
    case 'price_list':
      keys = [fact.price_list_id];
      columns = [fact.currency ?? null, fact.adjustment?.type ?? null, fact.adjustment?.value ?? null, fact.compare_at_mode ?? null];
      break;
    case 'fixed_price':
      keys = [fact.price_list_id, fact.variant_id];
      columns = [
        fact.price ?? null,
        fact.compare_at_price ?? null,
        JSON.stringify((fact.quantity_price_breaks ?? []).map((b) => ({ minimumQuantity: b.minimum_quantity, price: b.price }))),
      ];
      break;
    case 'quantity_rule':
      keys = [fact.price_list_id, fact.variant_id];
      columns = [fact.minimum ?? null, fact.maximum ?? null, fact.increment ?? null];
      break;
    case 'catalog':
      keys = [fact.catalog_id];
      columns = [fact.status ?? null, fact.price_list_id ?? null];
      break;
    case 'company_location':
      keys = [fact.company_location_id];
      columns = [fact.currency ?? null, fact.catalog_ids ?? []];
      break;
  }
  const statements = FACT_STATEMENTS[fact.kind];
  if ((await sql(statements.upsert, [...keys, ...columns, deleted, asOf])).length > 0) return 'applied';
  const [row] = await sql<{ same: boolean }>(statements.asOf, [...keys, asOf]);
  return row?.same ? 'duplicate' : 'stale';
}
