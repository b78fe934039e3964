import { MatchersV3, PactV4 } from '@pact-foundation/pact';
import { SHADOW_HEADER } from '@understudy/contracts';
import { freshPactDir, settlePact } from '@understudy/testing';
import { INVENTORY_CHECK, INVENTORY_RESERVE, type RouteTarget } from '../../src/routes/checkout-routes';
import { callUpstream, errorBody, json } from './support';

/**
 * gateway → inventory (HTTP): what the gateway's real upstream client sends
 * the inventory module and what it (and its shadow comparison) reads back —
 * the status and the JSON shape, by type, never the exact values.
 */
const { integer, boolean, string, regex, eachLike, like } = MatchersV3;

const dir = freshPactDir();
const pact = new PactV4({ consumer: 'gateway', provider: 'inventory', dir, logLevel: 'warn' });

const KEY_PATTERN = '^[A-Za-z0-9_.:-]{1,200}$';
/** The module side of one gateway call, exactly as the router builds it. */
const callInventory = (url: string, route: RouteTarget, body: Record<string, unknown>, options: { shadow?: boolean; idempotencyKey?: string } = {}) =>
  callUpstream(url, route, 'module', body, options);

describe('contract: gateway → inventory (HTTP)', () => {
  describe('POST /v1/check', () => {
    it('200: whether the units can be sold, and how many are available', async () => {
      await pact
        .addInteraction()
        .given('variant 1001 has 5 available at location 1')
        .uponReceiving('a stock check for 2 units of variant 1001')
        .withRequest('POST', '/v1/check', (b) => b.jsonBody({ variantId: 1001, quantity: 2 }))
        .willRespondWith(200, (b) =>
          b.jsonBody({
            variantId: string('1001'),
            requested: integer(2),
            available: boolean(true),
            availableQuantity: integer(5),
          }),
        )
        .executeTest(async (ms) => {
          const answer = json(await callInventory(ms.url, INVENTORY_CHECK, { variantId: 1001, quantity: 2 }));
          expect(answer).toEqual({ status: 200, body: { variantId: '1001', requested: 2, available: true, availableQuantity: 5 } });
        });
    });

    it('400: a body that fails validation is refused with a reason', async () => {
      await pact
        .addInteraction()
        .uponReceiving('a stock check with quantity 0')
        .withRequest('POST', '/v1/check', (b) => b.jsonBody({ variantId: 1001, quantity: 0 }))
        .willRespondWith(400, (b) => b.jsonBody(errorBody('VALIDATION_FAILED', { issues: eachLike({ path: string('quantity'), message: string('too small') }) })))
        .executeTest(async (ms) => {
          const answer = json(await callInventory(ms.url, INVENTORY_CHECK, { variantId: 1001, quantity: 0 }));
          expect(answer.status).toBe(400);
          expect(answer.body).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
        });
    });

    it('404: an unknown variant', async () => {
      await pact
        .addInteraction()
        .given('variant 999999 does not exist')
        .uponReceiving('a stock check for an unknown variant')
        .withRequest('POST', '/v1/check', (b) => b.jsonBody({ variantId: 999999, quantity: 1 }))
        .willRespondWith(404, (b) => b.jsonBody(errorBody('VARIANT_NOT_FOUND', like({ variantId: '999999' }))))
        .executeTest(async (ms) => {
          const answer = json(await callInventory(ms.url, INVENTORY_CHECK, { variantId: 999999, quantity: 1 }));
          expect(answer).toMatchObject({ status: 404, body: { error: { code: 'VARIANT_NOT_FOUND' } } });
        });
    });
  });

  describe('POST /v1/reservations', () => {
    const reservation = { cartToken: 'cart-contract-1', lines: [{ variantId: 1001, quantity: 2 }] };

    it('201: a shadowed reservation with the client’s Idempotency-Key holds the lines', async () => {
      await pact
        .addInteraction()
        .given('variant 1001 has 5 available at location 1')
        .uponReceiving('a shadow reservation of 2 units of variant 1001')
        .withRequest('POST', '/v1/reservations', (b) =>
          b
            .headers({ 'idempotency-key': regex(KEY_PATTERN, 'client-key-1'), [SHADOW_HEADER]: '1' })
            .jsonBody(reservation),
        )
        .willRespondWith(201, (b) =>
          b.jsonBody({
            id: regex('^[0-9a-f-]{36}$', '5b0c3a4e-8c1f-4a57-9d1e-2f9a8f3b7c11'),
            cartToken: string('cart-contract-1'),
            status: regex('^(active|committed|released|expired)$', 'active'),
            createdAt: MatchersV3.iso8601DateTimeWithMillis('2026-01-01T00:00:00.000Z'),
            expiresAt: MatchersV3.iso8601DateTimeWithMillis('2026-01-01T00:15:00.000Z'),
            lines: eachLike({ variantId: string('1001'), quantity: integer(2) }),
          }),
        )
        .executeTest(async (ms) => {
          const answer = json(await callInventory(ms.url, INVENTORY_RESERVE, reservation, { shadow: true, idempotencyKey: 'client-key-1' }));
          expect(answer.status).toBe(201);
          expect(answer.body).toMatchObject({ status: 'active', lines: [{ variantId: '1001', quantity: 2 }] });
        });
    });

    it('201: without a client key the gateway sends its own', async () => {
      await pact
        .addInteraction()
        .given('variant 1001 has 5 available at location 1')
        .uponReceiving('a reservation of 2 units of variant 1001 with the gateway’s own key')
        .withRequest('POST', '/v1/reservations', (b) =>
          b.headers({ 'idempotency-key': regex('^gw-[0-9a-f-]{36}$', 'gw-0c9f8f62-3f0e-4d3b-9a53-1f4f3e0f6a01') }).jsonBody(reservation),
        )
        .willRespondWith(201, (b) =>
          b.jsonBody({ id: string('5b0c3a4e-8c1f-4a57-9d1e-2f9a8f3b7c11'), status: string('active'), lines: eachLike({ variantId: string('1001'), quantity: integer(2) }) }),
        )
        .executeTest(async (ms) => {
          const answer = json(await callInventory(ms.url, INVENTORY_RESERVE, reservation));
          expect(answer.status).toBe(201);
        });
    });

    it('409: not enough units, naming each short line', async () => {
      const tooMany = { cartToken: 'cart-contract-2', lines: [{ variantId: 1001, quantity: 6 }] };
      await pact
        .addInteraction()
        .given('variant 1001 has 5 available at location 1')
        .uponReceiving('a shadow reservation of more units of variant 1001 than are available')
        .withRequest('POST', '/v1/reservations', (b) =>
          b.headers({ 'idempotency-key': regex(KEY_PATTERN, 'client-key-2'), [SHADOW_HEADER]: '1' }).jsonBody(tooMany),
        )
        .willRespondWith(409, (b) =>
          b.jsonBody(errorBody('INSUFFICIENT_INVENTORY', { lines: eachLike({ variantId: string('1001'), requested: integer(6), availableQuantity: integer(5) }) })),
        )
        .executeTest(async (ms) => {
          const answer = json(await callInventory(ms.url, INVENTORY_RESERVE, tooMany, { shadow: true, idempotencyKey: 'client-key-2' }));
          expect(answer).toMatchObject({ status: 409, body: { error: { code: 'INSUFFICIENT_INVENTORY' } } });
        });
    });
  });

  describe('POST /v1/reservations, a client key used before', () => {
    const STATE = 'a reservation of 1 unit of variant 1001 for cart-contract-3 was made with Idempotency-Key client-key-3';
    const first = { cartToken: 'cart-contract-3', lines: [{ variantId: 1001, quantity: 1 }] };

    it('201 replayed: the same key and body get the first answer, marked idempotent-replayed', async () => {
      await pact
        .addInteraction()
        .given(STATE)
        .uponReceiving('a retried reservation with the same Idempotency-Key and body')
        .withRequest('POST', '/v1/reservations', (b) => b.headers({ 'idempotency-key': 'client-key-3' }).jsonBody(first))
        .willRespondWith(201, (b) =>
          b.headers({ 'idempotent-replayed': 'true' }).jsonBody({ id: string('5b0c3a4e-8c1f-4a57-9d1e-2f9a8f3b7c11'), status: string('active'), lines: eachLike({ variantId: string('1001'), quantity: integer(1) }) }),
        )
        .executeTest(async (ms) => {
          const result = await callInventory(ms.url, INVENTORY_RESERVE, first, { idempotencyKey: 'client-key-3' });
          // The gateway relays the marker to its client.
          expect(result).toMatchObject({ kind: 'response', status: 201, replayed: true });
        });
    });

    it('422: the same key with another body is refused', async () => {
      const other = { cartToken: 'cart-contract-3', lines: [{ variantId: 1001, quantity: 2 }] };
      await pact
        .addInteraction()
        .given(STATE)
        .uponReceiving('a reservation reusing an Idempotency-Key with another body')
        .withRequest('POST', '/v1/reservations', (b) => b.headers({ 'idempotency-key': 'client-key-3' }).jsonBody(other))
        .willRespondWith(422, (b) => b.jsonBody(errorBody('IDEMPOTENCY_KEY_REUSED')))
        .executeTest(async (ms) => {
          const answer = json(await callInventory(ms.url, INVENTORY_RESERVE, other, { idempotencyKey: 'client-key-3' }));
          expect(answer).toMatchObject({ status: 422, body: { error: { code: 'IDEMPOTENCY_KEY_REUSED' } } });
        });
    });
  });

  // Last: every interaction above has been written to the fresh pact by now.
  it('pacts/gateway-inventory.json is the pact these tests generate (PACT_UPDATE=1 rewrites it)', () => {
    expect(settlePact(dir, 'gateway', 'inventory')).toBeUndefined();
  });
});
