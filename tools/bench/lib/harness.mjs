// Shared pieces of the benchmark suites: start an app from its build with a
// fresh database, run autocannon, summarise. Suites stay small and alike.
import { execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { buildApp } from '../../dev/build.mjs';

const require = createRequire(import.meta.url);
const { localEnv } = require('../../dev/apps.js');
const ADMIN_URL = process.env.TEST_DATABASE_ADMIN_URL || 'postgres://understudy:understudy@localhost:5432/postgres';

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
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
  const deadline = Date.now() + 60_000;
  for (;;) {
    const ok = await fetch(`${url}/health/ready`).then((r) => r.ok, () => false);
    if (ok) break;
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`${app} did not become ready`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    url,
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
