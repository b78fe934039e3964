import { encodeEnvelope, type ConsumedMessage, type EventEnvelope, PoisonMessageError } from '@understudy/messaging';
import { compareVersions, decodeInventoryEvent, type InventoryEvent, planChunk, toMicros, version } from './events';

function message(envelope: Partial<EventEnvelope> & Pick<EventEnvelope, 'topic' | 'payload'>, raw?: Buffer): ConsumedMessage {
  const full: EventEnvelope = {
    webhookId: 'wh-1',
    eventId: 'ev-1',
    shop: 'demo.myshopify.com',
    apiVersion: '2026-10',
    triggeredAt: '2026-01-01T10:00:00.123456Z',
    receivedAt: '2026-01-01T10:00:00.200Z',
    ...envelope,
  };
  return { topic: 'shopify.test', partition: 0, offset: '0', key: null, value: raw ?? encodeEnvelope(full), headers: {}, timestamp: 0 };
}

const level = (overrides: Record<string, unknown> = {}) => ({
  inventory_item_id: 101,
  location_id: 7,
  available: 5,
  updated_at: '2026-01-01T10:00:00-05:00',
  ...overrides,
});

describe('decodeInventoryEvent', () => {
  it('decodes an inventory level with its version and row key', () => {
    const event = decodeInventoryEvent(message({ topic: 'inventory_levels/update', payload: level() }));
    expect(event).toMatchObject({
      kind: 'level',
      topic: 'shopify.test',
      eventId: 'ev-1',
      key: '101:7',
      inventoryItemId: '101',
      locationId: '7',
      available: 5,
      version: { updatedAt: '2026-01-01T10:00:00.000000-05:00', triggeredAt: '2026-01-01T10:00:00.123456Z' },
    });
  });

  it('decodes the variant ↔ inventory item mapping of a product and the tracked flag of an item', () => {
    const product = decodeInventoryEvent(
      message({
        topic: 'products/update',
        payload: { id: 9, title: 'Tee', updated_at: '2026-01-01T10:00:00Z', variants: [{ id: 11, inventory_item_id: 101 }, { id: 12, inventory_item_id: 102 }] },
      }),
    );
    expect(product).toMatchObject({ kind: 'product', key: '9', variants: [{ variantId: '11', inventoryItemId: '101' }, { variantId: '12', inventoryItemId: '102' }] });

    const item = decodeInventoryEvent(message({ topic: 'inventory_items/update', payload: { id: 101, tracked: false, updated_at: '2026-01-01T10:00:00Z' } }));
    expect(item).toMatchObject({ kind: 'item', key: '101', tracked: false, sku: null });
  });

  it("decodes a reconciler deletion in the shape of Shopify's delete webhooks, versioned like a fact", () => {
    const triggeredAt = '2026-01-01T10:05:00.250Z';
    const updated_at = '2026-01-01T10:05:00Z';
    expect(decodeInventoryEvent(message({ topic: 'reconcile/inventory_levels_delete', triggeredAt, payload: { inventory_item_id: 101, location_id: 7, updated_at } }))).toMatchObject({
      kind: 'deletion',
      of: 'level',
      key: '101:7',
      version: { updatedAt: '2026-01-01T10:05:00.000000Z', triggeredAt: '2026-01-01T10:05:00.250000Z' },
    });
    expect(decodeInventoryEvent(message({ topic: 'reconcile/inventory_items_delete', triggeredAt, payload: { id: 101, updated_at } }))).toMatchObject({ kind: 'deletion', of: 'item', key: '101' });
    expect(decodeInventoryEvent(message({ topic: 'reconcile/products_delete', triggeredAt, payload: { id: 9, updated_at } }))).toMatchObject({ kind: 'deletion', of: 'product', key: '9' });
    // A deletion must say which version it removes.
    expect(() => decodeInventoryEvent(message({ topic: 'reconcile/products_delete', payload: { id: 9 } }))).toThrow(PoisonMessageError);
  });

  it("decodes a reconciler fact like its webhook, versioned by Shopify's updated_at and the snapshot's as-of time", () => {
    const fact = decodeInventoryEvent(
      message({ topic: 'reconcile/inventory_levels', eventId: 'run-1:101:7', triggeredAt: '2026-01-01T10:05:00Z', payload: level() }),
    );
    expect(fact).toMatchObject({
      kind: 'level',
      eventId: 'run-1:101:7',
      key: '101:7',
      available: 5,
      version: { updatedAt: '2026-01-01T10:00:00.000000-05:00', triggeredAt: '2026-01-01T10:05:00.000000Z' },
    });
  });

  it.each([
    ['not JSON', message({ topic: 'inventory_levels/update', payload: {} }, Buffer.from('{nope'))],
    ['an envelope without webhookId', message({ topic: 'inventory_levels/update', payload: {} }, Buffer.from(JSON.stringify({ topic: 'inventory_levels/update', payload: level() })))],
    ['a topic inventory does not consume', message({ topic: 'orders/create', payload: { id: 1 } })],
    ['a create/connect twin ingest never accepts', message({ topic: 'inventory_levels/connect', payload: level() })],
    ['a payload missing location_id', message({ topic: 'inventory_levels/update', payload: level({ location_id: undefined }) })],
    ['a fractional quantity', message({ topic: 'inventory_levels/update', payload: level({ available: 1.5 }) })],
    ['a quantity beyond int32', message({ topic: 'inventory_levels/update', payload: level({ available: 2 ** 40 }) })],
  ])('rejects %s as poison', (_case, poison) => {
    expect(() => decodeInventoryEvent(poison)).toThrow(PoisonMessageError);
  });

  it('names the offending field in the poison reason', () => {
    expect(() => decodeInventoryEvent(message({ topic: 'inventory_levels/update', payload: level({ updated_at: 'yesterday' }) }))).toThrow(
      /payload\.updated_at/,
    );
  });
});

describe('versions', () => {
  it('truncates to microseconds and keeps the instant whatever the offset notation', () => {
    expect(toMicros('2026-01-01T10:00:00.123456789Z', 'x')).toEqual({ text: '2026-01-01T10:00:00.123456Z', micros: Date.parse('2026-01-01T10:00:00Z') * 1000 + 123456 });
    expect(toMicros('2026-01-01T05:00:00-0500', 'x').micros).toBe(toMicros('2026-01-01T10:00:00Z', 'x').micros);
    expect(toMicros('2026-01-01T10:00Z', 'x').text).toBe('2026-01-01T10:00:00.000000Z');
  });

  it('orders by updated_at, then by triggered-at inside the same second', () => {
    const a = version('2026-01-01T10:00:00Z', '2026-01-01T10:00:00.100Z');
    const b = version('2026-01-01T10:00:00Z', '2026-01-01T10:00:00.200Z');
    const c = version('2026-01-01T10:00:01Z', '2026-01-01T10:00:00.050Z');
    expect([c, b, a].sort(compareVersions)).toEqual([a, b, c]);
  });
});

describe('planChunk', () => {
  let n = 0;
  const levelEvent = (item: number, location: number, available: number, second: number, eventId = `ev-${++n}`): InventoryEvent => ({
    kind: 'level',
    topic: 't',
    eventId,
    key: `${item}:${location}`,
    inventoryItemId: String(item),
    locationId: String(location),
    available,
    version: version(`2026-01-01T10:00:${String(second).padStart(2, '0')}Z`, `2026-01-01T10:00:${String(second).padStart(2, '0')}.5Z`),
  });

  it('keeps the newest event per row, whatever the arrival order, and counts the rest as superseded', () => {
    const events = [levelEvent(1, 1, 10, 3), levelEvent(1, 1, 30, 9), levelEvent(1, 1, 20, 5), levelEvent(2, 1, 7, 1)];
    const plan = planChunk(events, new Set(events.map((e) => e.eventId)));
    expect(plan.levels.map((e) => [e.key, e.kind === 'level' && e.available])).toEqual([
      ['1:1', 30],
      ['2:1', 7],
    ]);
    expect(plan.superseded).toHaveLength(2);
    expect(plan.duplicates).toHaveLength(0);
  });

  it('drops event ids already processed and repeats inside the chunk as duplicates', () => {
    const first = levelEvent(1, 1, 10, 3, 'ev-a');
    const again = levelEvent(1, 1, 10, 3, 'ev-a');
    const old = levelEvent(1, 2, 99, 9, 'ev-old');
    const plan = planChunk([first, again, old], new Set(['ev-a']));
    expect(plan.duplicates).toEqual([again, old]);
    expect(plan.levels).toEqual([first]);
  });

  it('lets a deletion and an upsert of the same row compete: the newer one is written, the other superseded', () => {
    const deletion = (item: number, location: number, second: number): InventoryEvent => ({
      kind: 'deletion',
      of: 'level',
      topic: 't',
      eventId: `del-${++n}`,
      key: `${item}:${location}`,
      version: version(`2026-01-01T10:00:${String(second).padStart(2, '0')}Z`, `2026-01-01T10:00:${String(second).padStart(2, '0')}.5Z`),
    });
    const events = [levelEvent(1, 1, 10, 3), deletion(1, 1, 5), deletion(2, 1, 4), levelEvent(2, 1, 8, 6), deletion(10, 1, 2), deletion(9, 1, 2)];
    const plan = planChunk(events, new Set(events.map((e) => e.eventId)));
    expect(plan.deletions.map((e) => e.key)).toEqual(['1:1', '9:1', '10:1']);
    expect(plan.levels.map((e) => e.key)).toEqual(['2:1']);
    expect(plan.superseded.map((e) => e.key).sort()).toEqual(['1:1', '2:1']);
  });

  it('sorts each table by numeric row key so transactions lock rows in one order', () => {
    const events = [levelEvent(10, 2, 1, 1), levelEvent(9, 5, 1, 1), levelEvent(10, 1, 1, 1), levelEvent(100, 1, 1, 1)];
    const plan = planChunk(events, new Set(events.map((e) => e.eventId)));
    expect(plan.levels.map((e) => e.key)).toEqual(['9:5', '10:1', '10:2', '100:1']);
  });
});
