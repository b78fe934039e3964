import { randomUUID } from 'node:crypto';
import type { TestDatabase } from '@understudy/testing';
import { call, inventoryEnv, migratedDatabase, project, query, type RunningInventory, shopify, startInventory } from './support/inventory';

/** Committing a sale: when its units stop counting is decided by soldAt and the sale's location, so both are checked. */
describe('reservation commit, soldAt and location', () => {
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

  const reserve = (variantId: number, quantity: number) =>
    call<{ id: string; createdAt: string }>(inventory.url, 'POST', '/v1/reservations', { cartToken: randomUUID(), lines: [{ variantId, quantity }] }, { 'idempotency-key': randomUUID() });
  const commit = (id: string, body: Record<string, unknown>) =>
    call<{ status: string; error?: { code: string; details: { issues: Array<{ path: string; message: string }> } } }>(inventory.url, 'POST', `/v1/reservations/${id}/commit`, body);
  const reserved = async (item: number) => Number((await query<{ reserved: string }>(database.url, 'SELECT reserved FROM stock WHERE inventory_item_id = $1', [item]))[0]!.reserved);

  /** A product with one variant stocked at locations 1 and 2, levels stamped a minute ago. */
  const seed = async (variantId: number, item: number) => {
    const before = new Date(Date.now() - 60_000).toISOString();
    await project(inventory, [shopify.product(variantId * 10, [[variantId, item]], before), shopify.level(item, 1, 10, before), shopify.level(item, 2, 10, before)]);
  };

  it('refuses a soldAt before the reservation was made, or in the future, and keeps the hold as it was', async () => {
    await seed(9101, 19101);
    const held = await reserve(9101, 2);
    expect(held.status).toBe(201);
    for (const soldAt of ['2020-01-01T00:00:00Z', new Date(Date.parse(held.body.createdAt) - 3_600_000).toISOString(), new Date(Date.now() + 86_400_000).toISOString()]) {
      const answer = await commit(held.body.id, { soldAt });
      expect(answer.status).toBe(400);
      expect(answer.body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: { issues: [{ path: 'soldAt', message: expect.stringMatching(/before the reservation|in the future/) }] } });
    }
    expect(await reserved(19101)).toBe(2);
    // A true one is taken.
    expect((await commit(held.body.id, { soldAt: new Date().toISOString() })).body.status).toBe('committed');
    expect(await reserved(19101)).toBe(2);
  });

  it("settles a sale on its own location's level, not on a newer level of another location", async () => {
    await seed(9201, 19201);
    const held = await reserve(9201, 3);
    const soldAt = new Date();
    expect((await commit(held.body.id, { soldAt: soldAt.toISOString(), locationId: 'gid://shopify/Location/1' })).body.status).toBe('committed');

    // Location 2 changed after the sale for another reason: its level does not include the sale.
    await project(inventory, [shopify.level(19201, 2, 8, new Date(soldAt.getTime() + 1_000).toISOString())]);
    expect(await reserved(19201)).toBe(3);

    // Shopify's decrement for the order, at location 1: now the sale is in on_hand, and leaves reserved.
    await project(inventory, [shopify.level(19201, 1, 7, new Date(soldAt.getTime() + 2_000).toISOString())]);
    expect(await reserved(19201)).toBe(0);
  });

  it('settles at once when the sale location already reported a newer level', async () => {
    await seed(9301, 19301);
    const held = await reserve(9301, 1);
    const soldAt = new Date();
    await project(inventory, [shopify.level(19301, 2, 9, new Date(soldAt.getTime() + 500).toISOString())]);
    await commit(held.body.id, { soldAt: soldAt.toISOString(), locationId: 2 });
    expect(await reserved(19301)).toBe(0);
  });
});
