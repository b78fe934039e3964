import { webhookHmac } from '@understudy/shopify';
import { verifyDelivery } from './verify-delivery';

const policy = { secrets: ['new', 'old'], shops: new Set(['a.myshopify.com']) };
const payload = { inventory_item_id: 9, location_id: 1, available: 3, updated_at: '2026-11-22T10:00:00Z' };

function request(body: string, overrides: Record<string, string | undefined> = {}, secret = 'new') {
  const headers: Record<string, string | undefined> = {
    'x-shopify-topic': 'inventory_levels/update',
    'x-shopify-hmac-sha256': webhookHmac(body, secret),
    'x-shopify-shop-domain': 'a.myshopify.com',
    'x-shopify-api-version': '2026-10',
    'x-shopify-webhook-id': 'w1',
    'x-shopify-event-id': 'e1',
    'x-shopify-triggered-at': '2026-11-22T10:00:00.000Z',
    ...overrides,
  };
  return verifyDelivery(Buffer.from(body), headers, policy);
}

describe('verifyDelivery', () => {
  it('accepts a signed delivery and keys it by the inventory item', () => {
    expect(request(JSON.stringify(payload))).toMatchObject({ kind: 'accept', key: '9', headers: { webhookId: 'w1', topic: 'inventory_levels/update' } });
  });

  it('checks the signature before anything else, and counts it as invalid_hmac', () => {
    const verdict = request(JSON.stringify(payload), { 'x-shopify-hmac-sha256': 'AAAA', 'x-shopify-webhook-id': undefined });
    expect(verdict).toMatchObject({ kind: 'reject', status: 401, result: 'invalid_hmac', metricTopic: 'inventory_levels/update' });
  });

  it('names missing headers, rejects unknown shops and non-JSON bodies', () => {
    expect(request(JSON.stringify(payload), { 'x-shopify-event-id': undefined })).toMatchObject({
      kind: 'reject',
      status: 400,
      message: 'missing header: x-shopify-event-id',
    });
    const body = JSON.stringify(payload);
    expect(request(body, { 'x-shopify-shop-domain': 'b.myshopify.com' })).toMatchObject({ kind: 'reject', status: 401, code: 'UNKNOWN_SHOP' });
    expect(request('[1,2]')).toMatchObject({ kind: 'reject', status: 400, code: 'INVALID_JSON' });
    expect(request('nope')).toMatchObject({ kind: 'reject', status: 400, code: 'INVALID_JSON' });
  });

  it('ignores topics it does not consume and keeps unkeyable payloads for the dead-letter topic', () => {
    expect(request(JSON.stringify({ id: 1 }), { 'x-shopify-topic': 'orders/create' })).toMatchObject({ kind: 'ignore' });
    expect(request(JSON.stringify({ location_id: 1 }))).toMatchObject({ kind: 'unkeyable', reason: expect.stringContaining('inventory_item_id') });
  });
});
