import { decodeEnvelope } from '@understudy/messaging';
import { webhookMessage } from './envelope';

const headers = {
  webhookId: 'w-1',
  eventId: 'e-1',
  topic: 'inventory_levels/update' as const,
  shopDomain: 'shop.myshopify.com',
  apiVersion: '2026-10',
  triggeredAt: '2026-01-01T00:00:00.000Z',
  hmac: 'x',
};
const payload = { inventory_item_id: 9, location_id: 1, available: 3, updated_at: '2026-01-01T00:00:00Z' };
const receivedAt = new Date('2026-01-01T00:00:01.000Z');

describe('webhookMessage', () => {
  it('an accepted delivery: the registry topic under the prefix, the resource key, the envelope', () => {
    const message = webhookMessage({ kind: 'accept', headers, payload, key: '9' }, 'p.', receivedAt);
    expect(message).toMatchObject({ kafkaTopic: 'p.shopify.inventory_levels.update', kafkaKey: '9', headers: {} });
    expect(decodeEnvelope(message.envelope)).toEqual({
      webhookId: 'w-1',
      eventId: 'e-1',
      topic: 'inventory_levels/update',
      shop: 'shop.myshopify.com',
      apiVersion: '2026-10',
      triggeredAt: '2026-01-01T00:00:00.000Z',
      receivedAt: '2026-01-01T00:00:01.000Z',
      payload,
    });
  });

  it('an unkeyable delivery: the dead-letter topic, keyed by the event id, the reason in a header', () => {
    const message = webhookMessage({ kind: 'unkeyable', headers, payload, reason: 'no id' }, '', receivedAt);
    expect(message).toMatchObject({ kafkaTopic: 'shopify.inventory_levels.update.dlq', kafkaKey: 'e-1', headers: { 'x-dlq-reason': 'payload rejected by schema: no id' } });
  });
});
