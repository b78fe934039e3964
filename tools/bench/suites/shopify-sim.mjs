// Benchmarks apps/shopify-sim with libs/shopify, each against a baseline:
// - scan: a 100k-variant paginated scan through ShopifyAdminClient, as a
//   fraction of the restore-rate budget (the baseline is the budget itself);
// - bulk: a bulk operation over the same 100k variants, start to streamed,
//   against the paginated scan of the same data;
// - webhooks: simulator deliveries/s to a trivial local receiver, against raw
//   undici POSTs from this process to the same receiver.
import { execFile, spawn } from 'node:child_process';
import { createHmac, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { Pool } from 'undici';

const SHOP = 'bench.myshopify.com';
const TOKEN = 'shpat_bench';
const RESTORE_RATE = 10_000;
const VARIANTS = 100_000;
const WEBHOOKS = 20_000;

const freePort = () =>
  new Promise((resolve, reject) => {
    const server = createNetServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

async function startSimulator(root) {
  const port = await freePort();
  const child = spawn(process.execPath, ['-r', '@swc-node/register', 'apps/shopify-sim/src/main.ts'], {
    cwd: root,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', SIM_SEED_VARIANTS: '0' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    const ok = await fetch(`${url}/health/live`).then((r) => r.ok, () => false);
    if (ok) break;
    if (Date.now() > deadline) throw new Error('simulator did not start');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const call = async (method, route, body) => {
    const response = await fetch(`${url}${route}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${route} → ${response.status} ${await response.text()}`);
    return response.json();
  };
  const graphql = async (query, variables) => {
    const response = await fetch(`${url}/admin/api/2026-10/graphql.json`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-shopify-access-token': TOKEN },
      body: JSON.stringify({ query, variables }),
    });
    return response.json();
  };
  const stop = () => new Promise((resolve) => (child.once('exit', resolve), child.kill('SIGTERM')));
  return { url, call, graphql, stop };
}

async function worker(root, mode, url) {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['-r', '@swc-node/register', 'tools/bench/workers/shopify-client.ts', mode, url, SHOP, TOKEN, String(RESTORE_RATE)],
    { cwd: root, maxBuffer: 1024 * 1024 },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1));
}

async function startReceiver() {
  let count = 0;
  let first = 0;
  let last = 0;
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      const now = performance.now();
      if (count++ === 0) first = now;
      last = now;
      response.statusCode = 200;
      response.end();
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/webhooks`,
    stats: () => ({ count, seconds: (last - first) / 1000 }),
    reset: () => ((count = 0), (first = 0), (last = 0)),
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/** Baseline: the same number of signed POSTs straight from undici, same concurrency as the simulator (64). */
async function rawPosts(url, total) {
  const target = new URL(url);
  const pool = new Pool(target.origin, { connections: 64, pipelining: 1 });
  const body = JSON.stringify({ inventory_item_id: 1, location_id: 2, available: 3, updated_at: new Date().toISOString() });
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: 64 }, async () => {
      while (next++ < total) {
        const { body: responseBody } = await pool.request({
          method: 'POST',
          path: target.pathname,
          headers: { 'content-type': 'application/json', 'x-shopify-hmac-sha256': createHmac('sha256', 'secret').update(body).digest('base64'), 'x-shopify-webhook-id': randomUUID() },
          body,
        });
        await responseBody.dump();
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await pool.close();
  return total / seconds;
}

export async function run({ root, log }) {
  const sim = await startSimulator(root);
  const rows = [];
  const notes = [];
  try {
    const seeded = await sim.call('POST', '/_sim/seed', { shop: SHOP, variants: VARIANTS, locations: 3, companies: 20, seed: 1, accessTokens: [TOKEN] });
    log(`seeded ${seeded.variants} variants in ${seeded.durationMs} ms`);
    notes.push(`Seeding ${VARIANTS.toLocaleString('en')} variants × 3 locations took ${seeded.durationMs} ms.`);

    await sim.call('PUT', '/_sim/throttle', { shop: SHOP, restoreRate: RESTORE_RATE, maximumAvailable: RESTORE_RATE });
    const scan = await worker(root, 'scan', sim.url);
    log(`scan ${JSON.stringify(scan)}`);
    rows.push({
      measure: 'Paginated scan, 100k variants (ShopifyAdminClient)',
      subject: `${(scan.steadyBudgetUse * 100).toFixed(1)}% of budget`,
      baseline: `restore rate ${RESTORE_RATE.toLocaleString('en')} pts/s`,
      detail: `${(scan.elapsedMs / 1000).toFixed(1)} s, ${scan.costPoints.toLocaleString('en')} pts, ${scan.throttled} THROTTLED, overall ${(scan.overallBudgetUse * 100).toFixed(1)}% incl. initial burst`,
    });

    const bulk = await worker(root, 'bulk', sim.url);
    log(`bulk ${JSON.stringify(bulk)}`);
    rows.push({
      measure: 'Bulk operation, 100k variants (start → COMPLETED → streamed)',
      subject: `${(bulk.totalMs / 1000).toFixed(2)} s`,
      baseline: `paginated scan ${(scan.elapsedMs / 1000).toFixed(1)} s`,
      detail: `operation ${(bulk.operationMs / 1000).toFixed(2)} s, ${bulk.objects.toLocaleString('en')} objects, ${(bulk.fileBytes / 2 ** 20).toFixed(1)} MiB JSONL`,
    });

    const receiver = await startReceiver();
    await sim.call('PUT', '/_sim/settings', { webhook: { productUpdateOnInventoryChange: false } });
    await sim.graphql(
      'mutation($uri: String!) { webhookSubscriptionCreate(topic: INVENTORY_LEVELS_UPDATE, webhookSubscription: { uri: $uri, format: JSON }) { userErrors { message } } }',
      { uri: receiver.url },
    );
    const levels = [];
    for (let v = 0; levels.length < WEBHOOKS; v++) {
      levels.push({ kind: 'adjust', inventoryItemId: String(47_100_000_000_000 + v + 1), locationId: '71000000001', delta: 1 });
    }
    // Warm the connection pool, then measure.
    await sim.call('POST', '/_sim/changes', { shop: SHOP, changes: levels.slice(0, 500) });
    await sim.call('POST', '/_sim/webhooks/drain', { timeoutMs: 60_000 });
    await sim.call('POST', '/_sim/webhooks/reset-counters');
    receiver.reset();
    const started = performance.now();
    for (let i = 0; i < levels.length; i += 10_000) await sim.call('POST', '/_sim/changes', { shop: SHOP, changes: levels.slice(i, i + 10_000) });
    const drained = await sim.call('POST', '/_sim/webhooks/drain', { timeoutMs: 120_000 });
    const seconds = (performance.now() - started) / 1000;
    const delivered = receiver.stats();
    const simRate = drained.counters.succeeded / seconds;
    const rawRate = await rawPosts(receiver.url, WEBHOOKS);
    await receiver.close();
    log(`webhooks ${JSON.stringify({ ...drained.counters, seconds, delivered, rawRate })}`);
    rows.push({
      measure: `Webhook deliveries/s, ${WEBHOOKS.toLocaleString('en')} events (signed, Shopify headers)`,
      subject: `${Math.round(simRate).toLocaleString('en')} /s`,
      baseline: `raw undici POSTs ${Math.round(rawRate).toLocaleString('en')} /s`,
      detail: `${drained.counters.succeeded.toLocaleString('en')} delivered in ${seconds.toFixed(2)} s (change API call to last delivery), ${drained.counters.failed} failed`,
    });
    notes.push('Scan uses a custom plan (10,000 pts/s, bucket 10,000) so 100k variants take seconds; budget use is measured after the initial burst is spent.');
    notes.push('Simulator, bench worker and receiver share the same 2-core machine.');
  } finally {
    await sim.stop();
  }
  return {
    title: 'Shopify simulator + libs/shopify',
    description: 'Cost-paced scan, bulk operation and webhook delivery throughput against apps/shopify-sim.',
    columns: ['measure', 'subject', 'baseline', 'detail'],
    rows,
    notes,
  };
}
