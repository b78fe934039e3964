import { MatchersV3, PactV4 } from '@pact-foundation/pact';
import { createDataSource, type DataSource } from '@understudy/database';
import { consumedFromPact, envelopeMatching, EVENT_PATTERNS, freshPactDir, settlePact, sqlTransaction, type TestDatabase } from '@understudy/testing';
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
 * dead-lettered) and change no price; `reconcile/pricing` facts are not
 * published by the reconciler yet, so they have no pact.
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

describe('contract: pricing consumes Kafka events (V4 messages)', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let projection: ProjectionService;

  beforeAll(async () => {
    database = await migratedDatabase();
    dataSource = createDataSource({ url: database.url, migrations, poolSize: 2 });
    await dataSource.initialize();
    projection = new ProjectionService(new Database(dataSource), new Registry());
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  beforeEach(() => sqlTransaction(database.url, [['TRUNCATE pricing_variants']]));

  const prices = async () => {
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      return (await client.query('SELECT variant_id::text, price::text, compare_at_price::text FROM pricing_variants ORDER BY variant_id')).rows as unknown[];
    } finally {
      await client.end();
    }
  };

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
        await projection.handle([consumedFromPact(message)]);
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
        await projection.handle([consumedFromPact(message)]);
        expect(await prices()).toEqual([]);
      });
  });

  // Last: every interaction above has been written to the fresh pacts by now.
  it('pacts/pricing-webhook-ingest-events.json and pacts/pricing-reconciler-facts.json are the pacts these tests generate', () => {
    expect(settlePact(webhookEvents.dir, 'pricing', 'webhook-ingest-events')).toBeUndefined();
    expect(settlePact(facts.dir, 'pricing', 'reconciler-facts')).toBeUndefined();
  });
});
