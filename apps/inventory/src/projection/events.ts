import { type ConsumedMessage, decodeByTopic, type EventEnvelope, PoisonMessageError, type TopicDecoder } from '@understudy/messaging';
import {
  inventoryItemPayload,
  inventoryLevelDeletionPayload,
  inventoryLevelPayload,
  kafkaTopicsFor,
  productPayload,
  resourceDeletionPayload,
  type TopicName,
} from '@understudy/shopify';
import type { z } from 'zod';
import { compareIds } from '../common/ids';

/**
 * Shopify's clock for one resource state: its `updated_at`, then the
 * webhook's triggered-at to order two changes inside the same second
 * (Shopify's `updated_at` has one-second precision). Both are kept as
 * ISO strings truncated to microseconds, PostgreSQL's precision, so the
 * order computed here is exactly the one the database's guard applies.
 */
export interface Version {
  updatedAt: string;
  triggeredAt: string;
  /** [updated_at, triggered_at] in µs since the epoch, for comparisons in memory. */
  micros: readonly [number, number];
}

interface EventBase {
  /** Kafka topic it came from (metric label). */
  topic: string;
  /** Shopify's X-Shopify-Event-Id (shared by every delivery of one event), or a reconciler fact's id: the dedup key. */
  eventId: string;
  /** The row it changes: one resource, so one Kafka key and partition. */
  key: string;
  version: Version;
}

export interface LevelEvent extends EventBase {
  kind: 'level';
  inventoryItemId: string;
  locationId: string;
  /** null: Shopify does not track stock for the item. */
  available: number | null;
}

export interface ItemEvent extends EventBase {
  kind: 'item';
  inventoryItemId: string;
  tracked: boolean;
  sku: string | null;
}

export interface ProductEvent extends EventBase {
  kind: 'product';
  productId: string;
  variants: Array<{ variantId: string; inventoryItemId: string }>;
}

/**
 * A row Shopify no longer has (a reconciler deletion): removed only if the
 * stored version is older than the deletion's, so a webhook newer than the
 * snapshot that missed the row keeps it.
 */
export interface DeletionEvent extends EventBase {
  kind: 'deletion';
  /** The table: a level (`key` is `item:location`), an item or a product (`key` is its id). */
  of: 'level' | 'item' | 'product';
}

export type InventoryEvent = LevelEvent | ItemEvent | ProductEvent | DeletionEvent;

/** The row an event writes: a deletion and an upsert of one row compete for it. */
export function rowOf(event: InventoryEvent): string {
  return `${event.kind === 'deletion' ? event.of : event.kind}:${event.key}`;
}

const INT32_MAX = 2_147_483_647;

/**
 * The registry topics (libs/shopify) the projection understands. A reconciler
 * fact has its webhook's payload shape and goes through the same decoder and
 * the same guarded upsert: its version is Shopify's `updated_at` plus the
 * snapshot's as-of time, so it never overwrites a newer webhook.
 */
const DECODERS: Partial<Record<TopicName, TopicDecoder<InventoryEvent>>> = {
  'inventory_levels/update': decodeLevel,
  'inventory_items/update': decodeItem,
  'products/update': decodeProduct,
  'reconcile/inventory_levels': decodeLevel,
  'reconcile/inventory_items': decodeItem,
  'reconcile/products': decodeProduct,
  'reconcile/inventory_levels_delete': decodeLevelDeletion,
  'reconcile/inventory_items_delete': (envelope, message) => decodeDeletion('item', envelope, message),
  'reconcile/products_delete': (envelope, message) => decodeDeletion('product', envelope, message),
};

/** The Kafka topics the projection reads by default: those of the topics it decodes. */
export const PROJECTION_KAFKA_TOPICS = kafkaTopicsFor(Object.keys(DECODERS) as TopicName[]);

/** Validates envelope and payload; anything malformed is a PoisonMessageError (dead-lettered at once). */
export const decodeInventoryEvent: (message: ConsumedMessage) => InventoryEvent = decodeByTopic('an inventory event', DECODERS);

function decodeLevel(envelope: EventEnvelope, { topic }: ConsumedMessage): LevelEvent {
  const payload = parsePayload(inventoryLevelPayload, envelope);
  if (payload.available !== null && Math.abs(payload.available) > INT32_MAX) {
    throw new PoisonMessageError(`payload.available: ${payload.available} is out of range`);
  }
  const inventoryItemId = String(payload.inventory_item_id);
  const locationId = String(payload.location_id);
  return {
    kind: 'level',
    topic,
    eventId: envelope.eventId,
    key: `${inventoryItemId}:${locationId}`,
    version: version(payload.updated_at, envelope.triggeredAt),
    inventoryItemId,
    locationId,
    available: payload.available,
  };
}

function decodeItem(envelope: EventEnvelope, { topic }: ConsumedMessage): ItemEvent {
  const payload = parsePayload(inventoryItemPayload, envelope);
  const inventoryItemId = String(payload.id);
  return {
    kind: 'item',
    topic,
    eventId: envelope.eventId,
    key: inventoryItemId,
    version: version(payload.updated_at, envelope.triggeredAt),
    inventoryItemId,
    tracked: payload.tracked,
    sku: payload.sku ?? null,
  };
}

function decodeProduct(envelope: EventEnvelope, { topic }: ConsumedMessage): ProductEvent {
  const payload = parsePayload(productPayload, envelope);
  const productId = String(payload.id);
  const variants = new Map<string, string>();
  for (const variant of payload.variants) variants.set(String(variant.id), String(variant.inventory_item_id));
  return {
    kind: 'product',
    topic,
    eventId: envelope.eventId,
    key: productId,
    version: version(payload.updated_at, envelope.triggeredAt),
    productId,
    variants: [...variants].map(([variantId, inventoryItemId]) => ({ variantId, inventoryItemId })),
  };
}

function decodeLevelDeletion(envelope: EventEnvelope, { topic }: ConsumedMessage): DeletionEvent {
  const payload = parsePayload(inventoryLevelDeletionPayload, envelope);
  const key = `${payload.inventory_item_id}:${payload.location_id}`;
  return { kind: 'deletion', of: 'level', topic, eventId: envelope.eventId, key, version: version(payload.updated_at, envelope.triggeredAt) };
}

function decodeDeletion(of: 'item' | 'product', envelope: EventEnvelope, { topic }: ConsumedMessage): DeletionEvent {
  const payload = parsePayload(resourceDeletionPayload, envelope);
  return { kind: 'deletion', of, topic, eventId: envelope.eventId, key: String(payload.id), version: version(payload.updated_at, envelope.triggeredAt) };
}

function parsePayload<S extends z.ZodType>(schema: S, envelope: EventEnvelope): z.infer<S> {
  const parsed = schema.safeParse(envelope.payload);
  if (parsed.success) return parsed.data;
  throw new PoisonMessageError(
    `invalid ${envelope.topic} payload: ${parsed.error.issues.map((i) => `payload.${i.path.join('.')}: ${i.message}`).join('; ')}`,
  );
}

export function version(updatedAt: string, triggeredAt: string): Version {
  const updated = toMicros(updatedAt, 'payload.updated_at');
  const triggered = toMicros(triggeredAt, 'triggeredAt');
  return { updatedAt: updated.text, triggeredAt: triggered.text, micros: [updated.micros, triggered.micros] };
}

/** ISO-8601 → the same instant truncated to µs (as text for PostgreSQL, and as a number). */
export function toMicros(iso: string, what: string): { text: string; micros: number } {
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})(:\d{2})?(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})$/i.exec(iso);
  const base = match ? `${match[1]}${match[2] ?? ':00'}` : '';
  const zone = match ? normalizeZone(match[4]!) : '';
  const seconds = match ? Date.parse(`${base}${zone}`) : Number.NaN;
  if (!match || Number.isNaN(seconds)) throw new PoisonMessageError(`${what}: ${JSON.stringify(iso)} is not a timestamp`);
  const fraction = `${match[3] ?? ''}000000`.slice(0, 6);
  return { text: `${base}.${fraction}${zone}`, micros: seconds * 1000 + Number(fraction) };
}

function normalizeZone(zone: string): string {
  return zone.toUpperCase() === 'Z' ? 'Z' : zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
}

export function compareVersions(a: Version, b: Version): number {
  return a.micros[0] - b.micros[0] || a.micros[1] - b.micros[1];
}

export type Outcome = 'applied' | 'stale' | 'duplicate';

export interface ChunkPlan {
  /** Event ids already processed (earlier chunk, or earlier in this one). */
  duplicates: InventoryEvent[];
  /** Older than another event for the same row in this chunk: never written, counted stale. */
  superseded: InventoryEvent[];
  /** The newest event per row, sorted by row key so every transaction locks rows in the same order. */
  levels: LevelEvent[];
  items: ItemEvent[];
  products: ProductEvent[];
  /** Deletions that are the newest event of their row, in row order. */
  deletions: DeletionEvent[];
}

/**
 * Turns a chunk (one partition, offset order) into at most one write per row:
 * drops event ids already processed, then keeps the newest version per row
 * (a later offset wins a tie, and the database's guard rejects it anyway if
 * it is not newer than what is stored).
 */
export function planChunk(events: readonly InventoryEvent[], freshEventIds: ReadonlySet<string>): ChunkPlan {
  const seen = new Set<string>();
  const duplicates: InventoryEvent[] = [];
  const superseded: InventoryEvent[] = [];
  const newest = new Map<string, InventoryEvent>();
  for (const event of events) {
    if (!freshEventIds.has(event.eventId) || seen.has(event.eventId)) {
      duplicates.push(event);
      continue;
    }
    seen.add(event.eventId);
    const row = rowOf(event);
    const current = newest.get(row);
    if (current && compareVersions(event.version, current.version) < 0) {
      superseded.push(event);
    } else {
      if (current) superseded.push(current);
      newest.set(row, event);
    }
  }
  const winners = [...newest.values()];
  const ofKind = <K extends InventoryEvent['kind']>(kind: K) => winners.filter((e): e is Extract<InventoryEvent, { kind: K }> => e.kind === kind);
  return {
    duplicates,
    superseded,
    levels: ofKind('level').sort((a, b) => compareIds(a.inventoryItemId, b.inventoryItemId) || compareIds(a.locationId, b.locationId)),
    items: ofKind('item').sort((a, b) => compareIds(a.inventoryItemId, b.inventoryItemId)),
    products: ofKind('product').sort((a, b) => compareIds(a.productId, b.productId)),
    deletions: ofKind('deletion').sort((a, b) => (a.of < b.of ? -1 : a.of > b.of ? 1 : compareKeys(a.key, b.key))),
  };
}

/** Orders `item` or `item:location` keys numerically, part by part. */
function compareKeys(a: string, b: string): number {
  const [a1 = '', a2 = ''] = a.split(':');
  const [b1 = '', b2 = ''] = b.split(':');
  return compareIds(a1, b1) || compareIds(a2, b2);
}
