import { parseId, toGid } from '../gid';
import { parseWebhookHeaders } from './headers';
import { verifyWebhookHmac, webhookHmac } from './hmac';
import { resourceKeyFor } from '../topics/registry';

const body = Buffer.from(JSON.stringify({ inventory_item_id: 42, location_id: 7, available: 3, updated_at: '2026-11-22T10:00:00-05:00' }));

describe('webhook HMAC', () => {
  it('accepts the signature of any configured secret and says which one', () => {
    const header = webhookHmac(body, 'old-secret');
    expect(verifyWebhookHmac(body, header, ['new-secret', 'old-secret'])).toBe(1);
    expect(verifyWebhookHmac(body, webhookHmac(body, 'new-secret'), ['new-secret', 'old-secret'])).toBe(0);
  });

  it('rejects a tampered body, an unknown secret, garbage and a missing header', () => {
    const header = webhookHmac(body, 'secret');
    const tampered = Buffer.from(body.toString().replace('"available":3', '"available":300'));
    expect(verifyWebhookHmac(tampered, header, ['secret'])).toBe(-1);
    expect(verifyWebhookHmac(body, header, ['other'])).toBe(-1);
    expect(verifyWebhookHmac(body, 'not base64 at all', ['secret'])).toBe(-1);
    expect(verifyWebhookHmac(body, header.slice(0, 10), ['secret'])).toBe(-1);
    expect(verifyWebhookHmac(body, undefined, ['secret'])).toBe(-1);
    expect(verifyWebhookHmac(body, header, [])).toBe(-1);
  });
});

describe('parseWebhookHeaders', () => {
  const headers = {
    'X-Shopify-Topic': 'inventory_levels/update',
    'X-Shopify-Hmac-Sha256': 'abc',
    'X-Shopify-Shop-Domain': 'understudy-demo.myshopify.com',
    'X-Shopify-API-Version': '2026-10',
    'X-Shopify-Webhook-Id': 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043',
    'X-Shopify-Event-Id': '98880550-7158-44d4-b7cd-2c97c8a091b5',
    'X-Shopify-Triggered-At': '2026-11-22T15:04:05.123456789Z',
  };

  it('parses case-insensitively into a typed object', () => {
    const result = parseWebhookHeaders(Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])));
    expect(result).toEqual({
      ok: true,
      headers: expect.objectContaining({ topic: 'inventory_levels/update', shopDomain: 'understudy-demo.myshopify.com', apiVersion: '2026-10' }),
    });
  });

  it('names missing and invalid headers', () => {
    const { 'X-Shopify-Webhook-Id': _id, ...rest } = headers;
    const result = parseWebhookHeaders({ ...rest, 'X-Shopify-Shop-Domain': 'evil.example.com' });
    expect(result).toEqual({
      ok: false,
      missing: ['x-shopify-webhook-id'],
      invalid: [expect.objectContaining({ header: 'x-shopify-shop-domain' })],
    });
  });
});

describe('resource keys and ids', () => {
  it('keys inventory levels by inventory item and products by product', () => {
    expect(resourceKeyFor('inventory_levels/update', JSON.parse(body.toString()))).toEqual({ ok: true, key: '42' });
    expect(resourceKeyFor('products/update', { id: 9, title: 't', updated_at: '2026-11-22T10:00:00Z', variants: [] })).toEqual({ ok: true, key: '9' });
    expect(resourceKeyFor('inventory_levels/update', { location_id: 1 })).toMatchObject({ ok: false });
  });

  it('parses numeric ids and GIDs of the expected type only', () => {
    expect(parseId('gid://shopify/ProductVariant/123', 'ProductVariant')).toBe('123');
    expect(parseId('gid://shopify/Product/123', 'ProductVariant')).toBeUndefined();
    expect(parseId(123)).toBe('123');
    expect(parseId('0')).toBeUndefined();
    expect(parseId(-5)).toBeUndefined();
    expect(parseId('12abc')).toBeUndefined();
    // Ids are positive int8s: one past the range is not an id.
    expect(parseId('9223372036854775807')).toBe('9223372036854775807');
    expect(parseId('9223372036854775808')).toBeUndefined();
    expect(parseId('gid://shopify/ProductVariant/99999999999999999999', 'ProductVariant')).toBeUndefined();
    expect(toGid('InventoryItem', 5)).toBe('gid://shopify/InventoryItem/5');
  });
});
