import { createKafka, deadLetterTopic, encodeEnvelope, EventPublisher } from '@understudy/messaging';
import { createTestTopics, deleteTestTopics, freePort, metricValue, TcpProxy, testEnv, type TestDatabase, uniqueName, waitFor } from '@understudy/testing';
import { call, inventoryEnv, kafkaKey, migratedDatabase, query, type RunningInventory, shopify, startInventory } from './support/inventory';

/**
 * PostgreSQL goes away under the projection (a proxy between inventory and the
 * shared server resets every connection and refuses new ones): valid events
 * wait, retried without limit — far past PROJECTION_MAX_ATTEMPTS — and are all
 * applied when it returns; none is dead-lettered. Readiness follows what the HTTP API needs.
 */
describe('inventory through a PostgreSQL outage', () => {
  const kafka = createKafka({ brokers: testEnv().kafkaBrokers, clientId: uniqueName('inventory-outage') });
  const topic = uniqueName('it.inventory.outage');
  let publisher: EventPublisher;
  let database: TestDatabase;
  let proxy: TcpProxy;
  let inventory: RunningInventory;

  beforeAll(async () => {
    database = await migratedDatabase();
    const target = new URL(database.url);
    proxy = await TcpProxy.start(target.hostname, Number(target.port || 5432));
    await createTestTopics(kafka, [topic, deadLetterTopic(topic)], 2);
    publisher = new EventPublisher(kafka);
    inventory = await startInventory(
      inventoryEnv(proxy.url(database.url), {
        PROJECTION_ENABLED: 'true',
        PROJECTION_TOPICS: topic,
        PROJECTION_GROUP_ID: uniqueName('inventory-outage'),
        // Low, to show that an outage does not use up this budget.
        PROJECTION_MAX_ATTEMPTS: '2',
        DATABASE_POOL_SIZE: '4',
      }),
    );
  });

  afterAll(async () => {
    proxy?.restore();
    await inventory?.stop();
    await publisher?.close();
    await proxy?.stop();
    await deleteTestTopics(kafka, [topic, deadLetterTopic(topic)]);
    await database?.drop();
  });

  const ready = () => call<{ info?: Record<string, { status: string; degraded?: boolean }>; error?: { details?: { error?: Record<string, unknown> } } }>(inventory.url, 'GET', '/health/ready');

  it('retries valid events without limit while PostgreSQL is down and applies every one when it returns', async () => {
    const healthy = async () => {
      const answer = await ready();
      const projection = answer.body.info?.['projection'];
      return answer.status === 200 && projection?.status === 'up' && !projection.degraded;
    };
    await waitFor(healthy, { timeoutMs: 60_000, what: 'the projection consumer to join' });
    proxy.cut();
    const events = Array.from({ length: 20 }, (_, i) => shopify.level(8_800_000 + i, 1, i, new Date().toISOString()));
    await publisher.publish(
      topic,
      events.map((event) => ({ key: kafkaKey(event), value: encodeEnvelope(event) })),
    );

    // Failing far more often than PROJECTION_MAX_ATTEMPTS, and never dead-lettering.
    await waitFor(async () => (await metricValue(inventory.url, 'understudy_consumer_retries_total', { kind: 'transient' })) >= 6, {
      timeoutMs: 90_000,
      what: 'the consumer to retry through the outage',
    });
    const during = await ready();
    // The HTTP API needs PostgreSQL: not ready. The consumer is reported, blocked, with its reason.
    expect(during.status).toBe(503);
    expect(await metricValue(inventory.url, 'understudy_consumer_blocked_partitions', {})).toBeGreaterThan(0);
    expect(await metricValue(inventory.url, 'understudy_consumer_dead_letters_total', {})).toBe(0);

    proxy.restore();
    await waitFor(
      async () => {
        const [row] = await query<{ n: string }>(database.url, 'SELECT count(*) AS n FROM inventory_levels WHERE inventory_item_id >= 8800000 AND inventory_item_id < 8800020');
        return Number(row!.n) === events.length;
      },
      { timeoutMs: 90_000, what: 'every event to be applied once PostgreSQL is back' },
    );
    expect(await metricValue(inventory.url, 'understudy_consumer_dead_letters_total', {})).toBe(0);
    expect(await metricValue(inventory.url, 'understudy_events_applied_total', { result: 'failed' })).toBe(0);
    await waitFor(healthy, { timeoutMs: 30_000, what: 'readiness and the consumer to be healthy again' });
    expect(await metricValue(inventory.url, 'understudy_consumer_blocked_partitions', {})).toBe(0);
  });
});

describe('inventory without Kafka', () => {
  let database: TestDatabase;
  let inventory: RunningInventory;

  beforeAll(async () => {
    database = await migratedDatabase();
    // Nothing listens there: the broker is down for the whole test.
    inventory = await startInventory(inventoryEnv(database.url, { KAFKA_BROKERS: `127.0.0.1:${await freePort()}`, PROJECTION_ENABLED: 'true' }));
  });

  afterAll(async () => {
    await inventory?.stop();
    await database?.drop();
  });

  it('stays ready for checks and reservations, and reports Kafka and the consumer as degraded', async () => {
    const answer = await waitFor(
      async () => {
        const ready = await call<{ status: string; info: Record<string, { status: string; degraded?: boolean; message?: string }> }>(inventory.url, 'GET', '/health/ready');
        return ready.status === 200 && ready.body.info['kafka']?.degraded && ready.body.info['projection']?.degraded ? ready : undefined;
      },
      { timeoutMs: 30_000, what: 'readiness 200 with Kafka and the projection degraded' },
    );
    expect(answer.body.info['postgres']).toEqual({ status: 'up' });
    expect(answer.body.info['projection']!.message).toMatch(/starting/);
    expect(await metricValue(inventory.url, 'understudy_consumer_up', {})).toBe(0);
    const check = await call(inventory.url, 'POST', '/v1/check', { variantId: '123', quantity: 1 });
    expect(check.status).toBe(404);
  });
});
