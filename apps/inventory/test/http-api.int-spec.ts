import { randomUUID } from 'node:crypto';
import type { TestDatabase } from '@understudy/testing';
import { type Answer, call, inventoryEnv, migratedDatabase, query, type RunningInventory, seedVariants, startInventory } from './support/inventory';

type ErrorAnswer = Answer<{ error: { code: string; message: string; details?: { issues?: Array<{ path: string }> } } }>;

describe('inventory HTTP API: input handling, shadow requests, OpenAPI', () => {
  let database: TestDatabase;
  let inventory: RunningInventory;
  const answers: Answer[] = [];

  const request = async (method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const answer = (await call(inventory.url, method, path, body, headers)) as ErrorAnswer;
    answers.push(answer);
    return answer;
  };
  const reservation = (body: unknown, headers: Record<string, string> = { 'idempotency-key': randomUUID() }) =>
    request('POST', '/v1/reservations', body, headers);

  beforeAll(async () => {
    database = await migratedDatabase();
    inventory = await startInventory(inventoryEnv(database.url, { RESERVATION_MAX_TTL_SECONDS: '600' }));
    await seedVariants(inventory, [
      { variantId: 2001, inventoryItemId: 6001, available: 5 },
      { variantId: 2002, inventoryItemId: 6002, available: 1 },
    ]);
  });

  afterAll(async () => {
    // Whatever the input, nothing above answered with a 5xx.
    expect(answers.filter((a) => a.status >= 500)).toEqual([]);
    await inventory?.stop();
    await database?.drop();
  });

  describe('POST /v1/check', () => {
    it('answers for a numeric id or a GID alike', async () => {
      const numeric = await request('POST', '/v1/check', { variantId: 2001, quantity: 5 });
      expect(numeric).toMatchObject({ status: 200, body: { variantId: '2001', requested: 5, available: true, availableQuantity: 5 } });
      const gid = await request('POST', '/v1/check', { variantId: 'gid://shopify/ProductVariant/2001', quantity: 6 });
      expect(gid.body).toEqual({ variantId: '2001', requested: 6, available: false, availableQuantity: 5 });
    });

    it.each([
      ['quantity 0', { variantId: 2001, quantity: 0 }, 'quantity'],
      ['a negative quantity', { variantId: 2001, quantity: -1 }, 'quantity'],
      ['a fractional quantity', { variantId: 2001, quantity: 1.5 }, 'quantity'],
      ['a quantity as a string', { variantId: 2001, quantity: '2' }, 'quantity'],
      ['no quantity', { variantId: 2001 }, 'quantity'],
      ['a variant id that is not one', { variantId: 'abc', quantity: 1 }, 'variantId'],
      ['a GID of another type', { variantId: 'gid://shopify/Product/2001', quantity: 1 }, 'variantId'],
      ['variant id 0', { variantId: 0, quantity: 1 }, 'variantId'],
      // 20 digits fit the old pattern and then overflowed int8 in PostgreSQL: a 500.
      ['a variant id past int8', { variantId: '99999999999999999999', quantity: 1 }, 'variantId'],
      ['a GID past int8', { variantId: 'gid://shopify/ProductVariant/9223372036854775808', quantity: 1 }, 'variantId'],
      ['a quantity past the maximum', { variantId: 2001, quantity: 1_000_001 }, 'quantity'],
      ['an empty cart token', { variantId: 2001, quantity: 1, cartToken: '' }, 'cartToken'],
    ])('answers 400 VALIDATION_FAILED for %s, naming the field', async (_case, body, field) => {
      const answer = await request('POST', '/v1/check', body);
      expect(answer.status).toBe(400);
      expect(answer.body.error.code).toBe('VALIDATION_FAILED');
      expect(answer.body.error.details!.issues!.map((issue) => issue.path)).toContain(field);
    });

    it('answers 400 for malformed JSON, 415 for another content type, 404 for an unknown variant', async () => {
      expect((await request('POST', '/v1/check', '{"variantId": ')).status).toBe(400);
      expect((await request('POST', '/v1/check', 'variantId=1', { 'content-type': 'text/plain' })).status).toBe(415);
      const unknown = await request('POST', '/v1/check', { variantId: 999_999, quantity: 1 });
      expect(unknown).toMatchObject({ status: 404, body: { error: { code: 'VARIANT_NOT_FOUND', details: { variantId: '999999' } } } });
    });
  });

  describe('GET /v1/variants/{variantId}/availability', () => {
    it('breaks stock down per location, for a numeric id or a URL-encoded GID', async () => {
      const answer = await request('GET', `/v1/variants/${encodeURIComponent('gid://shopify/ProductVariant/2001')}/availability`);
      expect(answer).toMatchObject({
        status: 200,
        body: { variantId: '2001', inventoryItemId: '6001', tracked: true, onHand: 5, reserved: 0, availableQuantity: 5, locations: [{ locationId: '1', available: 5 }] },
      });
    });

    it('answers 400 for a malformed id and 404 for an unknown one', async () => {
      expect((await request('GET', '/v1/variants/abc/availability')).body.error.code).toBe('VALIDATION_FAILED');
      expect((await request('GET', '/v1/variants/99999999999999999999/availability')).body.error.code).toBe('VALIDATION_FAILED');
      expect((await request('GET', '/v1/variants/9223372036854775807/availability')).status).toBe(404);
      expect((await request('GET', '/v1/variants/424242/availability')).status).toBe(404);
    });
  });

  describe('POST /v1/reservations', () => {
    const line = { variantId: 2001, quantity: 1 };

    it.each([
      ['no cart token', { lines: [line] }, 'cartToken'],
      ['no lines', { cartToken: 'c', lines: [] }, 'lines'],
      ['101 lines', { cartToken: 'c', lines: Array.from({ length: 101 }, () => line) }, 'lines'],
      ['a zero quantity', { cartToken: 'c', lines: [{ variantId: 2001, quantity: 0 }] }, 'lines.0.quantity'],
      ['a bad variant id', { cartToken: 'c', lines: [{ variantId: 'x', quantity: 1 }] }, 'lines.0.variantId'],
      ['a variant id past int8', { cartToken: 'c', lines: [{ variantId: '99999999999999999999', quantity: 1 }] }, 'lines.0.variantId'],
      ['a fractional TTL', { cartToken: 'c', lines: [line], ttlSeconds: 0.5 }, 'ttlSeconds'],
      ['a TTL above RESERVATION_MAX_TTL_SECONDS', { cartToken: 'c', lines: [line], ttlSeconds: 601 }, 'ttlSeconds'],
    ])('answers 400 for %s', async (_case, body, field) => {
      const answer = await reservation(body);
      expect(answer.status).toBe(400);
      expect(answer.body.error.details!.issues!.map((issue) => issue.path)).toContain(field);
    });

    it('requires an Idempotency-Key', async () => {
      const missing = await reservation({ cartToken: 'c', lines: [line] }, {});
      expect(missing.status).toBe(400);
      expect(missing.body.error.details!.issues).toEqual([{ path: 'Idempotency-Key', message: 'the Idempotency-Key header is required' }]);
      expect((await reservation({ cartToken: 'c', lines: [line] }, { 'idempotency-key': 'has space' })).status).toBe(400);
    });

    it('answers 404 for an unknown variant without keeping the key, so a retry once the variant is known succeeds', async () => {
      const key = randomUUID();
      const body = { cartToken: 'early', lines: [line, { variantId: 2099, quantity: 1 }] };
      const unknown = await reservation(body, { 'idempotency-key': key });
      expect(unknown).toMatchObject({ status: 404, body: { error: { code: 'VARIANT_NOT_FOUND' } } });
      expect(await query(database.url, 'SELECT 1 FROM idempotency_keys WHERE key = $1', [key])).toHaveLength(0);

      await seedVariants(inventory, [{ variantId: 2099, inventoryItemId: 6099, available: 1 }]);
      expect((await reservation(body, { 'idempotency-key': key })).status).toBe(201);
    });
  });

  describe('/v1/reservations/{id}', () => {
    it('answers 400 for an id that is not a UUID and 404 for an unknown one, on every verb', async () => {
      for (const [method, suffix] of [['GET', ''], ['DELETE', ''], ['POST', '/commit']] as const) {
        expect((await request(method, `/v1/reservations/nope${suffix}`)).status).toBe(400);
        const unknown = await request(method, `/v1/reservations/${randomUUID()}${suffix}`);
        expect(unknown).toMatchObject({ status: 404, body: { error: { code: 'RESERVATION_NOT_FOUND' } } });
      }
    });

    it('answers 400 for a commit whose soldAt is not a timestamp', async () => {
      const held = await reservation({ cartToken: 'c', lines: [{ variantId: 2001, quantity: 1 }] });
      const answer = await request('POST', `/v1/reservations/${(held.body as unknown as { id: string }).id}/commit`, { soldAt: 'yesterday' });
      expect(answer.status).toBe(400);
      expect(answer.body.error.details!.issues!.map((issue) => issue.path)).toEqual(['soldAt']);
    });
  });

  describe('shadow requests (x-understudy-shadow: 1)', () => {
    const shadow = { 'x-understudy-shadow': '1' };
    const traces = async () => {
      const [row] = await query<{ reservations: string; lines: string; keys: string; reserved: string }>(
        database.url,
        `SELECT (SELECT count(*) FROM reservations) AS reservations, (SELECT count(*) FROM reservation_lines) AS lines,
                (SELECT count(*) FROM idempotency_keys) AS keys, (SELECT sum(reserved) FROM stock) AS reserved`,
      );
      return row;
    };

    it('runs the full reservation logic, gives the same kind of answer, and leaves no row behind', async () => {
      const before = await traces();
      const key = randomUUID();
      const body = { cartToken: 'shadowed', lines: [{ variantId: 2002, quantity: 1 }] };
      const dryRun = await reservation(body, { 'idempotency-key': key, ...shadow });
      expect(dryRun).toMatchObject({ status: 201, body: { status: 'active', cartToken: 'shadowed', lines: [{ variantId: '2002', quantity: 1 }] } });
      const refused = await reservation({ cartToken: 'shadowed', lines: [{ variantId: 2002, quantity: 2 }] }, { 'idempotency-key': randomUUID(), ...shadow });
      expect(refused).toMatchObject({ status: 409, body: { error: { code: 'INSUFFICIENT_INVENTORY' } } });
      expect(await traces()).toEqual(before);

      // The key was not kept either: the primary's request with it reserves for real, and a shadow replay of it stores nothing.
      const real = await reservation(body, { 'idempotency-key': key });
      expect(real.status).toBe(201);
      const replay = await reservation(body, { 'idempotency-key': key, ...shadow });
      expect(replay.body).toEqual(real.body);
      const afterReal = await traces();

      const id = (real.body as unknown as { id: string }).id;
      expect((await request('DELETE', `/v1/reservations/${id}`, undefined, shadow)).body).toMatchObject({ status: 'released' });
      expect((await request('POST', `/v1/reservations/${id}/commit`, undefined, shadow)).body).toMatchObject({ status: 'committed' });
      expect(await traces()).toEqual(afterReal);
      expect((await request('GET', `/v1/reservations/${id}`)).body).toMatchObject({ status: 'active' });
    });
  });

  it('documents every route with its validated request schema in /openapi.json', async () => {
    const openApi = (await request('GET', '/openapi.json')).body as unknown as { paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { required?: string[] } }> } }>> };
    expect(Object.keys(openApi.paths)).toEqual(
      expect.arrayContaining(['/v1/check', '/v1/variants/{variantId}/availability', '/v1/reservations', '/v1/reservations/{id}', '/v1/reservations/{id}/commit']),
    );
    expect(openApi.paths['/v1/reservations']!['post']!.requestBody!.content['application/json']!.schema.required).toEqual(['cartToken', 'lines']);
    expect(openApi.paths['/v1/check']!['post']!.requestBody!.content['application/json']!.schema.required).toEqual(['variantId', 'quantity']);
  });

  it('answers 503 DATABASE_UNAVAILABLE, not 500, while its database is unreachable', async () => {
    const orphan = await startInventory(inventoryEnv('postgres://understudy:understudy@127.0.0.1:1/nowhere'), { waitForDatabase: false });
    try {
      for (const [method, path, body] of [
        ['POST', '/v1/check', { variantId: 1, quantity: 1 }],
        ['POST', '/v1/reservations', { cartToken: 'c', lines: [{ variantId: 1, quantity: 1 }] }],
        ['DELETE', `/v1/reservations/${randomUUID()}`, undefined],
      ] as const) {
        const answer = (await call(orphan.url, method, path, body, { 'idempotency-key': randomUUID() })) as ErrorAnswer;
        expect(answer).toMatchObject({ status: 503, body: { error: { code: 'DATABASE_UNAVAILABLE' } } });
      }
    } finally {
      await orphan.stop();
    }
  });
});
