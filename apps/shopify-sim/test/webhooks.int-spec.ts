// The Node adapter ships as TypeScript source that does not type-check under our settings; load it untyped.
// eslint-disable-next-line @typescript-eslint/no-require-imports
require('@shopify/shopify-api/adapters/node');
import { ApiVersion, LogSeverity, shopifyApi } from '@shopify/shopify-api';
import { parseWebhookHeaders, resourceKeyFor, verifyWebhookHmac } from '@understudy/shopify';
import { waitFor } from '@understudy/testing';
import type { DeliveryCounters } from '../src/webhooks/dispatcher';
import { retryDelayMs } from '../src/webhooks/schedule';
import { type RunningSimulator, SECRET, SHOP, startReceiver, SUBSCRIBE, useSimulator } from './harness';

const shopify = shopifyApi({
  apiKey: 'understudy-test',
  apiSecretKey: SECRET,
  scopes: [],
  hostName: 'localhost',
  apiVersion: ApiVersion.July26,
  isEmbeddedApp: false,
  logger: { level: LogSeverity.Error, log: async () => undefined },
});

type Counters = DeliveryCounters;

describe('webhook delivery, as Shopify does it', () => {
  let sim: RunningSimulator;
  useSimulator((running) => (sim = running));

  beforeEach(async () => {
    await sim.control('PUT', '/_sim/settings', { timeScale: 1, webhook: { productUpdateOnInventoryChange: true } });
  });

  const subscribe = async (topic: string, uri: string) => {
    const response = await sim.graphql<{ webhookSubscriptionCreate: { webhookSubscription: { id: string }; userErrors: unknown[] } }>(SUBSCRIBE, { topic, uri });
    expect(response.body.data!.webhookSubscriptionCreate.userErrors).toEqual([]);
    return response.body.data!.webhookSubscriptionCreate.webhookSubscription.id;
  };
  const shop = () => sim.simulator.store.get()!;
  const levelOf = (index: number) => ({
    inventoryItemId: `gid://shopify/InventoryItem/${shop().variants[index]!.item.id}`,
    locationId: `gid://shopify/Location/${shop().locations[0]!.id}`,
  });
  const counters = async () => (await sim.control<Counters>('GET', '/_sim/webhooks/counters')).body;
  const drain = async () => (await sim.control<{ idle: boolean; counters: Counters }>('POST', '/_sim/webhooks/drain', { timeoutMs: 30_000 })).body;

  it("signs deliveries so @shopify/shopify-api's webhooks.validate accepts them, with Shopify's headers and REST payloads", async () => {
    const validations: unknown[] = [];
    const receiver = await startReceiver(async (request, rawBody, response) => {
      validations.push(await shopify.webhooks.validate({ rawBody: rawBody.toString('utf8'), rawRequest: request, rawResponse: response }));
      return 200;
    });
    try {
      await subscribe('INVENTORY_LEVELS_UPDATE', receiver.url);
      await subscribe('PRODUCTS_UPDATE', receiver.url);
      await subscribe('INVENTORY_ITEMS_UPDATE', receiver.url);
      const changes = await sim.control('POST', '/_sim/changes', {
        changes: [
          { kind: 'adjust', ...levelOf(1), delta: -2 },
          { kind: 'item', inventoryItemId: levelOf(1).inventoryItemId, tracked: true },
        ],
      });
      expect(changes.status).toBe(200);
      await drain();
      expect(receiver.received.map((r) => r.headers['x-shopify-topic']).sort()).toEqual(['inventory_items/update', 'inventory_levels/update', 'products/update']);
      expect(validations).toHaveLength(3);
      for (const validation of validations) expect(validation).toMatchObject({ valid: true, domain: SHOP, apiVersion: '2026-10' });
      for (const webhook of receiver.received) {
        expect(verifyWebhookHmac(webhook.rawBody, webhook.headers['x-shopify-hmac-sha256'] as string, [SECRET])).toBe(0);
        const headers = parseWebhookHeaders(webhook.headers as Record<string, string>);
        expect(headers.ok).toBe(true);
        const topic = webhook.headers['x-shopify-topic'] as 'inventory_levels/update';
        expect(resourceKeyFor(topic, webhook.body)).toMatchObject({ ok: true });
      }
      const level = receiver.received.find((r) => r.headers['x-shopify-topic'] === 'inventory_levels/update')!;
      expect(level.body).toEqual({
        inventory_item_id: shop().variants[1]!.item.id,
        location_id: shop().locations[0]!.id,
        available: shop().quantity(1, 0, 'available'),
        updated_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}-05:00$/),
        admin_graphql_api_id: expect.stringMatching(/^gid:\/\/shopify\/InventoryLevel\/\d+\?inventory_item_id=\d+$/),
      });
    } finally {
      await receiver.close();
    }
  });

  it('retries a failing receiver on the (compressed) exponential schedule with the original payload, then deletes the subscription', async () => {
    // 4 hours → 8 seconds.
    const timeScale = 1_800;
    await sim.control('PUT', '/_sim/settings', { timeScale, webhook: { productUpdateOnInventoryChange: false } });
    const receiver = await startReceiver(() => 500);
    try {
      const id = await subscribe('INVENTORY_LEVELS_UPDATE', receiver.url);
      await sim.control('POST', '/_sim/changes', { changes: [{ kind: 'adjust', ...levelOf(2), delta: 1 }] });
      await waitFor(async () => (await counters()).subscriptionsRemoved === 1, { timeoutMs: 20_000, what: 'the subscription to be removed' });

      expect(receiver.received).toHaveLength(9); // the first attempt and 8 retries
      const bodies = new Set(receiver.received.map((r) => r.rawBody.toString()));
      expect(bodies.size).toBe(1);
      expect(new Set(receiver.received.map((r) => r.headers['x-shopify-webhook-id'])).size).toBe(1);
      const gaps = receiver.received.slice(1).map((r, i) => r.at - receiver.received[i]!.at);
      // Never early (a busy machine can only make a retry late, so no upper bound).
      gaps.forEach((gap, i) => expect(gap).toBeGreaterThanOrEqual(retryDelayMs(i + 1, timeScale) - 5));
      const total = receiver.received.at(-1)!.at - receiver.received[0]!.at;
      expect(total).toBeGreaterThan((4 * 3600 * 1000) / timeScale - 50);

      const remaining = await sim.graphql<{ webhookSubscriptions: { nodes: Array<{ id: string }> } }>('{ webhookSubscriptions(first: 10) { nodes { id } } }');
      expect(remaining.body.data!.webhookSubscriptions.nodes.map((n) => n.id)).not.toContain(id);
      expect(await counters()).toMatchObject({ sent: 9, failed: 9, retried: 8, succeeded: 0, subscriptionsRemoved: 1, pending: 0 });
    } finally {
      await receiver.close();
    }
  });

  it('counts a redirect (3xx) as a failure', async () => {
    await sim.control('PUT', '/_sim/settings', { timeScale: 100_000, webhook: { productUpdateOnInventoryChange: false } });
    let calls = 0;
    const receiver = await startReceiver(() => (++calls === 1 ? 301 : 200));
    try {
      await subscribe('INVENTORY_LEVELS_UPDATE', receiver.url);
      await sim.control('POST', '/_sim/changes', { changes: [{ kind: 'adjust', ...levelOf(3), delta: 1 }] });
      await drain();
      expect(await counters()).toMatchObject({ sent: 2, failed: 1, retried: 1, succeeded: 1 });
    } finally {
      await receiver.close();
    }
  });

  it('drops, duplicates and reorders exactly as the chaos knobs say, and the counters add up', async () => {
    await sim.control('PUT', '/_sim/settings', { webhook: { productUpdateOnInventoryChange: false } });
    await sim.control('PUT', '/_sim/chaos', { dropRate: 0.2, duplicateRate: 0.25, reorderWindowMs: 300 });
    const receiver = await startReceiver(() => 200);
    try {
      await subscribe('INVENTORY_LEVELS_UPDATE', receiver.url);
      const changes = Array.from({ length: 400 }, (_, i) => ({ kind: 'adjust', ...levelOf(100 + i), delta: 1 }));
      await sim.control('POST', '/_sim/changes', { changes });
      const { counters: final } = await drain();

      expect(final.events).toBe(400);
      // Every delivery created (one per event, plus duplicates) is either dropped or sent; all sent ones succeed.
      expect(final.sent + final.dropped).toBe(400 + final.duplicated);
      expect(receiver.received).toHaveLength(final.sent);
      expect(final.succeeded).toBe(final.sent);
      expect(final.dropped).toBeGreaterThan(40);
      expect(final.duplicated).toBeGreaterThan(50);
      // Duplicates share the event id, never the webhook id.
      const eventIds = receiver.received.map((r) => r.headers['x-shopify-event-id']);
      expect(new Set(receiver.received.map((r) => r.headers['x-shopify-webhook-id'])).size).toBe(receiver.received.length);
      expect(eventIds.length - new Set(eventIds).size).toBeGreaterThan(0);
      // Reordering: arrivals are not in trigger order.
      const triggered = receiver.received.map((r) => Date.parse(r.headers['x-shopify-triggered-at'] as string));
      const inversions = triggered.filter((t, i) => i > 0 && t < triggered[i - 1]!).length;
      expect(inversions).toBeGreaterThan(10);
      const log = (await sim.control<{ deliveries: Array<{ outcome: string }> }>('GET', '/_sim/webhooks/deliveries?limit=10000&outcome=dropped')).body;
      expect(log.deliveries).toHaveLength(final.dropped);
    } finally {
      await receiver.close();
    }
  });

  it('runs a flash sale at the requested rate, each order raising inventory_levels/update', async () => {
    await sim.control('PUT', '/_sim/settings', { webhook: { productUpdateOnInventoryChange: false } });
    const receiver = await startReceiver(() => 200);
    try {
      await subscribe('INVENTORY_LEVELS_UPDATE', receiver.url);
      const started = await sim.control<{ id: string }>('POST', '/_sim/chaos/flash-sale', { changesPerSecond: 300, durationSeconds: 1, hotVariants: 50, seed: 5 });
      expect(started.status).toBe(202);
      await waitFor(async () => (await sim.control<{ state: string }>('GET', `/_sim/chaos/flash-sale/${started.body.id}`)).body.state === 'finished', {
        timeoutMs: 10_000,
        what: 'the flash sale to finish',
      });
      const { counters: final } = await drain();
      expect(final.events).toBe(300);
      expect(receiver.received).toHaveLength(300);
    } finally {
      await receiver.close();
    }
  });

  it('sends bulk_operations/finish and serves the JSONL with __parentId lines', async () => {
    const receiver = await startReceiver(() => 200);
    try {
      await subscribe('BULK_OPERATIONS_FINISH', receiver.url);
      const run = await sim.graphql<{ bulkOperationRunQuery: { bulkOperation: { id: string } } }>(
        `mutation { bulkOperationRunQuery(query: "{ products { edges { node { id title variants { edges { node { id sku } } } } } } }") { bulkOperation { id status } userErrors { message } } }`,
      );
      const id = run.body.data!.bulkOperationRunQuery.bulkOperation.id;
      await waitFor(() => receiver.received.length === 1, { timeoutMs: 10_000, what: 'bulk_operations/finish' });
      expect(receiver.received[0]!.body).toMatchObject({ admin_graphql_api_id: id, status: 'completed', type: 'query', error_code: null });
      const status = await sim.graphql<{ bulkOperation: { status: string; url: string; objectCount: string; rootObjectCount: string } }>(
        `{ bulkOperation(id: "${id}") { status url objectCount rootObjectCount } }`,
      );
      const operation = status.body.data!.bulkOperation;
      expect(operation).toMatchObject({ status: 'COMPLETED', objectCount: '2500', rootObjectCount: '500' });
      const lines = (await (await fetch(operation.url)).text()).trim().split('\n').map((line) => JSON.parse(line) as Record<string, string>);
      expect(lines).toHaveLength(2500);
      expect(lines[0]).toEqual({ id: expect.stringMatching(/Product\//), title: expect.any(String) });
      expect(lines[1]).toEqual({ id: expect.stringMatching(/ProductVariant\//), sku: expect.any(String), __parentId: lines[0]!.id });
    } finally {
      await receiver.close();
    }
  });
});
