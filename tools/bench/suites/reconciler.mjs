// Benchmarks the reconciler's full reconcile (the backfill) of 100k variants × 3 locations on the
// simulator's Plus plan, against the physical limit of the alternative in the same run: a paginated
// scan of the same data at 100 % of the restore rate (its cost per variant measured on the simulator).
// Reports the run's time, the reconciler's peak memory, the points it spent and their share of the
// budget, THROTTLED answers, and how long until inventory had applied every fact.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { createRequire } from 'node:module';
import { freshDatabase, startApp } from '../lib/harness.mjs';

const require = createRequire(import.meta.url);
const { Kafka, logLevel } = require('kafkajs');

const VARIANTS = 100_000;
const LOCATIONS = 3;
const SHOP = 'bench-reconciler.myshopify.com';
const TOKEN = 'shpat_bench_reconciler';
const PLUS_RESTORE_RATE = 1_000;
// Topics and databases of its own, so nothing it publishes (365k facts for ids the simulator's seeds share with
// `npm start`'s shop) reaches the real topics a local platform consumes; checked at the end (`ownMessagesOn`).
const PREFIX = `bench${Date.now().toString(36)}.`;
const REAL_TOPICS = JSON.parse(readFileSync(new URL('../../../libs/messaging/src/topic-catalog.json', import.meta.url), 'utf8')).topics;
const TOPICS = REAL_TOPICS.map((t) => `${PREFIX}${t}`);
const GROUP = `bench-${PREFIX}`;

/** Peak resident memory of a process (VmHWM), MiB. */
function peakRssMiB(pid) {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : undefined;
}

async function json(url, init) {
  const response = await fetch(url, init);
  if (!response.ok) throw new Error(`${init?.method ?? 'GET'} ${url} → ${response.status} ${await response.text()}`);
  return response.json();
}

async function until(what, timeoutMs, check) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Each partition's high watermark of the topics that exist. */
export async function watermarks(admin, topics) {
  const existing = new Set(await admin.listTopics());
  const marks = new Map();
  for (const topic of topics.filter((t) => existing.has(t))) {
    for (const { partition, high } of await admin.fetchTopicOffsets(topic)) marks.set(`${topic}|${partition}`, Number(high));
  }
  return marks;
}

/**
 * Messages of `shop` that reached the real (unprefixed) topics since `before`: others may publish there
 * meanwhile (a local `npm start`), so the new messages are read and told apart by the envelope's shop.
 */
export async function ownMessagesOn(kafka, admin, before, shop) {
  const after = await watermarks(admin, [...new Set([...before.keys()].map((k) => k.split('|')[0]))]);
  const moved = [...after].map(([key, high]) => ({ topic: key.split('|')[0], partition: Number(key.split('|')[1]), from: before.get(key) ?? 0, to: high })).filter((m) => m.to > m.from);
  if (moved.length === 0) return 0;
  const groupId = `${GROUP}guard`;
  const consumer = kafka.consumer({ groupId });
  await consumer.connect();
  let ours = 0;
  let left = moved.reduce((n, m) => n + (m.to - m.from), 0);
  try {
    for (const topic of new Set(moved.map((m) => m.topic))) await consumer.subscribe({ topic });
    let finished;
    const read = new Promise((resolve) => (finished = resolve));
    await consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        const range = moved.find((m) => m.topic === topic && m.partition === partition);
        const offset = Number(message.offset);
        if (!range || offset < range.from || offset >= range.to) return;
        try {
          if (JSON.parse(message.value.toString()).shop === shop) ours++;
        } catch {
          // not an envelope: not ours
        }
        if (--left === 0) finished();
      },
    });
    for (const m of moved) consumer.seek({ topic: m.topic, partition: m.partition, offset: String(m.from) });
    await Promise.race([read, new Promise((_, reject) => setTimeout(() => reject(new Error('timed out reading the real topics')), 120_000))]);
  } finally {
    await consumer.disconnect();
    await admin.deleteGroups([groupId]).catch(() => undefined);
  }
  return ours;
}

export async function run({ log }) {
  const kafka = new Kafka({ clientId: 'bench-reconciler', brokers: (process.env.KAFKA_BROKERS ?? 'localhost:9092').split(','), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const realBefore = await watermarks(admin, REAL_TOPICS.flatMap((t) => [t, `${t}.dlq`]));
  await admin.createTopics({ waitForLeaders: true, topics: TOPICS.flatMap((t) => [t, `${t}.dlq`]).map((topic) => ({ topic, numPartitions: 6, replicationFactor: 1 })) });
  const inventoryDb = await freshDatabase('reconciler_inventory');
  const reconcilerDb = await freshDatabase('reconciler');
  const apps = [];
  try {
    const sim = await startApp('shopify-sim', { SIM_PLAN: 'plus', SIM_SEED_VARIANTS: '0', SIM_ACCESS_TOKENS: TOKEN });
    apps.push(sim);
    log(`seeding ${VARIANTS.toLocaleString('en')} variants × ${LOCATIONS} locations`);
    await json(`${sim.url}/_sim/seed`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ shop: SHOP, variants: VARIANTS, locations: LOCATIONS, companies: 0, seed: 7, accessTokens: [TOKEN] }),
    });

    // The alternative's cost per variant: one page of the reconciler's own incremental query, as Shopify prices it.
    const page = await json(`${sim.url}/admin/api/2026-10/graphql.json`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-shopify-access-token': TOKEN },
      body: JSON.stringify({
        query: `{ productVariants(first: 25) { nodes { id inventoryItem { id sku tracked updatedAt inventoryLevels(first: 10) { nodes { updatedAt location { id } quantities(names: ["available"]) { name quantity } } } } } } }`,
      }),
    });
    const pointsPerVariant = page.extensions.cost.actualQueryCost / 25;

    const inventory = await startApp('inventory', {
      DATABASE_URL: inventoryDb.url,
      PROJECTION_TOPICS: TOPICS.filter((t) => !t.endsWith('bulk_operations.finish')).join(','),
      PROJECTION_GROUP_ID: GROUP,
      SWEEP_INTERVAL_MS: '600000',
    });
    apps.push(inventory);
    log('starting the reconciler: its backfill is the full reconcile measured');
    const started = performance.now();
    const reconciler = await startApp('reconciler', {
      DATABASE_URL: reconcilerDb.url,
      SHOPIFY_SHOP: SHOP,
      SHOPIFY_ADMIN_URL: sim.url,
      SHOPIFY_ACCESS_TOKEN: TOKEN,
      INVENTORY_URL: inventory.url,
      KAFKA_TOPIC_PREFIX: PREFIX,
      RECONCILE_INTERVAL_SECONDS: '0',
      RECONCILE_TICK_MS: '200',
      // Not npm start's ingest on :3001: nothing listens here, the bench shop's webhooks go nowhere.
      WEBHOOK_CALLBACK_URL: 'http://127.0.0.1:9/webhooks/shopify',
    });
    apps.push(reconciler);
    // Where the run's time goes: when each phase of its progress was first seen (polled every 250 ms).
    const phases = new Map();
    const runView = await until('the backfill to finish', 600_000, async () => {
      const { runs } = await json(`${reconciler.url}/v1/runs?limit=5`);
      const backfill = runs.find((r) => r.trigger === 'startup');
      const phase = backfill?.progress?.phase?.replace(/ since .*/, '');
      if (phase && !phases.has(phase)) phases.set(phase, (performance.now() - started) / 1000);
      if (backfill?.state === 'failed') throw new Error(`backfill failed: ${backfill.error}`);
      return backfill?.state === 'succeeded' ? backfill : undefined;
    });
    const runSeconds = (Date.parse(runView.finishedAt) - Date.parse(runView.startedAt)) / 1000;
    const peak = peakRssMiB(reconciler.pid);
    const appliedSeconds = await until('inventory to apply every fact', 600_000, async () => {
      const text = await (await fetch(`${inventory.url}/metrics`)).text();
      let applied = 0;
      for (const line of text.split('\n')) if (line.startsWith('understudy_events_applied_total{') && line.includes('.reconcile.')) applied += Number(line.slice(line.lastIndexOf(' ') + 1));
      return applied >= runView.published ? (performance.now() - started) / 1000 : undefined;
    });
    const leaked = await ownMessagesOn(kafka, admin, realBefore, SHOP);
    if (leaked > 0) throw new Error(`${leaked} of the bench's messages reached the real topics (${REAL_TOPICS.join(', ')}): they would pollute npm start's inventory`);
    const budgetShare = runView.cost.points / (PLUS_RESTORE_RATE * runSeconds);
    const scanSeconds = (VARIANTS * pointsPerVariant) / PLUS_RESTORE_RATE;
    const facts = runView.published;
    return {
      title: `Reconciler: full reconcile of ${VARIANTS.toLocaleString('en')} variants × ${LOCATIONS} locations`,
      description:
        "The backfill of an empty inventory module on the simulator's Plus plan (restore rate 1,000 points/s): two bulk operations streamed and diffed against inventory's export, every fact published to Kafka and applied by inventory. Baseline: a paginated scan of the same data at 100 % of the restore rate — the physical limit without bulk operations — from the measured cost of one page of the same query.",
      columns: ['measurement', 'seconds', 'points', 'budget share', 'THROTTLED', 'peak RSS MiB', 'facts'],
      rows: [
        { measurement: 'full reconcile (bulk + diff + publish)', seconds: round(runSeconds), points: runView.cost.points, 'budget share': `${round(budgetShare * 100)} %`, THROTTLED: runView.cost.throttled, 'peak RSS MiB': round(peak), facts },
        { measurement: '… until inventory applied every fact', seconds: round(appliedSeconds), points: '', 'budget share': '', THROTTLED: '', 'peak RSS MiB': '', facts },
        {
          measurement: `baseline: paginated scan at 100 % of the restore rate (${round(pointsPerVariant)} points/variant)`,
          seconds: round(scanSeconds),
          points: Math.round(VARIANTS * pointsPerVariant),
          'budget share': '100 %',
          THROTTLED: '',
          'peak RSS MiB': '',
          facts: '',
        },
      ],
      notes: [
        `Drift found: ${JSON.stringify(runView.drift)} (an empty module: everything missing).`,
        'Seconds of the run are from its startedAt to finishedAt as the reconciler recorded them; the second row includes process start and the projection catching up.',
        'The budget share is the run\'s points over (restore rate × run seconds); the reconciler is capped at RECONCILE_BUDGET_SHARE = 0.5.',
        `Phases of the run, first seen (seconds after the reconciler was started): ${[...phases].map(([phase, at]) => `${phase} ${round(at)}`).join('; ')}. "waiting for bulk" is the simulator building the JSONL; the phase named after a query is the stream being read, diffed and published (${'`'}RECONCILE_PUBLISH_BATCH${'`'} facts per awaited publish).`,
        `Isolation: every topic behind the prefix ${JSON.stringify(PREFIX)}, databases of its own, all dropped afterwards with the consumer group; the real topics received ${leaked} messages of the bench's shop (checked by reading what reached them during the run).`,
      ],
    };
  } finally {
    for (const app of apps.reverse()) await app.stop().catch(() => undefined);
    await inventoryDb.drop().catch(() => undefined);
    await reconcilerDb.drop().catch(() => undefined);
    await admin.deleteTopics({ topics: TOPICS.flatMap((t) => [t, `${t}.dlq`]) }).catch(() => undefined);
    await admin.deleteGroups([GROUP]).catch(() => undefined);
    await admin.disconnect();
  }
}

function round(value) {
  return value === undefined ? '' : Math.round(value * 100) / 100;
}
