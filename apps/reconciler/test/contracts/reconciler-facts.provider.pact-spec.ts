import path from 'node:path';
import { MessageProviderPact } from '@pact-foundation/pact';
import type { EventPublisher, OutgoingMessage } from '@understudy/messaging';
import { PACTS_DIR, pactMessageFrom, retypeField, withOneInteraction } from '@understudy/testing';
import { fixedPriceFact } from '@understudy/shopify';
import { factsFromItemObject, factsFromProductObject } from '../../src/domains/inventory/facts';
import { factsFromBulkObject, pricingFact, variantPriceFact } from '../../src/domains/pricing/facts';
import type { ShopifyFact } from '../../src/domains/domain';
import { FactPublisher } from '../../src/reconcile/fact-publisher';

/**
 * Provider verification of the reconciler's facts (`reconcile.*`, provider
 * `reconciler-facts`) against every consumer's message pact in pacts/
 * (docs/contracts.md). Each message is what the reconciler's real code makes
 * of Shopify's answers: the inventory domain's fact builders
 * (factsFromProductObject, factsFromItemObject), the pricing domain's
 * (factsFromBulkObject for a bulk price list; pricingFact(fixedPriceFact(…))
 * for a paged fixed price, as PricingDomain.pagedFacts does; variantPriceFact for a base
 * price), then FactPublisher (the
 * registry's topic and partition key, the envelope, the run's event id, the
 * snapshot's as-of time as triggeredAt) — and FactPublisher.markSnapshot for
 * a run's end marks. Only the transport is replaced: the publisher FactPublisher
 * hands its messages to records them (and says the topic has one partition).
 */
const PACTS = ['inventory-reconciler-facts.json', 'pricing-reconciler-facts.json'].map((file) => path.join(PACTS_DIR, file));

const SHOP = 'contract-shop.myshopify.com';
const AS_OF = '2026-01-01T00:00:00.000Z';

/** The Kafka messages FactPublisher publishes for these facts. */
async function published(send: (publisher: FactPublisher) => Promise<unknown>): Promise<Array<{ topic: string } & OutgoingMessage>> {
  const sent: Array<{ topic: string } & OutgoingMessage> = [];
  const transport = {
    publish: async (topic: string, messages: OutgoingMessage[]) => void sent.push(...messages.map((message) => ({ topic, ...message }))),
    // A one-partition topic: the consumers' example for the per-partition snapshot marks.
    partitionCount: async () => 1,
  };
  await send(new FactPublisher(transport as unknown as EventPublisher, SHOP, '2026-10'));
  return sent;
}

/** The one message on `topic` among those published for `facts`. */
const factMessage = (facts: ShopifyFact[], topic: string) => onlyMessage((publisher) => publisher.publish('run-contract-1', AS_OF, facts), topic);

/** The one message on `topic` among those `send` publishes. */
async function onlyMessage(send: (publisher: FactPublisher) => Promise<unknown>, topic: string) {
  const [message, ...more] = (await published(send)).filter((sent) => sent.topic === topic);
  if (!message || more.length > 0) throw new Error(`expected one message on ${topic}`);
  const value = Buffer.isBuffer(message.value) ? message.value : Buffer.from(message.value);
  return pactMessageFrom({ kafkaTopic: message.topic, kafkaKey: message.key, headers: message.headers ?? {}, envelope: value });
}

/** Shopify's bulk export objects (an inventory item with one level, a product with one variant). */
const item = () =>
  factsFromItemObject({
    id: 'gid://shopify/InventoryItem/6001',
    sku: 'SKU-6001',
    tracked: true,
    updatedAt: '2026-01-01T00:00:00Z',
    __children: [{ updatedAt: '2026-01-01T00:00:00Z', location: { id: 'gid://shopify/Location/1' }, quantities: [{ name: 'available', quantity: 5 }] }],
  });
const product = () =>
  factsFromProductObject({
    id: 'gid://shopify/Product/60010',
    title: 'Contract product',
    updatedAt: '2026-01-01T00:00:00Z',
    __children: [{ id: 'gid://shopify/ProductVariant/1601', inventoryItem: { id: 'gid://shopify/InventoryItem/6001' } }],
  });

/** Shopify's B2B pricing: a price list from the bulk export (a parent's 10% decrease), a fixed price from the paged read (with a quantity break). */
const priceList = () =>
  factsFromBulkObject(
    'priceLists',
    { id: 'gid://shopify/PriceList/8001', currency: 'USD', parent: { adjustment: { type: 'PERCENTAGE_DECREASE', value: 10 }, settings: { compareAtMode: 'ADJUSTED' } } },
    AS_OF,
  );
const fixedPrice = () => [
  pricingFact(
    fixedPriceFact(
      '8001',
      {
        variant: { id: 'gid://shopify/ProductVariant/1001' },
        price: { amount: '15.0' },
        compareAtPrice: { amount: '16.0' },
        quantityPriceBreaks: { nodes: [{ minimumQuantity: 10, price: { amount: '14.0' } }] },
      },
      AS_OF,
    ),
  ),
];

const MESSAGES: Record<string, () => Promise<unknown>> = {
  'event reconcile/inventory_levels': () => factMessage(item(), 'reconcile.inventory_levels'),
  'event reconcile/inventory_items': () => factMessage(item(), 'reconcile.inventory_items'),
  'event reconcile/products': () => factMessage(product(), 'reconcile.products'),
  'event reconcile/pricing (a price list)': () => factMessage(priceList(), 'reconcile.pricing'),
  'event reconcile/pricing (a fixed price)': () => factMessage(fixedPrice(), 'reconcile.pricing'),
  'event reconcile/variant_prices': () =>
    factMessage(
      [variantPriceFact({ id: '1601', productId: '60010', price: '21.50', compareAtPrice: '25.00', updatedAt: '2026-01-01T00:00:00Z' })],
      'reconcile.variant_prices',
    ),
  'event reconcile/pricing_snapshot': () => onlyMessage((publisher) => publisher.markSnapshot('run-contract-1', 'reconcile/pricing_snapshot', AS_OF), 'reconcile.pricing'),
};

const verify = (pactUrls: string[]) =>
  new MessageProviderPact({ provider: 'reconciler-facts', pactUrls, logLevel: 'warn', messageProviders: MESSAGES }).verify();

describe('contract: reconciler-facts (message provider) verifies its consumers’ pacts', () => {
  it('honours every message in pacts/ for provider reconciler-facts', async () => {
    await verify(PACTS);
  });

  // Copies of the consumers' pacts expecting a field with another type: what the reconciler publishing it so would look like.
  it.each([
    ['inventory', 'inventory-reconciler-facts.json', 'event reconcile/inventory_levels', ['payload', 'location_id'], '1', /payload\.location_id/],
    ['pricing', 'pricing-reconciler-facts.json', 'event reconcile/products', ['payload', 'variants', 0, 'inventory_item_id'], '6001', /payload\.variants\[0\]\.inventory_item_id/],
    ['pricing', 'pricing-reconciler-facts.json', 'event reconcile/pricing (a fixed price)', ['payload', 'quantity_price_breaks', 0, 'minimum_quantity'], '10', /payload\.quantity_price_breaks\[0\]\.minimum_quantity/],
    ['pricing', 'pricing-reconciler-facts.json', 'event reconcile/pricing_snapshot', ['payload', 'partitions'], '1', /payload\.partitions/],
  ] as const)('fails, with Pact’s mismatch, when %s expects a fact field type the reconciler does not publish (%s, %s)', async (_consumer, file, description, field, value, mismatch) => {
    await withOneInteraction(
      file,
      description,
      (message) => retypeField(message, 'contents', field, value),
      (mutated) => expect(verify([mutated])).rejects.toThrow(mismatch),
    );
  });
});
