import { loadConfig } from '@understudy/config';
import { createDataSource, runMigrations } from '@understudy/database';
import { type ConsumedMessage, encodeEnvelope, type EventEnvelope } from '@understudy/messaging';
import { createService, type RunningService } from '@understudy/platform';
import { type PricingFactInput, readPricingFacts, ShopifyAdminClient } from '@understudy/shopify';
import { type AppProcess, createTestDatabase, startAppProcess, testEnv, type TestDatabase, uniqueName, waitFor } from '@understudy/testing';
import { Registry } from 'prom-client';
import { type Config, configSchema } from '../../src/config';
import { Database } from '../../src/database/database';
import { migrations } from '../../src/migrations';
import { pricingService } from '../../src/pricing';
import { ProjectionService } from '../../src/projection/projection.service';
import { CHANGE_LOG_MARKS } from '../../src/read-model/read-model.sql';
import { ReadModelService } from '../../src/read-model/read-model.service';

export const SIM_TOKEN = 'shpat_pricing_test';
export const SIM_SHOP = 'pricing-test.myshopify.com';

export async function migratedDatabase(): Promise<TestDatabase> {
  const database = await createTestDatabase('pricing');
  const dataSource = createDataSource({ url: database.url, migrations });
  await dataSource.initialize();
  try {
    await runMigrations(dataSource);
  } finally {
    await dataSource.destroy();
  }
  return database;
}

export function pricingEnv(databaseUrl: string, env: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    KAFKA_BROKERS: testEnv().kafkaBrokers.join(','),
    LOG_LEVEL: 'silent',
    HOST: '127.0.0.1',
    PORT: '3003',
    PROJECTION_ENABLED: 'false',
    PROJECTION_SESSION_TIMEOUT_MS: '6000',
    SNAPSHOT_AGE_REFRESH_MS: '200',
    ...env,
  };
}

export interface RunningPricing {
  service: RunningService;
  config: Config;
  url: string;
  projection: ProjectionService;
  readModel: ReadModelService;
  stop(): Promise<void>;
}

export async function startPricing(env: Record<string, string>): Promise<RunningPricing> {
  const config = loadConfig(configSchema, env);
  const service = await createService(pricingService(config));
  await service.app.listen(0, '127.0.0.1');
  const url = (await service.app.getUrl()).replace('[::1]', '127.0.0.1');
  await waitFor(() => service.app.get(Database).isReady, { timeoutMs: 15_000, what: 'the pricing database connection' });
  const readModel = service.app.get(ReadModelService);
  await waitFor(() => readModel.sync.current !== undefined, { timeoutMs: 15_000, what: 'the pricing read model to load' });
  return { service, config, url, projection: service.app.get(ProjectionService), readModel, stop: () => service.app.close() };
}

/**
 * Waits until the service's read model holds every change committed so far (it catches up on its own, by
 * notification and timer): for a test that writes the projection directly and quotes at once.
 */
export async function readModelCaughtUp(pricing: RunningPricing): Promise<void> {
  const [marks] = await pricing.service.app.get(Database).query<{ high: string }>(CHANGE_LOG_MARKS);
  const high = BigInt(marks!.high);
  await waitFor(() => pricing.readModel.sync.position >= high, { timeoutMs: 30_000, what: `the read model to reach change ${high}` });
}

/** The simulator in its own process (its real entry point), on the Plus plan's budget. */
export async function startSimulator(): Promise<AppProcess> {
  return startAppProcess('shopify-sim', {
    PATH: process.env['PATH'],
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    SIM_SHOP,
    SIM_ACCESS_TOKENS: SIM_TOKEN,
    SIM_PLAN: 'plus',
    SIM_SEED_VARIANTS: '0',
    SIM_SEED_COMPANIES: '0',
  });
}

export async function graphql<T>(simUrl: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await fetch(`${simUrl}/admin/api/2026-10/graphql.json`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-shopify-access-token': SIM_TOKEN },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown };
  if (body.errors || !body.data) throw new Error(`GraphQL failed: ${JSON.stringify(body.errors)}`);
  return body.data;
}

export function adminClient(simUrl: string): ShopifyAdminClient {
  return new ShopifyAdminClient({ shop: SIM_SHOP, accessToken: SIM_TOKEN, apiVersion: '2026-10', adminUrl: simUrl, registry: new Registry() });
}

export function envelope(topic: string, payload: Record<string, unknown>, triggeredAt: string): EventEnvelope {
  return { webhookId: uniqueName('wh'), eventId: uniqueName('ev'), topic, shop: SIM_SHOP, apiVersion: '2026-10', triggeredAt, receivedAt: new Date().toISOString(), payload };
}

export function asMessages(events: EventEnvelope[], topic = 'test.pricing'): ConsumedMessage[] {
  return events.map((event, i) => ({ topic, partition: 0, offset: String(i), key: null, value: encodeEnvelope(event), headers: {}, timestamp: Date.now() }));
}

interface ProductNode {
  legacyResourceId: string;
  title: string;
  updatedAt: string;
  variants: { nodes: Array<{ legacyResourceId: string; price: string; compareAtPrice: string | null; updatedAt: string; inventoryItem: { legacyResourceId: string } }> };
}

/** Shopify's products with their variants' prices, as `reconcile/products` envelopes (what the reconciler publishes). */
export async function productFacts(client: ShopifyAdminClient, asOf: string): Promise<EventEnvelope[]> {
  const query = `query($after: String) { products(first: 20, after: $after) { nodes { legacyResourceId title updatedAt
    variants(first: 20) { nodes { legacyResourceId price compareAtPrice updatedAt inventoryItem { legacyResourceId } } } } pageInfo { hasNextPage endCursor } } }`;
  const events: EventEnvelope[] = [];
  for await (const page of client.paginate<ProductNode, { products: { nodes: ProductNode[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } }>(query, { connection: (d) => d.products })) {
    for (const product of page.nodes) {
      events.push(
        envelope(
          'reconcile/products',
          {
            id: Number(product.legacyResourceId),
            title: product.title,
            updated_at: product.updatedAt,
            variants: product.variants.nodes.map((v) => ({
              id: Number(v.legacyResourceId),
              inventory_item_id: Number(v.inventoryItem.legacyResourceId),
              price: v.price,
              compare_at_price: v.compareAtPrice,
              updated_at: v.updatedAt,
            })),
          },
          asOf,
        ),
      );
    }
  }
  return events;
}

/** Shopify's B2B pricing as `reconcile/pricing` envelopes, through the reader the reconciler's pricing domain uses. */
export async function pricingFacts(client: ShopifyAdminClient, asOf: string): Promise<EventEnvelope[]> {
  const events: EventEnvelope[] = [];
  for await (const page of readPricingFacts(client, asOf)) for (const fact of page) events.push(envelope('reconcile/pricing', fact as Record<string, unknown>, asOf));
  return events;
}

export function factEnvelope(fact: PricingFactInput): EventEnvelope {
  return envelope('reconcile/pricing', fact as Record<string, unknown>, fact.as_of);
}

export async function post<T = Record<string, unknown>>(url: string, path: string, body: unknown): Promise<{ status: number; body: T }> {
  const response = await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}
