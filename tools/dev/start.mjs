// `npm start`: the whole platform on this machine. Brings the infrastructure
// up (reusing what already runs), builds every app, applies migrations, starts
// the seven apps, waits until each is ready, prints their URLs, then (unless
// `npm start -- --no-demo`) runs the demo in tools/demo/, and on Ctrl-C
// stops them gracefully. The infrastructure keeps running (`npm run infra:down`).
// With the demo, the apps' databases are re-created first (tools/demo/fresh.mjs): the simulator
// seeds a new shop on every start, and projections kept from the last one describe a shop that no
// longer exists (the reconciler counts such rows as `extra` but does not delete them yet, so the
// module's sums come out inflated and inventory.check never ramps). `--keep-data` keeps them;
// `--no-demo` keeps them unless `--fresh` is given.
import { execFileSync, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { buildApp } from './build.mjs';

const require = createRequire(import.meta.url);
const { APPS, layoutOf, localEnv, LOCAL_ADMIN_TOKEN, LOCAL_ACCESS_TOKEN } = require('./apps.js');
// UNDERSTUDY_PORT_BASE and UNDERSTUDY_INSTANCE run a second copy beside the default one (tools/dev/apps.js).
const layout = layoutOf();
const root = path.resolve(import.meta.dirname, '../..');
const logDir = path.join(root, '.infra/logs', layout.instance);
const say = (line) => process.stdout.write(`${line}\n`);

say('» infrastructure');
execFileSync('bash', ['tools/infra/infra.sh', 'up'], { cwd: root, stdio: 'inherit' });
if (layout.kafkaPrefix) {
  // infra:up creates the catalogue's topics; this copy reads and writes its own, behind its prefix.
  const created = execFileSync(process.execPath, ['tools/infra/kafka.mjs', 'topics', 'libs/messaging/src/topic-catalog.json', '--prefix', layout.kafkaPrefix], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  say(`» instance ${layout.instance}: ports ${layout.ports.gateway}–${Math.max(...Object.values(layout.ports))}, databases understudy_${layout.instance}_<app>, Kafka topics and groups behind "${layout.kafkaPrefix}" (${created.trim()})`);
}

say('» building apps');
const entries = Object.fromEntries(Object.keys(APPS).map((app) => [app, buildApp(app)]));

const withDemo = !process.argv.includes('--no-demo');
if (process.argv.includes('--fresh') || (withDemo && !process.argv.includes('--keep-data'))) {
  const { recreateDatabases } = await import('../demo/fresh.mjs');
  await recreateDatabases(Object.keys(APPS).filter((app) => APPS[app].postgres).map((app) => localEnv(app).DATABASE_URL), say);
}

say('» migrations');
// All at once: each app has its own database, and six Node processes booting one after another
// took over two minutes on a busy 2-core machine. There a first connection can also miss its 3 s
// deadline, so a failed migration is tried again (migrations are transactional and idempotent).
const migrateOnce = (app, entry, level) =>
  new Promise((resolve) => {
    const child = spawn(process.execPath, ['--enable-source-maps', entry, '--migrate'], { cwd: root, env: localEnv(app, { LOG_LEVEL: level }), stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('exit', (code, signal) => resolve(code === 0 ? undefined : `${app} (${signal ?? `exit code ${code}`})`));
    child.on('error', (error) => resolve(`${app} (${error.message})`));
  });
async function migrate(app, entry, attempts = 4) {
  for (let attempt = 1; ; attempt += 1) {
    // Quiet until the last try: an attempt that will be repeated is not an error to read.
    const failure = await migrateOnce(app, entry, attempt >= attempts ? 'warn' : 'fatal');
    if (!failure || attempt >= attempts) return failure;
    await new Promise((resolve) => setTimeout(resolve, 2_000 * attempt));
  }
}
const migrated = await Promise.all(
  Object.entries(entries)
    .filter(([app]) => APPS[app].postgres)
    .map(([app, entry]) => migrate(app, entry)),
);
const failedMigrations = migrated.filter(Boolean);
if (failedMigrations.length > 0) {
  say(`» migrations failed: ${failedMigrations.join(', ')}`);
  process.exit(1);
}

say(`» starting apps (full JSON logs in ${path.relative(root, logDir)}/<app>.log; warnings and errors shown here)`);
mkdirSync(logDir, { recursive: true });
const children = new Map();
function launch(app, entry) {
  const child = spawn(process.execPath, ['--enable-source-maps', entry], { cwd: root, env: localEnv(app), stdio: ['ignore', 'pipe', 'pipe'] });
  const file = createWriteStream(path.join(logDir, `${app}.log`), { flags: 'a' });
  child.stdout.pipe(file);
  child.stderr.pipe(file);
  child.stderr.on('data', (chunk) => process.stderr.write(prefix(app, chunk)));
  child.stdout.on('data', (chunk) => {
    for (const line of String(chunk).split('\n')) {
      if (/"level":"(warn|error|fatal)"/.test(line)) process.stdout.write(prefix(app, line));
    }
  });
  child.on('exit', (code, signal) => {
    children.delete(app);
    if (!stopping) say(`[${app}] exited unexpectedly (${signal ?? `code ${code}`}); see ${path.relative(root, logDir)}/${app}.log`);
    if (stopping && children.size === 0) process.exit(0);
  });
  children.set(app, child);
}

async function waitReady(apps, deadline) {
  const waiting = new Set(apps);
  const tellAt = Date.now() + 30_000;
  let told = false;
  while (waiting.size > 0 && Date.now() < deadline && !stopping) {
    if (!told && Date.now() > tellAt) {
      told = true;
      say(`» still starting: ${[...waiting].join(', ')} (a busy machine; waiting up to ${Math.round((deadline - Date.now()) / 1000)} s more)`);
    }
    for (const app of [...waiting]) {
      const ready = await fetch(`${layout.url(app)}/health/ready`).then((r) => r.ok, () => false);
      if (ready) waiting.delete(app);
    }
    if (waiting.size > 0) await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return waiting;
}

let stopping = false;
let demo;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    if (demo) {
      say('\n» stopping the demo');
      await demo.stop().catch(() => undefined);
    }
    say('\n» stopping apps (graceful: in-flight requests finish, consumers leave their groups)');
    for (const child of children.values()) child.kill('SIGTERM');
    if (children.size === 0) process.exit(0);
  });
}

// The simulator first: the monolith polls it and webhook-ingest subscribes to it at start-up.
// Seconds on an idle laptop; on a 2-core machine shared with test runs the seven apps have taken
// over 90 s to connect, and the backfill only runs once the reconciler is ready.
const deadline = Date.now() + 300_000;
launch('shopify-sim', entries['shopify-sim']);
await waitReady(['shopify-sim'], deadline);
for (const [app, entry] of Object.entries(entries)) if (app !== 'shopify-sim') launch(app, entry);
const waiting = await waitReady(Object.keys(APPS), deadline);

// The backfill: a full reconcile teaches the inventory module the whole catalogue; the platform is
// ready once it has (docs/reconciler.md). Asked for on every start, not only the first: the
// simulator seeds a new shop each time it starts, so what the module kept from an earlier run is
// stale. The reconciler's incremental schedule follows.
if (!waiting.has('reconciler') && !stopping) {
  say('» backfill: the reconciler reads the catalogue from Shopify into the modules');
  say(`» backfill: ${await backfill(Date.now() + 180_000)}`);
}

say('');
say('  app               url                     ready   docs');
for (const app of Object.keys(APPS)) {
  const url = layout.url(app);
  say(`  ${app.padEnd(17)} ${url.padEnd(23)} ${waiting.has(app) ? 'NO ' : 'yes'}     ${url}/openapi.json`);
}
say('');
say(waiting.size ? `» not ready: ${[...waiting].join(', ')} — check their logs` : '» all apps ready. Ctrl-C stops them.');
say('');
say(`» operator console: ${layout.url('gateway')}/console`);
say(`  sign in with the admin token: ${process.env.ADMIN_TOKEN ?? LOCAL_ADMIN_TOKEN}`);
say('');

if (withDemo && !stopping) {
  const { startDemo } = await import('../demo/demo.mjs');
  const { url } = layout;
  try {
    demo = await startDemo({
      gateway: url('gateway'),
      monolith: url('legacy-monolith'),
      sim: url('shopify-sim'),
      inventory: url('inventory'),
      reconciler: url('reconciler'),
      adminToken: process.env.ADMIN_TOKEN ?? LOCAL_ADMIN_TOKEN,
      accessToken: LOCAL_ACCESS_TOKEN,
      say,
    });
  } catch (error) {
    say(`» demo not started: ${error instanceof Error ? error.message : String(error)} (the platform keeps running)`);
  }
}

/** Starts a full inventory run (or joins the one already running) and waits for it to finish. */
async function backfill(until) {
  const base = layout.url('reconciler');
  let id;
  while (id === undefined && Date.now() < until && !stopping) {
    const response = await fetch(`${base}/v1/runs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ domains: ['inventory'], mode: 'full', dryRun: false }),
      signal: AbortSignal.timeout(10_000),
    }).catch(() => undefined);
    const body = await response?.json().catch(() => undefined);
    const running = body?.error?.details?.run;
    if (response?.status === 202) id = body?.id;
    // The reconciler's own first-start backfill got there first: that one will do.
    else if (response?.status === 409 && running?.mode === 'full') id = running.id;
    // A scheduled incremental run holds the domain: ask again once it is done.
    else await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  while (id !== undefined && Date.now() < until && !stopping) {
    const run = await fetch(`${base}/v1/runs/${id}`, { signal: AbortSignal.timeout(10_000) }).then((r) => (r.ok ? r.json() : undefined), () => undefined);
    if (run?.state === 'succeeded') return `done (${run.published.toLocaleString('en')} facts published, drift ${JSON.stringify(run.drift)})`;
    if (run?.state === 'failed') return `FAILED: ${run.error} — see .infra/logs/reconciler.log`;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return 'not finished yet; GET /v1/runs on the reconciler shows its progress';
}

function prefix(app, text) {
  return String(text)
    .split('\n')
    .filter(Boolean)
    .map((line) => `[${app}] ${line}\n`)
    .join('');
}
