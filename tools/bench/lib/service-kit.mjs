// What the service benches (inventory, pricing) share: starting a built app, the rows they report,
// percentiles, synthetic webhook envelopes sent to Kafka, scratch databases and polling.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import pg from 'pg';

let sequence = 0;

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
