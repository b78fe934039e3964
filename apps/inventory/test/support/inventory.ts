import { loadConfig } from '@understudy/config';
import { createDataSource, runMigrations } from '@understudy/database';
import { type ConsumedMessage, encodeEnvelope, type EventEnvelope } from '@understudy/messaging';
import { createService, type RunningService } from '@understudy/platform';
import { createTestDatabase, testEnv, type TestDatabase, uniqueName, waitFor } from '@understudy/testing';
import { Client } from 'pg';
import { type Config, configSchema } from '../../src/config';
import { Database } from '../../src/database/database';
import { inventoryService } from '../../src/inventory';
import { migrations } from '../../src/migrations';
import { ProjectionService } from '../../src/projection/projection.service';
import { ReservationsService } from '../../src/reservations/reservations.service';

/** A fresh database with inventory's migrations applied. */
export async function migratedDatabase(): Promise<TestDatabase> {
  const database = await createTestDatabase('inventory');
  const dataSource = createDataSource({ url: database.url, migrations });
  await dataSource.initialize();
  try {
    await runMigrations(dataSource);
  } finally {
    await dataSource.destroy();
  }
  return database;
}

/** The environment inventory reads, pointed at the test infrastructure; the projection is off unless asked for. */
export function inventoryEnv(databaseUrl: string, env: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    REDIS_URL: testEnv().redisUrl,
    KAFKA_BROKERS: testEnv().kafkaBrokers.join(','),
    LOG_LEVEL: 'silent',
    HOST: '127.0.0.1',
    PORT: '3002',
    PROJECTION_ENABLED: 'false',
    PROJECTION_SESSION_TIMEOUT_MS: '6000',
    SWEEP_INTERVAL_MS: '600000',
    ...env,
  };
}

export interface RunningInventory {
  service: RunningService;
  config: Config;
  url: string;
  projection: ProjectionService;
  reservations: ReservationsService;
  stop(): Promise<void>;
}

/** The real service (same modules as main.ts), listening on a free port, once its database is connected. */
export async function startInventory(env: Record<string, string>, { waitForDatabase = true } = {}): Promise<RunningInventory> {
  const config = loadConfig(configSchema, env);
  const service = await createService(inventoryService(config));
  await service.app.listen(0, '127.0.0.1'); // a free port, whatever PORT says
  const url = (await service.app.getUrl()).replace('[::1]', '127.0.0.1');
  if (waitForDatabase) await waitFor(() => service.app.get(Database).isReady, { timeoutMs: 15_000, what: 'the inventory database connection' });
  return {
    service,
    config,
    url,
    projection: service.app.get(ProjectionService),
    reservations: service.app.get(ReservationsService),
    stop: () => service.app.close(),
  };
}

export interface Answer<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

export async function call<T = Record<string, unknown>>(
  url: string,
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer<T>> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T, headers: response.headers };
}

/** One-off SQL against a test database. */
export async function query<R = Record<string, unknown>>(databaseUrl: string, text: string, values: unknown[] = []): Promise<R[]> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query(text, values)).rows as R[];
  } finally {
    await client.end();
  }
}

/** Deadlocks PostgreSQL has detected in this database (cumulative statistics, flushed within a second or so). */
export async function deadlocks(databaseUrl: string): Promise<number> {
  const [row] = await query<{ deadlocks: string }>(databaseUrl, 'SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()');
  return Number(row?.deadlocks ?? 0);
}

/** An ISO timestamp `seconds` after a fixed base, on "Shopify's clock". */
export function at(seconds: number, base = Date.parse('2026-01-01T00:00:00Z')): string {
  return new Date(base + seconds * 1000).toISOString();
}

export function envelope(topic: string, payload: Record<string, unknown>, options: { eventId?: string; triggeredAt?: string } = {}): EventEnvelope {
  const triggeredAt = options.triggeredAt ?? (typeof payload['updated_at'] === 'string' ? payload['updated_at'] : new Date().toISOString());
  return {
    webhookId: uniqueName('wh'),
    eventId: options.eventId ?? uniqueName('ev'),
    topic,
    shop: 'understudy-demo.myshopify.com',
    apiVersion: '2026-10',
    triggeredAt,
    receivedAt: new Date().toISOString(),
    payload,
  };
}

/** Webhook bodies in Shopify's REST shapes. */
export const shopify = {
  level: (inventoryItemId: number, locationId: number, available: number | null, updatedAt: string, options?: { eventId?: string; triggeredAt?: string }) =>
    envelope(
      'inventory_levels/update',
      { inventory_item_id: inventoryItemId, location_id: locationId, available, updated_at: updatedAt, admin_graphql_api_id: `gid://shopify/InventoryLevel/${locationId}` },
      options,
    ),
  product: (productId: number, variants: Array<[variantId: number, inventoryItemId: number]>, updatedAt: string, options?: { eventId?: string }) =>
    envelope(
      'products/update',
      {
        id: productId,
        title: `Product ${productId}`,
        status: 'active',
        updated_at: updatedAt,
        variants: variants.map(([id, inventoryItemId]) => ({ id, product_id: productId, inventory_item_id: inventoryItemId, price: '10.00', inventory_policy: 'deny' })),
      },
      options,
    ),
  item: (inventoryItemId: number, tracked: boolean, updatedAt: string, options?: { eventId?: string }) =>
    envelope('inventory_items/update', { id: inventoryItemId, sku: `SKU-${inventoryItemId}`, tracked, updated_at: updatedAt }, options),
};

/** The Kafka key webhook-ingest uses: the resource id, so one resource stays on one partition. */
export function kafkaKey(event: EventEnvelope): string {
  const payload = event.payload as { inventory_item_id?: number; id?: number };
  return String(event.topic === 'inventory_levels/update' ? payload.inventory_item_id : payload.id);
}

export function asMessage(event: EventEnvelope, topic = 'shopify.test', offset = 0): ConsumedMessage {
  return { topic, partition: 0, offset: String(offset), key: kafkaKey(event), value: encodeEnvelope(event), headers: {}, timestamp: Date.now() };
}

/** Seeds the projection through its real handler (decode, dedupe, guarded upserts), without Kafka. */
export async function project(inventory: RunningInventory, events: EventEnvelope[]): Promise<void> {
  await inventory.projection.handle(events.map((event, i) => asMessage(event, 'shopify.seed', i)));
}

/** A product with one variant per item, stock at one location, all at once. */
export async function seedVariants(inventory: RunningInventory, stock: Array<{ variantId: number; inventoryItemId: number; available: number }>): Promise<void> {
  const productId = stock[0]!.variantId * 10;
  const updatedAt = new Date(Date.now() - 60_000).toISOString();
  await project(inventory, [
    shopify.product(productId, stock.map((s) => [s.variantId, s.inventoryItemId]), updatedAt),
    ...stock.map((s) => shopify.level(s.inventoryItemId, 1, s.available, updatedAt)),
  ]);
}

