import { encodeEnvelope, EventPublisher } from '@understudy/messaging';
import { waitFor } from '@understudy/testing';
import { adminGraphql, api, differing, factsConsumed, held, type RunView, settle, sql, startWorld, subscriptions, truth, truthRows, waitForRun, type World } from './support/world';

/**
 * The reconciler's done-when, end to end on the real infrastructure and the
 * simulator (docs/reconciler.md): the backfill, drift after a flash sale that
 * lost 30 % of its webhooks, a webhook newer than the snapshot, a removed
 * subscription, and a reconciler SIGKILLed mid-run.
 */
describe('reconciler end to end', () => {
  let world: World;

  beforeAll(async () => {
    world = await startWorld({ variants: 300, reconcilerEnv: { RECONCILE_BACKFILL_ON_START: 'true' } });
    // Five processes start one after the other: on a busy 2-core machine each can take a minute.
  }, 600_000);

  afterAll(async () => {
    await world?.close();
  });

  async function startRun(body: unknown): Promise<RunView> {
    const answer = await api<RunView>(world.reconciler.url, 'POST', '/v1/runs', body);
    expect(answer.status).toBe(202);
    return answer.body;
  }

  it('backfills an empty module on first start: every level, item and variant mapping', async () => {
    let startup: RunView | undefined;
    await waitFor(async () => ([startup] = (await api<{ runs: RunView[] }>(world.reconciler.url, 'GET', '/v1/runs?limit=5')).body.runs) && startup !== undefined, {
      timeoutMs: 30_000,
      what: 'the backfill run to start',
    });
    expect(startup).toMatchObject({ mode: 'full', trigger: 'startup' });
    const run = await waitForRun(world, startup!.id);
    const shopify = await truth(world);
    expect(run).toMatchObject({ state: 'succeeded', error: null, drift: { stale: 0, extra: 0, mismatch: 0 }, subscriptions: { expected: 4, present: 4, restored: 0 } });
    // Every product's mapping, 300 items, every stocked level.
    const products = new Set((await truthRows(world)).map((row) => row.product_id)).size;
    expect(run.drift.missing).toBe(products + 300 + shopify.size);
    expect(run.published).toBe(run.drift.missing);
    expect(run.cost.throttled).toBe(0);
    await settle(world, run.published);
    expect(differing(shopify, await held(world))).toEqual([]);
    const [mapped] = await sql<{ n: string }>(world.inventoryDb.url, 'SELECT count(*) AS n FROM variants');
    expect(Number(mapped!.n)).toBe(300);
  }, 300_000);

  it('repairs a flash sale that lost 30 % of its webhooks in one incremental run, with drift counts equal to what was lost', async () => {
    await world.control('PUT', '/_sim/chaos', { dropRate: 0.3, duplicateRate: 0.1, reorderWindowMs: 300 });
    const sale = await world.control<{ id: string }>('POST', '/_sim/chaos/flash-sale', { shop: world.shop, changesPerSecond: 60, durationSeconds: 3, hotVariants: 40, seed: 5 });
    await waitFor(async () => (await world.control<{ state: string }>('GET', `/_sim/chaos/flash-sale/${sale.id}`)).state !== 'running', { timeoutMs: 60_000, what: 'the flash sale' });
    await world.control('PUT', '/_sim/chaos', { dropRate: 0, duplicateRate: 0, reorderWindowMs: 0 });
    await settle(world);
    const counters = await world.control<{ dropped: number; duplicated: number }>('GET', '/_sim/webhooks/counters');
    expect(counters.dropped).toBeGreaterThan(0);

    const lost = differing(await truth(world), await held(world));
    expect(lost.length).toBeGreaterThan(0);
    const factsBefore = await factsConsumed(world);
    const run = await waitForRun(world, (await startRun({ domains: ['inventory'], mode: 'incremental' })).id);
    expect(run).toMatchObject({ state: 'succeeded', drift: { missing: 0, extra: 0, mismatch: 0 } });
    expect(run.drift.stale).toBe(lost.length);
    expect(run.published).toBe(lost.length);
    expect(run.cost.throttled).toBe(0);
    await settle(world, factsBefore + run.published);
    expect(differing(await truth(world), await held(world))).toEqual([]);

    const delivery = await api<{ shops: Array<{ shop: string; changes: number; viaWebhook: number; viaReconciler: number; ratio: number; alerting: boolean }> }>(
      world.reconciler.url,
      'GET',
      '/v1/delivery?hours=24',
    );
    const shop = delivery.body.shops.find((s) => s.shop === world.shop)!;
    expect(shop.viaReconciler).toBe(lost.length);
    expect(shop.changes).toBe(shop.viaWebhook + shop.viaReconciler);
    expect(shop).toMatchObject({ alerting: true });
    expect(shop.ratio).toBeCloseTo(shop.viaWebhook / shop.changes, 10);
    const metrics = await (await fetch(`${world.reconciler.url}/metrics`)).text();
    expect(metrics).toContain(`understudy_delivery_ratio{shop="${world.shop}"`);
    expect(metrics).toMatch(/understudy_reconcile_drift_total\{domain="inventory",kind="stale"[^}]*\} [1-9]\d*/);

    // The next incremental run re-reads the lookback window and finds nothing left to repair.
    const again = await waitForRun(world, (await startRun({ domains: ['inventory'], mode: 'incremental' })).id);
    expect(again).toMatchObject({ state: 'succeeded', published: 0, drift: { missing: 0, stale: 0, extra: 0, mismatch: 0 } });
  }, 300_000);

  it('never overwrites a webhook newer than the snapshot, delivered while the run is in flight', async () => {
    const [level] = [...(await truth(world)).keys()];
    const [item, location] = level!.split(':');
    const set = (quantity: number) =>
      world.control('POST', '/_sim/changes', { shop: world.shop, changes: [{ kind: 'set', inventoryItemId: item, locationId: location, quantity }] });
    // The module misses one change (its webhook is dropped): the snapshot will carry a correction for this level.
    await world.control('PUT', '/_sim/chaos', { dropRate: 1 });
    await set(111);
    await world.control('PUT', '/_sim/chaos', { dropRate: 0 });
    // The projection is paused, so the correction and the newer webhook wait in Kafka together.
    process.kill(world.projection.pid, 'SIGSTOP');
    try {
      const run = await startRun({ domains: ['inventory'], mode: 'full' });
      await set(222); // newer than anything the snapshot can hold, delivered while the run is in flight
      const finished = await waitForRun(world, run.id);
      expect(finished).toMatchObject({ state: 'succeeded' });
      expect(finished.published).toBeGreaterThan(0);
    } finally {
      process.kill(world.projection.pid, 'SIGCONT');
    }
    await settle(world);
    await waitFor(async () => (await held(world)).get(level!)?.available === 222, { timeoutMs: 30_000, what: 'the newer webhook to be the level' });
    // Whatever order the projection consumed them in, the snapshot's older value never replaced it.
    await settle(world);
    expect((await held(world)).get(level!)?.available).toBe(222);
    expect(differing(await truth(world), await held(world))).toEqual([]);
  }, 300_000);

  it('restores a subscription Shopify removed, in the next run', async () => {
    const before = await subscriptions(world.sim.url);
    const removed = before.find((s) => s.topic === 'INVENTORY_LEVELS_UPDATE')!;
    await adminGraphql(world.sim.url, 'mutation($id: ID!) { webhookSubscriptionDelete(id: $id) { deletedWebhookSubscriptionId userErrors { message } } }', { id: removed.id });
    expect((await subscriptions(world.sim.url)).some((s) => s.topic === 'INVENTORY_LEVELS_UPDATE')).toBe(false);

    const dry = await waitForRun(world, (await startRun({ domains: ['inventory'], mode: 'incremental', dryRun: true })).id);
    expect(dry).toMatchObject({ state: 'succeeded', published: 0, subscriptions: { expected: 4, present: 3, restored: 0 } });

    const run = await waitForRun(world, (await startRun({ domains: ['inventory'], mode: 'incremental' })).id);
    expect(run.subscriptions).toEqual({ expected: 4, present: 3, restored: 1 });
    const after = await subscriptions(world.sim.url);
    expect(after.find((s) => s.topic === 'INVENTORY_LEVELS_UPDATE')).toMatchObject({ uri: removed.uri });
  });

  it('answers one run per domain at a time, and bad requests with 4xx in the platform shape', async () => {
    const first = await startRun({ domains: ['inventory'], mode: 'full', dryRun: true });
    const second = await api<{ error: { code: string; details: { run: { id: string } } } }>(world.reconciler.url, 'POST', '/v1/runs', { domains: ['inventory'], mode: 'incremental' });
    if (second.status === 409) expect(second.body.error).toMatchObject({ code: 'RUN_IN_PROGRESS', details: { run: { id: first.id } } });
    else expect((await api<RunView>(world.reconciler.url, 'GET', `/v1/runs/${first.id}`)).body.state).not.toBe('running');
    await waitForRun(world, first.id);

    for (const [body, code] of [
      [{ domains: ['orders'], mode: 'full' }, 'VALIDATION_FAILED'],
      [{ domains: [], mode: 'full' }, 'VALIDATION_FAILED'],
      [{ domains: ['inventory'], mode: 'sometimes' }, 'VALIDATION_FAILED'],
      [{ domains: ['inventory'], mode: 'full', extra: 1 }, 'VALIDATION_FAILED'],
    ] as const) {
      const answer = await api<{ error: { code: string } }>(world.reconciler.url, 'POST', '/v1/runs', body);
      expect({ body, status: answer.status, code: answer.body.error.code }).toEqual({ body, status: 400, code });
    }
    const notARunId = await api<{ error: { code: string; details: unknown } }>(world.reconciler.url, 'GET', '/v1/runs/not-a-uuid');
    expect({ status: notARunId.status, error: notARunId.body.error }).toEqual({
      status: 400,
      error: expect.objectContaining({ code: 'VALIDATION_FAILED', details: { issues: [{ path: 'id', message: 'must be a run id (a UUID)' }] } }),
    });
    expect((await api(world.reconciler.url, 'GET', '/v1/runs/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await api(world.reconciler.url, 'GET', '/v1/runs?limit=0')).status).toBe(400);
    expect((await api(world.reconciler.url, 'GET', '/v1/delivery?hours=abc')).status).toBe(400);
    const openApi = await api<{ paths: Record<string, unknown> }>(world.reconciler.url, 'GET', '/openapi.json');
    expect(Object.keys(openApi.body.paths)).toEqual(expect.arrayContaining(['/v1/runs', '/v1/runs/{id}', '/v1/delivery']));
  });

  it('lists a dead-letter topic and replays it to its original topic after a fix', async () => {
    const [key, level] = [...(await truth(world))][0]!;
    const [item, location] = key.split(':').map(Number);
    // A real change whose webhook was dead-lettered (say, by a bug since fixed): the module does not have it.
    await world.control('PUT', '/_sim/chaos', { dropRate: 1 });
    await world.control('POST', '/_sim/changes', { shop: world.shop, changes: [{ kind: 'set', inventoryItemId: String(item), locationId: String(location), quantity: (level.available ?? 0) + 7 }] });
    await world.control('PUT', '/_sim/chaos', { dropRate: 0 });
    const now = (await truth(world)).get(key)!;
    const original = `${world.prefix}shopify.inventory_levels.update`;
    const publisher = new EventPublisher(world.kafka);
    const envelope = {
      webhookId: 'wh-dlq-1',
      eventId: 'ev-dlq-1',
      topic: 'inventory_levels/update',
      shop: world.shop,
      apiVersion: '2026-10',
      triggeredAt: now.updatedAt,
      receivedAt: new Date().toISOString(),
      payload: { inventory_item_id: item, location_id: location, available: now.available, updated_at: now.updatedAt },
    };
    await publisher.publish(`${original}.dlq`, [{ key: String(item), value: encodeEnvelope(envelope), headers: { 'x-dlq-reason': 'rejected by a bug', 'x-dlq-original-topic': original } }]);
    await publisher.close();

    const listed = await api<{ total: number; messages: Array<{ reason: string; originalTopic: string; offset: string; partition: number }> }>(
      world.reconciler.url,
      'GET',
      `/v1/dead-letters?topic=${original}.dlq`,
    );
    expect(listed.body).toMatchObject({ total: 1, messages: [{ reason: 'rejected by a bug', originalTopic: original }] });
    expect((await api(world.reconciler.url, 'GET', '/v1/dead-letters?topic=orders.dlq')).status).toBe(400);

    const [message] = listed.body.messages;
    const replay = await api<{ results: unknown[] }>(world.reconciler.url, 'POST', '/v1/dead-letters/replay', {
      topic: `${original}.dlq`,
      only: [{ partition: message!.partition, offset: message!.offset }],
    });
    expect(replay).toMatchObject({ status: 200, body: { results: [{ result: 'replayed', target: original }] } });
    await waitFor(async () => (await held(world)).get(key)?.available === now.available, { timeoutMs: 30_000, what: 'the replayed webhook to be applied' });
  });

  it("deletes what Shopify no longer has, never a row a webhook wrote after the snapshot, and does it once", async () => {
    const rows = await truthRows(world);
    const locations = [...new Set(rows.map((row) => row.location_id))];
    const stocked = new Set(rows.map((row) => `${row.inventory_item_id}:${row.location_id}`));
    const item = rows.map((row) => row.inventory_item_id).find((id) => locations.some((location) => !stocked.has(`${id}:${location}`)))!;
    const disconnected = locations.find((location) => !stocked.has(`${item}:${location}`))!;
    const old = '2026-01-01T00:00:00Z';
    const future = new Date(Date.now() + 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const bogus = 9_000_000_001;
    // Rows the shop does not have: a level at a location the item is not stocked at (disconnected), a level, an
    // item and a product that do not exist — and one level a webhook wrote after any snapshot this test takes.
    const webhooks: Array<[string, Record<string, unknown>, string]> = [
      ['inventory_levels/update', { inventory_item_id: item, location_id: disconnected, available: 5, updated_at: old }, String(item)],
      ['inventory_levels/update', { inventory_item_id: bogus, location_id: disconnected, available: 3, updated_at: old }, String(bogus)],
      ['inventory_items/update', { id: bogus, sku: 'GONE', tracked: true, updated_at: old }, String(bogus)],
      ['products/update', { id: bogus, title: 'Gone', updated_at: old, variants: [{ id: bogus, product_id: bogus, inventory_item_id: bogus }] }, String(bogus)],
      ['inventory_levels/update', { inventory_item_id: bogus + 1, location_id: disconnected, available: 8, updated_at: future }, String(bogus + 1)],
    ];
    const publisher = new EventPublisher(world.kafka);
    for (const [topic, payload, key] of webhooks) {
      const envelope = { webhookId: `wh-extra-${topic}-${key}`, eventId: `ev-extra-${topic}-${key}`, topic, shop: world.shop, apiVersion: '2026-10', triggeredAt: String(payload['updated_at']), receivedAt: new Date().toISOString(), payload };
      await publisher.publish(`${world.prefix}shopify.${topic.replace('/', '.')}`, [{ key, value: encodeEnvelope(envelope) }]);
    }
    await publisher.close();
    const extraLevels = [`${item}:${disconnected}`, `${bogus}:${disconnected}`];
    const newer = `${bogus + 1}:${disconnected}`;
    const present = async (text: string) => Number((await sql<{ n: string }>(world.inventoryDb.url, text))[0]!.n);
    const bogusRows = () => present(`SELECT (SELECT count(*) FROM inventory_items WHERE inventory_item_id = ${bogus}) + (SELECT count(*) FROM products WHERE product_id = ${bogus}) + (SELECT count(*) FROM variants WHERE product_id = ${bogus}) AS n`);
    await waitFor(
      async () => {
        const levels = await held(world);
        return [...extraLevels, newer].every((key) => levels.has(key)) && (await bogusRows()) === 3;
      },
      { timeoutMs: 30_000, what: 'the extra rows to be projected' },
    );

    // A dry run reports them and deletes nothing.
    const dry = await waitForRun(world, (await startRun({ domains: ['inventory'], mode: 'full', dryRun: true })).id);
    expect(dry).toMatchObject({ state: 'succeeded', published: 0, drift: { extra: 4 } });
    expect(dry.skippedNewer).toBeGreaterThanOrEqual(1);

    const factsBefore = await factsConsumed(world);
    const run = await waitForRun(world, (await startRun({ domains: ['inventory'], mode: 'full' })).id);
    expect(run).toMatchObject({ state: 'succeeded', drift: { missing: 0, extra: 4, mismatch: 0 } });
    expect(run.published).toBe(4 + run.drift.stale);
    await settle(world, factsBefore + run.published);
    const after = await held(world);
    expect(extraLevels.filter((key) => after.has(key))).toEqual([]);
    expect(after.has(newer)).toBe(true);
    expect(await bogusRows()).toBe(0);
    expect(differing(await truth(world), new Map([...after].filter(([key]) => key !== newer)))).toEqual([]);
    const metrics = await (await fetch(`${world.reconciler.url}/metrics`)).text();
    expect(metrics).toMatch(/understudy_reconcile_drift_total\{domain="inventory",kind="extra"[^}]*\} ([4-9]|\d{2,})/);
    expect(metrics).toMatch(/understudy_reconcile_published_total\{topic="reconcile\/inventory_levels_delete"[^}]*\} 2\b/);

    // The next full run finds nothing to delete, and the newer row is still left alone.
    const again = await waitForRun(world, (await startRun({ domains: ['inventory'], mode: 'full' })).id);
    expect(again).toMatchObject({ state: 'succeeded', published: 0, drift: { missing: 0, stale: 0, extra: 0, mismatch: 0 } });
    expect(again.skippedNewer).toBeGreaterThanOrEqual(1);
    expect((await held(world)).has(newer)).toBe(true);
  }, 300_000);

  it('resumes its bulk operation after a SIGKILL mid-run and completes without duplicate effects', async () => {
    // A bigger shop, so the run is still reading when it is killed, and a module that starts empty again, so every
    // row is missing and one fact per row is what "no duplicate effects" means.
    await world.control('POST', '/_sim/seed', { shop: world.shop, variants: 20_000, locations: 3, companies: 0, seed: 12, accessTokens: ['shpat_reconciler_it'] });
    await sql(world.inventoryDb.url, 'TRUNCATE inventory_levels, inventory_items, products, variants, stock, processed_events CASCADE');
    const run = await startRun({ domains: ['inventory'], mode: 'full' });
    let checkpoint: { bulk?: Record<string, string> } = {};
    await waitFor(
      async () => {
        [{ checkpoint }] = (await sql<{ checkpoint: typeof checkpoint }>(world.reconcilerDb.url, 'SELECT checkpoint FROM reconcile_runs WHERE id = $1', [run.id])) as [{ checkpoint: typeof checkpoint }];
        return Object.keys(checkpoint.bulk ?? {}).length === 2;
      },
      { timeoutMs: 60_000, intervalMs: 20, what: 'the run to start its bulk operations' },
    );
    process.kill(world.reconciler.pid, 'SIGKILL');
    await waitFor(async () => (await fetch(`${world.reconciler.url}/health/live`).catch(() => undefined)) === undefined, { timeoutMs: 10_000, what: 'the reconciler to die' });
    const [killed] = await sql<{ state: string }>(world.reconcilerDb.url, 'SELECT state FROM reconcile_runs WHERE id = $1', [run.id]);
    expect(killed!.state).toBe('running');

    await world.restartReconciler({ RECONCILE_BACKFILL_ON_START: 'false' });
    const resumed = await waitForRun(world, run.id, 180_000);
    expect(resumed).toMatchObject({ state: 'succeeded', attempts: 2, error: null });
    const [after] = await sql<{ checkpoint: typeof checkpoint }>(world.reconcilerDb.url, 'SELECT checkpoint FROM reconcile_runs WHERE id = $1', [run.id]);
    // The same bulk operations, read to the end: nothing was started twice.
    expect(after!.checkpoint.bulk).toEqual(checkpoint.bulk);
    expect(resumed.drift).toMatchObject({ stale: 0, extra: 0, mismatch: 0 });
    await settle(world);
    const shopify = await truth(world);
    let wrong: string[] = [];
    await waitFor(async () => (wrong = differing(shopify, await held(world))).length === 0, {
      timeoutMs: 240_000,
      intervalMs: 2_000,
      what: 'inventory to equal the truth',
    }).catch((error: unknown) => {
      throw new Error(`${String(error)}; ${wrong.length} levels differ, e.g. ${wrong.slice(0, 5).join(', ')}`);
    });
    // Both attempts published under the run's stable fact ids: each row got one fact from this run, not one per attempt.
    const [facts] = await sql<{ ids: string; rows: string }>(
      world.inventoryDb.url,
      `SELECT count(*) AS ids, count(DISTINCT split_part(event_id, '@', 1)) AS rows FROM processed_events WHERE event_id LIKE $1`,
      [`reconcile:${run.id}:%`],
    );
    expect(Number(facts!.ids)).toBeGreaterThan(0);
    expect(facts!.ids).toBe(facts!.rows);
  }, 600_000);
});
