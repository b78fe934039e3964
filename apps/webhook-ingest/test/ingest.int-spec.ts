import { loadConfig } from '@understudy/config';
import {
  ConsumerRunner,
  createKafka,
  decodeEnvelope,
  deadLetterTopic,
  EventPublisher,
  type EventEnvelope,
} from '@understudy/messaging';
import type { DataSource } from '@understudy/database';
import { createService, DATA_SOURCE, type RunningService } from '@understudy/platform';
import { TOPICS, webhookHmac } from '@understudy/shopify';
import { createTestDatabase, pauseListener, RedisServer, testEnv, type TestDatabase, uniqueName, waitFor } from '@understudy/testing';
import { randomUUID } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { configSchema } from '../src/config';
import { webhookIngestService } from '../src/service';
import { DedupPruner } from '../src/webhooks/dedup-pruner';

const SHOP = 'ingest-test.myshopify.com';
const NEW_SECRET = 'secret-new';
const OLD_SECRET = 'secret-old';
const TOPIC = 'inventory_levels/update';
const KAFKA_TOPIC = TOPICS[TOPIC].kafkaTopic;

interface Delivery {
  webhookId: string;
  body: string;
  headers: Record<string, string>;
}

function delivery({
  itemId = Math.floor(Math.random() * 1e9) + 1,
  available = 5,
  secret = NEW_SECRET,
  webhookId = randomUUID(),
  topic = TOPIC,
  shop = SHOP,
}: { itemId?: number; available?: number; secret?: string; webhookId?: string; topic?: string; shop?: string } = {}): Delivery {
  const body = JSON.stringify({ inventory_item_id: itemId, location_id: 1, available, updated_at: new Date().toISOString() });
  return {
    webhookId,
    body,
    headers: {
      'content-type': 'application/json',
      'x-shopify-topic': topic,
      'x-shopify-hmac-sha256': webhookHmac(body, secret),
      'x-shopify-shop-domain': shop,
      'x-shopify-api-version': '2026-10',
      'x-shopify-webhook-id': webhookId,
      'x-shopify-event-id': randomUUID(),
      'x-shopify-triggered-at': new Date().toISOString(),
    },
  };
}

describe('webhook-ingest on real PostgreSQL, Redis and Kafka', () => {
  let database: TestDatabase;
  let redis: RedisServer;
  let service: RunningService;
  const kafka = createKafka({ brokers: testEnv().kafkaBrokers, clientId: uniqueName('ingest-it') });
  /** Every envelope seen on the ingest topics since the test started, by webhook id. */
  const published = new Map<string, EventEnvelope[]>();
  /** partition:offset of every message read, so a redelivery to this reader (a rebalance) is not taken for a second copy on Kafka. */
  const offsetsRead = new Set<string>();
  const deadLettered = new Map<string, string>();
  let reader: ConsumerRunner;
  let readerPublisher: EventPublisher;

  const post = (d: Delivery, overrides: Partial<{ body: string; headers: Record<string, string> }> = {}) =>
    service.app.getHttpAdapter().getInstance().inject({ method: 'POST', url: '/webhooks/shopify', payload: overrides.body ?? d.body, headers: overrides.headers ?? d.headers });

  /**
   * Instead of sleeping and then asserting that nothing more was published: a fresh webhook for the same
   * inventory item (the same Kafka key, so the same partition, and ingest keeps one resource's order
   * even through its outbox) is sent after the deliveries under test and waited for. Once the reader
   * has it, anything they published has been read too.
   */
  const afterMarkerFor = async (itemId: number) => {
    const marker = delivery({ itemId });
    expect((await post(marker)).json()).toEqual({ status: 'accepted' });
    await waitFor(() => published.get(marker.webhookId), { what: 'the marker webhook' });
  };
  /** Webhooks ingest buffered in its outbox so far (a publish not acknowledged in time). */
  const buffered = async () => {
    const metrics = await service.app.getHttpAdapter().getInstance().inject({ method: 'GET', url: '/metrics' });
    return metrics.body
      .split('\n')
      .filter((line) => line.startsWith('understudy_webhooks_total{') && line.includes('result="buffered"'))
      .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
  };
  /**
   * What the design guarantees for one accepted webhook: one envelope, on Kafka at least once. A second copy
   * exists only when its publish timed out (Kafka took it after all) and it went through the outbox too — the
   * same envelope, which consumers deduplicate by event id. A redelivery answered `duplicate` publishes nothing.
   */
  const expectOneEnvelope = async (d: Delivery, bufferedBefore: number) => {
    const copies = published.get(d.webhookId) ?? [];
    expect(copies.length).toBeGreaterThanOrEqual(1);
    for (const copy of copies) expect(copy).toEqual(copies[0]);
    expect(copies.length - 1).toBeLessThanOrEqual((await buffered()) - bufferedBefore);
  };

  beforeAll(async () => {
    database = await createTestDatabase('ingest');
    redis = await RedisServer.start();
    const env = {
      DATABASE_URL: database.url,
      REDIS_URL: redis.url,
      KAFKA_BROKERS: testEnv().kafkaBrokers.join(','),
      SHOPIFY_WEBHOOK_SECRETS: `${NEW_SECRET},${OLD_SECRET}`,
      SHOPIFY_SHOP: SHOP,
      LOG_LEVEL: 'silent',
      WEBHOOK_MAX_BODY_BYTES: String(64 * 1024),
      KAFKA_PUBLISH_TIMEOUT_MS: '800',
    };
    execFileSync(process.execPath, ['-r', '@swc-node/register', path.join(__dirname, '../src/main.ts'), '--migrate'], { env: { ...process.env, ...env } });
    service = await createService(webhookIngestService(loadConfig(configSchema, env)));
    // Ready, with every dependency really up (not merely tolerated as degraded).
    await waitFor(
      async () => {
        const ready = await service.app.getHttpAdapter().getInstance().inject({ method: 'GET', url: '/health/ready' });
        const info = ready.json().info ?? {};
        return ['postgres', 'redis', 'kafka'].every((name) => info[name]?.status === 'up' && !info[name]?.degraded);
      },
      { what: 'webhook-ingest to be fully ready' },
    );

    readerPublisher = new EventPublisher(kafka);
    reader = new ConsumerRunner(kafka, {
      groupId: uniqueName('ingest-reader'),
      topics: [KAFKA_TOPIC, deadLetterTopic(KAFKA_TOPIC)],
      deadLetters: readerPublisher,
      sessionTimeoutMs: 6_000,
      handler: async (messages) => {
        for (const message of messages) {
          if (message.topic.endsWith('.dlq')) {
            const envelope = JSON.parse(message.value!.toString()) as EventEnvelope;
            deadLettered.set(envelope.webhookId, message.headers['x-dlq-reason'] ?? '');
            continue;
          }
          if (offsetsRead.has(`${message.partition}:${message.offset}`)) continue;
          offsetsRead.add(`${message.partition}:${message.offset}`);
          const envelope = decodeEnvelope(message.value);
          published.set(envelope.webhookId, [...(published.get(envelope.webhookId) ?? []), envelope]);
          expect(message.key).toBe(String((envelope.payload as { inventory_item_id: number }).inventory_item_id));
        }
      },
    });
    await reader.start();
  });

  afterAll(async () => {
    await reader?.stop();
    await readerPublisher?.close();
    await service?.app.close();
    await redis?.stop();
    await database?.drop();
  });

  it('publishes a verified webhook once, keyed by its inventory item, in the envelope; a retry is a duplicate', async () => {
    const bufferedBefore = await buffered();
    const d = delivery({ itemId: 4242 });
    const first = await post(d);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ status: 'accepted' });
    const [envelope] = await waitFor(() => published.get(d.webhookId), { what: 'the envelope on Kafka' });
    expect(envelope).toMatchObject({
      webhookId: d.webhookId,
      eventId: d.headers['x-shopify-event-id'],
      topic: TOPIC,
      shop: SHOP,
      apiVersion: '2026-10',
      payload: { inventory_item_id: 4242, available: 5 },
    });

    const retry = await post(d);
    expect(retry.json()).toEqual({ status: 'duplicate' });
    await afterMarkerFor(4242);
    await expectOneEnvelope(d, bufferedBefore);
  });

  it('accepts one of many concurrent deliveries of a webhook and publishes its one envelope (at least once, never the duplicates)', async () => {
    const bufferedBefore = await buffered();
    const d = delivery({ itemId: 4343 });
    const answers = await Promise.all(Array.from({ length: 25 }, () => post(d)));
    const statuses = answers.map((a) => (a.statusCode === 200 ? a.json().status : a.statusCode));
    expect(statuses.filter((s) => s === 'accepted')).toHaveLength(1);
    expect(statuses.every((s) => s === 'accepted' || s === 'duplicate')).toBe(true);
    await afterMarkerFor(4343);
    await expectOneEnvelope(d, bufferedBefore);
  });

  it('accepts the previous secret during a rotation and rejects one no longer listed', async () => {
    expect((await post(delivery({ secret: OLD_SECRET }))).statusCode).toBe(200);
    expect((await post(delivery({ secret: 'secret-retired' }))).statusCode).toBe(401);
  });

  it('answers every bad delivery with its documented status and publishes none of them', async () => {
    const cases: Array<{ name: string; d: Delivery; status: number; code: string; send?: Partial<{ body: string; headers: Record<string, string> }> }> = [];
    const tampered = delivery();
    cases.push({ name: 'tampered body', d: tampered, status: 401, code: 'UNAUTHORIZED', send: { body: tampered.body.replace('"available":5', '"available":500') } });
    cases.push({ name: 'wrong secret', d: delivery({ secret: 'nope' }), status: 401, code: 'UNAUTHORIZED' });
    const noSignature = delivery();
    const { 'x-shopify-hmac-sha256': _hmac, ...withoutHmac } = noSignature.headers;
    cases.push({ name: 'no signature', d: noSignature, status: 401, code: 'UNAUTHORIZED', send: { headers: withoutHmac } });
    const missing = delivery();
    const { 'x-shopify-triggered-at': _t, ...withoutTriggeredAt } = missing.headers;
    cases.push({ name: 'missing header', d: missing, status: 400, code: 'INVALID_HEADERS', send: { headers: withoutTriggeredAt } });
    cases.push({ name: 'unknown shop', d: delivery({ shop: 'someone-else.myshopify.com' }), status: 401, code: 'UNKNOWN_SHOP' });
    const notJson = delivery();
    cases.push({
      name: 'signed non-JSON body',
      d: notJson,
      status: 400,
      code: 'INVALID_JSON',
      send: { body: '{not json', headers: { ...notJson.headers, 'x-shopify-hmac-sha256': webhookHmac('{not json', NEW_SECRET) } },
    });
    const huge = delivery();
    const hugeBody = JSON.stringify({ inventory_item_id: 1, location_id: 1, available: 1, updated_at: new Date().toISOString(), padding: 'x'.repeat(100 * 1024) });
    cases.push({
      name: 'oversize body',
      d: huge,
      status: 413,
      code: 'PAYLOAD_TOO_LARGE',
      send: { body: hugeBody, headers: { ...huge.headers, 'x-shopify-hmac-sha256': webhookHmac(hugeBody, NEW_SECRET) } },
    });

    for (const { name, d, status, code, send } of cases) {
      const answer = await post(d, send);
      expect({ name, status: answer.statusCode, code: answer.json().error?.code }).toEqual({ name, status, code });
    }
    const missingAnswer = await post(missing, { headers: withoutTriggeredAt });
    expect(missingAnswer.json().error.message).toContain('x-shopify-triggered-at');
    const unauthorized = await post(delivery({ secret: 'nope' }));
    expect(unauthorized.json()).toEqual({ error: { code: 'UNAUTHORIZED', message: 'invalid webhook signature' } });

    // A valid webhook sent after them is seen, so the reader has caught up; none of the bad ones was published.
    const marker = delivery();
    await post(marker);
    await waitFor(() => published.get(marker.webhookId), { what: 'the marker webhook' });
    for (const { d } of cases) expect(published.has(d.webhookId)).toBe(false);
  });

  it("acknowledges but never publishes a delivery older than Shopify's retry window, even with its triggered-at rewritten", async () => {
    const old = delivery({ itemId: 77 });
    const stale = await post(old, { headers: { ...old.headers, 'x-shopify-triggered-at': new Date(Date.now() - 7 * 3600_000).toISOString() } });
    expect({ status: stale.statusCode, body: stale.json() }).toEqual({ status: 200, body: { status: 'stale' } });

    // A captured body from a week ago, replayed with fresh headers: its signed updated_at gives it away.
    const body = JSON.stringify({ inventory_item_id: 77, location_id: 1, available: 1, updated_at: new Date(Date.now() - 7 * 86_400_000).toISOString() });
    const replay = delivery();
    const replayed = await post(replay, { body, headers: { ...replay.headers, 'x-shopify-hmac-sha256': webhookHmac(body, NEW_SECRET) } });
    expect(replayed.json()).toEqual({ status: 'stale' });

    await afterMarkerFor(77);
    expect(published.has(old.webhookId)).toBe(false);
    expect(published.has(replay.webhookId)).toBe(false);
  });

  it('answers a captured delivery replayed with a new event id as a duplicate: the webhook id gives it away', async () => {
    const bufferedBefore = await buffered();
    const d = delivery({ itemId: 5151 });
    expect((await post(d)).json()).toEqual({ status: 'accepted' });
    await waitFor(() => published.get(d.webhookId), { what: 'the first envelope' });

    // Only the body is signed: a replayer can put any X-Shopify-Event-Id on it.
    for (let i = 0; i < 2; i += 1) {
      const replayed = await post(d, { headers: { ...d.headers, 'x-shopify-event-id': randomUUID() } });
      expect({ status: replayed.statusCode, body: replayed.json() }).toEqual({ status: 200, body: { status: 'duplicate' } });
    }

    await afterMarkerFor(5151);
    // A replay published would carry its new event id: every copy is the first delivery's envelope.
    await expectOneEnvelope(d, bufferedBefore);
  });

  it('prunes dedup rows past the accepted delivery age, in batches, and keeps the rest', async () => {
    const sql = (text: string, values: unknown[] = []) => service.app.get<DataSource>(DATA_SOURCE).query(text, values);
    await sql(
      `INSERT INTO webhook_dedup (id, state, claimed_at, completed_at)
       SELECT 'old-' || g, 'done', now() - interval '8 hours', now() - interval '8 hours' FROM generate_series(1, 12000) g`,
    );
    const fresh = delivery();
    expect((await post(fresh)).json()).toEqual({ status: 'accepted' });
    await waitFor(async () => (await sql(`SELECT 1 FROM webhook_dedup WHERE id = $1 AND state = 'done'`, [fresh.headers['x-shopify-event-id']])).length === 1, {
      what: 'the fresh delivery to be recorded done',
    });

    expect(await service.app.get(DedupPruner).pruneOnce()).toBe(12_000);
    expect(await sql(`SELECT 1 FROM webhook_dedup WHERE id LIKE 'old-%'`)).toHaveLength(0);
    // Still remembered: a retry of the fresh one is a duplicate.
    expect((await post(fresh)).json()).toEqual({ status: 'duplicate' });
  });

  it('dead-letters a signed payload our schema cannot key, instead of losing it', async () => {
    const body = JSON.stringify({ location_id: 1, available: 2, updated_at: new Date().toISOString() });
    const d = delivery();
    const answer = await post(d, { body, headers: { ...d.headers, 'x-shopify-hmac-sha256': webhookHmac(body, NEW_SECRET) } });
    expect(answer.json()).toEqual({ status: 'accepted' });
    const reason = await waitFor(() => deadLettered.get(d.webhookId), { what: 'the dead letter' });
    expect(reason).toContain('inventory_item_id');
  });

  it('keeps dedup exact while Redis is down', async () => {
    await redis.stop();
    try {
      const d = delivery();
      expect((await post(d)).json()).toEqual({ status: 'accepted' });
      expect((await post(d)).json()).toEqual({ status: 'duplicate' });
      const ready = await service.app.getHttpAdapter().getInstance().inject({ method: 'GET', url: '/health/ready' });
      expect(ready.statusCode).toBe(200);
      expect(ready.json().info.redis).toMatchObject({ status: 'up', degraded: true });
    } finally {
      await redis.start();
    }
  });

  it('answers webhooks while Redis is hung (SIGSTOP), durably, and readiness reports the hung Redis', async () => {
    redis.pause();
    try {
      const d = delivery();
      // The request is sent once; the test only polls for its answer, with a deadline.
      let answer: Awaited<ReturnType<typeof post>> | undefined;
      void post(d).then((a) => (answer = a));
      await waitFor(() => answer, { timeoutMs: 10_000, what: 'an answer to the webhook while Redis is frozen' });
      expect(answer!.statusCode).toBe(200);
      expect(answer!.json()).toEqual({ status: 'accepted' });
      await waitFor(() => published.get(d.webhookId), { what: 'the envelope on Kafka' });
      // PostgreSQL, the authority, still knows it: the retry is a duplicate.
      let retry: Awaited<ReturnType<typeof post>> | undefined;
      void post(d).then((a) => (retry = a));
      await waitFor(() => retry, { timeoutMs: 10_000, what: 'an answer to the retry while Redis is frozen' });
      expect(retry!.json()).toEqual({ status: 'duplicate' });

      const ready = await service.app.getHttpAdapter().getInstance().inject({ method: 'GET', url: '/health/ready' });
      expect(ready.statusCode).toBe(200);
      expect(ready.json().info.redis).toMatchObject({ status: 'up', degraded: true });
    } finally {
      redis.resume();
    }
  });

  it('loses nothing when Kafka stops mid-burst: the outbox takes over and relays every webhook once Kafka is back', async () => {
    const burst = Array.from({ length: 300 }, (_, i) => delivery({ itemId: 7_000_000 + (i % 20), available: i }));
    const send = (d: Delivery) => post(d).then((a) => a.json().status as string);
    const before = await Promise.all(burst.slice(0, 100).map(send));

    const resumeKafka = pauseListener(Number(testEnv().kafkaBrokers[0]!.split(':')[1]));
    let during: string[];
    try {
      during = await Promise.all(burst.slice(100, 200).map(send));
      const ready = await service.app.getHttpAdapter().getInstance().inject({ method: 'GET', url: '/health/ready' });
      expect(ready.statusCode).toBe(200);
      expect(ready.json().info.delivery).toMatchObject({ status: 'up', path: 'outbox' });
      expect(ready.json().info.delivery.outboxDepth).toBeGreaterThan(0);
    } finally {
      resumeKafka();
    }
    const after = await Promise.all(burst.slice(200).map(send));
    expect([...before, ...during, ...after].every((status) => status === 'accepted')).toBe(true);

    await waitFor(() => burst.every((d) => published.has(d.webhookId)), { timeoutMs: 90_000, what: 'every webhook of the burst on Kafka' });
    // Each id once in effect: the only possible extra copies are a publish that Kafka acknowledged too late,
    // and they carry the same webhook id, which consumers deduplicate on.
    for (const d of burst) expect(new Set(published.get(d.webhookId)!.map((e) => JSON.stringify(e))).size).toBe(1);
    await waitFor(
      async () => {
        const ready = await service.app.getHttpAdapter().getInstance().inject({ method: 'GET', url: '/health/ready' });
        return ready.json().info.delivery.outboxDepth === 0;
      },
      { what: 'the outbox to drain' },
    );
  });
});
