import { createKafka, deadLetterTopic } from '@understudy/messaging';
import { registryKafkaTopics } from '@understudy/shopify';
import {
  type AppProcess,
  createTestDatabase,
  createTestTopics,
  deleteTestTopics,
  freePort,
  migrateAppProcess,
  startAppProcess,
  testEnv,
  type TestDatabase,
  uniqueName,
  waitFor,
} from '@understudy/testing';
import { Client } from 'pg';

/**
 * The whole path on the real infrastructure, each app from its real entry
 * point in its own process: the simulator (Shopify), webhook-ingest (its
 * subscriptions point at it), inventory (an HTTP replica the reconciler reads,
 * and a projection replica consuming Kafka, on one database) and the
 * reconciler. Kafka topics are the registry's, behind a prefix of this run's
 * own, so nothing else on the cluster sees them.
 */
export const SECRET = 'reconciler-it-app-secret';
export const TOKEN = 'shpat_reconciler_it';

export interface World {
  shop: string;
  /** In front of every Kafka topic of this world. */
  prefix: string;
  kafka: ReturnType<typeof createKafka>;
  sim: AppProcess;
  ingest: AppProcess;
  inventoryHttp: AppProcess;
  projection: AppProcess;
  reconciler: AppProcess;
  reconcilerEnv: NodeJS.ProcessEnv;
  reconcilerDb: TestDatabase;
  inventoryDb: TestDatabase;
  control<T = unknown>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', route: string, body?: unknown): Promise<T>;
  restartReconciler(env?: Record<string, string>): Promise<void>;
  close(): Promise<void>;
}

export async function startWorld(options: { variants: number; reconcilerEnv?: Record<string, string> }): Promise<World> {
  const shop = `${uniqueName('rec').replace(/_/g, '-').toLowerCase()}.myshopify.com`;
  const prefix = `${uniqueName('it')}.`;
  const topics = registryKafkaTopics().map((topic) => `${prefix}${topic}`);
  const kafka = createKafka({ brokers: testEnv().kafkaBrokers, clientId: uniqueName('reconciler-it') });
  await createTestTopics(kafka, topics.flatMap((topic) => [topic, deadLetterTopic(topic)]), 3);
  const [ingestDb, inventoryDb, reconcilerDb] = await Promise.all([createTestDatabase('ingest'), createTestDatabase('inventory'), createTestDatabase('reconciler')]);
  const base: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'warn', HOST: '127.0.0.1', KAFKA_BROKERS: testEnv().kafkaBrokers.join(',') };
  const started: AppProcess[] = [];
  try {
    const sim = await startAppProcess('shopify-sim', { ...base, SIM_SEED_VARIANTS: '0', SIM_APP_SECRET: SECRET, SIM_ACCESS_TOKENS: TOKEN, SIM_PLAN: 'plus' });
    started.push(sim);
    const control = simControl(sim.url);
    await control('POST', '/_sim/seed', { shop, variants: options.variants, locations: 3, companies: 0, seed: 11, accessTokens: [TOKEN] });

    const inventoryEnv = { ...base, DATABASE_URL: inventoryDb.url, REDIS_URL: testEnv().redisUrl, SWEEP_INTERVAL_MS: '600000' };
    await migrateAppProcess('inventory', inventoryEnv);
    const projectionTopics = topics.filter((topic) => !topic.endsWith('bulk_operations.finish')).join(',');
    const projection = await startAppProcess('inventory', {
      ...inventoryEnv,
      PROJECTION_ENABLED: 'true',
      PROJECTION_TOPICS: projectionTopics,
      PROJECTION_GROUP_ID: uniqueName('inventory-it'),
      PROJECTION_SESSION_TIMEOUT_MS: '30000',
    });
    started.push(projection);
    const inventoryHttp = await startAppProcess('inventory', { ...inventoryEnv, PROJECTION_ENABLED: 'false' });
    started.push(inventoryHttp);

    const ingestPort = await freePort();
    const ingestEnv = {
      ...base,
      DATABASE_URL: ingestDb.url,
      REDIS_URL: testEnv().redisUrl,
      SHOPIFY_WEBHOOK_SECRETS: SECRET,
      SHOPIFY_SHOP: shop,
      SHOPIFY_ADMIN_URL: sim.url,
      SHOPIFY_ACCESS_TOKEN: TOKEN,
      WEBHOOK_CALLBACK_URL: `http://127.0.0.1:${ingestPort}/webhooks/shopify`,
      KAFKA_TOPIC_PREFIX: prefix,
    };
    await migrateAppProcess('webhook-ingest', ingestEnv);
    const ingest = await startAppProcess('webhook-ingest', ingestEnv, { port: ingestPort });
    started.push(ingest);

    const reconcilerEnv: NodeJS.ProcessEnv = {
      ...base,
      DATABASE_URL: reconcilerDb.url,
      SHOPIFY_SHOP: shop,
      SHOPIFY_ADMIN_URL: sim.url,
      SHOPIFY_ACCESS_TOKEN: TOKEN,
      INVENTORY_URL: inventoryHttp.url,
      WEBHOOK_CALLBACK_URL: ingestEnv.WEBHOOK_CALLBACK_URL,
      KAFKA_TOPIC_PREFIX: prefix,
      RECONCILE_INTERVAL_SECONDS: '0',
      RECONCILE_TICK_MS: '200',
      RECONCILE_RUN_STALE_SECONDS: '3',
      ...options.reconcilerEnv,
    };
    await migrateAppProcess('reconciler', reconcilerEnv);
    const world: World = {
      shop,
      prefix,
      kafka,
      sim,
      ingest,
      inventoryHttp,
      projection,
      reconciler: await startAppProcess('reconciler', reconcilerEnv),
      reconcilerEnv,
      reconcilerDb,
      inventoryDb,
      control,
      async restartReconciler(env = {}) {
        world.reconcilerEnv = { ...world.reconcilerEnv, ...env };
        world.reconciler = await startAppProcess('reconciler', world.reconcilerEnv, { port: world.reconciler.port });
      },
      async close() {
        await Promise.allSettled([world.reconciler.stop(), ingest.stop(), projection.stop(), inventoryHttp.stop(), sim.stop()]);
        await Promise.allSettled([ingestDb.drop(), inventoryDb.drop(), reconcilerDb.drop()]);
        await deleteTestTopics(kafka, topics.flatMap((topic) => [topic, deadLetterTopic(topic)])).catch(() => undefined);
      },
    };
    // ingest subscribes itself in the background; the tests start from a shop with every subscription.
    await waitFor(async () => (await subscriptions(sim.url)).length >= 4, { timeoutMs: 60_000, what: 'ingest to subscribe to every topic' });
    return world;
  } catch (error) {
    await Promise.allSettled(started.map((app) => app.stop()));
    throw error;
  }
}

function simControl(url: string) {
  return async <T>(method: string, route: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${url}${route}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${route} → ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
}

/** One Admin GraphQL call to the simulator, as any app of the shop makes it. */
export async function adminGraphql<T>(simUrl: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await fetch(`${simUrl}/admin/api/2026-10/graphql.json`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-shopify-access-token': TOKEN },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data: T; errors?: unknown };
  if (body.errors) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
  return body.data;
}

/** The shop's webhook subscriptions. */
export async function subscriptions(simUrl: string): Promise<Array<{ id: string; topic: string; uri: string }>> {
  const data = await adminGraphql<{ webhookSubscriptions: { nodes: Array<{ id: string; topic: string; uri: string }> } }>(
    simUrl,
    '{ webhookSubscriptions(first: 50) { nodes { id topic uri } } }',
  );
  return data.webhookSubscriptions.nodes;
}

export interface RunView {
  id: string;
  state: 'running' | 'succeeded' | 'failed';
  mode: string;
  progress: { phase: string; done: number; total: number | null };
  drift: { missing: number; stale: number; extra: number; mismatch: number };
  published: number;
  skippedNewer: number;
  subscriptions: { expected: number; present: number; restored: number } | null;
  cost: { points: number; throttled: number };
  attempts: number;
  asOf: string | null;
  error: string | null;
}

export async function api<T = unknown>(url: string, method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}

export async function waitForRun(world: World, id: string, timeoutMs = 120_000): Promise<RunView> {
  let last: RunView | undefined;
  await waitFor(
    async () => {
      const answer = await api<RunView>(world.reconciler.url, 'GET', `/v1/runs/${id}`).catch(() => undefined);
      last = answer?.body;
      return answer?.status === 200 && answer.body.state !== 'running';
    },
    { timeoutMs, intervalMs: 250, what: `run ${id} to finish` },
  ).catch((error: unknown) => {
    throw new Error(`${String(error)}; last seen ${JSON.stringify(last)}\n${world.reconciler.output().slice(-4_000)}`);
  });
  return last!;
}

type Level = { available: number | null; updatedAt: string };

interface TruthRow {
  inventory_item_id: number;
  location_id: number;
  product_id: number;
  available: number;
  tracked: boolean;
  updated_at: string;
}

/** The simulator's truth dump, as rows. */
export async function truthRows(world: World): Promise<TruthRow[]> {
  const response = await fetch(`${world.sim.url}/_sim/truth/inventory?shop=${world.shop}`);
  return (await response.text()).split('\n').filter(Boolean).map((line) => JSON.parse(line) as TruthRow);
}

/** Shopify's truth: every stocked level (available, or null for an untracked item, as the webhook says). */
export async function truth(world: World): Promise<Map<string, Level>> {
  const levels = new Map<string, Level>();
  for (const row of await truthRows(world)) levels.set(`${row.inventory_item_id}:${row.location_id}`, { available: row.tracked ? row.available : null, updatedAt: row.updated_at });
  return levels;
}

/** What inventory holds, through its export. */
export async function held(world: World): Promise<Map<string, Level>> {
  const levels = new Map<string, Level>();
  let after: string | null = null;
  do {
    const response: Response = await fetch(`${world.inventoryHttp.url}/v1/export/levels?limit=10000${after ? `&after=${after}` : ''}`);
    for (const line of (await response.text()).split('\n')) {
      if (!line) continue;
      const row = JSON.parse(line) as { inventoryItemId: string; locationId: string; available: number | null; updatedAt: string };
      levels.set(`${row.inventoryItemId}:${row.locationId}`, { available: row.available, updatedAt: row.updatedAt });
    }
    after = response.headers.get('x-next-after');
  } while (after);
  return levels;
}

/** Keys whose available differs (or that one side lacks). */
export function differing(expected: Map<string, Level>, actual: Map<string, Level>): string[] {
  const keys = new Set([...expected.keys(), ...actual.keys()]);
  return [...keys].filter((key) => expected.get(key)?.available !== actual.get(key)?.available || !expected.has(key) || !actual.has(key));
}

export async function sql<R = Record<string, unknown>>(url: string, text: string, values: unknown[] = []): Promise<R[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, values)).rows as R[];
  } finally {
    await client.end();
  }
}

/** Sum of a metric's samples whose labels satisfy `keep`. */
async function metricSum(url: string, name: string, keep: (labels: string) => boolean): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    if (keep(line.slice(name.length, line.lastIndexOf('}') + 1))) total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}

/**
 * Waits until the simulator has nothing left to deliver and inventory has
 * consumed every webhook ingest published (bulk_operations/finish is not
 * inventory's), and at least `facts` reconciler facts when given.
 */
export async function settle(world: World, facts?: number): Promise<void> {
  await world.control('POST', '/_sim/webhooks/drain', { timeoutMs: 60_000 });
  await waitFor(
    async () => {
      const published = await metricSum(world.ingest.url, 'understudy_webhooks_total', (l) => /result="(accepted|buffered)"/.test(l) && !l.includes('bulk_operations'));
      const consumed = await metricSum(world.projection.url, 'understudy_events_applied_total', (l) => l.includes('.shopify.'));
      // At least: a replayed dead letter reaches inventory without passing through ingest.
      if (consumed < published) return false;
      if (facts === undefined) return true;
      return (await metricSum(world.projection.url, 'understudy_events_applied_total', (l) => l.includes('.reconcile.'))) >= facts;
    },
    { timeoutMs: 90_000, intervalMs: 250, what: 'inventory to consume every webhook' },
  );
}

/** Reconciler facts inventory has consumed so far. */
export function factsConsumed(world: World): Promise<number> {
  return metricSum(world.projection.url, 'understudy_events_applied_total', (l) => l.includes('.reconcile.'));
}
