import { SHADOW_HEADER, UPSTREAM_HEADER } from '@understudy/contracts';
import { metricValue, waitFor } from '@understudy/testing';
import { configure, migrateGateway, type RunningGateway, startGateway } from './support/gateway';
import { json } from './support/processes';
import { Tap } from './support/tap';
import { World } from './support/world';

/**
 * The gateway's own idempotency for writes, in front of the REAL legacy
 * monolith (which ignores Idempotency-Key): a recording tap between them
 * counts what reached the monolith, and can hold requests back to make the
 * monolith answer after the route's deadline.
 */
describe('keyed writes through the gateway reach the monolith at most once', () => {
  let world: World;
  let gateway: RunningGateway;
  let monolithTap: Tap;
  let round = 0;

  const reserve = (cartToken: string, variantId: string, quantity: number, headers: Record<string, string> = {}) =>
    json<{ id?: string; error?: { code: string; details?: Record<string, unknown> } }>(
      `${gateway.url}/v1/inventory/reservations`,
      'POST',
      { cartToken, lines: [{ variantId, quantity }] },
      headers,
    );
  const newCart = async () => (await json<{ cartToken: string }>(`${world.monolith.url}/carts`, 'POST')).body.cartToken;
  const availableInMonolith = async (variantId: string) =>
    (await json<{ availableQuantity: number }>(`${world.monolith.url}/inventory/check`, 'POST', { variantId, quantity: 1 })).body.availableQuantity;
  const writesToMonolith = () => monolithTap.to('/inventory/reservations').filter((exchange) => exchange.headers[SHADOW_HEADER] === undefined);
  const key = () => `order-${process.pid}-${(round += 1)}`;

  beforeAll(async () => {
    world = await World.start({ variants: 12 });
    monolithTap = await Tap.start(world.monolith.url);
    const database = await world.database('gateway_idem');
    await migrateGateway(database.url);
    gateway = await startGateway({ DATABASE_URL: database.url, MONOLITH_URL: monolithTap.url, INVENTORY_URL: 'http://127.0.0.1:9', PRICING_URL: 'http://127.0.0.1:9' });
    // Short enough that a held request is certainly late; the gateway itself keeps waiting (IDEMPOTENCY_RESOLVE_MS, 30 s).
    await configure(gateway.url, 'inventory.reserve', { mode: 'monolith', timeouts: { primaryMs: 300, shadowMs: 200 } });
  });

  afterAll(async () => {
    await gateway?.stop();
    await monolithTap?.close();
    await world?.close();
  });

  it('a write the monolith answers after the deadline is not sent again on retry: 504, then 409 in progress, then the late answer replayed', async () => {
    const variant = world.variant();
    const before = await availableInMonolith(variant.variantId);
    const cartToken = await newCart();
    const idempotencyKey = key();
    monolithTap.clear();
    const open = monolithTap.hold();
    let opened = false;
    try {
      const first = await reserve(cartToken, variant.variantId, 2, { 'idempotency-key': idempotencyKey });
      expect([first.status, first.headers.get(UPSTREAM_HEADER), first.headers.get('retry-after')]).toEqual([504, 'gateway', '1']);
      expect(first.body.error).toMatchObject({ code: 'UPSTREAM_TIMEOUT', details: { mayHaveBeenApplied: true } });
      await waitFor(() => monolithTap.held.length === 1, { what: 'the write to reach the tap' });

      // The client retries while the monolith still works on the first request: nothing is sent.
      const early = await reserve(cartToken, variant.variantId, 2, { 'idempotency-key': idempotencyKey });
      expect([early.status, early.body.error?.code, early.headers.get('retry-after')]).toEqual([409, 'IDEMPOTENCY_IN_PROGRESS', '1']);
      expect(monolithTap.held).toHaveLength(1);

      open();
      opened = true;
      const replayed = await waitFor(
        async () => {
          const retry = await reserve(cartToken, variant.variantId, 2, { 'idempotency-key': idempotencyKey });
          return retry.status === 201 && retry;
        },
        { what: 'the late answer to be replayed' },
      );
      expect(replayed.headers.get('idempotent-replayed')).toBe('true');
      expect(replayed.headers.get(UPSTREAM_HEADER)).toBe('monolith');
      expect(replayed.body.id).toMatch(/^lmr_/);
      expect(replayed.text).toBe(writesToMonolith()[0]!.response); // the monolith's own bytes
      // Once, however many retries.
      expect(writesToMonolith()).toHaveLength(1);
      expect(await availableInMonolith(variant.variantId)).toBe(before - 2);
      expect(await metricValue(gateway.url, 'understudy_gateway_idempotency_total', { route: 'inventory.reserve', result: 'answered_late' })).toBe(1);
    } finally {
      if (!opened) open();
    }
  });

  it('replays a completed write, refuses the key with another body (422), and lets concurrent duplicates through once', async () => {
    const variant = world.variant();
    const before = await availableInMonolith(variant.variantId);
    const cartToken = await newCart();
    const idempotencyKey = key();
    monolithTap.clear();
    await configure(gateway.url, 'inventory.reserve', { timeouts: { primaryMs: 10_000, shadowMs: 200 } });
    try {
      const answers = await Promise.all(Array.from({ length: 6 }, () => reserve(cartToken, variant.variantId, 1, { 'idempotency-key': idempotencyKey })));
      // One was sent; a duplicate on this replica waits for it and gets its answer (or, had it lost the race to see it, a 409).
      expect(answers.map((answer) => answer.status).filter((status) => status !== 201 && status !== 409)).toEqual([]);
      const created = answers.filter((answer) => answer.status === 201);
      expect(created.filter((answer) => answer.headers.get('idempotent-replayed') !== 'true')).toHaveLength(1);
      expect(new Set(created.map((answer) => answer.body.id)).size).toBe(1);
      expect(writesToMonolith()).toHaveLength(1);

      const other = await reserve(cartToken, variant.variantId, 3, { 'idempotency-key': idempotencyKey });
      expect([other.status, other.body.error?.code]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);
      const malformed = await reserve(cartToken, variant.variantId, 1, { 'idempotency-key': 'has space' });
      expect([malformed.status, malformed.body.error?.code]).toEqual([400, 'VALIDATION_FAILED']);
      expect(writesToMonolith()).toHaveLength(1);
      expect(await availableInMonolith(variant.variantId)).toBe(before - 1);
    } finally {
      await configure(gateway.url, 'inventory.reserve', { timeouts: { primaryMs: 300, shadowMs: 200 } });
    }
  });

  it('without an Idempotency-Key a write is served but not protected: each send is a new reservation', async () => {
    const variant = world.variant();
    const before = await availableInMonolith(variant.variantId);
    const cartToken = await newCart();
    await configure(gateway.url, 'inventory.reserve', { timeouts: { primaryMs: 10_000, shadowMs: 200 } });
    try {
      const first = await reserve(cartToken, variant.variantId, 1);
      const second = await reserve(cartToken, variant.variantId, 1);
      expect([first.status, second.status]).toEqual([201, 201]);
      expect(first.body.id).not.toBe(second.body.id);
      expect(await availableInMonolith(variant.variantId)).toBe(before - 2);
      expect(await metricValue(gateway.url, 'understudy_gateway_idempotency_total', { route: 'inventory.reserve', result: 'unkeyed' })).toBe(2);
    } finally {
      await configure(gateway.url, 'inventory.reserve', { timeouts: { primaryMs: 300, shadowMs: 200 } });
    }
  });
});
