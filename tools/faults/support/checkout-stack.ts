import { randomUUID } from 'node:crypto';
import { encodeEnvelope, type EventEnvelope, EventPublisher } from '@understudy/messaging';
import { readSimTruth, type TruthVariant, truthWebhooks, waitFor } from '@understudy/testing';
import { LabApp, labEnv, LOCAL_ACCESS_TOKEN, LOCAL_ADMIN_TOKEN, LOCAL_SHOP } from './apps';
import type { Lab } from './lab';

/** A seeded variant, as the simulator (Shopify's truth) has it. */
export type Variant = TruthVariant;

export const ADMIN = { authorization: `Bearer ${LOCAL_ADMIN_TOKEN}` };
export const MODULE_PROXY = 'gateway-to-inventory';

/**
 * Checkout's path on the lab: the Shopify simulator (seeded), the legacy
 * monolith (synced from it), the inventory module (its projection fed the
 * simulator's stock as webhook envelopes on the lab's Kafka) and the gateway
 * in front of both — the gateway reaching the module through toxiproxy
 * (`MODULE_PROXY`), so the module can be made slow or unreachable.
 */
export class CheckoutStack {
  sim!: LabApp;
  monolith!: LabApp;
  inventory!: LabApp;
  gateway!: LabApp;
  variants: Variant[] = [];

  constructor(private readonly lab: Lab) {}

  async start(): Promise<void> {
    const lab = this.lab;
    const [monolithDb, inventoryDb, gatewayDb] = await Promise.all(['faults_monolith', 'faults_inventory', 'faults_gateway'].map((name) => lab.pg.createDatabase(name)));
    const topic = 'faults.inventory.events';
    await lab.kafka!.createTopics([topic, `${topic}.dlq`], 1);
    this.sim = await LabApp.start('shopify-sim', await lab.port(), labEnv('shopify-sim', { SIM_SEED_VARIANTS: '0' }), { waitPath: '/health/live' });
    await call(`${this.sim.url}/_sim/seed`, 'POST', { shop: LOCAL_SHOP, variants: 24, locations: 2, companies: 1, seed: 7 });
    this.variants = await readSimTruth(this.sim.url);
    const inventoryStarted = LabApp.start(
      'inventory',
      await lab.port(),
      labEnv('inventory', { DATABASE_URL: inventoryDb, REDIS_URL: lab.redis.url, KAFKA_BROKERS: lab.brokers, PROJECTION_TOPICS: topic, PROJECTION_GROUP_ID: 'faults-inventory', SWEEP_INTERVAL_MS: '1000' }),
    );
    const monolithStarted = LabApp.start(
      'legacy-monolith',
      await lab.port(),
      labEnv('legacy-monolith', { DATABASE_URL: monolithDb, SHOPIFY_ADMIN_URL: this.sim.url, SHOPIFY_ACCESS_TOKEN: LOCAL_ACCESS_TOKEN, POLL_INTERVAL_MS: '3600000', POLL_RETRY_MS: '200' }),
    );
    await publishTruth(lab, topic, this.variants);
    [this.inventory, this.monolith] = await Promise.all([inventoryStarted, monolithStarted]);
    const sync = await call<{ lastError: string | null }>(`${this.monolith.url}/sync`, 'POST');
    if (sync.body.lastError !== null) throw new Error(`monolith sync failed: ${JSON.stringify(sync.body)}`);
    let unknown = this.variants.length;
    await waitFor(
      async () => {
        const answers = await Promise.all(this.variants.map((variant) => call(`${this.inventory.url}/v1/check`, 'POST', { variantId: variant.variantId, quantity: 1 })));
        unknown = answers.filter((answer) => answer.status !== 200).length;
        return unknown === 0;
      },
      { timeoutMs: 240_000, intervalMs: 1_000, what: 'the inventory module to project the simulator’s stock' },
    ).catch((error: unknown) => {
      throw new Error(`${String(error)} (${unknown} of ${this.variants.length} variants still unknown)`);
    });
    const moduleAddress = await lab.toxiproxy.proxy(MODULE_PROXY, `127.0.0.1:${this.inventory.port}`);
    this.gateway = await LabApp.start(
      'gateway',
      await lab.port(),
      labEnv('gateway', { DATABASE_URL: gatewayDb, REDIS_URL: lab.redis.url, MONOLITH_URL: this.monolith.url, INVENTORY_URL: `http://${moduleAddress}`, PRICING_URL: 'http://127.0.0.1:9' }),
    );
  }

  async stop(): Promise<void> {
    await Promise.all([this.gateway, this.inventory, this.monolith, this.sim].map((app) => app?.stop().catch(() => undefined)));
  }

  /** Sets a route's mode (and the rest of `changes`), frozen so the guards hold it there during the scenario; waits until the gateway serves it. */
  async configure(route: string, changes: Record<string, unknown>): Promise<void> {
    const current = await call<{ version: number }>(`${this.gateway.url}/admin/routes/${route}`, 'GET', undefined, ADMIN);
    const patched = await call<{ version: number }>(`${this.gateway.url}/admin/routes/${route}`, 'PATCH', { version: current.body.version, reason: 'fault suite', frozen: true, ...changes }, ADMIN);
    if (patched.status !== 200) throw new Error(`PATCH ${route}: ${patched.status} ${JSON.stringify(patched.body)}`);
    await waitFor(async () => (await call<{ version: number }>(`${this.gateway.url}/admin/routes/${route}`, 'GET', undefined, ADMIN)).body.version >= patched.body.version, {
      what: `the gateway to serve ${route} v${patched.body.version}`,
    });
  }
}

export async function call<T = unknown>(url: string, method: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: T }> {
  const response = await fetch(url, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}

/** The webhooks Shopify would have sent for this catalogue, as webhook-ingest publishes them. */
async function publishTruth(lab: Lab, topic: string, variants: Variant[]): Promise<void> {
  const messages = truthWebhooks(variants).map(({ topic: shopifyTopic, key, payload, at }) => ({
    key,
    value: encodeEnvelope({ webhookId: randomUUID(), eventId: randomUUID(), topic: shopifyTopic, shop: LOCAL_SHOP, apiVersion: '2026-10', triggeredAt: at, receivedAt: at, payload } satisfies EventEnvelope),
  }));
  const publisher = new EventPublisher(lab.kafka!.client('faults-truth'));
  await publisher.connect();
  try {
    await publisher.publish(topic, messages);
  } finally {
    await publisher.close();
  }
}
