// What the service benches (inventory, pricing) share: starting a built app on a scratch database and
// topics of its own, the rows they report, percentiles, synthetic webhook envelopes sent to Kafka,
// scratch databases and polling.
import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import { buildApp } from '../../dev/build.mjs';
import { freePort } from './harness.mjs';

export const ADMIN_URL = process.env.TEST_DATABASE_ADMIN_URL || 'postgres://understudy:understudy@localhost:5432/postgres';
export const BROKERS = (process.env.TEST_KAFKA_BROKERS || 'localhost:9092').split(',');

/** The size of the bench's own pool on the service's database (`db` of startBenchService). */
export const BENCH_POOL_SIZE = 20;

let sequence = 0;

/**
 * The built app (dist, as production runs it) on a fresh database `bench_<app>_<id>` and fresh topics
 * `bench.<id>.<name>` (each with its `.dlq`, 6 partitions), migrated, started on a free port and
 * ready. `topics` maps a key to a topic name's tail; the service consumes all of them as its
 * projection (group `bench-<app>-<id>`). `env` is what the app needs beyond that.
 * Returns { url, db (a pool of 20 on its database), producer, topics (key → full name), stop };
 * stop() stops the service and removes its topics and database, and never throws.
 */
export async function startBenchService({ app, topics: tails, env: extraEnv = {}, log }) {
  const id = `${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 6)}`;
  const dbName = `bench_${app}_${id}`;
  const topics = Object.fromEntries(Object.entries(tails).map(([key, tail]) => [key, `bench.${id}.${tail}`]));
  const allTopics = Object.values(topics).flatMap((t) => [t, `${t}.dlq`]);
  const kafka = new Kafka({ brokers: BROKERS, clientId: `bench-${app}-${id}`, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
  const dbUrl = withDatabase(ADMIN_URL, dbName);
  const db = new pg.Pool({ connectionString: dbUrl, max: BENCH_POOL_SIZE });
  // An idle connection the server ends (a DROP … WITH (FORCE), a restart) is an 'error' on the pool: without a
  // listener it would crash the suite and lose every row measured so far. The next query opens a new one.
  db.on('error', (error) => process.stderr.write(`bench: an idle connection to ${dbName} ended: ${error.message}\n`));
  let service;
  const stop = async () => {
    if (service) await service.stop();
    await producer.disconnect().catch(() => undefined);
    await admin.deleteTopics({ topics: allTopics }).catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
    await db.end().catch(() => undefined);
    await withClient(ADMIN_URL, (c) => c.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`)).catch(() => undefined);
  };

  try {
    log(`building dist/apps/${app}`);
    const main = buildApp(app);
    await withClient(ADMIN_URL, (c) => c.query(`CREATE DATABASE "${dbName}"`));
    await admin.connect();
    await admin.createTopics({ waitForLeaders: true, topics: allTopics.map((topic) => ({ topic, numPartitions: 6, replicationFactor: 1 })) });
    await producer.connect();

    const port = await freePort();
    const env = {
      ...process.env,
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: dbUrl,
      KAFKA_BROKERS: BROKERS.join(','),
      PROJECTION_GROUP_ID: `bench-${app}-${id}`,
      PROJECTION_TOPICS: Object.values(topics).join(','),
      ...extraEnv,
    };
    const migrated = spawnSync(process.execPath, [main, '--migrate'], { env, encoding: 'utf8' });
    if (migrated.status !== 0) throw new Error(`migration failed: ${migrated.stdout}${migrated.stderr}`);
    service = startService(main, env);
    const url = `http://127.0.0.1:${port}`;
    await waitFor(async () => (await fetch(`${url}/health/ready`).catch(() => undefined))?.status === 200, 60_000, () => `${app} to be ready:\n${service.output()}`);
    return { url, db, producer, topics, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

export function startService(main, env) {
  let output = '';
  const child = spawn(process.execPath, [main], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (chunk) => (output = (output + chunk).slice(-20_000)));
  child.stderr.on('data', (chunk) => (output = (output + chunk).slice(-20_000)));
  return {
    output: () => output,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', resolve);
        child.kill('SIGTERM');
      }),
  };
}

export function row(measurement, load, stats, extra = {}) {
  return {
    measurement,
    load,
    'p50 ms': stats.p50,
    'p99 ms': stats.p99,
    'max ms': stats.max,
    'throughput /s': Math.round(stats.rate),
    'non-2xx': stats.non2xx,
    ...extra,
  };
}

export function percentiles(values) {
  if (values.length === 0) return { p50: undefined, p99: undefined, max: undefined };
  const sorted = Float64Array.from(values).sort();
  const at = (q) => round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]);
  return { p50: at(0.5), p99: at(0.99), max: round(sorted[sorted.length - 1]) };
}

export function round(value) {
  return Math.round(value * 100) / 100;
}

export function envelope(topic, payload, triggeredAt, prefix = 'bench-') {
  return {
    webhookId: `wh-${randomUUID()}`,
    eventId: `${prefix}${++sequence}-${randomUUID()}`,
    topic,
    shop: 'bench.myshopify.com',
    apiVersion: '2026-10',
    triggeredAt,
    receivedAt: new Date().toISOString(),
    payload,
  };
}

export async function send(producer, topic, events, keyOf) {
  for (let i = 0; i < events.length; i += 2_000) {
    await producer.send({
      topic,
      acks: -1,
      messages: events.slice(i, i + 2_000).map((event) => ({ key: keyOf(event), value: JSON.stringify(event) })),
    });
  }
}

export function withDatabase(url, name) {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

export async function withClient(url, work) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function waitFor(check, timeoutMs, what, intervalMs = 100) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what()}`);
    await sleep(intervalMs);
  }
}

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
