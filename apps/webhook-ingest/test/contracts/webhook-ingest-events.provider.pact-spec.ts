import path from 'node:path';
import { MessageProviderPact } from '@pact-foundation/pact';
import { webhookHmac } from '@understudy/shopify';
import { PACTS_DIR, pactMessageFrom, retypeField, withOneInteraction } from '@understudy/testing';
import { webhookMessage } from '../../src/webhooks/envelope';
import { verifyDelivery } from '../../src/webhooks/verify-delivery';

/**
 * Provider verification of webhook-ingest's events (`shopify.*`, provider
 * `webhook-ingest-events`) against every consumer's message pact in pacts/
 * (docs/contracts.md). Each message is what webhook-ingest's real code makes
 * of a signed Shopify delivery: verifyDelivery (signature, headers, shop,
 * payload schema, partition key), then webhookMessage (the registry's topic,
 * the key, the encoded envelope) — the same two functions IngestService runs.
 * Only Shopify's side (the delivery's body and headers) is written here.
 */
const PACTS = ['inventory-webhook-ingest-events.json', 'pricing-webhook-ingest-events.json'].map((file) => path.join(PACTS_DIR, file));

const SECRET = 'contract-webhook-secret';
const SHOP = 'contract-shop.myshopify.com';
const policy = { secrets: [SECRET], shops: new Set([SHOP]) };

/** Shopify's delivery of `body` on `topic`, signed, through webhook-ingest's real verify → message path. */
function delivered(topic: string, body: Record<string, unknown>) {
  const raw = Buffer.from(JSON.stringify(body));
  const verdict = verifyDelivery(raw, {
    'x-shopify-topic': topic,
    'x-shopify-hmac-sha256': webhookHmac(raw, SECRET),
    'x-shopify-shop-domain': SHOP,
    'x-shopify-api-version': '2026-10',
    'x-shopify-webhook-id': `webhook-${topic}`,
    'x-shopify-event-id': `event-${topic}`,
    'x-shopify-triggered-at': '2026-01-01T00:00:00.000Z',
  }, policy);
  if (verdict.kind !== 'accept') throw new Error(`webhook-ingest would not publish this ${topic} delivery: ${JSON.stringify(verdict)}`);
  return pactMessageFrom(webhookMessage(verdict, '', new Date('2026-01-01T00:00:01.000Z')));
}

/** Shopify's webhook bodies (its documented shapes, trimmed to one variant). */
const MESSAGES: Record<string, () => ReturnType<typeof delivered>> = {
  'event inventory_levels/update': () =>
    delivered('inventory_levels/update', {
      inventory_item_id: 6001,
      location_id: 1,
      available: 5,
      updated_at: '2026-01-01T00:00:00-05:00',
      admin_graphql_api_id: 'gid://shopify/InventoryLevel/1?inventory_item_id=6001',
    }),
  'event inventory_items/update': () =>
    delivered('inventory_items/update', {
      id: 6001,
      sku: 'SKU-6001',
      tracked: true,
      requires_shipping: true,
      created_at: '2025-12-01T00:00:00-05:00',
      updated_at: '2026-01-01T00:00:00-05:00',
      admin_graphql_api_id: 'gid://shopify/InventoryItem/6001',
    }),
  'event products/update': () =>
    delivered('products/update', {
      id: 60010,
      title: 'Contract product',
      status: 'active',
      updated_at: '2026-01-01T00:00:00-05:00',
      admin_graphql_api_id: 'gid://shopify/Product/60010',
      variants: [
        {
          id: 1601,
          product_id: 60010,
          inventory_item_id: 6001,
          sku: 'SKU-6001',
          title: 'Default Title',
          price: '19.99',
          compare_at_price: '24.99',
          inventory_management: 'shopify',
          inventory_policy: 'deny',
          updated_at: '2026-01-01T00:00:00-05:00',
          admin_graphql_api_id: 'gid://shopify/ProductVariant/1601',
        },
      ],
    }),
};

const verify = (pactUrls: string[]) =>
  new MessageProviderPact({
    provider: 'webhook-ingest-events',
    pactUrls,
    logLevel: 'warn',
    messageProviders: Object.fromEntries(Object.entries(MESSAGES).map(([description, build]) => [description, () => Promise.resolve(build())])),
  }).verify();

describe('contract: webhook-ingest-events (message provider) verifies its consumers’ pacts', () => {
  it('honours every message in pacts/ for provider webhook-ingest-events', async () => {
    await verify(PACTS);
  });

  // Copies of the consumers' pacts expecting a field with another type: what webhook-ingest publishing it so would look like.
  it.each([
    ['inventory', 'inventory-webhook-ingest-events.json', 'event inventory_levels/update', ['payload', 'available'], '5', /payload\.available/],
    ['pricing', 'pricing-webhook-ingest-events.json', 'event products/update', ['payload', 'variants', 0, 'price'], 19.99, /payload\.variants\[0\]\.price/],
  ] as const)('fails, with Pact’s mismatch, when %s expects an event field type webhook-ingest does not publish', async (_consumer, file, description, field, value, mismatch) => {
    await withOneInteraction(
      file,
      description,
      (message) => retypeField(message, 'contents', field, value),
      (mutated) => expect(verify([mutated])).rejects.toThrow(mismatch),
    );
  });
});
