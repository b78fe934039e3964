import { type ConsumedMessage, encodeEnvelope, PoisonMessageError } from '@understudy/messaging';
import { decodePricingEvent } from './events';

const message = (topic: string, payload: Record<string, unknown>, triggeredAt = '2026-12-01T10:00:00.000Z', partition = 0): ConsumedMessage => ({
  topic: 'k',
  partition,
  offset: '0',
  key: null,
  headers: {},
  timestamp: 0,
  value: encodeEnvelope({ webhookId: 'w', eventId: 'e', topic, shop: 's.myshopify.com', apiVersion: '2026-10', triggeredAt, receivedAt: triggeredAt, payload }),
});

const product = (variants: Array<Record<string, unknown>>) => ({ id: 9, title: 'T', updated_at: '2026-12-01T05:00:00-05:00', variants });

describe('decodePricingEvent', () => {
  it("reads each variant's base price with its own updated_at, else the product's, in UTC", () => {
    const event = decodePricingEvent(
      message('products/update', product([
        { id: 1, inventory_item_id: 11, price: '19.99', compare_at_price: '24.99', updated_at: '2026-12-01T04:00:00-05:00' },
        { id: 2, inventory_item_id: 12, price: '5.00' },
        { id: 3, inventory_item_id: 13 },
      ])),
    );
    expect(event).toEqual({
      kind: 'base_prices',
      topic: 'k',
      prices: [
        { variantId: '1', productId: '9', price: '19.99', compareAtPrice: '24.99', updatedAt: '2026-12-01T09:00:00.000Z', triggeredAt: '2026-12-01T10:00:00.000Z' },
        { variantId: '2', productId: '9', price: '5.00', compareAtPrice: null, updatedAt: '2026-12-01T10:00:00.000Z', triggeredAt: '2026-12-01T10:00:00.000Z' },
      ],
    });
  });

  it('reads reconciler facts through the registry schema', () => {
    const event = decodePricingEvent(message('reconcile/pricing', { kind: 'catalog', catalog_id: 5, status: 'DRAFT', price_list_id: null, as_of: '2026-12-01T05:00:00-05:00' }));
    expect(event).toEqual({ kind: 'fact', topic: 'k', fact: { kind: 'catalog', catalog_id: '5', status: 'DRAFT', price_list_id: null, as_of: '2026-12-01T10:00:00.000Z', deleted: false } });
  });

  it('dead-letters what it cannot apply: other topics, negative or float prices, malformed facts', () => {
    for (const bad of [
      message('inventory_levels/update', { inventory_item_id: 1, location_id: 2, available: 3, updated_at: '2026-12-01T10:00:00Z' }),
      message('products/update', product([{ id: 1, inventory_item_id: 11, price: '-1.00' }])),
      message('products/update', product([{ id: 1, inventory_item_id: 11, price: '1e3' }])),
      message('reconcile/pricing', { kind: 'fixed_price', price_list_id: 1, variant_id: 2, as_of: '2026-12-01T10:00:00Z' }),
      message('reconcile/pricing', { kind: 'mystery', as_of: '2026-12-01T10:00:00Z' }),
    ]) {
      expect(() => decodePricingEvent(bad)).toThrow(PoisonMessageError);
    }
    expect(() => decodePricingEvent({ ...message('products/update', product([])), value: Buffer.from('{') })).toThrow(PoisonMessageError);
  });

  it("reads a reconcile run's end mark with the partition it arrived on, and refuses one that cannot be there", () => {
    expect(decodePricingEvent(message('reconcile/pricing_snapshot', { as_of: '2026-12-01T05:00:00-05:00', partitions: 3 }, undefined, 2))).toEqual({
      kind: 'snapshot_mark',
      topic: 'k',
      partition: 2,
      partitions: 3,
      asOf: '2026-12-01T10:00:00.000Z',
    });
    expect(() => decodePricingEvent(message('reconcile/pricing_snapshot', { as_of: '2026-12-01T10:00:00Z', partitions: 3 }, undefined, 3))).toThrow(PoisonMessageError);
    expect(() => decodePricingEvent(message('reconcile/pricing_snapshot', { as_of: '2026-12-01T10:00:00Z' }))).toThrow(PoisonMessageError);
  });
});
