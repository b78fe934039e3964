import { randomUUID } from 'node:crypto';
import { toErrorResponse } from '@understudy/platform';
import { metricValue, type TestDatabase, waitFor } from '@understudy/testing';
import { Client } from 'pg';
import { normalizeReservation, requestHash } from '../src/reservations/reservation-request';
import type { ReservationOutcome } from '../src/reservations/reservations.service';
import { call, deadlocks, inventoryEnv, migratedDatabase, query, type RunningInventory, seedVariants, startInventory } from './support/inventory';

/**
 * Group commit (docs/performance.md): requests that arrive while a batch is in
 * the database share the next transaction. With one batch in flight at a time
 * (RESERVATION_BATCH_CONCURRENCY=1), requests submitted in the same tick make a
 * known batch: the first goes alone, every later one waits for the next batch,
 * in which they are decided in Idempotency-Key order. These tests call the
 * service the controller calls, to build such batches on purpose.
 */
describe('reservations: group commit on real PostgreSQL', () => {
  let database: TestDatabase;
  let inventory: RunningInventory;

  beforeAll(async () => {
    database = await migratedDatabase();
    inventory = await startInventory(inventoryEnv(database.url, { RESERVATION_BATCH_CONCURRENCY: '1', DATABASE_POOL_SIZE: '4' }));
  });

  afterAll(async () => {
    await inventory?.stop();
    await database?.drop();
  });

  type Settled = { status: number; body: Record<string, unknown> & { error?: { code: string; details?: { lines?: unknown[] } } }; replayed?: boolean };
  const settle = (outcome: Promise<ReservationOutcome>): Promise<Settled> =>
    outcome.then(
      (answer) => ({ status: answer.status, body: answer.body as Settled['body'], replayed: answer.replayed }),
      (error: unknown) => {
        const { status, body } = toErrorResponse(error);
        return { status, body: body as unknown as Settled['body'] };
      },
    );
  const reserve = (key: string, lines: Array<{ variantId: number; quantity: number }>, { shadow = false, cartToken = `cart-${key}` } = {}) =>
    settle(inventory.reservations.create({ cartToken, lines: lines.map((line) => ({ variantId: String(line.variantId), quantity: line.quantity })) }, key, shadow));
  const stockOf = async (inventoryItemId: number) => {
    const [row] = await query<{ on_hand: string; reserved: string }>(database.url, 'SELECT on_hand, reserved FROM stock WHERE inventory_item_id = $1', [inventoryItemId]);
    return { onHand: Number(row!.on_hand), reserved: Number(row!.reserved) };
  };
  const batches = async () => ({
    batches: await metricValue(inventory.url, 'understudy_reservation_batch_size_count', {}),
    requests: await metricValue(inventory.url, 'understudy_reservation_batch_size_sum', {}),
  });

  it('decides a batch in key order against what its batch-mates left: a short cart gets its own 409, the others their 201', async () => {
    await seedVariants(inventory, [
      { variantId: 2001, inventoryItemId: 6001, available: 5 },
      { variantId: 2002, inventoryItemId: 6002, available: 10 },
    ]);
    const before = await batches();
    const run = randomUUID();
    const [first, a, b, c, d] = await Promise.all([
      reserve(`${run}-0-first`, [{ variantId: 2002, quantity: 1 }]), // alone: the batch in flight
      reserve(`${run}-1-a`, [{ variantId: 2001, quantity: 2 }]), // 5 → 3
      reserve(`${run}-2-b`, [{ variantId: 2001, quantity: 4 }]), // 3 < 4: 409
      reserve(`${run}-3-c`, [{ variantId: 2001, quantity: 3 }]), // 3 → 0
      reserve(`${run}-4-d`, [
        { variantId: 2002, quantity: 1 },
        { variantId: 2001, quantity: 1 },
      ]), // 2001 is gone: nothing of the cart is held
    ]);
    expect([first, a, b, c, d].map((answer) => answer.status)).toEqual([201, 201, 409, 201, 409]);
    expect(b.body.error).toMatchObject({ code: 'INSUFFICIENT_INVENTORY', details: { lines: [{ variantId: '2001', requested: 4, availableQuantity: 3 }] } });
    expect(d.body.error?.details?.lines).toEqual([{ variantId: '2001', requested: 1, availableQuantity: 0 }]);
    expect(await stockOf(6001)).toEqual({ onHand: 5, reserved: 5 });
    expect(await stockOf(6002)).toEqual({ onHand: 10, reserved: 1 });
    // Two transactions for five requests: the first alone, the other four together.
    expect(await batches()).toEqual({ batches: before.batches + 2, requests: before.requests + 5 });
  });

  it('replays a key inside its own batch and across batches, and answers 422 for the same key with another body', async () => {
    await seedVariants(inventory, [{ variantId: 2101, inventoryItemId: 6101, available: 10 }]);
    const key = `same-${randomUUID()}`;
    const lines = [{ variantId: 2101, quantity: 2 }];
    const [, original, replay, reused, other] = await Promise.all([
      reserve(`blocker-${randomUUID()}`, [{ variantId: 2101, quantity: 1 }]),
      reserve(key, lines),
      reserve(key, lines),
      reserve(key, [{ variantId: 2101, quantity: 3 }]),
      reserve(`other-${randomUUID()}`, [{ variantId: 2101, quantity: 1 }]),
    ]);
    expect(original).toMatchObject({ status: 201, replayed: false });
    expect(replay).toEqual({ ...original, replayed: true });
    expect(reused).toMatchObject({ status: 422, body: { error: { code: 'IDEMPOTENCY_KEY_REUSED' } } });
    expect(other.status).toBe(201);
    expect(await stockOf(6101)).toMatchObject({ reserved: 4 });

    // A later batch, and over HTTP: the stored answer again.
    const [later] = await Promise.all([reserve(key, lines), reserve(`x-${randomUUID()}`, [{ variantId: 2101, quantity: 1 }])]);
    expect(later).toEqual({ ...original, replayed: true });
    const overHttp = await call<Record<string, unknown>>(inventory.url, 'POST', '/v1/reservations', { cartToken: `cart-${key}`, lines }, { 'idempotency-key': key });
    expect(overHttp.status).toBe(201);
    expect(overHttp.body).toEqual(original.body);
    expect(overHttp.headers.get('idempotent-replayed')).toBe('true');
    expect(await stockOf(6101)).toMatchObject({ reserved: 5 });
  });

  it('keeps a poison request, an unknown variant and a shadow request from touching their batch-mates', async () => {
    await seedVariants(inventory, [{ variantId: 2201, inventoryItemId: 6201, available: 10 }]);
    const run = randomUUID();
    const [, ok1, poison, unknown, shadow, ok2] = await Promise.all([
      reserve(`${run}-0`, [{ variantId: 2201, quantity: 1 }]),
      reserve(`${run}-1`, [{ variantId: 2201, quantity: 1 }]),
      // PostgreSQL refuses a NUL in text: the whole batch fails, and is retried one request at a time.
      reserve(`${run}-2`, [{ variantId: 2201, quantity: 1 }], { cartToken: 'bad\u0000token' }),
      reserve(`${run}-3`, [{ variantId: 2299, quantity: 1 }]),
      reserve(`${run}-4`, [{ variantId: 2201, quantity: 5 }], { shadow: true }),
      reserve(`${run}-5`, [{ variantId: 2201, quantity: 1 }]),
    ]);
    expect(ok1.status).toBe(201);
    expect(poison).toMatchObject({ status: 400, body: { error: { code: 'INVALID_VALUE' } } });
    expect(unknown).toMatchObject({ status: 404, body: { error: { code: 'VARIANT_NOT_FOUND' } } });
    expect(shadow.status).toBe(201);
    expect(ok2.status).toBe(201);
    expect(await stockOf(6201)).toMatchObject({ reserved: 3 });
    const [stored] = await query<{ n: string }>(database.url, 'SELECT count(*) AS n FROM idempotency_keys WHERE key = ANY($1)', [[`${run}-2`, `${run}-3`, `${run}-4`]]);
    expect(Number(stored!.n)).toBe(0); // nothing of the poison, the unknown variant or the dry run was kept

    // The unknown variant claimed no key: once the variant exists, the same request succeeds.
    await seedVariants(inventory, [{ variantId: 2299, inventoryItemId: 6299, available: 1 }]);
    expect((await reserve(`${run}-3`, [{ variantId: 2299, quantity: 1 }])).status).toBe(201);
  });

  it('gives exactly the stock to 300 concurrent multi-line carts over HTTP, with no deadlock and nothing below zero', async () => {
    const variants = [2301, 2302, 2303];
    await seedVariants(
      inventory,
      variants.map((variantId) => ({ variantId, inventoryItemId: variantId + 4000, available: 50 })),
    );
    const deadlocksBefore = await deadlocks(database.url);
    const before = await batches();
    // Every cart wants one unit of each of the three: at most 50 carts fit.
    const answers = await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        call<{ error?: { code: string } }>(
          inventory.url,
          'POST',
          '/v1/reservations',
          { cartToken: `flash-${i}`, lines: [...variants].sort(() => Math.random() - 0.5).map((variantId) => ({ variantId, quantity: 1 })) },
          { 'idempotency-key': `flash-${i}-${randomUUID()}` },
        ),
      ),
    );
    const statuses = answers.map((answer) => answer.status);
    expect({ created: statuses.filter((s) => s === 201).length, refused: statuses.filter((s) => s === 409).length }).toEqual({ created: 50, refused: 250 });
    for (const variantId of variants) expect(await stockOf(variantId + 4000)).toEqual({ onHand: 50, reserved: 50 });
    const [lines] = await query<{ units: string }>(database.url, `SELECT sum(quantity) AS units FROM reservation_lines WHERE status = 'active' AND variant_id = ANY($1)`, [variants]);
    expect(Number(lines!.units)).toBe(150);
    expect(await deadlocks(database.url)).toBe(deadlocksBefore);
    const after = await batches();
    expect(after.requests - before.requests).toBe(300);
  });

  it('runs a batch again when a concurrent transaction claims one of its keys first: those keys answer as stored, their batch-mates get theirs', async () => {
    await seedVariants(inventory, [{ variantId: 2501, inventoryItemId: 6501, available: 10 }]);
    const run = randomUUID();
    const [same, other] = [`${run}-1-same`, `${run}-2-other`];
    const lines = [{ variantId: 2501, quantity: 2 }];
    const hashOf = (key: string) => {
      const normalized = normalizeReservation(
        { cartToken: `cart-${key}`, lines: lines.map((line) => ({ variantId: String(line.variantId), quantity: line.quantity })) },
        { defaultTtlSeconds: inventory.config.RESERVATION_DEFAULT_TTL_SECONDS, maxTtlSeconds: inventory.config.RESERVATION_MAX_TTL_SECONDS },
      );
      if (!normalized.ok) throw new Error('invalid request');
      return requestHash(normalized.request);
    };
    // Another transaction (another replica's batch) holds both keys, not yet committed: one for the same body, one for another.
    const blocker = new Client({ connectionString: database.url });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query(
        `INSERT INTO idempotency_keys (key, request_hash, response_status, response_body) VALUES ($1, $2, 201, '{"id": "the other batch"}'), ($3, 'another body', 201, '{}')`,
        [same, hashOf(same), other],
      );
      const answers = Promise.all([
        reserve(`${run}-0`, [{ variantId: 2501, quantity: 1 }]), // alone: the batch in flight
        reserve(same, lines),
        reserve(other, lines),
        reserve(`${run}-3`, [{ variantId: 2501, quantity: 3 }]),
      ]);
      // The second batch decided its requests and waits to write the keys the blocker holds.
      await waitFor(
        async () => {
          const [row] = await query<{ n: string }>(database.url, `SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event = 'transactionid'`);
          return Number(row!.n) > 0;
        },
        { timeoutMs: 10_000, what: 'a batch waiting on the keys of the open transaction' },
      );
      await blocker.query('COMMIT');
      const [first, replayed, reused, mate] = await answers;
      expect(first!.status).toBe(201);
      expect(replayed).toEqual({ status: 201, body: { id: 'the other batch' }, replayed: true });
      expect(reused).toMatchObject({ status: 422, body: { error: { code: 'IDEMPOTENCY_KEY_REUSED' } } });
      expect(mate!.status).toBe(201);
      // Nothing of the first attempt of that batch was kept: only the two 201s of this process hold units.
      expect(await stockOf(6501)).toMatchObject({ reserved: 4 });
      const [held] = await query<{ units: string; reservations: string }>(
        database.url,
        `SELECT sum(quantity) AS units, count(DISTINCT reservation_id) AS reservations FROM reservation_lines WHERE status = 'active' AND variant_id = 2501`,
      );
      expect({ units: Number(held!.units), reservations: Number(held!.reservations) }).toEqual({ units: 4, reservations: 2 });
    } finally {
      await blocker.end();
    }
  });

  // A batch decides before it takes its stock locks, writes, then decides again under them (migration
  // ReserveBatchBeforeLocks). A concurrent change of the stock between the two (here: a Shopify level the
  // projection applies while holding the row) must end with the answer under the locks, and nothing else stored.
  describe.each([
    { change: 'a 201 decided before the locks', onHand: 2, quantity: 4, status: 409 },
    { change: 'a 409 decided before the locks', onHand: 10, quantity: 8, status: 201 },
  ])('when the stock changes while the batch waits for its lock: $change becomes a $status', ({ onHand, quantity, status }) => {
    it('answers, stores and replays what the stock under the lock allows', async () => {
      const item = status === 409 ? 6701 : 6702;
      const variant = item - 4700;
      await seedVariants(inventory, [{ variantId: variant, inventoryItemId: item, available: 5 }]);
      const key = `moved-${randomUUID()}`;
      const cartToken = `cart-${key}`;
      const blocker = new Client({ connectionString: database.url });
      await blocker.connect();
      try {
        await blocker.query('BEGIN');
        await blocker.query('UPDATE stock SET on_hand = $2 WHERE inventory_item_id = $1', [item, onHand]);
        const answer = reserve(key, [{ variantId: variant, quantity }], { cartToken });
        // Its first pass saw on_hand 5 (the change is not committed) and wrote; now it waits for the row.
        await waitFor(
          async () => {
            const [row] = await query<{ n: string }>(database.url, `SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event = 'transactionid'`);
            return Number(row!.n) > 0;
          },
          { timeoutMs: 10_000, what: 'the batch waiting for the stock row the blocker holds' },
        );
        await blocker.query('COMMIT');
        const settled = await answer;
        expect(settled.status).toBe(status);
        if (status === 409) {
          expect(settled.body.error).toMatchObject({ code: 'INSUFFICIENT_INVENTORY', details: { lines: [{ variantId: String(variant), requested: quantity, availableQuantity: onHand }] } });
        }
        const [held] = await query<{ reservations: string; units: string | null }>(
          database.url,
          `SELECT count(DISTINCT r.id) AS reservations, sum(l.quantity) AS units FROM reservations r LEFT JOIN reservation_lines l ON l.reservation_id = r.id WHERE r.cart_token = $1`,
          [cartToken],
        );
        expect({ reservations: Number(held!.reservations), units: Number(held!.units ?? 0) }).toEqual(status === 201 ? { reservations: 1, units: quantity } : { reservations: 0, units: 0 });
        expect(await stockOf(item)).toEqual({ onHand, reserved: status === 201 ? quantity : 0 });
        // The key holds the answer given, not the first pass's.
        expect(await reserve(key, [{ variantId: variant, quantity }], { cartToken })).toEqual({ ...settled, replayed: true });
      } finally {
        await blocker.end();
      }
    });
  });

  it('neither loses nor doubles a reservation when the same keys come back at once through two replicas', async () => {
    const variants = [2601, 2602];
    await seedVariants(
      inventory,
      variants.map((variantId) => ({ variantId, inventoryItemId: variantId + 4000, available: 40 })),
    );
    const replica = await startInventory(inventoryEnv(database.url, { RESERVATION_BATCH_CONCURRENCY: '2', DATABASE_POOL_SIZE: '4' }));
    try {
      const run = randomUUID();
      // 90 carts of one or two lines; each is sent one to three times at once, alternating replicas, with the same key and body.
      const carts = Array.from({ length: 90 }, (_, i) => ({
        key: `${run}-${i}`,
        body: { cartToken: `cart-${run}-${i}`, lines: (i % 3 === 0 ? variants : [variants[i % 2]!]).map((variantId) => ({ variantId, quantity: 1 })) },
        copies: 1 + (i % 3),
      }));
      const sent = carts.flatMap((cart, i) => Array.from({ length: cart.copies }, (_, copy) => ({ cart, url: (i + copy) % 2 === 0 ? inventory.url : replica.url })));
      sent.sort(() => Math.random() - 0.5);
      const answers = await Promise.all(
        sent.map(async ({ cart, url }) => ({ cart, answer: await call<{ id?: string }>(url, 'POST', '/v1/reservations', cart.body, { 'idempotency-key': cart.key }) })),
      );

      // Every copy of a cart got the same answer; 201 or 409 only (stock runs out).
      const byKey = new Map<string, Array<{ status: number; id?: string }>>();
      for (const { cart, answer } of answers) byKey.set(cart.key, [...(byKey.get(cart.key) ?? []), { status: answer.status, id: answer.body.id }]);
      for (const [key, copies] of byKey) {
        expect({ key, copies }).toEqual({ key, copies: copies.map(() => copies[0]) });
        expect([201, 409]).toContain(copies[0]!.status);
      }
      // What the 201s promise is exactly what is held: per variant, in the counter and in the active lines; never above the stock.
      for (const variantId of variants) {
        const promised = carts.filter((cart) => byKey.get(cart.key)![0]!.status === 201 && cart.body.lines.some((line) => line.variantId === variantId)).length;
        const { reserved } = await stockOf(variantId + 4000);
        const [lines] = await query<{ units: string }>(database.url, `SELECT coalesce(sum(quantity), 0) AS units FROM reservation_lines WHERE status = 'active' AND variant_id = $1`, [variantId]);
        expect({ variantId, reserved, lines: Number(lines!.units) }).toEqual({ variantId, reserved: promised, lines: promised });
        expect(reserved).toBeLessThanOrEqual(40);
      }
      const [reservations] = await query<{ n: string }>(database.url, `SELECT count(*) AS n FROM reservations WHERE cart_token LIKE $1`, [`cart-${run}-%`]);
      expect(Number(reservations!.n)).toBe(carts.filter((cart) => byKey.get(cart.key)![0]!.status === 201).length);
    } finally {
      await replica.stop();
    }
  });

  it('answers 503 RESERVATIONS_OVERLOADED at once when more requests wait than RESERVATION_QUEUE_MAX allows', async () => {
    const small = await startInventory(inventoryEnv(database.url, { RESERVATION_BATCH_CONCURRENCY: '1', RESERVATION_QUEUE_MAX: '1', DATABASE_POOL_SIZE: '2' }));
    try {
      await seedVariants(small, [{ variantId: 2401, inventoryItemId: 6401, available: 10 }]);
      const lines = [{ variantId: '2401', quantity: 1 }];
      const [inFlight, waiting, refused] = await Promise.all(
        ['in-flight', 'waiting', 'refused'].map((name) => settle(small.reservations.create({ cartToken: name, lines }, `${name}-${randomUUID()}`, false))),
      );
      expect([inFlight!.status, waiting!.status]).toEqual([201, 201]);
      expect(refused).toMatchObject({ status: 503, body: { error: { code: 'RESERVATIONS_OVERLOADED' } } });
      expect(await stockOf(6401)).toMatchObject({ reserved: 2 });
    } finally {
      await small.stop();
    }
  });
});
