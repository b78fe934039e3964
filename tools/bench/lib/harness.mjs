// Shared pieces of the benchmark suites: start an app from its build with a
// fresh database, load it (autocannon for saturation, tools/bench/loadgen for a
// constant rate), read a service's own histograms, summarise. Suites stay small and alike.
import { execFile, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';
import { buildApp } from '../../dev/build.mjs';

const require = createRequire(import.meta.url);
const { localEnv } = require('../../dev/apps.js');
const ADMIN_URL = process.env.TEST_DATABASE_ADMIN_URL || 'postgres://understudy:understudy@localhost:5432/postgres';

// BENCH_PORTS=41100-41199 keeps every port a run opens inside that range (a shared machine
// where each person has their own); without it, the OS picks any free port.
const [portFloor, portCeiling] = (process.env.BENCH_PORTS ?? '').split('-').map(Number);
let nextPort = portFloor;

export async function freePort() {
  if (!portFloor) return listenOn(0);
  while (nextPort <= portCeiling) {
    const port = await listenOn(nextPort++).catch(() => undefined);
    if (port) return port;
  }
  throw new Error(`no free port left in BENCH_PORTS=${process.env.BENCH_PORTS}`);
}

function listenOn(wanted) {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(wanted, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export async function freshDatabase(prefix) {
  const name = `bench_${prefix}_${Date.now().toString(36)}`.replace(/-/g, '_');
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  await client.query(`CREATE DATABASE "${name}"`);
  await client.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const admin = new pg.Client({ connectionString: ADMIN_URL });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    },
  };
}

/** Builds and starts an app (compiled JS, as in production) on a free port; resolves once /health/ready answers 200. */
export async function startApp(app, overrides = {}) {
  const entry = buildApp(app);
  const port = await freePort();
  const env = localEnv(app, { LOG_LEVEL: 'warn', PORT: String(port), ...overrides });
  execFileSync(process.execPath, [entry, '--migrate'], { env, stdio: 'ignore' });
  const child = spawn(process.execPath, [entry], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  const url = `http://127.0.0.1:${port}`;
  // Generous: on a shared 2-core machine at load average 40 a start took over a minute.
  const deadline = Date.now() + 180_000;
  for (;;) {
    const ok = await fetch(`${url}/health/ready`).then((r) => r.ok, () => false);
    if (ok) break;
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`${app} did not become ready`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    url,
    pid: child.pid,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', resolve)));
    },
  };
}

/** Runs autocannon and returns the figures the suites report. */
export async function load(options) {
  const result = await autocannon({ connections: 50, duration: 10, ...options });
  const ok = result['2xx'];
  return {
    requests: result.requests.total,
    ok,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    rps: Math.round(ok / result.duration),
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    max: result.latency.max,
  };
}

export const here = (url) => path.dirname(new URL(url).pathname);

const root = path.resolve(import.meta.dirname, '../../..');
let loadgen;

/** Builds tools/bench/loadgen (Go, standard library only, so no network) into dist/ once per run. */
function loadgenBinary() {
  if (loadgen) return loadgen;
  const output = path.join(root, 'dist/tools/loadgen');
  try {
    execFileSync('go', ['build', '-o', output, '.'], { cwd: path.join(root, 'tools/bench/loadgen'), stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (error) {
    throw new Error(`the benchmarks need Go (1.22 or newer) to build their load generator, tools/bench/loadgen: ${String(error.stderr ?? error.message).trim()}`);
  }
  return (loadgen = output);
}

/**
 * An open-loop load at a constant rate from tools/bench/loadgen: request i is due at
 * start + i/rate and its latency includes any wait for a free connection, so a stalled
 * server shows up as latency rather than as a lower rate. Latencies are exact (every one
 * kept), in milliseconds. `bodies` are sent round-robin. With `latencies`, the result
 * also carries every 2xx latency (sorted), for `pooledLatency`.
 */
export async function openLoop({ url, method = 'GET', rate, seconds, bodies = [], headers = {}, uniqueHeader, connections = 64, latencies = false }) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-load-'));
  try {
    const args = ['-url', url, '-method', method, '-rate', String(rate), '-duration', `${seconds}s`, '-connections', String(connections)];
    if (latencies) args.push('-latencies');
    if (bodies.length) {
      const file = path.join(dir, 'bodies.ndjson');
      writeFileSync(file, `${bodies.join('\n')}\n`);
      args.push('-bodies', file);
      headers = { 'content-type': 'application/json', ...headers };
    }
    for (const [name, value] of Object.entries(headers)) args.push('-header', `${name}: ${value}`);
    // { name, prefix }: the header is prefix + the request's index (a fresh Idempotency-Key per request).
    if (uniqueHeader) args.push('-unique-header', `${uniqueHeader.name}: ${uniqueHeader.prefix}`);
    const { stdout } = await promisify(execFile)(loadgenBinary(), args, { maxBuffer: 1 << 26 });
    return JSON.parse(stdout);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Cumulative bucket counts (bounds in ms) of one Prometheus histogram, summed over the series `matches` accepts. */
export async function histogramBuckets(url, metric, matches = () => true) {
  const text = await (await fetch(`${url}/metrics`)).text();
  const buckets = new Map();
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${metric}_bucket{`) || !matches(line)) continue;
    const le = /le="([^"]+)"/.exec(line)[1];
    const bound = le === '+Inf' ? Infinity : Number(le) * 1000;
    buckets.set(bound, (buckets.get(bound) ?? 0) + Number(line.slice(line.lastIndexOf(' ') + 1)));
  }
  return buckets;
}

/** The service's own view of one route (2xx answers): understudy_http_request_duration_seconds, to diff around a run. */
export function requestDurationBuckets(url, route) {
  return histogramBuckets(url, 'understudy_http_request_duration_seconds', (line) => line.includes(`route="${route}"`) && /status="2\d\d"/.test(line));
}

/**
 * In-service latency between two bucket snapshots: the share of requests served within
 * `objectiveMs` (exact when the objective is a bucket bound) and p50/p99 interpolated
 * linearly inside their bucket, as Prometheus' histogram_quantile does.
 */
export function inServiceLatency(before, after, objectiveMs) {
  const bounds = [...after.keys()].sort((x, y) => x - y);
  const cumulative = bounds.map((bound) => (after.get(bound) ?? 0) - (before.get(bound) ?? 0));
  const count = cumulative.at(-1) ?? 0;
  const quantile = (q) => {
    const rank = q * count;
    const i = cumulative.findIndex((c) => c >= rank);
    if (i < 0 || !Number.isFinite(bounds[i])) return `> ${bounds.at(-2)}`;
    const lower = i === 0 ? 0 : bounds[i - 1];
    const below = i === 0 ? 0 : cumulative[i - 1];
    const inBucket = cumulative[i] - below;
    return Math.round((lower + (inBucket ? ((rank - below) / inBucket) * (bounds[i] - lower) : 0)) * 100) / 100;
  };
  const within = bounds.includes(objectiveMs) ? cumulative[bounds.indexOf(objectiveMs)] : undefined;
  return { count, p50: quantile(0.5), p99: quantile(0.99), withinObjective: within === undefined || !count ? undefined : within / count };
}

/**
 * p50/p99 of several open-loop runs taken as one distribution (every latency of every
 * run): on a noisy machine the p99 of one short run swings by milliseconds, while the
 * pooled p99 of several interleaved runs is a steadier estimate of the same thing.
 */
export function pooledLatency(runs) {
  const all = runs.flatMap((run) => run.latencies ?? []).sort((x, y) => x - y);
  const at = (q) => (all.length ? Math.round(all[Math.min(all.length - 1, Math.floor(q * all.length))] * 100) / 100 : undefined);
  return { count: all.length, p50: at(0.5), p99: at(0.99) };
}

/**
 * CPU time (user + system, ms) used so far by a process and its direct children (nginx's
 * workers), from /proc; undefined where there is no /proc. Diffed around a run and divided
 * by its requests, it is a cost per request that the scheduler's noise does not move much.
 */
export function cpuMs(pid) {
  try {
    const own = (id) => {
      const fields = readFileSync(`/proc/${id}/stat`, 'utf8').split(') ')[1].split(' ');
      return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
    };
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
    return own(pid) + children.reduce((sum, child) => sum + own(child), 0);
  } catch {
    return undefined;
  }
}

// USER_HZ: 100 on every Linux build that matters here (getconf CLK_TCK).
const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();
