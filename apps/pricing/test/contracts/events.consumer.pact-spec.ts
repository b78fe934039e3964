import { MatchersV3, PactV4 } from '@pact-foundation/pact';
import { createDataSource } from '@understudy/database';
import { ProjectionMetrics } from '@understudy/platform';
import { consumedFromPact, envelopeMatching, EVENT_PATTERNS, freshPactDir, messageHandlerUnderTest, settlePact, sqlTransaction } from '@understudy/testing';
import { Client } from 'pg';
import { Registry } from 'prom-client';
import { Database } from '../../src/database/database';
import { migrations } from '../../src/migrations';
import { ProjectionService } from '../../src/projection/projection.service';
import { migratedDatabase } from '../support/pricing';

/**
 * pricing ← Kafka (V4 asynchronous messages): the product events pricing's
 * projection consumes — webhook-ingest's `products/update` (each variant's
 * base price) and the reconciler's `reconcile/products` facts. Each message
 * goes through the real handler behind the transport (ProjectionService.handle:
 * decodePricingEvent, then the guarded upsert) on a migrated database.
 * The reconciler's product facts carry the variant ↔ item mapping and no
 * prices, so pricing's part of that contract is that they decode (never
 * dead-lettered) and change no price. Its `reconcile/pricing` facts (B2B rows
 * as of a snapshot; Shopify sends no webhooks for them) are the module's only
 * source of B2B pricing: each must write its row, read back here. Its
 * `reconcile/variant_prices` facts correct a base price whose webhook was lost,
 * and its `reconcile/pricing_snapshot` marks (one per partition at the end of a
 * run) confirm that the projection equals Shopify as of the run's snapshot.
 */
const { integer, string, regex, eachLike } = MatchersV3;

const webhookEvents = { dir: freshPactDir() };
const facts = { dir: freshPactDir() };
const fromWebhooks = new PactV4({ consumer: 'pricing', provider: 'webhook-ingest-events', dir: webhookEvents.dir, logLevel: 'warn' });
const fromReconciler = new PactV4({ consumer: 'pricing', provider: 'reconciler-facts', dir: facts.dir, logLevel: 'warn' });

const TRIGGERED = '2026-01-01T00:00:00.000Z';
const iso = (example: string) => regex(EVENT_PATTERNS.isoTime, example);
const key = (example: string) => regex(EVENT_PATTERNS.id, example);
/** Shopify's money in a webhook: a decimal string. */
const money = (example: string) => regex('^-?\\d+(\\.\\d+)?$', example);
/** A `reconcile/pricing` fact's partition key: the resource it is about (libs/shopify pricingFactKey). */
const pricingKey = (example: string) => regex('^(price_list|catalog|company_location):[1-9][0-9]{0,18}$', example);

describe('contract: pricing consumes Kafka events (V4 messages)', () => {
  const subject = messageHandlerUnderTest({
    database: migratedDatabase,
    dataSource: (url) => createDataSource({ url, migrations, poolSize: 2 }),
    handler: (dataSource) => new ProjectionService(new Database(dataSource), new ProjectionMetrics(new Registry())),
  });

  beforeEach(() => sqlTransaction(subject.databaseUrl, [['TRUNCATE pricing_variants, pricing_price_lists, pricing_fixed_prices, pricing_snapshot_marks']]));

  const rows = async (query: string) => {
    const client = new Client({ connectionString: subject.databaseUrl });
    await client.connect();
    try {
      return (await client.query(query)).rows as unknown[];
    } finally {
      await client.end();
    }
  };

  const prices = () => rows('SELECT variant_id::text, price::text, compare_at_price::text FROM pricing_variants ORDER BY variant_id');

  it('from webhook-ingest, products/update: each variant’s base price is projected', async () => {
    const payload = {
      id: integer(60010),
      title: string('Contract product'),
      updated_at: iso('2026-01-01T00:00:00Z'),
      variants: eachLike({ id: integer(1601), inventory_item_id: integer(6001), price: money('19.99'), compare_at_price: money('24.99'), updated_at: iso('2026-01-01T00:00:00Z') }),
    };
    await fromWebhooks
      .addAsynchronousInteraction()
      .expectsToReceive('event products/update', (b) =>
        b.withJSONContent(envelopeMatching(MatchersV3, 'products/update', payload, { triggeredAt: TRIGGERED })).withMetadata({ kafkaTopic: 'shopify.products.update', key: key('60010') }),
      )
      .executeTest(async (message) => {
        await subject.handler.handle([consumedFromPact(message)]);
        expect(await prices()).toEqual([{ variant_id: '1601', price: '19.99', compare_at_price: '24.99' }]);
      });
  });

  it('from the reconciler, reconcile/products: decodes, and changes no price (the fact carries none)', async () => {
    const payload = {
      id: integer(60010),
      title: string('Contract product'),
      updated_at: iso('2026-01-01T00:00:00Z'),
      variants: eachLike({ id: integer(1601), inventory_item_id: integer(6001) }),
    };
    await fromReconciler
      .addAsynchronousInteraction()
      .expectsToReceive('event reconcile/products', (b) =>
        b.withJSONContent(envelopeMatching(MatchersV3, 'reconcile/products', payload, { triggeredAt: TRIGGERED })).withMetadata({ kafkaTopic: 'reconcile.products', key: key('60010') }),
      )
      .executeTest(async (message) => {
        await subject.handler.handle([consumedFromPact(message)]);
        expect(await prices()).toEqual([]);
      });
  });

  it('from the reconciler, reconcile/pricing: a fixed price with its quantity breaks is written as of its snapshot', async () => {
    const payload = {
      kind: 'fixed_price',
      price_list_id: key('8001'),
      variant_id: key('1001'),
      price: money('15.00'),
      compare_at_price: money('16.00'),
      quantity_price_breaks: eachLike({ minimum_quantity: integer(10), price: money('14.00') }),
      as_of: iso(TRIGGERED),
    };
    await fromReconciler
      .addAsynchronousInteraction()
      .expectsToReceive('event reconcile/pricing (a fixed price)', (b) =>
        b.withJSONContent(envelopeMatching(MatchersV3, 'reconcile/pricing', payload, { triggeredAt: TRIGGERED })).withMetadata({ kafkaTopic: 'reconcile.pricing', key: pricingKey('price_list:8001') }),
      )
      .executeTest(async (message) => {
        await subject.handler.handle([consumedFromPact(message)]);
        expect(
          await rows(`SELECT price_list_id::text, variant_id::text, price::text, compare_at_price::text, breaks, deleted, as_of = '${TRIGGERED}'::timestamptz AS as_of FROM pricing_fixed_prices`),
        ).toEqual([{ price_list_id: '8001', variant_id: '1001', price: '15.00', compare_at_price: '16.00', breaks: [{ minimumQuantity: 10, price: '14.00' }], deleted: false, as_of: true }]);
      });
  });

  it('from the reconciler, reconcile/pricing: a price list with its parent’s adjustment is written as of its snapshot', async () => {
    const payload = {
      kind: 'price_list',
      price_list_id: key('8001'),
      currency: regex('^[A-Z]{3}$', 'USD'),
      adjustment: { type: regex('^PERCENTAGE_(DECREASE|INCREASE)$', 'PERCENTAGE_DECREASE'), value: money('10') },
      compare_at_mode: regex('^(ADJUSTED|NULLIFY)$', 'ADJUSTED'),
      as_of: iso(TRIGGERED),
    };
    await fromReconciler
      .addAsynchronousInteraction()
      .expectsToReceive('event reconcile/pricing (a price list)', (b) =>
        b.withJSONContent(envelopeMatching(MatchersV3, 'reconcile/pricing', payload, { triggeredAt: TRIGGERED })).withMetadata({ kafkaTopic: 'reconcile.pricing', key: pricingKey('price_list:8001') }),
      )
      .executeTest(async (message) => {
        await subject.handler.handle([consumedFromPact(message)]);
        expect(
          await rows(
            `SELECT price_list_id::text, currency, adjustment_type, adjustment_value::text, compare_at_mode, deleted, as_of = '${TRIGGERED}'::timestamptz AS as_of FROM pricing_price_lists`,
          ),
        ).toEqual([{ price_list_id: '8001', currency: 'USD', adjustment_type: 'PERCENTAGE_DECREASE', adjustment_value: '10', compare_at_mode: 'ADJUSTED', deleted: false, as_of: true }]);
      });
  });

  it('from the reconciler, reconcile/variant_prices: a variant’s base price whose webhook was lost is written', async () => {
    const payload = {
      id: key('1601'),
      product_id: key('60010'),
      price: money('21.50'),
      compare_at_price: money('25.00'),
      updated_at: iso(TRIGGERED),
    };
    await fromReconciler
      .addAsynchronousInteraction()
      .expectsToReceive('event reconcile/variant_prices', (b) =>
        b.withJSONContent(envelopeMatching(MatchersV3, 'reconcile/variant_prices', payload, { triggeredAt: TRIGGERED })).withMetadata({ kafkaTopic: 'reconcile.variant_prices', key: key('60010') }),
      )
      .executeTest(async (message) => {
        await subject.handler.handle([consumedFromPact(message)]);
        expect(await prices()).toEqual([{ variant_id: '1601', price: '21.50', compare_at_price: '25.00' }]);
      });
  });

  it('from the reconciler, reconcile/pricing_snapshot: a run’s end mark on every partition confirms the projection as of its snapshot', async () => {
    // The reconciler sends one mark per partition of reconcile.pricing, each by partition number; a
    // one-partition topic is the contract's example (consumedFromPact delivers on partition 0).
    const payload = { as_of: iso(TRIGGERED), partitions: integer(1) };
    await fromReconciler
      .addAsynchronousInteraction()
      .expectsToReceive('event reconcile/pricing_snapshot', (b) =>
        b.withJSONContent(envelopeMatching(MatchersV3, 'reconcile/pricing_snapshot', payload, { triggeredAt: TRIGGERED })).withMetadata({ kafkaTopic: 'reconcile.pricing', key: 'snapshot' }),
      )
      .executeTest(async (message) => {
        await subject.handler.handle([consumedFromPact(message)]);
        expect(await rows(`SELECT as_of = '${TRIGGERED}'::timestamptz AS confirmed FROM pricing_confirmed_snapshot`)).toEqual([{ confirmed: true }]);
      });
  });

  // Last: every interaction above has been written to the fresh pacts by now.
  it('pacts/pricing-webhook-ingest-events.json and pacts/pricing-reconciler-facts.json are the pacts these tests generate', () => {
    expect(settlePact(webhookEvents.dir, 'pricing', 'webhook-ingest-events')).toBeUndefined();
    expect(settlePact(facts.dir, 'pricing', 'reconciler-facts')).toBeUndefined();
  });
});
