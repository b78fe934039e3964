import path from 'node:path';
import Redis from 'ioredis';
import { deadLetterTopic } from '@understudy/messaging';
import { registryKafkaTopics } from '@understudy/shopify';
import { metricValue, waitFor } from '@understudy/testing';
import { LabApp, labEnv, LOCAL_SHOP, LOCAL_WEBHOOK_SECRET } from './support/apps';
import { Lab } from './support/lab';
import { Recorder } from './support/recorder';
import { saveScenario } from './support/results';
import { badWebhooks, post, signedWebhook, sleep, type Webhook, WebhookSender } from './support/webhooks';

/**
 * Shopify → webhook-ingest → Kafka → inventory's projection in PostgreSQL,
 * each a real process on the lab's private servers, while a burst of signed
 * webhooks is delivered and one part of the path is broken mid-burst. The
 * accounting is exact, by id: every webhook is eventually acknowledged
 * (the sender retries like Shopify), every acknowledged one reaches the
 * projection with its value, none is applied twice, no valid one is
 * dead-lettered, and bad requests mixed in are answered 4xx throughout.
 */
const root = path.resolve(__dirname, '../..');
const identity = { shop: LOCAL_SHOP, secret: LOCAL_WEBHOOK_SECRET };
/** Webhooks acknowledged before the fault, and how long the burst goes on after it ends. */
const BEFORE = 150;
const AFTER_MS = 3_000;
const LEVELS_TOPIC = 'shopify.inventory_levels.update';

describe('the webhook path under faults', () => {
  let lab: Lab;
  let ingest: LabApp;
  let inventory: LabApp;
  let inventoryDb: string;
  let nextItem = 1_000_000;

  beforeAll(async () => {
    lab = await Lab.start();
    await lab.kafka!.createTopics(registryKafkaTopics().flatMap((topic) => [topic, deadLetterTopic(topic)]));
    const ingestDb = await lab.pg.createDatabase('faults_ingest');
    inventoryDb = await lab.pg.createDatabase('faults_inventory');
    const deps = { REDIS_URL: lab.redis.url, KAFKA_BROKERS: lab.brokers };
    [inventory, ingest] = await Promise.all([
      LabApp.start('inventory', await lab.port(), labEnv('inventory', { ...deps, DATABASE_URL: inventoryDb, PROJECTION_SESSION_TIMEOUT_MS: '6000' })),
      LabApp.start('webhook-ingest', await lab.port(), labEnv('webhook-ingest', { ...deps, DATABASE_URL: ingestDb })),
    ]);
  });

  afterAll(async () => {
    await Promise.all([ingest?.stop(), inventory?.stop()].map((stop) => stop?.catch(() => undefined)));
    await lab?.stop();
  });

  const applied = () => metricValue(inventory.url, 'understudy_events_applied_total', { topic: LEVELS_TOPIC, result: 'applied' });
  const deadLettered = async () => {
    const admin = lab.kafka!.client().admin();
    await admin.connect();
    try {
      const offsets = await admin.fetchTopicOffsets(deadLetterTopic(LEVELS_TOPIC));
      return offsets.reduce((sum, partition) => sum + Number(partition.high), 0);
    } finally {
      await admin.disconnect();
    }
  };

  interface Burst {
    sender: WebhookSender;
    webhooks: Webhook[];
    /** Bad requests sent alongside, with their answers. */
    bad: Recorder;
  }

  /**
   * A burst of webhooks (one per new inventory item, at most ~100/s) with bad requests mixed in:
   * `fault` runs once BEFORE are acknowledged, and the burst goes on for AFTER_MS after it.
   */
  async function burst(fault: (phase: (name: string) => void) => Promise<void>, extra?: (burst: Burst) => Promise<void>): Promise<Burst> {
    let made = 0;
    const sender = new WebhookSender(() => ingest.url, () => signedWebhook(identity, nextItem++, (made++ % 97) + 1), { concurrency: 8, pauseMs: 60 });
    const bad = new Recorder();
    const phase = (name: string) => {
      sender.recorder.phase = name;
      bad.phase = name;
    };
    phase('healthy');
    let sending = true;
    const badLoop = (async () => {
      for (let i = 0; sending; i++) {
        const cases = badWebhooks(identity, nextItem + 10_000_000);
        const request = cases[i % cases.length]!;
        const { outcome, ms } = await post(`${ingest.url}/webhooks/shopify`, request.body, request.headers, 5_000);
        bad.record(outcome, ms);
        await sleep(100);
      }
    })();
    const delivered = sender.run();
    await waitFor(() => sender.acknowledged.size >= BEFORE, { timeoutMs: 120_000, what: `${BEFORE} webhooks acknowledged` });
    await fault(phase);
    await sleep(AFTER_MS);
    sender.stop();
    await delivered;
    const result = { sender, webhooks: sender.sent, bad };
    await extra?.(result);
    sending = false;
    await badLoop;
    return result;
  }

  /** Waits for the projection to hold every acknowledged webhook, then counts what is missing, wrong or doubled. */
  async function account(id: string, title: string, fault: string, result: Burst, appliedBefore: number, dlqBefore: number, started: number) {
    const { sender, webhooks, bad } = result;
    const acknowledged = webhooks.filter((webhook) => sender.acknowledged.has(webhook.webhookId));
    const missing = async () => {
      const rows = await lab.pg.query<{ event_id: string }>('SELECT event_id FROM processed_events WHERE event_id = ANY($1)', [acknowledged.map((w) => w.eventId)], 'faults_inventory');
      const seen = new Set(rows.map((row) => row.event_id));
      return acknowledged.filter((webhook) => !seen.has(webhook.eventId));
    };
    await waitFor(async () => (await missing()).length === 0, { timeoutMs: 120_000, intervalMs: 500, what: 'every acknowledged webhook in the projection' }).catch(() => undefined);
    const lost = await missing();
    const levels = await lab.pg.query<{ inventory_item_id: string; available: number }>(
      'SELECT inventory_item_id::text, available FROM inventory_levels WHERE inventory_item_id = ANY($1::bigint[]) AND location_id = 1',
      [webhooks.map((w) => w.itemId)],
      'faults_inventory',
    );
    const stored = new Map(levels.map((row) => [Number(row.inventory_item_id), row.available]));
    const wrongValue = acknowledged.filter((webhook) => stored.has(webhook.itemId) && stored.get(webhook.itemId) !== webhook.available);
    // Allow the consumer to count what it applied (the metric follows the commit).
    await sleep(500);
    const appliedNow = (await applied()) - appliedBefore;
    const dlq = (await deadLettered()) - dlqBefore;
    const badAnswers = bad.all().filter((attempt) => typeof attempt.outcome === 'number');
    saveScenario(root, {
      id,
      title,
      fault,
      load: `signed inventory_levels/update webhooks, one per item (8 senders, ~100/s, Shopify-style retries with a 5 s timeout) from ${BEFORE} acknowledged before the fault to ${AFTER_MS / 1000} s after it; a bad request every 100 ms`,
      phases: sender.recorder.summary(),
      accounting: {
        sent: webhooks.length,
        acknowledged: acknowledged.length,
        lost: lost.length,
        appliedTwice: Math.max(0, appliedNow - webhooks.length),
        notes: `applied ${appliedNow}, wrong value ${wrongValue.length}, dead-lettered ${dlq}`,
      },
      badInput: { sent: bad.all().length, outcomes: bad.summary().at(-1)!.outcomes },
      seconds: Math.round((Date.now() - started) / 1000),
    });
    expect({ acknowledged: acknowledged.length, lost: lost.map((w) => w.webhookId), wrongValue: wrongValue.length, appliedOnce: appliedNow, deadLettered: dlq }).toEqual({
      acknowledged: webhooks.length,
      lost: [],
      wrongValue: 0,
      appliedOnce: webhooks.length,
      deadLettered: 0,
    });
    // Bad input is refused with a 4xx whatever is broken (no answer at all is counted, not asserted: a killed process answers nothing).
    expect(badAnswers.filter((attempt) => (attempt.outcome as number) >= 500 || (attempt.outcome as number) < 400)).toEqual([]);
    expect(badAnswers.length).toBeGreaterThan(0);
  }

  async function scenario(id: string, title: string, fault: string, inject: (phase: (name: string) => void) => Promise<void>, extra?: (burst: Burst) => Promise<void>) {
    const started = Date.now();
    const appliedBefore = await applied();
    const dlqBefore = await deadLettered();
    const result = await burst(inject, extra);
    await account(id, title, fault, result, appliedBefore, dlqBefore, started);
  }

  it('loses nothing and applies nothing twice when the Kafka broker is killed mid-burst and restarted', async () => {
    await scenario('1-kafka-killed', 'Kafka broker killed (SIGKILL) and restarted', 'the only broker SIGKILLed mid-burst, down 5 s, then restarted (JVM start + log recovery)', async (phase) => {
      phase('broker down');
      await lab.kafka!.kill();
      await sleep(5_000);
      phase('broker restarting');
      await lab.kafka!.start();
      phase('after restart');
    });
  });

  it('loses nothing and applies nothing twice when PostgreSQL crashes mid-burst and comes back', async () => {
    await scenario('2-postgres-restarted', 'PostgreSQL crashed and restarted', 'pg_ctl stop -m immediate (every backend killed, crash recovery on start) mid-burst, down 5 s', async (phase) => {
      phase('postgres down');
      await lab.pg.crash();
      await sleep(5_000);
      phase('postgres restarting');
      await lab.pg.start();
      phase('after restart');
    });
  });

  it('loses nothing and applies nothing twice when Redis hangs (SIGSTOP) and is then flushed', async () => {
    await scenario(
      '3-redis-frozen-flushed',
      'Redis frozen (SIGSTOP), then flushed',
      'redis-server SIGSTOPped mid-burst for 8 s (connections open, nothing answered), SIGCONT; then FLUSHALL and every acknowledged webhook delivered again',
      async (phase) => {
        phase('redis frozen');
        lab.redis.pause();
        await sleep(8_000);
        lab.redis.resume();
        phase('after resume');
      },
      async ({ sender, webhooks }) => {
        const client = new Redis(lab.redis.url, { maxRetriesPerRequest: 1 });
        await client.flushall();
        client.disconnect();
        // Shopify's duplicates after the cache is gone: the dedup must hold on PostgreSQL alone.
        sender.recorder.phase = 'flushed, all resent';
        const again = WebhookSender.of(() => ingest.url, webhooks, { concurrency: 8 });
        again.recorder.phase = 'flushed, all resent';
        await again.run();
        for (const attempt of again.recorder.all()) sender.recorder.record(attempt.outcome, attempt.ms, attempt.phase);
      },
    );
  });

  it('loses nothing and applies nothing twice when webhook-ingest is SIGKILLed mid-burst', async () => {
    await scenario('4-ingest-killed', 'webhook-ingest SIGKILLed and restarted', 'the ingest process SIGKILLed mid-burst (requests in flight cut), restarted on the same port after 2 s', async (phase) => {
      phase('ingest killed');
      await ingest.kill();
      await sleep(2_000);
      phase('ingest restarting');
      await ingest.start();
      phase('after restart');
    });
  });
});
