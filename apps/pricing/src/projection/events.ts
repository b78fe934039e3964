import { type ConsumedMessage, decodeByTopic, type EventEnvelope, PoisonMessageError, type TopicDecoder } from '@understudy/messaging';
import { type PricingFact, pricingFactPayload, productPayload, snapshotMarkPayload, type TopicName, variantPricePayload } from '@understudy/shopify';
import { z } from 'zod';

/**
 * What the pricing projection consumes, decoded and validated (anything
 * malformed is a PoisonMessageError, dead-lettered at once):
 * - `products/update` and the reconciler's `reconcile/products`: each
 *   variant's base price, versioned by its `updated_at` then the event's
 *   triggered-at (Shopify's `updated_at` has one-second precision);
 * - `reconcile/variant_prices`: one variant's base price the reconciler found
 *   drifted, versioned the same way;
 * - `reconcile/pricing`: one B2B row as of a snapshot;
 * - `reconcile/pricing_snapshot`: a run's end mark on the partition it came on.
 */
export interface BasePrice {
  variantId: string;
  productId: string;
  price: string;
  compareAtPrice: string | null;
  /** ISO-8601 (UTC). */
  updatedAt: string;
  triggeredAt: string;
}

/** A reconcile run's end mark: everything the run published on `partition` came before it. */
export interface SnapshotMarkEvent {
  kind: 'snapshot_mark';
  topic: string;
  partition: number;
  partitions: number;
  asOf: string;
}

export type PricingEvent = { kind: 'base_prices'; topic: string; prices: BasePrice[] } | { kind: 'fact'; topic: string; fact: PricingFact } | SnapshotMarkEvent;

/** Money in a webhook: a non-negative decimal the rules can hold exactly. */
const money = z.string().regex(/^\d{1,15}(\.\d{1,6})?$/, 'must be a non-negative decimal amount');
const variantPrices = z.looseObject({ id: z.union([z.number(), z.string()]), price: money.optional(), compare_at_price: money.nullable().optional(), updated_at: z.string().optional() });

const DECODERS: Partial<Record<TopicName, TopicDecoder<PricingEvent>>> = {
  'products/update': decodeProduct,
  'reconcile/products': decodeProduct,
  'reconcile/pricing': decodeFact,
  'reconcile/pricing_snapshot': decodeSnapshotMark,
  'reconcile/variant_prices': decodeVariantPrice,
};

export const decodePricingEvent: (message: ConsumedMessage) => PricingEvent = decodeByTopic('a pricing event', DECODERS);

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new PoisonMessageError(`${what}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

/** An ISO-8601 instant in UTC with microseconds at most (PostgreSQL's precision), or poison. */
export function utcInstant(value: string, what: string): string {
  const ms = Date.parse(value);
  if (!Number.isFinite(ms)) throw new PoisonMessageError(`${what}: not a timestamp: ${JSON.stringify(value)}`);
  return new Date(ms).toISOString();
}

function decodeProduct(envelope: EventEnvelope, { topic }: ConsumedMessage): PricingEvent {
  const product = parse(productPayload, envelope.payload, 'payload');
  const triggeredAt = utcInstant(envelope.triggeredAt, 'triggeredAt');
  const prices: BasePrice[] = [];
  for (const [index, raw] of product.variants.entries()) {
    const variant = parse(variantPrices, raw, `payload.variants.${index}`);
    if (variant.price === undefined) continue;
    prices.push({
      variantId: String(variant.id),
      productId: String(product.id),
      price: variant.price,
      compareAtPrice: variant.compare_at_price ?? null,
      updatedAt: utcInstant(variant.updated_at ?? product.updated_at, `payload.variants.${index}.updated_at`),
      triggeredAt,
    });
  }
  return { kind: 'base_prices', topic, prices };
}

function decodeFact(envelope: EventEnvelope, { topic }: ConsumedMessage): PricingEvent {
  const fact = parse(pricingFactPayload, envelope.payload, 'payload');
  return { kind: 'fact', topic, fact: { ...fact, as_of: utcInstant(fact.as_of, 'payload.as_of') } };
}

function decodeSnapshotMark(envelope: EventEnvelope, { topic, partition }: ConsumedMessage): PricingEvent {
  const mark = parse(snapshotMarkPayload, envelope.payload, 'payload');
  if (partition >= mark.partitions) throw new PoisonMessageError(`a snapshot mark for ${mark.partitions} partitions arrived on partition ${partition}`);
  return { kind: 'snapshot_mark', topic, partition, partitions: mark.partitions, asOf: utcInstant(mark.as_of, 'payload.as_of') };
}

function decodeVariantPrice(envelope: EventEnvelope, { topic }: ConsumedMessage): PricingEvent {
  const fact = parse(variantPricePayload, envelope.payload, 'payload');
  const price: BasePrice = {
    variantId: fact.id,
    productId: fact.product_id,
    price: fact.price,
    compareAtPrice: fact.compare_at_price,
    updatedAt: utcInstant(fact.updated_at, 'payload.updated_at'),
    triggeredAt: utcInstant(envelope.triggeredAt, 'triggeredAt'),
  };
  return { kind: 'base_prices', topic, prices: [price] };
}
