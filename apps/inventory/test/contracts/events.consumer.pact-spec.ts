import { MatchersV3, PactV4 } from '@pact-foundation/pact';
import { createDataSource } from '@understudy/database';
import { ProjectionMetrics } from '@understudy/platform';
import { consumedFromPact, envelopeMatching, EVENT_PATTERNS, freshPactDir, messageHandlerUnderTest, settlePact } from '@understudy/testing';
import { Registry } from 'prom-client';
import { Database } from '../../src/database/database';
import { migrations } from '../../src/migrations';
import { ProjectionService } from '../../src/projection/projection.service';
import { migratedDatabase, query } from '../support/inventory';

/**
 * inventory ← Kafka (V4 asynchronous messages): the events inventory's
 * projection consumes from webhook-ingest (`shopify.*`) and from the
 * reconciler (`reconcile.*` facts). Each message Pact hands the test goes
 * through the real handler behind the transport — ProjectionService.handle
 * (decodeInventoryEvent, then the guarded upserts) — on a migrated database,
 * and the row it must write is read back. Matched: the envelope fields and the
 * payload fields the decoder reads, by type and format.
 */
const { integer, boolean, string, regex, eachLike } = MatchersV3;

const webhookEvents = { dir: freshPactDir() };
const facts = { dir: freshPactDir() };
const fromWebhooks = new PactV4({ consumer: 'inventory', provider: 'webhook-ingest-events', dir: webhookEvents.dir, logLevel: 'warn' });
const fromReconciler = new PactV4({ consumer: 'inventory', provider: 'reconciler-facts', dir: facts.dir, logLevel: 'warn' });

const TRIGGERED = '2026-01-01T00:00:00.000Z';
const iso = (example: string) => regex(EVENT_PATTERNS.isoTime, example);
const key = (example: string) => regex(EVENT_PATTERNS.id, example);

const levelPayload = { inventory_item_id: integer(6001), location_id: integer(1), available: integer(5), updated_at: iso('2026-01-01T00:00:00Z') };
const itemPayload = { id: integer(6001), sku: string('SKU-6001'), tracked: boolean(true), updated_at: iso('2026-01-01T00:00:00Z') };
const productPayload = {
  id: integer(60010),
  title: string('Contract product'),
  updated_at: iso('2026-01-01T00:00:00Z'),
  variants: eachLike({ id: integer(1601), inventory_item_id: integer(6001) }),
};

describe('contract: inventory consumes Kafka events (V4 messages)', () => {
  const subject = messageHandlerUnderTest({
    database: migratedDatabase,
    dataSource: (url) => createDataSource({ url, migrations, poolSize: 2 }),
    handler: (dataSource) => new ProjectionService(new Database(dataSource), new ProjectionMetrics(new Registry())),
  });

  beforeEach(() => query(subject.databaseUrl, 'TRUNCATE inventory_levels, inventory_items, variants, products, stock, processed_events'));

  const levelRow = async () =>
    (await query<{ available: number | null }>(subject.databaseUrl, 'SELECT available FROM inventory_levels WHERE inventory_item_id = 6001 AND location_id = 1'))[0];
  const itemRow = async () => (await query<{ tracked: boolean; sku: string | null }>(subject.databaseUrl, 'SELECT tracked, sku FROM inventory_items WHERE inventory_item_id = 6001'))[0];
  const variantRows = async () => query<{ variant_id: string; inventory_item_id: string }>(subject.databaseUrl, 'SELECT variant_id::text, inventory_item_id::text FROM variants WHERE product_id = 60010');

  for (const [pact, source, topicOf, kafkaTopicOf] of [
    [fromWebhooks, 'webhook-ingest', (resource: string) => `${resource}/update`, (resource: string) => `shopify.${resource}.update`],
    [fromReconciler, 'the reconciler', (resource: string) => `reconcile/${resource}`, (resource: string) => `reconcile.${resource}`],
  ] as const) {
    describe(`from ${source}`, () => {
      it(`${topicOf('inventory_levels')}: the level is projected`, async () => {
        await pact
          .addAsynchronousInteraction()
          .expectsToReceive(`event ${topicOf('inventory_levels')}`, (b) =>
            b
              .withJSONContent(envelopeMatching(MatchersV3, topicOf('inventory_levels'), levelPayload, { triggeredAt: TRIGGERED }))
              .withMetadata({ kafkaTopic: kafkaTopicOf('inventory_levels'), key: key('6001') }),
          )
          .executeTest(async (message) => {
            await subject.handler.handle([consumedFromPact(message)]);
            expect(await levelRow()).toEqual({ available: 5 });
          });
      });

      it(`${topicOf('inventory_items')}: the item is projected`, async () => {
        await pact
          .addAsynchronousInteraction()
          .expectsToReceive(`event ${topicOf('inventory_items')}`, (b) =>
            b
              .withJSONContent(envelopeMatching(MatchersV3, topicOf('inventory_items'), itemPayload, { triggeredAt: TRIGGERED }))
              .withMetadata({ kafkaTopic: kafkaTopicOf('inventory_items'), key: key('6001') }),
          )
          .executeTest(async (message) => {
            await subject.handler.handle([consumedFromPact(message)]);
            expect(await itemRow()).toEqual({ tracked: true, sku: 'SKU-6001' });
          });
      });

      it(`${topicOf('products')}: the variant ↔ item mapping is projected`, async () => {
        await pact
          .addAsynchronousInteraction()
          .expectsToReceive(`event ${topicOf('products')}`, (b) =>
            b
              .withJSONContent(envelopeMatching(MatchersV3, topicOf('products'), productPayload, { triggeredAt: TRIGGERED }))
              .withMetadata({ kafkaTopic: kafkaTopicOf('products'), key: key('60010') }),
          )
          .executeTest(async (message) => {
            await subject.handler.handle([consumedFromPact(message)]);
            expect(await variantRows()).toEqual([{ variant_id: '1601', inventory_item_id: '6001' }]);
          });
      });
    });
  }

  // Last: every interaction above has been written to the fresh pacts by now.
  it('pacts/inventory-webhook-ingest-events.json and pacts/inventory-reconciler-facts.json are the pacts these tests generate', () => {
    expect(settlePact(webhookEvents.dir, 'inventory', 'webhook-ingest-events')).toBeUndefined();
    expect(settlePact(facts.dir, 'inventory', 'reconciler-facts')).toBeUndefined();
  });
});
