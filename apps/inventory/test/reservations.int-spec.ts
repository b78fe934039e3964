import { randomUUID } from 'node:crypto';
import { metricValue, type TestDatabase } from '@understudy/testing';
import {
  call,
  deadlocks,
  inventoryEnv,
  migratedDatabase,
  project,
  query,
  type RunningInventory,
  seedVariants,
  shopify,
  startInventory,
} from './support/inventory';

interface Reservation {
  id: string;
  status: string;
  expiresAt: string;
  lines: Array<{ variantId: string; quantity: number }>;
}

describe('reservations on real PostgreSQL', () => {
  let database: TestDatabase;
  let inventory: RunningInventory;

  beforeAll(async () => {
    database = await migratedDatabase();
    inventory = await startInventory(inventoryEnv(database.url, { COMMITTED_HOLD_MAX_SECONDS: '2', DATABASE_POOL_SIZE: '10' }));
  });

  afterAll(async () => {
    await inventory?.stop();
    await database?.drop();
  });

  const reserve = (body: unknown, key: string = randomUUID(), headers: Record<string, string> = {}) =>
    call<Reservation & { error: { code: string; details: { lines: unknown[] } } }>(inventory.url, 'POST', '/v1/reservations', body, {
      'idempotency-key': key,
      ...headers,
    });
  const check = (variantId: number | string, quantity = 1, cartToken?: string) =>
    call<{ available: boolean; availableQuantity: number | null }>(inventory.url, 'POST', '/v1/check', { variantId, quantity, cartToken });
  const stockOf = async (inventoryItemId: number) => {
    const [row] = await query<{ on_hand: string; reserved: string }>(database.url, 'SELECT on_hand, reserved FROM stock WHERE inventory_item_id = $1', [
      inventoryItemId,
    ]);
    return { onHand: Number(row!.on_hand), reserved: Number(row!.reserved) };
  };

  it('lets exactly 50 of 500 concurrent one-unit reservations through against 50 units, and replays each by its key', async () => {
    await seedVariants(inventory, [{ variantId: 1001, inventoryItemId: 5001, available: 50 }]);
    const deadlocksBefore = await deadlocks(database.url);

    // A watcher samples the invariant while the burst runs.
    let watching = true;
    let worstFree = Number.POSITIVE_INFINITY;
    const watcher = (async () => {
      while (watching) {
        const { onHand, reserved } = await stockOf(5001);
        worstFree = Math.min(worstFree, onHand - reserved);
      }
    })();

    // Every one of the 500 gets its definitive answer, never a 503: they wait for a group-commit
    // batch in the service's bounded queue (RESERVATION_QUEUE_MAX, 10,000), not for a pool
    // connection (reservations hold at most RESERVATION_BATCH_CONCURRENCY of them), so how slowly
    // a busy machine serves them changes how long this takes, not what they are answered.
    const attempts = Array.from({ length: 500 }, (_, i) => ({ key: `burst-${i}-${randomUUID()}`, body: { cartToken: `cart-${i}`, lines: [{ variantId: 1001, quantity: 1 }] } }));
    const answers = await Promise.all(attempts.map(({ key, body }) => reserve(body, key)));
    watching = false;
    await watcher;

    const created = answers.filter((a) => a.status === 201);
    const refused = answers.filter((a) => a.status === 409);
    expect({ created: created.length, refused: refused.length }).toEqual({ created: 50, refused: 450 });
    for (const answer of refused) {
      expect(answer.body.error).toMatchObject({ code: 'INSUFFICIENT_INVENTORY', details: { lines: [{ variantId: '1001', requested: 1, availableQuantity: 0 }] } });
    }
    expect(worstFree).toBeGreaterThanOrEqual(0);
    expect(await stockOf(5001)).toEqual({ onHand: 50, reserved: 50 });
    const [lines] = await query<{ units: string }>(database.url, `SELECT sum(quantity) AS units FROM reservation_lines WHERE status = 'active'`);
    expect(Number(lines!.units)).toBe(50);
    expect((await check(1001)).body).toMatchObject({ available: false, availableQuantity: 0 });

    // Same key, same body: the stored answer, not a second reservation.
    const replays = await Promise.all(attempts.map(({ key, body }) => reserve(body, key)));
    replays.forEach((replay, i) => {
      expect(replay.status).toBe(answers[i]!.status);
      expect(replay.body).toEqual(answers[i]!.body);
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
    });
    expect(await stockOf(5001)).toEqual({ onHand: 50, reserved: 50 });
    expect(await deadlocks(database.url)).toBe(deadlocksBefore);
    expect(await metricValue(inventory.url, 'understudy_reservations_total', { result: 'created' })).toBe(50);
    expect(await metricValue(inventory.url, 'understudy_reservations_total', { result: 'insufficient' })).toBe(450);
    expect(await metricValue(inventory.url, 'understudy_reservations_total', { result: 'replayed' })).toBe(500);
  });

  it('reserves once for concurrent requests with the same Idempotency-Key, and answers 422 when the body differs', async () => {
    await seedVariants(inventory, [{ variantId: 1101, inventoryItemId: 5101, available: 10 }]);
    const body = { cartToken: 'cart-same-key', lines: [{ variantId: 'gid://shopify/ProductVariant/1101', quantity: 2 }] };
    const key = randomUUID();
    const answers = await Promise.all(Array.from({ length: 20 }, () => reserve(body, key)));
    expect(new Set(answers.map((a) => a.status))).toEqual(new Set([201]));
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    expect(await stockOf(5101)).toMatchObject({ reserved: 2 });

    // The same reservation written another way (numeric id) is the same request.
    const sameMeaning = await reserve({ ...body, lines: [{ variantId: 1101, quantity: 2 }] }, key);
    expect(sameMeaning.body.id).toBe(answers[0]!.body.id);

    const different = await reserve({ ...body, lines: [{ variantId: 1101, quantity: 3 }] }, key);
    expect(different.status).toBe(422);
    expect(different.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await stockOf(5101)).toMatchObject({ reserved: 2 });
  });

  it('reserves all lines or none, listing only the short ones', async () => {
    await seedVariants(inventory, [
      { variantId: 1201, inventoryItemId: 5201, available: 5 },
      { variantId: 1202, inventoryItemId: 5202, available: 1 },
    ]);
    const short = await reserve({ cartToken: 'multi', lines: [{ variantId: 1201, quantity: 3 }, { variantId: 1202, quantity: 2 }] });
    expect(short.status).toBe(409);
    expect(short.body.error.details.lines).toEqual([{ variantId: '1202', requested: 2, availableQuantity: 1 }]);
    expect(await stockOf(5201)).toMatchObject({ reserved: 0 });

    const ok = await reserve({ cartToken: 'multi', lines: [{ variantId: 1202, quantity: 1 }, { variantId: 1201, quantity: 2 }, { variantId: 1201, quantity: 1 }] });
    expect(ok.status).toBe(201);
    expect(ok.body.lines).toEqual([
      { variantId: '1201', quantity: 3 },
      { variantId: '1202', quantity: 1 },
    ]);
    expect(await stockOf(5201)).toMatchObject({ reserved: 3 });
    expect(await stockOf(5202)).toMatchObject({ reserved: 1 });
  });

  it('never deadlocks nor oversells when multi-line reservations, releases and Shopify updates interleave', async () => {
    const variants = [1301, 1302, 1303, 1304, 1305];
    await seedVariants(
      inventory,
      variants.map((variantId) => ({ variantId, inventoryItemId: variantId + 4000, available: 40 })),
    );
    const deadlocksBefore = await deadlocks(database.url);
    const pick = () => variants[Math.floor(Math.random() * variants.length)]!;
    const start = Date.now();

    const work = Array.from({ length: 300 }, async (_, i) => {
      // Lines in random order: the service must lock in a consistent order anyway.
      const lines = [...new Set([pick(), pick(), pick()])].map((variantId) => ({ variantId, quantity: 1 + (i % 3) }));
      const answer = await reserve({ cartToken: `mixed-${i}`, lines });
      if (answer.status === 201 && i % 2 === 0) {
        const released = await call(inventory.url, 'DELETE', `/v1/reservations/${answer.body.id}`);
        expect(released.status).toBe(200);
      }
      return answer.status;
    });
    const levelUpdates = Array.from({ length: 30 }, (_, i) =>
      project(inventory, [shopify.level(pick() + 4000, 1 + (i % 2), 40 + i, new Date(start + i * 1000).toISOString())]),
    );
    const statuses = await Promise.all(work);
    await Promise.all(levelUpdates);

    expect(statuses.every((status) => status === 201 || status === 409)).toBe(true);
    const rows = await query<{ inventory_item_id: string; reserved: string; active_units: string }>(
      database.url,
      `SELECT s.inventory_item_id, s.reserved,
              (SELECT coalesce(sum(quantity), 0) FROM reservation_lines l
                WHERE l.inventory_item_id = s.inventory_item_id AND l.status IN ('active', 'committed')) AS active_units
         FROM stock s WHERE s.inventory_item_id = ANY($1::int8[])`,
      [variants.map((v) => v + 4000)],
    );
    for (const row of rows) expect(Number(row.reserved)).toBe(Number(row.active_units));
    await new Promise((resolve) => setTimeout(resolve, 1_000)); // statistics flush
    expect(await deadlocks(database.url)).toBe(deadlocksBefore);
  });

  it('stops counting an expired reservation at its expiry instant, before any sweep, and the sweep then releases it', async () => {
    await seedVariants(inventory, [{ variantId: 1401, inventoryItemId: 5401, available: 1 }]);
    // Long enough that the two calls below happen before expiry even on a busy machine.
    const first = await reserve({ cartToken: 'short-lived', lines: [{ variantId: 1401, quantity: 1 }], ttlSeconds: 3 });
    expect(first.status).toBe(201);
    expect((await check(1401)).body.availableQuantity).toBe(0);
    expect((await reserve({ cartToken: 'waiting', lines: [{ variantId: 1401, quantity: 1 }] })).status).toBe(409);

    await new Promise((resolve) => setTimeout(resolve, Date.parse(first.body.expiresAt) - Date.now() + 50));
    expect((await check(1401)).body.availableQuantity).toBe(1);
    expect((await call<Reservation>(inventory.url, 'GET', `/v1/reservations/${first.body.id}`)).body.status).toBe('expired');
    const second = await reserve({ cartToken: 'waiting', lines: [{ variantId: 1401, quantity: 1 }] });
    expect(second.status).toBe(201);
    expect(await stockOf(5401)).toMatchObject({ reserved: 2 }); // the expired hold is still in the counter until the sweep

    const swept = await inventory.reservations.sweep({ cleanup: true });
    expect(swept.expired).toBeGreaterThanOrEqual(1);
    expect(await stockOf(5401)).toMatchObject({ reserved: 1 });
    expect((await check(1401)).body.availableQuantity).toBe(0);
    expect((await call(inventory.url, 'POST', `/v1/reservations/${first.body.id}/commit`)).body).toMatchObject({ error: { code: 'RESERVATION_EXPIRED' } });
  });

  it('releases idempotently and refuses to commit what was released', async () => {
    await seedVariants(inventory, [{ variantId: 1501, inventoryItemId: 5501, available: 3 }]);
    const held = await reserve({ cartToken: 'release-me', lines: [{ variantId: 1501, quantity: 3 }] });
    expect((await check(1501)).body.availableQuantity).toBe(0);

    const released = await call<Reservation>(inventory.url, 'DELETE', `/v1/reservations/${held.body.id}`);
    expect(released).toMatchObject({ status: 200, body: { id: held.body.id, status: 'released' } });
    expect((await check(1501)).body.availableQuantity).toBe(3);
    expect((await call<Reservation>(inventory.url, 'DELETE', `/v1/reservations/${held.body.id}`)).body.status).toBe('released');
    expect(await stockOf(5501)).toMatchObject({ reserved: 0 });

    const commit = await call(inventory.url, 'POST', `/v1/reservations/${held.body.id}/commit`);
    expect(commit).toMatchObject({ status: 409, body: { error: { code: 'RESERVATION_RELEASED' } } });
  });

  it("counts a sale once: sold units count until Shopify's own newer level arrives, then drop out", async () => {
    await seedVariants(inventory, [{ variantId: 1601, inventoryItemId: 5601, available: 10 }]);
    const held = await reserve({ cartToken: 'buyer', lines: [{ variantId: 1601, quantity: 3 }] });
    expect((await check(1601)).body.availableQuantity).toBe(7);

    const committed = await call<Reservation & { soldAt: string }>(inventory.url, 'POST', `/v1/reservations/${held.body.id}/commit`);
    expect(committed).toMatchObject({ status: 200, body: { status: 'committed' } });
    expect((await call(inventory.url, 'POST', `/v1/reservations/${held.body.id}/commit`)).status).toBe(200);
    expect((await check(1601)).body.availableQuantity).toBe(7);
    expect((await call(inventory.url, 'DELETE', `/v1/reservations/${held.body.id}`)).body).toMatchObject({ error: { code: 'RESERVATION_COMMITTED' } });

    // A level from before the sale (an unrelated change Shopify made earlier) must not release the sold units.
    const soldAt = Date.parse(committed.body.soldAt);
    await project(inventory, [shopify.level(5601, 1, 12, new Date(soldAt - 5_000).toISOString())]);
    expect((await check(1601)).body.availableQuantity).toBe(9);

    // Shopify's own update for the order: 12 - 3 = 9, stamped after the sale. Sold units now live in on_hand only.
    await project(inventory, [shopify.level(5601, 1, 9, new Date(soldAt + 1_000).toISOString())]);
    expect((await check(1601)).body.availableQuantity).toBe(9);
    expect(await stockOf(5601)).toEqual({ onHand: 9, reserved: 0 });

    // Committed with the order's own time when Shopify's level for it is already projected: settled at once.
    const late = await reserve({ cartToken: 'buyer-2', lines: [{ variantId: 1601, quantity: 2 }] });
    await project(inventory, [shopify.level(5601, 1, 7, new Date(soldAt + 2_000).toISOString())]);
    expect((await check(1601)).body.availableQuantity).toBe(5);
    await call(inventory.url, 'POST', `/v1/reservations/${late.body.id}/commit`, { soldAt: new Date(soldAt + 1_500).toISOString() });
    expect((await check(1601)).body.availableQuantity).toBe(7);
  });

  it('stops counting sold units Shopify never reported once the hold runs out', async () => {
    await seedVariants(inventory, [{ variantId: 1701, inventoryItemId: 5701, available: 4 }]);
    const held = await reserve({ cartToken: 'lost-order', lines: [{ variantId: 1701, quantity: 1 }] });
    await call(inventory.url, 'POST', `/v1/reservations/${held.body.id}/commit`);
    expect((await check(1701)).body.availableQuantity).toBe(3);
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    const swept = await inventory.reservations.sweep({ cleanup: false });
    expect(swept.settled).toBeGreaterThanOrEqual(1);
    expect((await check(1701)).body.availableQuantity).toBe(4);
  });

  it('counts units a cart holds as available to that cart only', async () => {
    await seedVariants(inventory, [{ variantId: 1801, inventoryItemId: 5801, available: 2 }]);
    await reserve({ cartToken: 'mine', lines: [{ variantId: 1801, quantity: 2 }] });
    expect((await check(1801, 2, 'someone-else')).body).toMatchObject({ available: false, availableQuantity: 0 });
    expect((await check(1801, 2, 'mine')).body).toMatchObject({ available: true, availableQuantity: 2 });
  });

  it('treats an untracked item as unlimited', async () => {
    await seedVariants(inventory, [{ variantId: 1901, inventoryItemId: 5901, available: 0 }]);
    await project(inventory, [shopify.item(5901, false, new Date().toISOString())]);
    expect((await check(1901, 1_000)).body).toMatchObject({ available: true, availableQuantity: null });
    expect((await reserve({ cartToken: 'any', lines: [{ variantId: 1901, quantity: 1_000 }] })).status).toBe(201);
  });
});
