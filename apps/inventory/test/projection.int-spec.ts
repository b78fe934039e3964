import { randomUUID } from 'node:crypto';
import { createKafka, deadLetterTopic, DLQ_HEADERS, encodeEnvelope, type EventEnvelope, EventPublisher, readMessages } from '@understudy/messaging';
import { createTestTopics, deleteTestTopics, metricValue, testEnv, type TestDatabase, uniqueName, waitFor } from '@understudy/testing';
import {
  at,
  call,
  deadlocks,
  inventoryEnv,
  kafkaKey,
  migratedDatabase,
  query,
  type RunningInventory,
  shopify,
  startInventory,
} from './support/inventory';

/** Fisher–Yates with a seeded generator, so a failure can be replayed. */
function shuffle<T>(items: T[], seed = 42): T[] {
  const result = [...items];
  let state = seed;
  const random = () => ((state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  for (let i = result.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [result[i], result[j]] = [result[j]!, result[i]!];
  }
  return result;
}

describe('inventory projection from Kafka into PostgreSQL', () => {
  const kafka = createKafka({ brokers: testEnv().kafkaBrokers, clientId: uniqueName('inventory-it') });
  const topics = {
    levels: uniqueName('it.inventory.levels'),
    products: uniqueName('it.inventory.products'),
    items: uniqueName('it.inventory.items'),
  };
  const allTopics = Object.values(topics).flatMap((topic) => [topic, deadLetterTopic(topic)]);
  const groupId = uniqueName('inventory');
  let publisher: EventPublisher;
  let database: TestDatabase;
  let inventory: RunningInventory | undefined;

  const publish = (topic: string, events: EventEnvelope[]) =>
    publisher.publish(
      topic,
      events.map((event) => ({ key: kafkaKey(event), value: encodeEnvelope(event) })),
    );
  const level = async (item: number, location: number) => {
    const [row] = await query<{ available: number | null; updated_at: Date }>(
      database.url,
      'SELECT available, updated_at FROM inventory_levels WHERE inventory_item_id = $1 AND location_id = $2',
      [item, location],
    );
    return row;
  };
  const processed = async (eventIds: string[]) => {
    const [row] = await query<{ n: string }>(database.url, 'SELECT count(*) AS n FROM processed_events WHERE event_id = ANY($1)', [eventIds]);
    return Number(row!.n);
  };

  beforeAll(async () => {
    await createTestTopics(kafka, allTopics, 3);
    publisher = new EventPublisher(kafka);
    await publisher.connect();
    database = await migratedDatabase();
    inventory = await startInventory(
      inventoryEnv(database.url, {
        PROJECTION_ENABLED: 'true',
        PROJECTION_GROUP_ID: groupId,
        PROJECTION_TOPICS: Object.values(topics).join(','),
        PROJECTION_CHUNK_SIZE: '100',
      }),
    );
  });

  afterAll(async () => {
    await inventory?.stop();
    await publisher?.close();
    await database?.drop();
    await deleteTestTopics(kafka, allTopics);
  });

  it('projects variants, tracked flags and per-location levels from the three topics into availability', async () => {
    await publish(topics.products, [shopify.product(300, [[3001, 7001], [3002, 7002]], at(0))]);
    await publish(topics.items, [shopify.item(7002, false, at(0))]);
    await publish(topics.levels, [shopify.level(7001, 1, 4, at(1)), shopify.level(7001, 2, 6, at(1)), shopify.level(7002, 1, 0, at(1))]);

    const availability = await waitFor(
      async () => {
        const answer = await call<{ onHand: number; locations: unknown[] }>(inventory!.url, 'GET', '/v1/variants/3001/availability');
        return answer.status === 200 && answer.body.locations.length === 2 ? answer.body : undefined;
      },
      { timeoutMs: 30_000, what: 'variant 3001 to be projected' },
    );
    expect(availability).toMatchObject({
      inventoryItemId: '7001',
      onHand: 10,
      availableQuantity: 10,
      locations: [
        { locationId: '1', available: 4 },
        { locationId: '2', available: 6 },
      ],
    });
    await waitFor(async () => (await call<{ tracked: boolean }>(inventory!.url, 'GET', '/v1/variants/3002/availability')).body.tracked === false, {
      what: 'item 7002 to be untracked',
    });
    const untracked = await call(inventory!.url, 'POST', '/v1/check', { variantId: 3002, quantity: 50 });
    expect(untracked.body).toMatchObject({ available: true, availableQuantity: null });
  });

  it("converges to Shopify's newest state from shuffled and duplicated events, counting what it skipped", async () => {
    const items = Array.from({ length: 30 }, (_, i) => 7100 + i);
    const versions = 10;
    const events: EventEnvelope[] = [];
    for (const item of items) {
      for (const location of [1, 2]) {
        for (let v = 1; v <= versions; v++) events.push(shopify.level(item, location, item + location * 100 + v, at(100 + v)));
      }
    }
    // Every fourth event delivered twice (Shopify retries; webhook-ingest's dedup may miss some).
    const duplicates = events.filter((_, i) => i % 4 === 0);
    const before = {
      applied: await metricValue(inventory!.url, 'understudy_events_applied_total', { topic: topics.levels, result: 'applied' }),
      stale: await metricValue(inventory!.url, 'understudy_events_applied_total', { topic: topics.levels, result: 'stale' }),
      duplicate: await metricValue(inventory!.url, 'understudy_events_applied_total', { topic: topics.levels, result: 'duplicate' }),
    };
    // Published in several batches so they land in several chunks, the way a real stream arrives.
    const stream = shuffle([...events, ...duplicates]);
    for (let i = 0; i < stream.length; i += 50) await publish(topics.levels, stream.slice(i, i + 50));

    const eventIds = events.map((event) => event.eventId);
    await waitFor(async () => (await processed(eventIds)) === events.length, { timeoutMs: 60_000, what: 'every event to be processed' });
    const total = events.length + duplicates.length;
    await waitFor(
      async () => {
        const seen = await Promise.all(
          (['applied', 'stale', 'duplicate'] as const).map((result) =>
            metricValue(inventory!.url, 'understudy_events_applied_total', { topic: topics.levels, result }),
          ),
        );
        return seen.reduce((a, b) => a + b, 0) - before.applied - before.stale - before.duplicate === total;
      },
      { what: 'every delivery to be counted' },
    );

    for (const item of items) {
      for (const location of [1, 2]) {
        expect(await level(item, location)).toEqual({ available: item + location * 100 + versions, updated_at: new Date(at(100 + versions)) });
      }
    }
    const stock = await query<{ inventory_item_id: string; on_hand: string }>(
      database.url,
      'SELECT inventory_item_id, on_hand FROM stock WHERE inventory_item_id = ANY($1::int8[]) ORDER BY inventory_item_id',
      [items],
    );
    expect(stock.map((row) => Number(row.on_hand))).toEqual(items.map((item) => 2 * item + 300 + 2 * versions));
    const after = {
      applied: await metricValue(inventory!.url, 'understudy_events_applied_total', { topic: topics.levels, result: 'applied' }),
      duplicate: await metricValue(inventory!.url, 'understudy_events_applied_total', { topic: topics.levels, result: 'duplicate' }),
    };
    expect(after.duplicate - before.duplicate).toBe(duplicates.length);
    expect(after.applied - before.applied).toBeGreaterThanOrEqual(items.length * 2);
    expect(after.applied - before.applied).toBeLessThan(events.length);
  });

  it('ends concurrent bursts of updates for one variant with the newest value and zero deadlocks', async () => {
    const item = 7200;
    await publish(topics.products, [shopify.product(320, [[3200, item]], at(0))]);
    const burst = Array.from({ length: 1_500 }, (_, i) => shopify.level(item, 1 + (i % 3), 1_000 + i, at(200 + Math.floor(i / 3)), { triggeredAt: at(200 + i / 1_000) }));
    const newest = (location: number) => burst.filter((event) => (event.payload['location_id'] as number) === location).at(-1)!;
    const deadlocksBefore = await deadlocks(database.url);

    // Through Kafka: the same burst, shuffled, published by concurrent producers calls.
    const viaKafka = Promise.all(shuffle(burst, 7).reduce<EventEnvelope[][]>((chunks, event, i) => {
      (chunks[i % 10] ??= []).push(event);
      return chunks;
    }, []).map((chunk) => publish(topics.levels, chunk)));
    // And straight into the projection from eight concurrent "consumers" holding overlapping,
    // differently ordered copies — what zombie members look like during a rebalance.
    const direct = Array.from({ length: 8 }, async (_, worker) => {
      const copy = shuffle(burst.map((event) => ({ ...event, eventId: `${event.eventId}-w${worker % 4}` })), worker + 1);
      for (let i = 0; i < copy.length; i += 100) {
        await inventory!.projection.handle(copy.slice(i, i + 100).map((event, n) => ({
          topic: 'direct', partition: 0, offset: String(i + n), key: String(item), value: encodeEnvelope(event), headers: {}, timestamp: Date.now(),
        })));
      }
    });
    // Meanwhile checkout keeps reserving and releasing the same variant.
    const checkout = Array.from({ length: 60 }, async (_, i) => {
      const answer = await call<{ id: string }>(inventory!.url, 'POST', '/v1/reservations', { cartToken: `burst-${i}`, lines: [{ variantId: 3200, quantity: 1 }] }, {
        'idempotency-key': randomUUID(),
      });
      expect([201, 404, 409]).toContain(answer.status);
      if (answer.status === 201) expect((await call(inventory!.url, 'DELETE', `/v1/reservations/${answer.body.id}`)).status).toBe(200);
    });
    await Promise.all([viaKafka, ...direct, ...checkout]);

    await waitFor(async () => (await processed(burst.map((event) => event.eventId))) === burst.length, {
      timeoutMs: 60_000,
      what: 'the Kafka burst to be processed',
    });
    for (const location of [1, 2, 3]) {
      const expected = newest(location);
      expect(await level(item, location)).toEqual({ available: expected.payload['available'], updated_at: new Date(expected.payload['updated_at'] as string) });
    }
    const [stock] = await query<{ on_hand: string; reserved: string }>(database.url, 'SELECT on_hand, reserved FROM stock WHERE inventory_item_id = $1', [item]);
    expect(Number(stock!.on_hand)).toBe([1, 2, 3].reduce((sum, location) => sum + (newest(location).payload['available'] as number), 0));
    expect(Number(stock!.reserved)).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 1_000)); // statistics flush
    expect(await deadlocks(database.url)).toBe(deadlocksBefore);
  });

  it('dead-letters poison messages with the reason while the messages after them still apply', async () => {
    const item = 7300;
    const before = await metricValue(inventory!.url, 'understudy_events_applied_total', { topic: topics.levels, result: 'failed' });
    const good1 = shopify.level(item, 1, 1, at(300));
    const badPayload = shopify.level(item, 1, 2, at(301));
    badPayload.payload['available'] = 'two';
    const good2 = shopify.level(item, 1, 3, at(302));
    await publisher.publish(topics.levels, [
      { key: String(item), value: encodeEnvelope(good1) },
      { key: String(item), value: '{"this is": not json' },
      { key: String(item), value: JSON.stringify(badPayload) },
      { key: String(item), value: encodeEnvelope(good2) },
    ]);
    await waitFor(async () => (await level(item, 1))?.available === 3, { timeoutMs: 30_000, what: 'the message after the poison to apply' });

    const dead = await readMessages(kafka, deadLetterTopic(topics.levels), 2);
    expect(dead.map((message) => message.headers[DLQ_HEADERS.reason])).toEqual([
      expect.stringContaining('not JSON'),
      expect.stringMatching(/payload\.available/),
    ]);
    expect(dead.every((message) => message.key === String(item) && message.headers[DLQ_HEADERS.originalTopic] === topics.levels)).toBe(true);
    await waitFor(
      async () => (await metricValue(inventory!.url, 'understudy_events_applied_total', { topic: topics.levels, result: 'failed' })) - before === 2,
      { what: 'the failures to be counted' },
    );
  });

  it('reports projection lag from triggered-at to commit', async () => {
    const metrics = await (await fetch(`${inventory!.url}/metrics`)).text();
    expect(metrics).toMatch(new RegExp(`understudy_projection_lag_seconds_count\\{[^}]*topic="${topics.levels.replace(/\./g, '\\.')}"`));
  });

  it('leaves its consumer group at once when the service stops', async () => {
    await inventory!.stop();
    inventory = undefined;
    const admin = kafka.admin();
    await admin.connect();
    try {
      const { groups } = await admin.describeGroups([groupId]);
      expect(groups[0]!.members).toEqual([]);
    } finally {
      await admin.disconnect();
    }
  });
});
