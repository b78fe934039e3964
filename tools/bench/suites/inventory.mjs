// Inventory benchmark: the built service (dist, as production runs it) against the
// real PostgreSQL and Kafka, a fresh database and fresh topics per run.
//   - availability check latency at 2,000 req/s and at saturation, beside two baselines
//     measured in the same run and under the same load: GET /health/live of the same
//     process (HTTP stack only) and the check's own SQL sent straight through `pg`;
//   - reservations per second under contention (every request on the same row lock);
//   - projection throughput (events applied per second);
//   - Kafka publish → visible lag at 1,000 events/s.
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { createRequire } from 'node:module';
import { stopKafkajsIdleLoop } from '../../../libs/messaging/src/kafkajs-idle-loop.ts';
import { inServiceLatency, openLoop, requestDurationBuckets } from '../lib/harness.mjs';
import { ADMIN_URL, BENCH_POOL_SIZE, envelope, percentiles, row, send, sleep, startBenchService, waitFor } from '../lib/service-kit.mjs';
import { pgbenchHotRow } from '../lib/pgbench.mjs';
import { pgOpenLoop } from '../lib/pg-open-loop.mjs';

const REDIS_URL = process.env.TEST_REDIS_URL || 'redis://localhost:6379';

const VARIANTS = 1_000;
const FIRST_VARIANT = 1;
const FIRST_ITEM = 100_001;
const HOT_VARIANT = FIRST_VARIANT; // reservations under contention all hit this one
const TEN_HOT = Array.from({ length: 10 }, (_, i) => FIRST_VARIANT + 1 + i); // 3-line carts over these
const SELLOUT_VARIANT = FIRST_VARIANT + 500;
const SELLOUT_UNITS = 2_000;
const SELLOUT_REQUESTS = 6_000;
const RESERVE_CONNECTIONS = 32;
const PACED_P99_AIM_MS = 50; // issue #17
const APPLY_EVENTS = 50_000;
const LAG_RATE = 1_000; // events/s
const LAG_SECONDS = 15;
const CHECK_RATE = 2_000; // req/s
const CHECK_OBJECTIVE_MS = 2; // issue #5: p99 ≤ 2 ms in-service at CHECK_RATE
// The check is measured in steady state: long enough a warm-up for the JIT to settle, and a
// window long enough that one scheduling hiccup on this shared machine does not decide its p99.
const CHECK_WARMUP_SECONDS = 10;
const CHECK_SECONDS = 30;
// Sized to the database's cores (2 here), as PostgreSQL's own guidance has it, not to the request
// rate: ten backends woken at once on 2 cores queued behind each other (see docs/performance.md).
const POOL_SIZE = 4;
const LOAD_SECONDS = 10;
const WARMUP_SECONDS = 2;

// BENCH_INVENTORY_SECTIONS=reservations (comma-separated: check, reservations, projection) runs only those rows.
const SECTIONS = ['check', 'reservations', 'projection'];
const sections = new Set(process.env.BENCH_INVENTORY_SECTIONS ? process.env.BENCH_INVENTORY_SECTIONS.split(',').map((s) => s.trim()) : SECTIONS);

// This process's own Kafka clients must not spin a 1 ms timer beside the service under test.
stopKafkajsIdleLoop(createRequire(import.meta.url)('kafkajs/src/network/requestQueue'));

export async function run({ log }) {
  const loadBefore = os.loadavg()[0];
  const bench = await startBenchService({ app: 'inventory', log, topics: { levels: 'inventory_levels.update', products: 'products.update' }, env: { REDIS_URL, DATABASE_POOL_SIZE: String(POOL_SIZE) } });
  const { url, db, producer, topics } = bench;

  try {

    // Seed: 100 products × 10 variants, each with one inventory item stocked at location 1.
    log(`seeding ${VARIANTS} variants through Kafka`);
    const seededAt = new Date(Date.now() - 3_600_000).toISOString();
    const products = [];
    for (let p = 0; p < VARIANTS / 10; p++) {
      const variants = Array.from({ length: 10 }, (_, v) => {
        const variant = FIRST_VARIANT + p * 10 + v;
        return { id: variant, product_id: 9_000 + p, inventory_item_id: FIRST_ITEM + variant - FIRST_VARIANT };
      });
      products.push(envelope('products/update', { id: 9_000 + p, title: `Bench ${p}`, updated_at: seededAt, variants }, seededAt));
    }
    await send(producer, topics.products, products, (e) => String(e.payload.id));
    const levels = Array.from({ length: VARIANTS }, (_, i) =>
      envelope('inventory_levels/update', { inventory_item_id: FIRST_ITEM + i, location_id: 1, available: 1_000_000_000, updated_at: seededAt }, seededAt),
    );
    await send(producer, topics.levels, levels, (e) => String(e.payload.inventory_item_id));
    await waitFor(async () => Number((await db.query('SELECT count(*) AS n FROM stock WHERE on_hand > 0')).rows[0].n) === VARIANTS, 60_000, () => 'the seed');

    const rows = [];

    if (sections.has('check')) {
      // Availability check: baselines and subject under the same constant 2,000 req/s.
      log(`GET /health/live at ${CHECK_RATE} req/s (baseline: HTTP stack only)`);
      const live = await paced({ url: `${url}/health/live`, rate: CHECK_RATE });
      rows.push(row('baseline: GET /health/live (same process)', `${CHECK_RATE}/s open loop`, live));

      log(`raw check SQL via pg at ${CHECK_RATE} q/s (baseline: database only)`);
      const raw = await rawSqlLoad(db, CHECK_RATE, LOAD_SECONDS);
      rows.push(row("baseline: the check's SQL straight through pg", `${CHECK_RATE}/s open loop (pg client in Node)`, raw, { notes: `the client's own CPU: ${raw.clientCpuShare} of a core` }));

      log(`POST /v1/check at ${CHECK_RATE} req/s`);
      rows.push(await checkRow('POST /v1/check', url));

      log('GET /health/live at saturation (32 connections)');
      const liveMax = await load({ url: `${url}/health/live`, connections: 32 });
      rows.push(row('baseline: GET /health/live, saturated', 'max', liveMax));
      log('POST /v1/check at saturation (32 connections)');
      const checkMax = await load({ url: `${url}/v1/check`, method: 'POST', connections: 32, body: () => checkBody() });
      rows.push(row('POST /v1/check, saturated', 'max', checkMax));
    }

    // Reservations under contention, against the database's own one-commit-per-request rate.
    if (sections.has('reservations')) {
      const restock = async (variantId, units) => {
        const item = FIRST_ITEM + variantId - FIRST_VARIANT;
        const updatedAt = new Date(Date.parse(seededAt) + 500).toISOString();
        await send(producer, topics.levels, [envelope('inventory_levels/update', { inventory_item_id: item, location_id: 1, available: units, updated_at: updatedAt }, updatedAt)], (e) => String(e.payload.inventory_item_id));
        await waitFor(async () => Number((await db.query('SELECT on_hand FROM stock WHERE inventory_item_id = $1', [item])).rows[0].on_hand) === units, 60_000, () => 'the restock');
      };
      rows.push(...(await reservationRows({ url, db, log, restock })));
    }

    if (sections.has('projection')) {
      // Projection throughput.
      log(`publishing ${APPLY_EVENTS} inventory level updates`);
      const applyStart = Date.parse(seededAt) + 1_000;
      const updates = Array.from({ length: APPLY_EVENTS }, (_, i) => {
        const updatedAt = new Date(applyStart + Math.floor(i / (VARIANTS * 5)) * 1_000).toISOString();
        return envelope(
          'inventory_levels/update',
          { inventory_item_id: FIRST_ITEM + (i % VARIANTS), location_id: 2 + (Math.floor(i / VARIANTS) % 5), available: 500 + i, updated_at: updatedAt },
          updatedAt,
          'bench-apply-',
        );
      });
      const published = performance.now();
      await send(producer, topics.levels, updates, (e) => String(e.payload.inventory_item_id));
      const publishSeconds = (performance.now() - published) / 1000;
      const applied = await waitFor(
        async () => {
          const { rows: [r] } = await db.query(
            `SELECT count(*) AS n, extract(epoch FROM max(processed_at) - min(processed_at)) AS seconds
               FROM processed_events WHERE event_id LIKE 'bench-apply-%'`,
          );
          return Number(r.n) === APPLY_EVENTS ? Number(r.seconds) : undefined;
        },
        120_000,
        () => 'the projection to apply every event',
      );
      rows.push({
        measurement: `projection: ${APPLY_EVENTS.toLocaleString('en')} level updates, 1,000 items × 5 locations`,
        load: `published in ${publishSeconds.toFixed(1)} s`,
        'throughput /s': Math.round(APPLY_EVENTS / applied),
        notes: 'first to last transaction start (processed_at); chunks of 500, one multi-row upsert each',
      });

      // Publish → visible at 1,000 events/s: one new (item, location) row per event, so each
      // event's visibility is its own row's applied_at (written by the applying transaction).
      log(`publishing ${LAG_RATE} events/s for ${LAG_SECONDS} s and measuring publish → visible`);
      const sentAt = new Map();
      const tickMs = 10;
      const perTick = (LAG_RATE * tickMs) / 1000;
      const total = LAG_RATE * LAG_SECONDS;
      const origin = performance.now();
      let seq = 0;
      const sends = [];
      while (seq < total) {
        const due = origin + (seq / LAG_RATE) * 1000;
        const wait = due - performance.now();
        if (wait > 0) await sleep(wait);
        const batch = [];
        for (let i = 0; i < perTick && seq < total; i++, seq++) {
          const now = new Date();
          const item = FIRST_ITEM + (seq % VARIANTS);
          const location = 1_000 + seq;
          sentAt.set(`${item}:${location}`, performance.timeOrigin + performance.now());
          batch.push(envelope('inventory_levels/update', { inventory_item_id: item, location_id: location, available: 1, updated_at: now.toISOString() }, now.toISOString()));
        }
        sends.push(send(producer, topics.levels, batch, (e) => String(e.payload.inventory_item_id)));
      }
      await Promise.all(sends);
      const lags = await waitFor(
        async () => {
          const { rows: seen } = await db.query(
            `SELECT inventory_item_id, location_id, extract(epoch FROM applied_at) * 1000 AS visible FROM inventory_levels WHERE location_id >= 1000`,
          );
          if (seen.length < total) return undefined;
          return seen.map((r) => Number(r.visible) - sentAt.get(`${r.inventory_item_id}:${r.location_id}`));
        },
        60_000,
        () => 'every lag event to be visible',
      );
      const lagStats = percentiles(lags);
      rows.push({
        measurement: 'Kafka publish → visible in PostgreSQL',
        load: `${LAG_RATE}/s for ${LAG_SECONDS} s`,
        'p50 ms': lagStats.p50,
        'p99 ms': lagStats.p99,
        'max ms': lagStats.max,
        notes: 'producer send (acks=all) → consumer → committed row; applied_at from the applying statement',
      });
    }

    return {
      title: 'Inventory: availability checks, reservations, projection',
      description:
        'The built inventory service on the local PostgreSQL and Kafka (fresh database and topics), loaded from the same 2-core machine. ' +
        'Every subject row has its baselines from the same run: GET /health/live of the same process (the HTTP stack alone) and the check’s SQL sent straight through pg (the database alone).',
      columns: ['measurement', 'load', 'p50 ms', 'p99 ms', 'max ms', 'in-service p50 ms', 'in-service p99 ms', `in-service ≤ ${CHECK_OBJECTIVE_MS} ms`, 'throughput /s', 'non-2xx', 'vs pgbench', 'aim', 'notes'],
      rows,
      notes: [
        `Target (issue #5): check p99 ≤ ${CHECK_OBJECTIVE_MS} ms in-service at ${CHECK_RATE.toLocaleString('en')} req/s, i.e. at least 99 % of checks in the service's le=${CHECK_OBJECTIVE_MS / 1000} bucket; the published Go rewrite reached < 8 ms p99.`,
        '"open loop" rows: tools/bench/loadgen (Go) sends request i at start + i/rate over up to 64 keep-alive connections; a request\'s latency counts from when it was due, including any wait for a free connection. Every latency is kept (exact percentiles). "max" rows: autocannon with 32 connections, closed loop. All clients share the 2 cores with the service, PostgreSQL and Kafka, so client-side figures include loopback networking and the generator.',
        '"in-service": the service\'s own understudy_http_request_duration_seconds (Fastify onRequest → response written) for the measured run only (warm-up excluded): the share within the objective is exact (it is a bucket bound); p50/p99 are interpolated within their bucket, as histogram_quantile does.',
        `The check is measured over ${CHECK_SECONDS} s after a ${CHECK_WARMUP_SECONDS} s warm-up at the same rate (the JIT keeps optimising for several seconds); other open-loop rows: ${LOAD_SECONDS} s after ${WARMUP_SECONDS} s. The service runs with DATABASE_POOL_SIZE=${POOL_SIZE} (2 × the database's cores).`,
        'Reservations (issue #17): every request carries a fresh Idempotency-Key and a fresh or reused cart token. "one hot variant": every request needs the same stock row; "3 lines over 10 hot variants": each cart takes one unit of 3 distinct variants of the same 10 (stock 10^9, so all should be 201). "vs pgbench" is the row\'s 201s per second over the pgbench baseline of this run (one single-row UPDATE per transaction, 32 clients, its own scratch database). Aims: ≥ 2× pgbench on one hot variant, ≥ 3× on 10 hot variants, p99 < 50 ms open loop at half of that aimed rate; every group\'s 201s (warm-ups included) are reconciled with the reserved counters and the active lines, and the suite fails on any difference. The sell-out row grants one unit at a time from a stock that runs out mid-burst: exactly the stock may be 201.',
        'Tracing as in production without a collector: every request runs in its trace (the caller\'s traceparent or a new id, in log lines and outgoing messages); nothing is recorded or exported.',
        `Machine load average (1 min) before / after the suite: ${loadBefore.toFixed(2)} / ${os.loadavg()[0].toFixed(2)} on ${os.cpus().length} cores; other work on the machine shows up in the tails.`,
      ],
    };
  } finally {
    await bench.stop();
  }
}

/**
 * Reservations under contention (issue #17). The baseline is PostgreSQL's own rate for the simplest
 * one-commit-per-request equivalent (pgbench, one hot row, 32 clients), measured in this run on this
 * server. Every row's 201s are then reconciled with the database: the reserved counters and the active
 * lines must hold exactly the units of the 201s (nothing lost, nothing extra), and no item may go
 * below zero; the sell-out row proves it where the stock runs out mid-burst.
 */
async function reservationRows({ url, db, log, restock }) {
  const rows = [];
  log(`pgbench: one UPDATE of one hot row per transaction, ${RESERVE_CONNECTIONS} clients, ${LOAD_SECONDS} s (baseline: the database's commit rate)`);
  const pgbench = await pgbenchHotRow({ adminUrl: ADMIN_URL, clients: RESERVE_CONNECTIONS, seconds: LOAD_SECONDS });
  rows.push({
    measurement: 'baseline: pgbench, UPDATE … SET n = n - 1 WHERE id = 1 AND n >= 1, one per transaction',
    load: `${RESERVE_CONNECTIONS} clients, ${LOAD_SECONDS} s`,
    'p50 ms': undefined,
    'throughput /s': Math.round(pgbench.tps),
    notes: `pgbench's own scratch database on the same server; latency average ${pgbench.latencyMs} ms`,
  });
  const reservations = `${url}/v1/reservations`;
  const oneHot = () => JSON.stringify({ cartToken: randomUUID(), lines: [{ variantId: HOT_VARIANT, quantity: 1 }], ttlSeconds: 600 });
  const threeOfTen = () => {
    const picked = new Set();
    while (picked.size < 3) picked.add(TEN_HOT[Math.floor(Math.random() * TEN_HOT.length)]);
    return JSON.stringify({ cartToken: randomUUID(), lines: [...picked].map((variantId) => ({ variantId, quantity: 1 })), ttlSeconds: 600 });
  };
  const aim = (ok) => (ok ? 'met' : 'NOT met');

  // Units in 201s per variant group, counted by the clients (warm-ups included), to reconcile with the database.
  for (const group of [
    { name: '1 line, one hot variant', variants: [HOT_VARIANT], body: oneHot, unitsPerCart: 1, factor: 2 },
    { name: '3 lines over 10 hot variants', variants: TEN_HOT, body: threeOfTen, unitsPerCart: 3, factor: 3 },
  ]) {
    let created = 0;
    let unanswered = 0;
    log(`POST /v1/reservations, ${group.name} (${RESERVE_CONNECTIONS} connections, closed loop)`);
    const warm = await loadOnce({ url: reservations, method: 'POST', connections: RESERVE_CONNECTIONS, body: group.body, idempotencyKey: true }, WARMUP_SECONDS);
    const max = await loadOnce({ url: reservations, method: 'POST', connections: RESERVE_CONNECTIONS, body: group.body, idempotencyKey: true }, LOAD_SECONDS);
    created += warm.created + max.created;
    unanswered += warm.unanswered + max.unanswered;
    const ratio = max.rate / pgbench.tps;
    rows.push(
      row(`POST /v1/reservations, ${group.name}`, `max, ${RESERVE_CONNECTIONS} connections`, max, {
        'vs pgbench': `${ratio.toFixed(2)}×`,
        aim: `≥ ${group.factor}× pgbench: ${aim(ratio >= group.factor)}`,
      }),
    );

    // "p99 under 50 ms at half that rate": half of the aimed rate (factor × pgbench), open loop.
    const rate = Math.round((group.factor * pgbench.tps) / 2);
    log(`POST /v1/reservations, ${group.name}, open loop at ${rate}/s (half of ${group.factor}× pgbench)`);
    // Bodies are reused round-robin (a cart token may come back); every request has its own Idempotency-Key.
    const bodies = Array.from({ length: 2_000 }, group.body);
    const prefix = `bench-${group.unitsPerCart}-${Date.now().toString(36)}-`;
    const warmPaced = await openLoop({ url: reservations, method: 'POST', rate, seconds: WARMUP_SECONDS, bodies, uniqueHeader: { name: 'idempotency-key', prefix: `${prefix}w` } });
    const paced = await openLoop({ url: reservations, method: 'POST', rate, seconds: LOAD_SECONDS, bodies, uniqueHeader: { name: 'idempotency-key', prefix } });
    created += warmPaced.ok + paced.ok;
    unanswered += warmPaced.errors + paced.errors;
    const pacedNon2xx = paced.non2xx + paced.errors;
    rows.push(
      row(`POST /v1/reservations, ${group.name}`, `${rate}/s open loop`, { ...paced, non2xx: pacedNon2xx }, {
        'vs pgbench': `${(paced.rate / pgbench.tps).toFixed(2)}×`,
        aim: `p99 < ${PACED_P99_AIM_MS} ms: ${aim(paced.p99 < PACED_P99_AIM_MS && pacedNon2xx === 0)}`,
      }),
    );

    // Nothing lost: every 201's units are held. Nothing extra: only requests without an answer (client
    // timeouts, which the service may have completed) can hold units without a 201. Never below zero.
    const held = await heldUnits(db, group.variants);
    const granted = created * group.unitsPerCart;
    const ceiling = (created + unanswered) * group.unitsPerCart;
    rows.at(-1).notes =
      `accounting: ${granted} units in 201s` +
      (unanswered ? ` (+ ${unanswered} requests unanswered at the client)` : '') +
      `, ${held.reserved} reserved, ${held.lineUnits} in active lines, lowest free ${held.lowestFree}`;
    if (held.reserved !== held.lineUnits || held.reserved < granted || held.reserved > ceiling || held.lowestFree < 0) {
      throw new Error(`reservations lost or oversold (${group.name}): ${JSON.stringify({ granted, unanswered, ...held })}`);
    }
  }

  // Sell-out: the stock runs out mid-burst; exactly the stock's units may be granted.
  log(`sell-out: ${SELLOUT_REQUESTS} reservations of one unit against ${SELLOUT_UNITS} units`);
  await restock(SELLOUT_VARIANT, SELLOUT_UNITS);
  const sellout = await loadOnce(
    {
      url: reservations,
      method: 'POST',
      connections: RESERVE_CONNECTIONS,
      amount: SELLOUT_REQUESTS,
      body: () => JSON.stringify({ cartToken: randomUUID(), lines: [{ variantId: SELLOUT_VARIANT, quantity: 1 }], ttlSeconds: 600 }),
      idempotencyKey: true,
    },
    undefined,
  );
  const held = await heldUnits(db, [SELLOUT_VARIANT]);
  const refused = sellout.statuses[409] ?? 0;
  const exact = sellout.created === SELLOUT_UNITS && refused === SELLOUT_REQUESTS - SELLOUT_UNITS && held.reserved === SELLOUT_UNITS && held.lineUnits === SELLOUT_UNITS && held.lowestFree === 0;
  rows.push(
    row(`POST /v1/reservations, sell-out of ${SELLOUT_UNITS} units`, `${SELLOUT_REQUESTS} requests, ${RESERVE_CONNECTIONS} connections`, { ...sellout, non2xx: sellout.non2xx - refused }, {
      aim: `zero oversells, zero lost: ${aim(exact)}`,
      notes: `${sellout.created} × 201, ${refused} × 409, ${held.reserved} reserved, ${held.lineUnits} in active lines, free ${held.lowestFree}; non-2xx excludes the 409s`,
    }),
  );
  if (!exact) throw new Error(`sell-out did not grant exactly the stock: ${JSON.stringify({ statuses: sellout.statuses, ...held })}`);
  return rows;
}

/** What the database holds for some variants: reserved counters, units in active lines, and the lowest on_hand − reserved. */
async function heldUnits(db, variantIds) {
  const {
    rows: [held],
  } = await db.query(
    `SELECT coalesce(sum(s.reserved), 0)::int8 AS reserved,
            min(s.on_hand - s.reserved)::int8 AS lowest_free,
            (SELECT coalesce(sum(l.quantity), 0)::int8 FROM reservation_lines l WHERE l.variant_id = ANY($1::int8[]) AND l.status = 'active') AS line_units
       FROM variants v JOIN stock s ON s.inventory_item_id = v.inventory_item_id
      WHERE v.variant_id = ANY($1::int8[])`,
    [variantIds],
  );
  return { reserved: Number(held.reserved), lineUnits: Number(held.line_units), lowestFree: Number(held.lowest_free) };
}


function checkBody() {
  return JSON.stringify({ variantId: FIRST_VARIANT + 20 + Math.floor(Math.random() * (VARIANTS - 20)), quantity: 1 });
}

/** An open-loop constant-rate load (tools/bench/loadgen), after a warm-up at the same rate. */
async function paced({ url, method = 'GET', rate, body }) {
  const bodies = body ? Array.from({ length: 2_000 }, body) : [];
  await openLoop({ url, method, rate, seconds: WARMUP_SECONDS, bodies });
  const result = await openLoop({ url, method, rate, seconds: LOAD_SECONDS, bodies });
  return { ...result, non2xx: result.non2xx + result.errors };
}

/** The check at CHECK_RATE, seen by the client and by the service itself (its request-duration histogram, warm-up excluded). */
async function checkRow(measurement, url) {
  const bodies = Array.from({ length: 2_000 }, checkBody);
  await openLoop({ url: `${url}/v1/check`, method: 'POST', rate: CHECK_RATE, seconds: CHECK_WARMUP_SECONDS, bodies });
  const before = await requestDurationBuckets(url, '/v1/check');
  const check = await openLoop({ url: `${url}/v1/check`, method: 'POST', rate: CHECK_RATE, seconds: CHECK_SECONDS, bodies });
  const inService = inServiceLatency(before, await requestDurationBuckets(url, '/v1/check'), CHECK_OBJECTIVE_MS);
  return row(measurement, `${CHECK_RATE}/s open loop, ${CHECK_SECONDS} s`, { ...check, non2xx: check.non2xx + check.errors }, {
    'in-service p50 ms': inService.p50,
    'in-service p99 ms': inService.p99,
    [`in-service ≤ ${CHECK_OBJECTIVE_MS} ms`]: inService.withinObjective === undefined ? '–' : `${(100 * inService.withinObjective).toFixed(2)} %`,
  });
}

/**
 * autocannon, after a short warm-up at the same settings (connections, JIT, pool),
 * collecting every response time itself (autocannon's own histogram has 1 ms resolution).
 */
async function load(settings) {
  await loadOnce(settings, WARMUP_SECONDS);
  return loadOnce(settings, LOAD_SECONDS);
}

async function loadOnce({ url, method = 'GET', connections, overallRate, body, idempotencyKey = false, amount }, duration) {
  const latencies = [];
  const statuses = {};
  let sent = 0;
  let answered = 0;
  const options = {
    url,
    method,
    connections,
    ...(amount ? { amount } : { duration }),
    ...(overallRate ? { overallRate } : {}),
    headers: body ? { 'content-type': 'application/json' } : {},
    ...(body
      ? {
          requests: [
            {
              setupRequest: (request) => {
                sent++;
                return {
                  ...request,
                  body: body(),
                  headers: { ...request.headers, ...(idempotencyKey ? { 'idempotency-key': randomUUID() } : {}) },
                };
              },
            },
          ],
        }
      : {}),
  };
  const instance = autocannon(options);
  instance.on('response', (_client, statusCode, _bytes, responseTime) => {
    answered++;
    statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
    if (statusCode < 300) latencies.push(responseTime);
  });
  const result = await instance;
  const seconds = amount ? result.duration : duration;
  return {
    ...percentiles(latencies),
    // 2xx answers per second (a refusal is fast and must not count as a reservation).
    rate: latencies.length / seconds,
    non2xx: result.non2xx + result.errors + result.timeouts,
    // Requests sent whose answer never came (a timeout, or still in flight when the run stopped):
    // the service may or may not have completed them.
    unanswered: Math.max(0, sent - answered),
    statuses,
    created: statuses[201] ?? 0,
  };
}

/** The check's own statement (the prepared one the service runs), at a fixed open-loop rate. */
function rawSqlLoad(db, rate, seconds) {
  const text = `
    SELECT a.tracked, a.on_hand, a.reserved, 0 AS held_by_cart
      FROM variants v JOIN item_availability a ON a.inventory_item_id = v.inventory_item_id
     WHERE v.variant_id = $1`;
  const check = (i) => db.query({ name: 'bench_check', text, values: [FIRST_VARIANT + 20 + (i % (VARIANTS - 20))] });
  return pgOpenLoop({ rate, seconds, call: check, connections: BENCH_POOL_SIZE });
}
