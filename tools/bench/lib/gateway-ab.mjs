// A/B of gateway builds on CPU per request, against fixed-answer upstreams
// (gateway-fake-upstreams.mjs), beside the bare Node proxy (b0) and the bare Node
// proxy that shadows (b0s, gateway-shadow-proxy.mjs), rows interleaved over rounds.
// Minutes instead of the full suite's half hour, and without the real upstreams'
// CPU on the same cores, so a change to the gateway's own path shows. Each build
// is a copy of dist/apps/gateway (build it with tools/dev/build.mjs and copy it
// inside the repository, e.g. dist/gw-a, so that it finds node_modules).
//
//   node tools/bench/lib/gateway-ab.mjs <rate> <seconds> <rounds> <name>=<dist copy>/apps/gateway/src/main.js …
//
// Env: MODE (route mode, default shadow at 100 %), SHADOW_DELAY_MS (the module answers that much later), PROF=<dir> (--cpu-prof each gateway
// into <dir>/<name>), IDLE=<s> (first measure each process idle for s seconds),
// BENCH_PORTS (default 42300-42399). Needs PostgreSQL and Redis (tools/dev/apps.js defaults).
import { execFileSync, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../../..');
const require = createRequire(path.join(root, 'package.json'));
process.env.BENCH_PORTS ??= '42300-42399';
const { cpuMs, freePort, freshDatabase, openLoop } = await import('./harness.mjs');
const { signLegacyCartToken } = await import('../../../libs/contracts/src/legacy-cart-token.ts');
const { localEnv, LOCAL_ADMIN_TOKEN, LOCAL_CART_TOKEN_SECRET } = require('./tools/dev/apps.js');

const [rate, seconds, rounds, ...builds] = process.argv.slice(2);
if (!builds.length) {
  console.error('usage: gateway-ab.mjs <rate> <seconds> <rounds> <name>=<main.js> …');
  process.exit(2);
}
const ADMIN = { authorization: `Bearer ${LOCAL_ADMIN_TOKEN}`, 'content-type': 'application/json' };
const cleanup = [];
const ready = (child) => new Promise((resolve) => child.stdout.once('data', resolve));
const start = async (file, args) => {
  const child = spawn(process.execPath, [path.join(import.meta.dirname, file), ...args.map(String)], { stdio: ['ignore', 'pipe', 'inherit'] });
  cleanup.push(() => child.kill());
  await ready(child);
  return child;
};
/** /proc/<pid>/status's voluntary context switches: how often the process slept and woke. */
const wakes = (pid) => Number(/^voluntary_ctxt_switches:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);
/** CPU ms per thread (main thread, V8 workers, libuv pool) from /proc/<pid>/task. */
const threads = (pid) =>
  Object.fromEntries(
    readdirSync(`/proc/${pid}/task`).map((task) => {
      const stat = readFileSync(`/proc/${pid}/task/${task}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
      return [`${task} ${/\((.*)\)/.exec(stat)[1]}`, (Number(fields[11]) + Number(fields[12])) * 10];
    }),
  );

try {
  const [monolithPort, modulePort] = [await freePort(), await freePort()];
  await start('gateway-fake-upstreams.mjs', [monolithPort, modulePort, Number(process.env.SHADOW_DELAY_MS ?? 0)]);
  const monolith = `http://127.0.0.1:${monolithPort}`;
  const [b0Port, b0sPort] = [await freePort(), await freePort()];
  const b0 = await start('../workers/node-proxy.mjs', [b0Port, monolith, '/inventory/check']);
  const b0s = await start('gateway-shadow-proxy.mjs', [b0sPort, monolith, '/inventory/check', `http://127.0.0.1:${modulePort}`, '/v1/check']);
  const rows = [
    { name: 'b0', url: `http://127.0.0.1:${b0Port}/v1/inventory/check`, pid: b0.pid },
    { name: 'b0s', url: `http://127.0.0.1:${b0sPort}/v1/inventory/check`, pid: b0s.pid },
  ];
  const mode = process.env.MODE ?? 'shadow';
  for (const build of builds) {
    const [name, entry] = build.split('=');
    const db = await freshDatabase(`gwab_${name}`);
    cleanup.push(() => db.drop());
    const port = await freePort();
    const profile = process.env.PROF ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${path.join(process.env.PROF, name)}` } : {};
    const env = localEnv('gateway', { LOG_LEVEL: 'warn', PORT: String(port), DATABASE_URL: db.url, MONOLITH_URL: monolith, INVENTORY_URL: `http://127.0.0.1:${modulePort}`, PRICING_URL: 'http://127.0.0.1:9' });
    execFileSync(process.execPath, [entry, '--migrate'], { env, stdio: 'ignore' });
    const child = spawn(process.execPath, [entry], { env: { ...env, ...profile }, stdio: ['ignore', 'ignore', 'inherit'] });
    cleanup.push(() => new Promise((resolve) => (child.once('exit', resolve), child.kill('SIGTERM'))));
    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 120_000;
    while (!(await fetch(`${url}/health/ready`).then((r) => r.ok, () => false))) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`gateway ${name} did not become ready`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const current = await (await fetch(`${url}/admin/routes/inventory.check`, { headers: ADMIN })).json();
    const changes = { version: current.version, reason: 'gateway-ab', mode, shadowPercent: mode === 'shadow' ? 100 : 0, guards: { rollback: { enabled: false }, promotion: { enabled: false } } };
    const patched = await fetch(`${url}/admin/routes/inventory.check`, { method: 'PATCH', headers: ADMIN, body: JSON.stringify(changes) });
    if (!patched.ok) throw new Error(`route update: ${await patched.text()}`);
    rows.push({ name, url: `${url}/v1/inventory/check`, pid: child.pid, base: url });
  }
  const carts = Array.from({ length: 50 }, (_, i) => signLegacyCartToken(`cart${i}`, LOCAL_CART_TOKEN_SECRET));
  const bodies = Array.from({ length: 400 }, (_, i) => JSON.stringify({ variantId: String(1000 + i), quantity: 1 + (i % 3), cartToken: carts[i % carts.length] }));

  if (process.env.IDLE) {
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    for (const row of rows) {
      const [cpu, woke] = [cpuMs(row.pid), wakes(row.pid)];
      await new Promise((resolve) => setTimeout(resolve, Number(process.env.IDLE) * 1000));
      console.log(`idle ${row.name}: ${((cpuMs(row.pid) - cpu) / Number(process.env.IDLE)).toFixed(1)} ms CPU/s, ${((wakes(row.pid) - woke) / Number(process.env.IDLE)).toFixed(0)} wake-ups/s`);
    }
  }
  const results = Object.fromEntries(rows.map((row) => [row.name, []]));
  for (let round = 1; round <= Number(rounds); round += 1) {
    for (const row of rows) {
      await openLoop({ url: row.url, method: 'POST', rate: Number(rate), seconds: 2, bodies });
      const [cpu, woke, perThread] = [cpuMs(row.pid), wakes(row.pid), threads(row.pid)];
      const figures = await openLoop({ url: row.url, method: 'POST', rate: Number(rate), seconds: Number(seconds), bodies });
      const per = (value) => (value / figures.count).toFixed(3);
      const after = threads(row.pid);
      const split = Object.entries(after)
        .map(([thread, ms]) => [thread, ms - (perThread[thread] ?? 0)])
        .filter(([, ms]) => ms > 0)
        .map(([thread, ms]) => `${thread.split(' ')[1]} ${per(ms)}`)
        .join(', ');
      const cpuPerRequest = (cpuMs(row.pid) - cpu) / figures.count;
      results[row.name].push(cpuPerRequest);
      console.log(
        `round ${round} ${row.name}: ${cpuPerRequest.toFixed(3)} ms CPU/request (${split}), ${per(wakes(row.pid) - woke)} wake-ups/request, p50 ${figures.p50} ms, p99 ${figures.p99} ms, errors ${figures.errors + figures.non2xx}`,
      );
    }
  }
  const median = (values) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)];
  for (const row of rows) {
    const cpu = median(results[row.name]);
    console.log(`${row.name}: CPU per request median ${cpu.toFixed(3)} ms (${results[row.name].map((v) => v.toFixed(3)).join(', ')}), ${(cpu / median(results.b0)).toFixed(2)}× (b0)`);
    if (row.base) {
      const metrics = await (await fetch(`${row.base}/metrics`)).text();
      console.log(`  ${metrics.split('\n').filter((line) => line.startsWith('understudy_shadow_requests_total')).join('\n  ')}`);
    }
  }
} finally {
  for (const step of cleanup.reverse()) await Promise.resolve().then(step).catch(() => undefined);
}
