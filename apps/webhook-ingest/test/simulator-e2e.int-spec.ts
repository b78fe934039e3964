import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import path from 'node:path';
import { createDataSource, type DataSource } from '@understudy/database';
import { DedupStore, dedupTableSql } from '@understudy/idempotency';
import { ConsumerRunner, createKafka, decodeEnvelope, EventPublisher } from '@understudy/messaging';
import { TOPICS } from '@understudy/shopify';
import { createTestDatabase, freePort, metricValue, testEnv, type TestDatabase, uniqueName, waitFor } from '@understudy/testing';

/**
 * End to end with the Shopify simulator: the simulator delivers webhooks (with
 * duplicates and reordering, and through an ingest crash) to webhook-ingest,
 * which subscribed itself; an independent Kafka consumer checks what landed.
 *
 * What is asserted is the design's guarantee, no stronger: every event at
 * least once on the topic, always under its resource's key and partition,
 * and applied exactly once by a consumer that deduplicates by event id (the
 * reader applies through libs/idempotency's DedupStore on PostgreSQL, as
 * consumers must). A second copy on Kafka is allowed only where ingest could
 * not know whether Kafka took its write — a publish that timed out and went
 * to the outbox (`understudy_webhooks_total{result="buffered"}`), or a crash
 * between publish and answer — never for a redelivery ingest deduplicated.
 */
const root = path.resolve(__dirname, '../../..');
const SHOP = `${uniqueName('e2e').replace(/_/g, '-')}.myshopify.com`;
const SECRET = 'e2e-app-secret-123';
const TOKEN = 'shpat_e2e';
const KAFKA_TOPIC = TOPICS['inventory_levels/update'].kafkaTopic;

function startProcess(app: string, env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', `apps/${app}/src/main.ts`], { cwd: root, env, stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr!.on('data', () => undefined);
  return child;
}

async function stopProcess(child: ChildProcess | undefined, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  await exited;
}

describe('webhook-ingest fed by the Shopify simulator', () => {
  jest.setTimeout(300_000);
  let database: TestDatabase;
  let sim: ChildProcess;
  let ingest: ChildProcess | undefined;
  let simUrl: string;
  let ingestEnv: NodeJS.ProcessEnv;
  let ingestPort: number;
  const kafka = createKafka({ brokers: testEnv().kafkaBrokers, clientId: uniqueName('e2e') });
  const publisher = new EventPublisher(kafka);
  let reader: ConsumerRunner;
  /** Shopify event id → partitions, offsets and keys it was seen with (one entry per copy on Kafka; a redelivery to the reader is not a copy). */
  const seen = new Map<string, Array<{ partition: number; offset: string; key: string }>>();
  const partitionsByKey = new Map<string, Set<number>>();
  /** What the reader applied, by event id (a consumer's effect). */
  const applied = new Map<string, number>();
  let consumerDb: TestDatabase;
  let consumerDataSource: DataSource;
  let dedup: DedupStore;
  const copiesOnKafka = () => [...seen.values()].filter((copies) => copies.length > 1).length;

  const control = async (method: string, route: string, body?: unknown) => {
    const response = await fetch(`${simUrl}${route}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };

  const startIngest = async () => {
    ingest = startProcess('webhook-ingest', ingestEnv);
    await waitFor(async () => (await fetch(`http://127.0.0.1:${ingestPort}/health/ready`)).ok, { timeoutMs: 60_000, what: 'webhook-ingest ready' });
  };

  /** `count` inventory changes on the simulator's stocked levels, each one webhook. */
  async function makeChanges(levels: Array<{ inventory_item_id: number; location_id: number }>, count: number, base: number) {
    for (let start = 0; start < count; start += 1_000) {
      const changes = Array.from({ length: Math.min(1_000, count - start) }, (_, i) => {
        const level = levels[(start + i) % levels.length]!;
        return { kind: 'set', inventoryItemId: String(level.inventory_item_id), locationId: String(level.location_id), quantity: base + start + i };
      });
      await control('POST', '/_sim/changes', { shop: SHOP, changes });
    }
  }

  beforeAll(async () => {
    database = await createTestDatabase('ingest_e2e');
    const simPort = await freePort();
    ingestPort = await freePort();
    simUrl = `http://127.0.0.1:${simPort}`;
    sim = startProcess('shopify-sim', {
      ...process.env,
      PORT: String(simPort),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      SIM_SHOP: SHOP,
      SIM_APP_SECRET: SECRET,
      SIM_ACCESS_TOKENS: TOKEN,
      SIM_SEED_VARIANTS: '500',
      // Shopify's 4-hour retry window in 20 s.
      SIM_TIME_SCALE: '720',
    });
    await waitFor(async () => (await fetch(`${simUrl}/health/ready`)).ok, { timeoutMs: 60_000, what: 'simulator ready' });
    await control('PUT', '/_sim/settings', { webhook: { productUpdateOnInventoryChange: false } });

    ingestEnv = {
      ...process.env,
      REDIS_URL: testEnv().redisUrl,
      KAFKA_BROKERS: testEnv().kafkaBrokers.join(','),
      PORT: String(ingestPort),
      LOG_LEVEL: 'warn',
      DATABASE_URL: database.url,
      SHOPIFY_SHOP: SHOP,
      SHOPIFY_WEBHOOK_SECRETS: SECRET,
      SHOPIFY_ACCESS_TOKEN: TOKEN,
      SHOPIFY_ADMIN_URL: simUrl,
      WEBHOOK_CALLBACK_URL: `http://127.0.0.1:${ingestPort}/webhooks/shopify`,
      WEBHOOK_STALE_CLAIM_SECONDS: '2',
    };
    execFileSync(process.execPath, ['-r', '@swc-node/register', 'apps/webhook-ingest/src/main.ts', '--migrate'], { cwd: root, env: ingestEnv });
    await startIngest();

    consumerDb = await createTestDatabase('ingest_e2e_consumer');
    consumerDataSource = createDataSource({ url: consumerDb.url, migrations: [], poolSize: 4 });
    await consumerDataSource.initialize();
    for (const sql of dedupTableSql('consumer_dedup')) await consumerDataSource.query(sql);
    dedup = new DedupStore({ dataSource: consumerDataSource, table: 'consumer_dedup', redisPrefix: 'unused:', doneTtlSeconds: 60, staleClaimSeconds: 600 });

    reader = new ConsumerRunner(kafka, {
      groupId: uniqueName('e2e-reader'),
      topics: [KAFKA_TOPIC],
      deadLetters: publisher,
      sessionTimeoutMs: 6_000,
      handler: async (messages) => {
        const ours = messages.map((message) => ({ message, envelope: decodeEnvelope(message.value) })).filter(({ envelope }) => envelope.shop === SHOP);
        for (const { message, envelope } of ours) {
          const copies = seen.get(envelope.eventId) ?? [];
          if (!copies.some((copy) => copy.partition === message.partition && copy.offset === message.offset)) copies.push({ partition: message.partition, offset: message.offset, key: message.key! });
          seen.set(envelope.eventId, copies);
          partitionsByKey.set(message.key!, (partitionsByKey.get(message.key!) ?? new Set()).add(message.partition));
        }
        // Apply as a consumer does: claim the event id, apply, complete; a copy whose id is claimed or done is not applied.
        const claims = await Promise.all(ours.map(({ envelope }) => dedup.claim(envelope.eventId)));
        await Promise.all(
          ours.map(async ({ envelope }, i) => {
            if (claims[i] !== 'claimed') return;
            applied.set(envelope.eventId, (applied.get(envelope.eventId) ?? 0) + 1);
            await dedup.complete(envelope.eventId);
          }),
        );
      },
    });
    await reader.start();
  });

  afterAll(async () => {
    await reader?.stop();
    await publisher.close();
    await stopProcess(ingest);
    await stopProcess(sim);
    await dedup?.close();
    await consumerDataSource?.destroy();
    await consumerDb?.drop();
    await database?.drop();
  });

  /** The design's guarantee for what has landed so far: each event applied exactly once, keys never split across partitions. */
  const expectAppliedOncePerEvent = () => {
    expect([...applied.values()].filter((times) => times !== 1)).toEqual([]);
    expect(applied.size).toBe(seen.size);
    expect([...partitionsByKey.values()].every((partitions) => partitions.size === 1)).toBe(true);
  };

  /** Waits, and on timeout says where the simulator's deliveries stand. */
  const waitWithCounters = async (condition: () => boolean, what: string) => {
    try {
      await waitFor(condition, { timeoutMs: 120_000, what });
    } catch (error) {
      const counters = await control('GET', '/_sim/webhooks/counters').catch(() => 'unavailable');
      throw new Error(`${(error as Error).message}; seen ${seen.size} events; simulator counters ${JSON.stringify(counters)}`);
    }
  };

  it('subscribes itself, then lands 10,000 events delivered with 10% duplicates and reordering: each at least once on Kafka, applied exactly once', async () => {
    await waitFor(
      async () => {
        const response = await fetch(`${simUrl}/admin/api/2026-10/graphql.json`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-shopify-access-token': TOKEN },
          body: JSON.stringify({ query: '{ webhookSubscriptions(first: 10) { nodes { topic uri } } }' }),
        });
        const body = (await response.json()) as { data: { webhookSubscriptions: { nodes: Array<{ topic: string; uri: string }> } } };
        return body.data.webhookSubscriptions.nodes.some((s) => s.topic === 'INVENTORY_LEVELS_UPDATE' && s.uri.endsWith(`:${ingestPort}/webhooks/shopify`));
      },
      { timeoutMs: 30_000, what: 'webhook-ingest to subscribe itself' },
    );

    const truth = await (await fetch(`${simUrl}/_sim/truth/inventory?shop=${SHOP}`)).text();
    const levels = truth.split('\n').filter(Boolean).map((line) => JSON.parse(line) as { inventory_item_id: number; location_id: number });
    expect(levels.length).toBeGreaterThan(100);

    await control('PUT', '/_sim/chaos', { duplicateRate: 0.1, reorderWindowMs: 300 });
    await makeChanges(levels, 10_000, 1_000);
    const drained = await control('POST', '/_sim/webhooks/drain', { timeoutMs: 100_000 });
    expect(drained).toMatchObject({ idle: true });
    expect(drained.counters.duplicated).toBeGreaterThan(500);

    await waitWithCounters(() => seen.size >= 10_000 && applied.size >= 10_000, '10,000 distinct events on Kafka, applied');
    expect(seen.size).toBe(10_000);
    expectAppliedOncePerEvent();
    // The simulator's duplicates were deduplicated by ingest: an event has a second copy on Kafka only if ingest
    // buffered it (its publish timed out, perhaps after Kafka had taken it), and the consumer refused that copy.
    const buffered = await metricValue(`http://127.0.0.1:${ingestPort}`, 'understudy_webhooks_total', { result: 'buffered' });
    expect(copiesOnKafka()).toBeLessThanOrEqual(buffered);
  });

  it('loses nothing when webhook-ingest is killed with SIGKILL mid-burst: the simulator retries fill the gap', async () => {
    await control('PUT', '/_sim/chaos', { duplicateRate: 0, reorderWindowMs: 0 });
    const truth = await (await fetch(`${simUrl}/_sim/truth/inventory?shop=${SHOP}`)).text();
    const levels = truth.split('\n').filter(Boolean).map((line) => JSON.parse(line) as { inventory_item_id: number; location_id: number });
    const before = seen.size;

    const burst = makeChanges(levels, 3_000, 50_000);
    await waitWithCounters(() => seen.size >= before + 500, 'part of the burst to land');
    await stopProcess(ingest, 'SIGKILL');
    await burst;
    await startIngest();

    const drained = await control('POST', '/_sim/webhooks/drain', { timeoutMs: 100_000 });
    expect(drained).toMatchObject({ idle: true });
    expect(drained.counters.retried).toBeGreaterThan(0);
    await waitWithCounters(() => seen.size >= before + 3_000 && applied.size >= before + 3_000, 'all 3,000 events on Kafka, applied');
    expect(seen.size).toBe(before + 3_000);
    expectAppliedOncePerEvent();
    // Copies happen only for deliveries in flight at the kill (published, but the 200 never left) or buffered ones.
    expect(copiesOnKafka()).toBeLessThan(300);
  });
});
