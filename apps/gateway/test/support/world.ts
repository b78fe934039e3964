import { createKafka, encodeEnvelope, type EventEnvelope, EventPublisher } from '@understudy/messaging';
import {
  availableQuantity,
  createTestDatabase,
  createTestTopics,
  deleteTestTopics,
  readSimTruth,
  type TruthVariant as SimTruthVariant,
  testEnv,
  type TestDatabase,
  truthWebhooks,
  uniqueName,
  waitFor,
} from '@understudy/testing';
import { type AppProcess, json, LOCAL_SHOP, migrateApp, startApp } from './processes';

/** One variant as the simulator knows it (Shopify's truth). */
export interface TruthVariant extends SimTruthVariant {
  /** Sum of `available` over locations, null when untracked: what both sides should answer. */
  availableQuantity: number | null;
}

export interface WorldOptions {
  /** Variants seeded in the simulator. */
  variants?: number;
  /** Start the inventory module too (fed from the simulator's truth through Kafka). */
  inventory?: boolean;
}

/**
 * The real neighbours of the gateway, each in its own process from its real
 * entry point: the Shopify simulator (seeded), the legacy monolith (fresh
 * database, synced from the simulator's Admin API) and the inventory module
 * (fresh database, projection fed with the simulator's inventory as
 * webhook events on a test topic — the path Shopify's webhooks take).
 */
export class World {
  readonly databases: TestDatabase[] = [];
  sim!: AppProcess;
  monolith!: AppProcess;
  inventory: AppProcess | undefined;
  variants: TruthVariant[] = [];
  private inventoryEnv: Record<string, string> | undefined;
  private topic: string | undefined;

  static async start(options: WorldOptions = {}): Promise<World> {
    const world = new World();
    try {
      await world.boot(options);
      return world;
    } catch (error) {
      await world.close();
      throw error;
    }
  }

  private async boot({ variants = 12, inventory = false }: WorldOptions): Promise<void> {
    const monolithDb = await this.database('monolith');
    const inventoryDb = inventory ? await this.database('inventory') : undefined;
    const simStarted = startApp('shopify-sim', { SIM_SEED_VARIANTS: '0' });
    await Promise.all([
      migrateApp('legacy-monolith', { DATABASE_URL: monolithDb.url }),
      inventoryDb ? migrateApp('inventory', { DATABASE_URL: inventoryDb.url }) : Promise.resolve(),
    ]);
    this.sim = await simStarted;
    await json(`${this.sim.url}/_sim/seed`, 'POST', { shop: LOCAL_SHOP, variants, locations: 2, companies: 3, seed: 11 });
    this.variants = await readTruth(this.sim.url);

    // Ready, not just live: the first POST /sync needs its PostgreSQL connected, which on a busy machine it is not yet at /health/live.
    const monolithStarted = startApp(
      'legacy-monolith',
      {
        DATABASE_URL: monolithDb.url,
        SHOPIFY_ADMIN_URL: this.sim.url,
        // Tests sync on demand (POST /sync); the 60 s job would only add noise.
        POLL_INTERVAL_MS: '3600000',
        POLL_RETRY_MS: '200',
      },
      '/health/ready',
    );
    if (inventoryDb) {
      this.topic = uniqueName('gw_inventory_events');
      const kafka = createKafka({ brokers: testEnv().kafkaBrokers, clientId: 'gateway-test' });
      await createTestTopics(kafka, [this.topic], 1);
      this.inventoryEnv = {
        DATABASE_URL: inventoryDb.url,
        PROJECTION_TOPICS: this.topic,
        PROJECTION_GROUP_ID: uniqueName('gw_inventory'),
        PROJECTION_SESSION_TIMEOUT_MS: '6000',
        SWEEP_INTERVAL_MS: '600000',
      };
      const [started] = await Promise.all([startApp('inventory', this.inventoryEnv, '/health/ready'), publishTruth(kafka, this.topic, this.variants)]);
      this.inventory = started;
      await waitFor(
        async () => {
          for (const variant of this.variants) {
            const answer = await json<{ availableQuantity: number | null }>(`${this.inventory!.url}/v1/check`, 'POST', { variantId: variant.variantId, quantity: 1 });
            if (answer.status !== 200 || answer.body.availableQuantity !== variant.availableQuantity) return false;
          }
          return true;
        },
        { timeoutMs: 60_000, intervalMs: 250, what: 'inventory to project the simulator’s stock' },
      );
    }
    this.monolith = await monolithStarted;
    await this.syncMonolith();
  }

  /** Makes the monolith poll the simulator now. */
  async syncMonolith(): Promise<void> {
    const answer = await json<{ lastError: string | null; variants: number }>(`${this.monolith.url}/sync`, 'POST');
    if (answer.body.lastError !== null || answer.body.variants !== this.variants.length) throw new Error(`monolith sync failed: ${answer.text}`);
  }

  async stopInventory(): Promise<void> {
    await this.inventory?.stop();
  }

  async close(): Promise<void> {
    await Promise.all([this.inventory?.stop(), this.monolith?.stop(), this.sim?.stop()].map((stop) => stop?.catch(() => undefined)));
    if (this.topic) await deleteTestTopics(createKafka({ brokers: testEnv().kafkaBrokers, clientId: 'gateway-test' }), [this.topic]).catch(() => undefined);
    await Promise.all(this.databases.map((database) => database.drop().catch(() => undefined)));
  }

  async database(prefix: string): Promise<TestDatabase> {
    const database = await createTestDatabase(prefix);
    this.databases.push(database);
    return database;
  }

  variant(predicate: (variant: TruthVariant) => boolean = (v) => v.tracked && (v.availableQuantity ?? 0) > 5): TruthVariant {
    const found = this.variants.find(predicate);
    if (!found) throw new Error('no seeded variant matches');
    return found;
  }
}

async function readTruth(simUrl: string): Promise<TruthVariant[]> {
  return (await readSimTruth(simUrl)).map((variant) => ({ ...variant, availableQuantity: availableQuantity(variant) }));
}

/** The webhooks Shopify would have sent for this catalogue, as webhook-ingest publishes them. */
async function publishTruth(kafka: ReturnType<typeof createKafka>, topic: string, variants: TruthVariant[]): Promise<void> {
  const publisher = new EventPublisher(kafka);
  await publisher.connect();
  try {
    const messages = truthWebhooks(variants).map(({ topic: shopifyTopic, key, payload, at }) => ({
      key,
      value: encodeEnvelope({
        webhookId: uniqueName('wh'),
        eventId: uniqueName('ev'),
        topic: shopifyTopic,
        shop: LOCAL_SHOP,
        apiVersion: '2026-10',
        triggeredAt: at,
        receivedAt: new Date().toISOString(),
        payload,
      } satisfies EventEnvelope),
    }));
    await publisher.publish(topic, messages);
  } finally {
    await publisher.close();
  }
}
