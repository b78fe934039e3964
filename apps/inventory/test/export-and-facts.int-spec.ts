import type { TestDatabase } from '@understudy/testing';
import { at, envelope, inventoryEnv, migratedDatabase, project, query, type RunningInventory, shopify, startInventory } from './support/inventory';

/** A reconciler fact: the webhook's payload shape on `reconcile/<resource>`, triggered-at = the snapshot's as-of time. */
const fact = (topic: string, payload: Record<string, unknown>, asOf: string, eventId: string) => envelope(topic, payload, { triggeredAt: asOf, eventId });

async function exportPage(url: string, path: string): Promise<{ status: number; rows: Array<Record<string, unknown>>; next: string | null; type: string | null; body: string }> {
  const response = await fetch(`${url}${path}`);
  const body = await response.text();
  const rows = response.status === 200 ? body.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>) : [];
  return { status: response.status, rows, next: response.headers.get('x-next-after'), type: response.headers.get('content-type'), body };
}

describe('inventory: the export the reconciler diffs against, and reconciler facts through the webhook guard', () => {
  let database: TestDatabase;
  let inventory: RunningInventory;

  beforeAll(async () => {
    database = await migratedDatabase();
    inventory = await startInventory(inventoryEnv(database.url));
  });

  afterAll(async () => {
    await inventory?.stop();
    await database?.drop();
  });

  it('never lets a snapshot overwrite a newer webhook, and lets it repair an older one', async () => {
    // The webhook for 10:00:05 reached the module; the snapshot (as of 10:01) read the level at 10:00:02.
    await project(inventory, [shopify.level(501, 1, 7, at(5))]);
    await project(inventory, [fact('reconcile/inventory_levels', { inventory_item_id: 501, location_id: 1, available: 9, updated_at: at(2) }, at(60), 'run-a:501:1')]);
    const [kept] = await query<{ available: number }>(database.url, 'SELECT available FROM inventory_levels WHERE inventory_item_id = 501');
    expect(kept!.available).toBe(7);

    // Level 502's webhook (10:00:01) is older than the snapshot's read (10:00:03): the fact repairs it.
    await project(inventory, [shopify.level(502, 1, 1, at(1))]);
    await project(inventory, [fact('reconcile/inventory_levels', { inventory_item_id: 502, location_id: 1, available: 4, updated_at: at(3) }, at(60), 'run-a:502:1')]);
    // A webhook newer than the snapshot arriving after it still wins.
    await project(inventory, [shopify.level(502, 1, 3, at(61))]);
    // Replaying the run's fact (a restarted run) is a duplicate: nothing moves back.
    await project(inventory, [fact('reconcile/inventory_levels', { inventory_item_id: 502, location_id: 1, available: 4, updated_at: at(3) }, at(60), 'run-a:502:1')]);
    const [repaired] = await query<{ available: number }>(database.url, 'SELECT available FROM inventory_levels WHERE inventory_item_id = 502');
    expect(repaired!.available).toBe(3);

    // Products and items facts take the same path: the variant mapping arrives by snapshot (the backfill).
    await project(inventory, [
      fact('reconcile/products', { id: 90, title: 'P', updated_at: at(2), variants: [{ id: 901, inventory_item_id: 501 }, { id: 902, inventory_item_id: 502 }] }, at(60), 'run-a:p90'),
      fact('reconcile/inventory_items', { id: 501, tracked: true, sku: 'S-501', updated_at: at(2) }, at(60), 'run-a:i501'),
    ]);
    const variants = await query<{ variant_id: string }>(database.url, 'SELECT variant_id::text FROM variants WHERE product_id = 90 ORDER BY 1');
    expect(variants.map((v) => v.variant_id)).toEqual(['901', '902']);
  });

  it('pages levels, items and products as NDJSON in key order, with the next page in a header', async () => {
    await project(inventory, [shopify.level(503, 1, 5, at(5)), shopify.level(503, 2, 6, at(5))]);
    const first = await exportPage(inventory.url, '/v1/export/levels?limit=2');
    expect(first).toMatchObject({ status: 200, next: '502:1', type: expect.stringContaining('application/x-ndjson') });
    expect(first.rows[0]).toEqual({ inventoryItemId: '501', locationId: '1', available: 7, updatedAt: '2026-01-01T00:00:05.000000Z', triggeredAt: '2026-01-01T00:00:05.000000Z' });
    const rest = await exportPage(inventory.url, `/v1/export/levels?limit=2&after=${first.next}`);
    expect(rest.rows.map((r) => `${r['inventoryItemId']}:${r['locationId']}`)).toEqual(['503:1', '503:2']);
    const last = await exportPage(inventory.url, `/v1/export/levels?limit=2&after=${rest.next}`);
    expect(last).toMatchObject({ status: 200, next: null, rows: [] });
    const short = await exportPage(inventory.url, '/v1/export/levels?limit=4&after=501:1');
    expect(short).toMatchObject({ next: null });
    expect(short.rows.map((r) => `${r['inventoryItemId']}:${r['locationId']}`)).toEqual(['502:1', '503:1', '503:2']);

    const some = await exportPage(inventory.url, '/v1/export/levels?ids=503,999');
    expect(some.rows).toHaveLength(2);
    const products = await exportPage(inventory.url, '/v1/export/products');
    expect(products.rows).toEqual([{ productId: '90', updatedAt: '2026-01-01T00:00:02.000000Z', triggeredAt: '2026-01-01T00:01:00.000000Z', variants: [['901', '501'], ['902', '502']] }]);
    const items = await exportPage(inventory.url, '/v1/export/items?ids=501');
    expect(items.rows).toEqual([expect.objectContaining({ inventoryItemId: '501', tracked: true, sku: 'S-501' })]);
  });

  it("removes a row Shopify deleted only if it is older than the snapshot that found it gone, once, with the item's stock", async () => {
    const stockOf = async (item: number) => Number((await query<{ on_hand: string }>(database.url, 'SELECT on_hand FROM stock WHERE inventory_item_id = $1', [item]))[0]?.on_hand);
    const levelsOf = async (item: number) =>
      (await query<{ location: string }>(database.url, 'SELECT location_id::text AS location FROM inventory_levels WHERE inventory_item_id = $1 ORDER BY 1', [item])).map((r) => r.location);
    await project(inventory, [
      shopify.product(91, [[911, 601]], at(1)),
      shopify.item(601, true, at(1)),
      shopify.level(601, 1, 4, at(5)),
      // Connected 0.8 s after the snapshot (as of 10:01:00.500) began, in the same second of Shopify's clock.
      shopify.level(601, 2, 6, at(60), { triggeredAt: at(60.8) }),
    ]);
    expect(await stockOf(601)).toBe(10);
    // The snapshot as of 10:01:00.500 has neither level: the deletion's version is (10:01:00, 10:01:00.500).
    const deletion = (topic: string, payload: Record<string, unknown>, eventId: string, asOf = at(60.5)) =>
      fact(topic, { ...payload, updated_at: `${asOf.slice(0, 19)}Z` }, asOf, eventId);
    const levelDeletions = [
      deletion('reconcile/inventory_levels_delete', { inventory_item_id: 601, location_id: 1 }, 'run-d:601:1'),
      deletion('reconcile/inventory_levels_delete', { inventory_item_id: 601, location_id: 2 }, 'run-d:601:2'),
    ];
    await project(inventory, levelDeletions);
    expect(await levelsOf(601)).toEqual(['2']);
    expect(await stockOf(601)).toBe(6);
    // A re-published deletion is a duplicate; a later snapshot without the level removes it, and the item has no stock left.
    await project(inventory, levelDeletions);
    expect(await levelsOf(601)).toEqual(['2']);
    await project(inventory, [deletion('reconcile/inventory_levels_delete', { inventory_item_id: 601, location_id: 2 }, 'run-e:601:2', at(120))]);
    expect(await levelsOf(601)).toEqual([]);
    expect(await stockOf(601)).toBe(0);
    // A deletion older than the row's webhook (the item changed after that snapshot) keeps the row.
    await project(inventory, [shopify.item(601, false, at(200)), deletion('reconcile/inventory_items_delete', { id: 601 }, 'run-e:i601', at(120))]);
    expect(await query(database.url, 'SELECT 1 FROM inventory_items WHERE inventory_item_id = 601')).toHaveLength(1);
    // A product goes with its variant mapping.
    await project(inventory, [deletion('reconcile/products_delete', { id: 91 }, 'run-e:p91', at(120))]);
    expect(await query(database.url, 'SELECT 1 FROM products WHERE product_id = 91')).toHaveLength(0);
    expect(await query(database.url, 'SELECT 1 FROM variants WHERE product_id = 91')).toHaveLength(0);
    // A webhook newer than the deletion brings a level back.
    await project(inventory, [shopify.level(601, 1, 2, at(130))]);
    expect(await levelsOf(601)).toEqual(['1']);
    expect(await stockOf(601)).toBe(2);
  });

  it('answers bad export requests with 400 in the platform shape', async () => {
    for (const path of ['/v1/export/orders', '/v1/export/levels?limit=0', '/v1/export/levels?limit=100000', '/v1/export/levels?after=abc', '/v1/export/levels?after=9223372036854775808:1', '/v1/export/levels?ids=1,x']) {
      const answer = await exportPage(inventory.url, path);
      expect({ path, status: answer.status }).toEqual({ path, status: 400 });
      expect(JSON.parse(answer.body)).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
    }
  });
});
