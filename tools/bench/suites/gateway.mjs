// The shadow router's cost, side by side in one run with one load tool (autocannon),
// all against the same real upstreams (legacy monolith → PostgreSQL; inventory module
// → PostgreSQL, fed from the Shopify simulator through Kafka):
//   (a) client → monolith directly                       (the baseline)
//   (b0) client → a plain Node proxy (node:http + undici, nothing else) → monolith: what any Node hop costs here
//   (b0s) = (b0) plus, once the answer is written, the same request to the shadow and both answers parsed and
//        deep-compared (tools/bench/lib/gateway-shadow-proxy.mjs): the least any Node proxy pays for a shadow
//   (b) client → gateway, route in `monolith` mode
//   (c) client → gateway, 100% shadow (monolith answers, inventory shadowed + compared)
//   (d) client → Debian nginx, proxy_pass to the monolith + `mirror` to inventory
//   (e) = (c) with the shadow made 10× slower than the monolith
//   (f) = (d) with the same slow shadow (nginx's mirror holds the client's request until the mirror answers)
//   (c′) = (c) with the shadow's answers replayed from memory by the proxy: what shadowing costs the gateway
//        itself, without the module's own CPU on this shared machine
// Each row: max throughput (CONNECTIONS connections) and latency at fixed moderate rates (RATES req/s).
// The shadow upstream sits behind a delay proxy (its own process) for (c)–(f), so only the delay changes.
import { execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { stopKafkajsIdleLoop } from '../../../libs/messaging/src/kafkajs-idle-loop.ts';
import { availableQuantity, readSimTruth, truthWebhooks } from '../../../libs/testing/src/sim-truth.ts';
import { judgeGatewayAims, verdictLine } from '../lib/gateway-aims.ts';
import { cpuMs, freePort, freshDatabase, histogramBuckets, inServiceLatency, load, openLoop, pooledLatency, requestDurationBuckets, startApp } from '../lib/harness.mjs';

const require = createRequire(import.meta.url);
// This process's own Kafka clients must not spin a 1 ms timer beside the service under test.
stopKafkajsIdleLoop(require('kafkajs/src/network/requestQueue'));

const { LOCAL_SHOP, LOCAL_ADMIN_TOKEN } = require('../../dev/apps.js');

const DURATION = Number(process.env.BENCH_DURATION_SECONDS || 10);
// Latency rows at the moderate rate: long enough for a p99 of 2,000 requests per round.
const LATENCY_SECONDS = Number(process.env.BENCH_LATENCY_SECONDS || 20);
const WARMUP = 3;
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS || 32);
// Moderate loads: about 5 % and 25 % of what the gateway serves at saturation on this machine.
const RATES = (process.env.BENCH_RATES || '100,500').split(',').map(Number);
const ROUNDS = Number(process.env.BENCH_ROUNDS || 3);
const VARIANTS = 200;
const KAFKA_BROKERS = process.env.KAFKA_BROKERS || 'localhost:9092';
const ADMIN = { authorization: `Bearer ${LOCAL_ADMIN_TOKEN}`, 'content-type': 'application/json' };

export async function run({ root, log }) {
  const cleanup = [];
  const notes = [];
  try {
    // ---- the real upstreams
    const sim = await startApp('shopify-sim', { SIM_SEED_VARIANTS: '0' });
    cleanup.push(() => sim.stop());
    await post(`${sim.url}/_sim/seed`, { shop: LOCAL_SHOP, variants: VARIANTS, locations: 2, companies: 3, seed: 3 });
    // A generous API budget so the monolith's first poll takes seconds, not a minute.
    await fetch(`${sim.url}/_sim/throttle`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ restoreRate: 10_000, maximumAvailable: 20_000 }) });
    const truth = await readTruth(sim.url);

    const monolithDb = await freshDatabase('gw_monolith');
    cleanup.push(() => monolithDb.drop());
    const monolith = await startApp('legacy-monolith', { DATABASE_URL: monolithDb.url, SHOPIFY_ADMIN_URL: sim.url, POLL_INTERVAL_MS: '3600000' });
    cleanup.push(() => monolith.stop());
    await post(`${monolith.url}/sync`, {});

    const inventoryDb = await freshDatabase('gw_inventory');
    cleanup.push(() => inventoryDb.drop());
    const topic = `bench_gw_inventory_${Date.now().toString(36)}`;
    const kafka = new Kafka({ brokers: KAFKA_BROKERS.split(','), clientId: 'bench-gateway', logLevel: logLevel.NOTHING });
    await publishTruth(kafka, topic, truth);
    cleanup.push(() => deleteTopic(kafka, topic));
    const inventory = await startApp('inventory', { DATABASE_URL: inventoryDb.url, PROJECTION_TOPICS: topic, PROJECTION_GROUP_ID: topic, SWEEP_INTERVAL_MS: '600000' });
    cleanup.push(() => inventory.stop());
    await waitUntil(async () => {
      const last = truth.at(-1);
      const answer = await post(`${inventory.url}/v1/check`, { variantId: last.variantId, quantity: 1 }, {}, false);
      return answer.status === 200 && answer.body.availableQuantity === last.availableQuantity;
    }, 'inventory to project the catalogue');

    const proxyPort = await freePort();
    const proxy = spawn(process.execPath, [path.join(root, 'tools/bench/workers/delay-proxy.mjs'), String(proxyPort), inventory.url], { stdio: ['ignore', 'pipe', 'inherit'] });
    cleanup.push(() => stopChild(proxy));
    await new Promise((resolve) => proxy.stdout.once('data', resolve));
    const shadowUrl = `http://127.0.0.1:${proxyPort}`;
    const setDelay = async (ms, replay = false) => {
      await fetch(`${shadowUrl}/__delay/${ms}`, { method: 'PUT' });
      await fetch(`${shadowUrl}/__replay/${replay ? 1 : 0}`, { method: 'PUT' });
    };

    // ---- the gateway (built, as in production) and nginx
    const gatewayDb = await freshDatabase('gw_gateway');
    cleanup.push(() => gatewayDb.drop());
    // BENCH_GATEWAY_NODE_OPTIONS (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`) profiles the gateway under this load.
    const profiling = process.env.BENCH_GATEWAY_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_GATEWAY_NODE_OPTIONS } : {};
    const gateway = await startApp('gateway', { DATABASE_URL: gatewayDb.url, MONOLITH_URL: monolith.url, INVENTORY_URL: shadowUrl, PRICING_URL: 'http://127.0.0.1:9', ...profiling });
    cleanup.push(() => gateway.stop());
    const nginx = await startNginx(monolith.url, shadowUrl, notes);
    if (nginx) cleanup.push(() => nginx.stop());
    const nodeProxyPort = await freePort();
    const nodeProxy = spawn(process.execPath, [path.join(root, 'tools/bench/workers/node-proxy.mjs'), String(nodeProxyPort), monolith.url, '/inventory/check'], { stdio: ['ignore', 'pipe', 'inherit'] });
    cleanup.push(() => stopChild(nodeProxy));
    await new Promise((resolve) => nodeProxy.stdout.once('data', resolve));
    const shadowProxyPort = await freePort();
    const shadowProxy = spawn(
      process.execPath,
      [path.join(root, 'tools/bench/lib/gateway-shadow-proxy.mjs'), String(shadowProxyPort), monolith.url, '/inventory/check', shadowUrl, '/v1/check'],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    cleanup.push(() => stopChild(shadowProxy));
    await new Promise((resolve) => shadowProxy.stdout.once('data', resolve));

    // Real carts (the monolith's signed tokens), real variants: the gateway migrates each token for inventory.
    const carts = [];
    for (let i = 0; i < 50; i += 1) carts.push((await post(`${monolith.url}/carts`, {})).body.cartToken);
    const bodies = truth.map((v, i) => JSON.stringify({ variantId: v.variantId, quantity: 1 + (i % 3), cartToken: carts[i % carts.length] }));
    const requests = (pathname) => [{ method: 'POST', path: pathname, headers: { 'content-type': 'application/json' }, setupRequest: (r) => ({ ...r, body: bodies[Math.floor(Math.random() * bodies.length)] }) }];

    const throughput = async (url, pathname) => {
      await load({ url, requests: requests(pathname), connections: CONNECTIONS, duration: WARMUP });
      return load({ url, requests: requests(pathname), connections: CONNECTIONS, duration: DURATION });
    };
    // Open loop at a constant rate (tools/bench/loadgen): request i is due at i/rate whatever the
    // answers before it did, and latencies are exact, not whole milliseconds.
    const shuffled = [...bodies].sort(() => Math.random() - 0.5);
    // With `pid`, also the CPU that process spent per request during the window.
    const latency = async (url, pathname, rate, pid) => {
      await openLoop({ url: `${url}${pathname}`, method: 'POST', rate, seconds: 3, bodies: shuffled });
      const cpuBefore = pid ? cpuMs(pid) : undefined;
      const figures = await openLoop({ url: `${url}${pathname}`, method: 'POST', rate, seconds: LATENCY_SECONDS, bodies: shuffled, latencies: true });
      const cpuAfter = pid ? cpuMs(pid) : undefined;
      if (cpuBefore !== undefined && cpuAfter !== undefined && figures.count) figures.cpuPerRequest = (cpuAfter - cpuBefore) / figures.count;
      return figures;
    };
    // The gateway's own view of a run: its in-service time and the primary upstream call inside it.
    const gatewayHistograms = async () => ({
      inService: await requestDurationBuckets(gateway.url, '/v1/inventory/check'),
      primary: await histogramBuckets(gateway.url, 'understudy_shadow_latency_seconds', (line) => line.includes('route="inventory.check"') && line.includes('side="primary"')),
    });
    const route = async (changes) => {
      const current = await get(`${gateway.url}/admin/routes/inventory.check`, ADMIN);
      await patch(`${gateway.url}/admin/routes/inventory.check`, { version: current.version, reason: 'bench', ...changes });
    };
    const shadowCounts = async () => {
      const text = await (await fetch(`${gateway.url}/metrics`)).text();
      const counts = {};
      for (const match of text.matchAll(/^understudy_shadow_requests_total\{[^}]*route="inventory\.check"[^}]*outcome="(\w+)"[^}]*\} (\d+)/gm)) counts[match[1]] = Number(match[2]);
      return counts;
    };

    // "10× slower than the monolith": ten times the monolith's median latency at the moderate rate.
    await setDelay(0);
    const calibration = await latency(monolith.url, '/inventory/check', RATES[0]);
    const slowMs = Math.max(10, Math.round(10 * calibration.p50));
    log(`monolith p50 at ${RATES[0]} req/s: ${calibration.p50} ms → slow shadow +${slowMs} ms`);
    // `pid`: the proxy whose CPU per request the row reports.
    const rows = [
      { key: 'a', label: () => '(a) client → monolith', url: monolith.url, path: '/inventory/check', setup: () => setDelay(0) },
      { key: 'b0', label: () => '(b0) plain Node proxy (node:http + undici), no shadow', url: `http://127.0.0.1:${nodeProxyPort}`, path: '/v1/inventory/check', pid: nodeProxy.pid, setup: () => setDelay(0) },
      {
        key: 'b0s',
        label: () => '(b0s) plain Node proxy + shadow (second undici call after the answer, both parsed and deep-compared)',
        url: `http://127.0.0.1:${shadowProxyPort}`,
        path: '/v1/inventory/check',
        pid: shadowProxy.pid,
        setup: () => setDelay(0),
      },
      { key: 'b', label: () => '(b) gateway, monolith mode', url: gateway.url, path: '/v1/inventory/check', pid: gateway.pid, setup: async () => (await setDelay(0), route({ mode: 'monolith' })) },
      {
        key: 'c0',
        label: () => "(c′) gateway, 100% shadow, shadow answers replayed (the gateway's own cost)",
        url: gateway.url,
        path: '/v1/inventory/check',
        pid: gateway.pid,
        shadow: true,
        setup: async () => (await setDelay(0, true), route({ mode: 'shadow', shadowPercent: 100 })),
      },
      { key: 'c', label: () => '(c) gateway, 100% shadow', url: gateway.url, path: '/v1/inventory/check', pid: gateway.pid, shadow: true, setup: async () => (await setDelay(0), route({ mode: 'shadow', shadowPercent: 100 })) },
      ...(nginx ? [{ key: 'd', label: () => '(d) nginx proxy_pass + mirror', url: nginx.url, path: '/v1/inventory/check', pid: nginx.pid, setup: () => setDelay(0) }] : []),
      { key: 'e', label: () => `(e) gateway, 100% shadow, shadow 10× slower (+${slowMs} ms)`, url: gateway.url, path: '/v1/inventory/check', pid: gateway.pid, shadow: true, setup: async () => (await setDelay(slowMs), route({ mode: 'shadow', shadowPercent: 100 })) },
      ...(nginx ? [{ key: 'f', label: () => `(f) nginx mirror, mirror 10× slower (+${slowMs} ms)`, url: nginx.url, path: '/v1/inventory/check', pid: nginx.pid, setup: () => setDelay(slowMs) }] : []),
    ];
    await route({ guards: { rollback: { enabled: false }, promotion: { enabled: false } } });

    const results = Object.fromEntries(rows.map((row) => [row.key, { latency: Object.fromEntries(RATES.map((rate) => [rate, []])), byRate: {}, shadows: {} }]));
    for (const row of rows) {
      await row.setup();
      const before = row.shadow ? await shadowCounts() : undefined;
      results[row.key].max = await throughput(row.url, row.path);
      if (before) {
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        const after = await shadowCounts();
        for (const [outcome, value] of Object.entries(after)) if (value > (before[outcome] ?? 0)) results[row.key].shadows[outcome] = value - (before[outcome] ?? 0);
      }
      if (results[row.key].shadows.error || results[row.key].shadows.timeout) {
        const diffs = await get(`${gateway.url}/admin/diffs?route=inventory.check&limit=50`, ADMIN);
        const reasons = {};
        for (const diff of diffs.diffs.filter((d) => d.outcome !== 'mismatch')) reasons[`${diff.outcome}: ${diff.reason}`] = (reasons[`${diff.outcome}: ${diff.reason}`] ?? 0) + 1;
        notes.push(`${row.label()}, failed shadows sampled during the max run: ${JSON.stringify(reasons)}.`);
      }
      log(`${row.label()}: ${results[row.key].max.rps} req/s, p50 ${results[row.key].max.p50} ms, p99 ${results[row.key].max.p99} ms`);
    }
    // Latency at a moderate fixed rate, rows interleaved over several rounds (this machine's noise drifts); medians reported.
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const rate of RATES) {
        for (const row of rows) {
          await row.setup();
          const viaGateway = row.url === gateway.url;
          const before = viaGateway ? await gatewayHistograms() : undefined;
          const figures = await latency(row.url, row.path, rate, row.pid);
          if (before) {
            const after = await gatewayHistograms();
            figures.inService = inServiceLatency(before.inService, after.inService, 1);
            figures.primary = inServiceLatency(before.primary, after.primary, 1);
          }
          results[row.key].latency[rate].push(figures);
          log(`round ${round + 1} ${row.label()}: at ${rate} req/s p50 ${figures.p50} ms, p99 ${figures.p99} ms`);
        }
      }
    }
    await setDelay(0);

    const median = (values) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)];
    for (const result of Object.values(results)) {
      for (const rate of RATES) {
        const runs = result.latency[rate];
        const own = runs.filter((l) => l.inService);
        const pooled = pooledLatency(runs);
        for (const run of runs) delete run.latencies; // pooled; the JSON keeps each round's summary
        const cpu = runs.filter((l) => l.cpuPerRequest !== undefined);
        result.byRate[rate] = {
          p50: pooled.p50,
          p99: pooled.p99,
          p99Range: `${Math.min(...runs.map((l) => l.p99))}–${Math.max(...runs.map((l) => l.p99))}`,
          roundP99s: runs.map((l) => l.p99),
          cpuPerRequest: cpu.length ? round2(median(cpu.map((l) => l.cpuPerRequest))) : undefined,
          inServiceP99: own.length ? median(own.map((l) => l.inService.p99)) : undefined,
          ownP50: own.length ? median(own.map((l) => round2(l.inService.p50 - l.primary.p50))) : undefined,
        };
      }
    }
    const table = rows.map(({ key, label }) => {
      const r = results[key];
      return {
        setup: label(),
        'req/s (max)': r.max.rps,
        'p50 ms (max)': r.max.p50,
        'p99 ms (max)': r.max.p99,
        ...Object.fromEntries(
          RATES.flatMap((rate) => {
            const at = r.byRate[rate];
            return [
              [`p50 ms @${rate}/s`, at.p50],
              [`p99 ms @${rate}/s`, at.p99],
              [`p99 range @${rate}/s`, at.p99Range],
              [`Δp99 vs (a) @${rate}/s`, round2(at.p99 - results.a.byRate[rate].p99)],
              [`proxy CPU ms/req @${rate}/s`, at.cpuPerRequest ?? '–'],
              [`gateway in-service p99 ms @${rate}/s`, at.inServiceP99 ?? '–'],
              [`gateway's own p50 ms @${rate}/s`, at.ownP50 ?? '–'],
            ];
          }),
        ),
        errors: r.max.errors + r.max.non2xx + RATES.flatMap((rate) => r.latency[rate]).reduce((sum, l) => sum + l.errors + l.non2xx, 0),
        'shadows (max run)': Object.keys(r.shadows).length ? Object.entries(r.shadows).map(([k, v]) => `${k} ${v}`).join(', ') : '–',
      };
    });

    notes.push(
      `Max throughput: autocannon, ${CONNECTIONS} connections, closed loop, ${DURATION} s after a ${WARMUP} s warm-up. Latency: tools/bench/loadgen (Go), open loop at constant rates of ${RATES.join(' and ')} req/s, ${LATENCY_SECONDS} s per row and rate after 3 s at the same rate, rows interleaved over ${ROUNDS} rounds; p50 and p99 are those of all rounds' latencies pooled (the range is that of each round's own p99). Latencies are exact (every request kept), counted from when the generator reached each request (its due time unless the generator itself ran late), including any wait for a free connection.`,
    );
    notes.push(
      '`proxy CPU ms/req`: CPU time (user + system, from /proc) the gateway, the plain Node proxy or nginx spent per request during the row, median of the rounds — steadier than a p99 on this machine.',
    );
    notes.push(
      "`gateway in-service`: the gateway's own understudy_http_request_duration_seconds over the row (interpolated in its bucket); `gateway's own p50`: that p50 minus the p50 of the primary upstream call inside it (understudy_shadow_latency_seconds, side=primary) — the time the gateway itself adds: parsing, validation, token migration, routing, writing the answer.",
    );
    notes.push('Request: POST inventory check for a random seeded variant with a real monolith cart token (lm1.…); the gateway validates it against libs/contracts, migrates the token for the module, and compares every shadow answer.');
    notes.push('Everything runs on this one machine: load generator, gateway, monolith, inventory, PostgreSQL, Kafka, the delay proxy and nginx share the cores.');
    // Issue #17's aims, each against its baseline from this run (tools/bench/lib/gateway-aims.ts).
    const aims = judgeGatewayAims(Object.fromEntries(Object.entries(results).map(([key, r]) => [key, r.byRate])), RATES);
    notes.unshift(...aims.map(verdictLine));
    for (const rate of RATES) {
      const at = (key) => results[key].byRate[rate];
      notes.push(
        `Where the p99 goes at ${rate} req/s, each row against (a): any Node hop (b0) ${signed(round2(at('b0').p99 - at('a').p99))} ms; the gateway without a shadow (b) ${signed(round2(at('b').p99 - at('a').p99))} ms; ` +
          `100 % shadow (c) ${signed(round2(at('c').p99 - at('a').p99))} ms; (c′), the module's CPU taken out, ${signed(round2(at('c0').p99 - at('a').p99))} ms; nginx (d) ${results.d ? signed(round2(at('d').p99 - at('a').p99)) : '–'} ms. ` +
          `CPU per request: bare Node proxy ${at('b0').cpuPerRequest} ms, the same proxy shadowing every request (b0s) ${at('b0s').cpuPerRequest} ms (${round2(at('b0s').cpuPerRequest / at('b0').cpuPerRequest)}× (b0): the floor for shadowing in Node), gateway without a shadow ${at('b').cpuPerRequest} ms (${round2(at('b').cpuPerRequest / at('b0').cpuPerRequest)}×), with 100 % shadow ${at('c').cpuPerRequest} ms, nginx with its mirror ${results.d ? at('d').cpuPerRequest : '–'} ms.`,
      );
    }
    if (results.d) notes.push(`Throughput: (c) serves ${Math.round((100 * results.c.max.rps) / results.d.max.rps)}% of nginx's (d) (${results.c.max.rps} vs ${results.d.max.rps} req/s); with the slow shadow (e) at max load p99 ${results.c.max.p99} → ${results.e.max.p99} ms.`);
    if (results.f) notes.push(`For comparison, nginx with the same slow mirror: at max load ${results.d.max.rps} → ${results.f.max.rps} req/s, p99 ${results.d.max.p99} → ${results.f.max.p99} ms.`);
    notes.push('`shadows`: the gateway’s understudy_shadow_requests_total outcomes during the row; `skipped` = shadow calls not made because SHADOW_MAX_CONCURRENCY slots were all busy (never queued).');
    return {
      title: 'Gateway: the shadow router against the monolith and nginx',
      description: 'Throughput and latency of checkout inventory checks through each setup, same upstreams, same load tool, one run.',
      columns: Object.keys(table[0]),
      rows: table,
      notes,
      aims,
    };
  } finally {
    for (const step of cleanup.reverse()) await Promise.resolve().then(step).catch(() => undefined);
  }
}

const round2 = (value) => Math.round(value * 100) / 100;
const signed = (value) => `${value >= 0 ? '+' : ''}${value}`;

async function post(url, body, headers = {}, strict = true) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const text = await response.text();
  if (strict && !response.ok) throw new Error(`POST ${url} → ${response.status} ${text}`);
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

async function get(url, headers) {
  const response = await fetch(url, { headers });
  if (!response.ok) throw new Error(`GET ${url} → ${response.status}`);
  return response.json();
}

async function patch(url, body) {
  const response = await fetch(url, { method: 'PATCH', headers: ADMIN, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`PATCH ${url} → ${response.status} ${await response.text()}`);
}

async function waitUntil(check, what, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function stopChild(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', resolve);
    child.kill('SIGTERM');
  });
}

async function readTruth(simUrl) {
  return (await readSimTruth(simUrl)).map((variant) => ({ ...variant, availableQuantity: availableQuantity(variant) }));
}

/** The webhooks Shopify would have sent for the seeded catalogue, in webhook-ingest's envelope, on a bench topic. */
async function publishTruth(kafka, topic, variants) {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 1, replicationFactor: 1 }] });
  await admin.disconnect();
  const messages = truthWebhooks(variants).map(({ topic: shopifyTopic, key, payload, at }) => ({
    key,
    value: JSON.stringify({ webhookId: randomUUID(), eventId: randomUUID(), topic: shopifyTopic, shop: LOCAL_SHOP, apiVersion: '2026-10', triggeredAt: at, receivedAt: new Date().toISOString(), payload }),
  }));
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic, messages });
  await producer.disconnect();
}

async function deleteTopic(kafka, topic) {
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await admin.disconnect();
}

/** Debian's nginx: installed with apt-get when missing (root only); undefined, with a note, when that is impossible. */
async function startNginx(monolithUrl, shadowUrl, notes) {
  const binary = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((candidate) => {
    try {
      execFileSync(candidate, ['-v'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  });
  let nginx = binary;
  if (!nginx) {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    try {
      try {
        execFileSync('apt-get', ['install', '-y', 'nginx'], { stdio: 'ignore', env });
      } catch {
        execFileSync('apt-get', ['update'], { stdio: 'ignore', env });
        execFileSync('apt-get', ['install', '-y', 'nginx'], { stdio: 'ignore', env });
      }
    } catch (error) {
      notes.push(`Rows (d) and (f) skipped: nginx is not installed and \`apt-get install -y nginx\` failed (${String(error.message ?? error).split('\n')[0]}); run the suite as root with access to the Debian mirrors.`);
      return undefined;
    }
    nginx = '/usr/sbin/nginx';
  }
  const version = execFileSync(nginx, ['-v'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim() || 'nginx';
  const port = await freePort();
  const prefix = mkdtempSync(path.join(os.tmpdir(), 'bench-nginx-'));
  const monolith = new URL(monolithUrl);
  const shadow = new URL(shadowUrl);
  // One worker: the gateway is one Node process (one core), so this compares like with like.
  writeFileSync(
    path.join(prefix, 'nginx.conf'),
    `worker_processes 1;
pid ${prefix}/nginx.pid;
error_log ${prefix}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${prefix}/body;
  proxy_temp_path ${prefix}/proxy;
  upstream monolith { server ${monolith.hostname}:${monolith.port}; keepalive 128; }
  upstream shadow { server ${shadow.hostname}:${shadow.port}; keepalive 128; }
  server {
    listen 127.0.0.1:${port};
    location = /__health { return 200 'ok'; }
    location = /v1/inventory/check {
      mirror /__mirror;
      mirror_request_body on;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_pass http://monolith/inventory/check;
    }
    location = /__mirror {
      internal;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header x-understudy-shadow 1;
      proxy_pass http://shadow/v1/check;
    }
  }
}
`,
  );
  const child = spawn(nginx, ['-p', prefix, '-c', path.join(prefix, 'nginx.conf'), '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'inherit'] });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntil(async () => (await fetch(`${url}/__health`)).status === 200, 'nginx to listen', 15_000);
  } catch (error) {
    await stopChild(child);
    throw error;
  }
  notes.push(`nginx: ${version.replace(/^nginx version: /, '')}, 1 worker, keepalive upstreams, \`mirror\` + \`mirror_request_body on\` (no comparison, no token migration: it forwards the monolith token as is).`);
  return { url, pid: child.pid, stop: () => stopChild(child) };
}
