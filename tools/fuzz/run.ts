// `npm run test:fuzz` (and a step of `npm test`): schemathesis against every
// service's /openapi.json on the real stack — real PostgreSQL, Redis and Kafka,
// every app from its real entry point on a free port, each in a private
// database created for this run and dropped after it. Fails on any 5xx
// (`not_a_server_error`) or any answer that breaks its documented schema.
//
// The budget is fixed and seeded, so a run is repeatable and bounded: at most
// MAX_EXAMPLES generated cases per operation and phase, one worker.
// Environment: FUZZ_MAX_EXAMPLES, FUZZ_SEED override the budget; FUZZ_APPS=a,b limits the apps.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { type AppProcess, createTestDatabase, migrateAppProcess, startAppProcess, type TestDatabase, uniqueName, waitFor } from '@understudy/testing';
import { ensureSchemathesis } from './schemathesis';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { localEnv, LOCAL_ADMIN_TOKEN } = require('../dev/apps.js') as {
  localEnv: (app: string, overrides?: Record<string, string>) => NodeJS.ProcessEnv;
  LOCAL_ADMIN_TOKEN: string;
};

const root = path.resolve(__dirname, '../..');
const reports = path.join(root, 'tmp/fuzz');
const MAX_EXAMPLES = Number(process.env['FUZZ_MAX_EXAMPLES'] ?? 15);
const SEED = Number(process.env['FUZZ_SEED'] ?? 20_261_201);

interface Target {
  app: string;
  postgres: boolean;
  headers?: Record<string, string>;
  /** Operations not fuzzed, each with its reason (regular expressions over the path). */
  skip?: Array<{ path: string; why: string }>;
}

/**
 * Started in waves (each app after its upstreams: the simulator, then the apps
 * that read it, then the gateway). The simulator is fuzzed last: fuzzing it
 * resets and reconfigures the shop the others read.
 */
const TARGETS: Target[] = [
  { app: 'shopify-sim', postgres: false, skip: [
    { path: '^/_sim/seed$', why: 'seeds up to a million variants per call: a load tool, not an input edge' },
    { path: '^/_sim/chaos/flash-sale$', why: 'POST starts a load generator for up to ten minutes' },
    { path: '^/_sim/webhooks/drain$', why: 'waits up to ten minutes by design' },
  ] },
  { app: 'legacy-monolith', postgres: true },
  { app: 'inventory', postgres: true },
  { app: 'pricing', postgres: true },
  { app: 'reconciler', postgres: true },
  { app: 'webhook-ingest', postgres: true },
  { app: 'gateway', postgres: true, headers: { authorization: `Bearer ${LOCAL_ADMIN_TOKEN}` } },
];
const START_WAVES = [['shopify-sim'], ['legacy-monolith', 'inventory', 'pricing', 'reconciler', 'webhook-ingest'], ['gateway']];
const FUZZ_ORDER = ['gateway', 'inventory', 'legacy-monolith', 'webhook-ingest', 'pricing', 'reconciler', 'shopify-sim'];

const log = (line: string) => process.stdout.write(`[fuzz] ${line}\n`);

/** Each app wired to the others of this run, kept apart from anything else on the shared servers. */
function environment(target: Target, database: TestDatabase | undefined, urls: Map<string, string>): NodeJS.ProcessEnv {
  const sim = urls.get('shopify-sim');
  const overrides: Record<string, string> = { LOG_LEVEL: 'warn', ...(database && { DATABASE_URL: database.url }) };
  switch (target.app) {
    case 'legacy-monolith':
      if (sim) overrides['SHOPIFY_ADMIN_URL'] = sim;
      break;
    case 'inventory':
      // The HTTP API is under test; a projection here would read the shared topics' history.
      Object.assign(overrides, { PROJECTION_ENABLED: 'false', PROJECTION_GROUP_ID: uniqueName('fuzz-inventory'), DATABASE_POOL_SIZE: '4' });
      break;
    case 'pricing':
      // As inventory: never a member of the shared 'pricing' consumer group (it would take partitions from other stacks).
      Object.assign(overrides, { PROJECTION_ENABLED: 'false', PROJECTION_GROUP_ID: uniqueName('fuzz-pricing') });
      break;
    case 'webhook-ingest':
      if (sim) overrides['SHOPIFY_ADMIN_URL'] = sim;
      break;
    case 'gateway':
      // (Before its upstreams run, e.g. to migrate, the local defaults stand in.)
      for (const [name, app] of [['MONOLITH_URL', 'legacy-monolith'], ['INVENTORY_URL', 'inventory'], ['PRICING_URL', 'pricing']] as const) {
        if (urls.has(app)) overrides[name] = urls.get(app)!;
      }
      overrides['GATEWAY_REDIS_PREFIX'] = uniqueName('fuzz-gateway');
      break;
  }
  const env = localEnv(target.app, overrides);
  // No webhook subscriptions: deliveries from the fuzzed simulator must not reach the shared topics.
  if (target.app === 'webhook-ingest') delete env['WEBHOOK_CALLBACK_URL'];
  return env;
}

interface Outcome {
  app: string;
  code: number | null;
  seconds: number;
  summary: string;
}

function fuzz(executable: string, target: Target, url: string): Promise<Outcome> {
  const started = Date.now();
  const dir = path.join(reports, target.app);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const args = [
    'run',
    `${url}/openapi.json`,
    '--checks',
    'not_a_server_error,response_schema_conformance',
    '--max-examples',
    String(MAX_EXAMPLES),
    '--seed',
    String(SEED),
    '--generation-deterministic',
    '--workers',
    '1',
    '--phases',
    'examples,coverage,fuzzing',
    '--request-timeout',
    '30',
    '--continue-on-failure',
    '--no-color',
    '--report',
    'junit',
    '--report-junit-path',
    path.join(dir, 'junit.xml'),
    ...Object.entries(target.headers ?? {}).flatMap(([name, value]) => ['--header', `${name}: ${value}`]),
    ...(target.skip ?? []).flatMap((skip) => ['--exclude-path-regex', skip.path]),
  ];
  log(`${target.app}: schemathesis ${args.slice(1, 2).join(' ')} (max ${MAX_EXAMPLES} examples per operation, seed ${SEED})`);
  for (const skip of target.skip ?? []) log(`${target.app}: not fuzzed: ${skip.path} — ${skip.why}`);
  return new Promise((resolve) => {
    // In the report folder: schemathesis keeps its own state (.schemathesis/) in its working directory.
    const child = spawn(executable, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      process.stdout.write(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => process.stderr.write(chunk));
    child.once('exit', (code) => resolve({ app: target.app, code, seconds: (Date.now() - started) / 1000, summary: summaryOf(dir, output) }));
  });
}

/** "N operations (F failing, E errors), C test cases" from the JUnit report and the run's own summary. */
function summaryOf(dir: string, output: string): string {
  const cases = /Test cases:\s*\n\s*(.+)/.exec(output)?.[1]?.trim() ?? 'no test cases reported';
  try {
    const suite = /<testsuite\b[^>]*>/.exec(readFileSync(path.join(dir, 'junit.xml'), 'utf8'))?.[0] ?? '';
    const attr = (name: string) => Number(new RegExp(`\\b${name}="(\\d+)"`).exec(suite)?.[1] ?? 0);
    return `${attr('tests')} operations (${attr('failures')} failing, ${attr('errors')} errors); test cases: ${cases}`;
  } catch {
    return `no report; test cases: ${cases}`;
  }
}

async function main(): Promise<number> {
  const started = Date.now();
  const only = process.env['FUZZ_APPS']?.split(',').filter(Boolean);
  const executable = ensureSchemathesis(root, log);
  const databases: TestDatabase[] = [];
  const running: AppProcess[] = [];
  const urls = new Map<string, string>();
  const outcomes: Outcome[] = [];
  try {
    // Databases created and migrated one at a time (cheap, and kind to a busy server); apps started a wave at a time.
    const privateDatabases = new Map<string, TestDatabase>();
    for (const target of TARGETS.filter((t) => t.postgres)) {
      const database = await createTestDatabase(`fuzz_${target.app.replace(/-/g, '_')}`);
      databases.push(database);
      privateDatabases.set(target.app, database);
      await migrateAppProcess(target.app, environment(target, database, urls));
    }
    const start = async (target: Target) => {
      const env = environment(target, privateDatabases.get(target.app), urls);
      const app = await startAppProcess(target.app, env, { waitPath: '/health/ready', timeoutMs: 120_000 });
      running.push(app);
      urls.set(target.app, app.url);
      log(`${target.app} ready on ${app.url}`);
    };
    for (const wave of START_WAVES) await Promise.all(wave.map((app) => start(TARGETS.find((t) => t.app === app)!)));
    // The monolith answers from its catalogue mirror: fuzz it (and the gateway) once it has one.
    await waitFor(async () => ((await (await fetch(`${urls.get('legacy-monolith')}/sync`)).json()) as { variants?: number }).variants! > 0, {
      timeoutMs: 90_000,
      what: "the monolith's first catalogue poll",
    });
    for (const app of FUZZ_ORDER) {
      if (only && !only.includes(app)) continue;
      outcomes.push(await fuzz(executable, TARGETS.find((t) => t.app === app)!, urls.get(app)!));
    }
  } finally {
    await Promise.all(running.map((app) => app.stop()));
    const crashed = running.filter((app) => /unhandled error/.test(app.output()));
    for (const app of crashed) log(`${app.app} logged unhandled errors:\n${app.output().slice(-4_000)}`);
    await Promise.all(databases.map((database) => database.drop()));
  }
  log('summary');
  for (const outcome of outcomes) {
    log(`  ${outcome.code === 0 ? 'ok  ' : 'FAIL'}  ${outcome.app.padEnd(16)} ${outcome.summary}  ${outcome.seconds.toFixed(0)} s`);
  }
  log(`total ${((Date.now() - started) / 1000).toFixed(0)} s; reports in ${path.relative(root, reports)}/<app>/junit.xml`);
  return outcomes.every((outcome) => outcome.code === 0) ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`[fuzz] ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
