import { MatchersV3, PactV4 } from '@pact-foundation/pact';
import { SHADOW_HEADER, signLegacyCartToken } from '@understudy/contracts';
import { CONTRACT_CART_TOKEN_SECRET, freshPactDir, settlePact } from '@understudy/testing';
import { INVENTORY_CHECK, INVENTORY_RESERVE, PRICING_QUOTE } from '../../src/routes/checkout-routes';
import { callUpstream, errorBody, json } from './support';

/**
 * gateway → legacy-monolith (HTTP): the three checkout endpoints the gateway
 * fronts (each route's `monolithPath`), called the way the router calls the
 * monolith — the client's raw body, its own `lm1.…` cart token untouched, the
 * shadow marker when the monolith is the shadow side. Pinned here are the
 * monolith's quirks the gateway's comparison specs absorb: ids as JSON
 * numbers, money as JSON (floating-point) numbers, a `generatedAt` stamp on
 * every answer, reservation ids `lmr_<n>`, the cart token echoed back.
 */
const { integer, boolean, number, string, regex, eachLike, like, nullValue } = MatchersV3;

const dir = freshPactDir();
const pact = new PactV4({ consumer: 'gateway', provider: 'legacy-monolith', dir, logLevel: 'warn' });

/** The monolith's cart token format (libs/contracts legacy-cart-token.ts). */
const LM1 = '^lm1\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$';
// A fixed issue time: the example token, and so the pact, is the same on every run.
const cartToken = signLegacyCartToken('ccontract1', CONTRACT_CART_TOKEN_SECRET, 1_767_225_600);
const forged = `${cartToken.slice(0, cartToken.lastIndexOf('.'))}.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`;
const GENERATED_AT = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{6}Z$';
const generatedAt = regex(GENERATED_AT, '2026-01-01T00:00:00.000000Z');
const ISO = MatchersV3.iso8601DateTimeWithMillis;

describe('contract: gateway → legacy-monolith (HTTP)', () => {
  describe('POST /inventory/check', () => {
    it('200: numeric variant id, a generatedAt stamp', async () => {
      const request = { variantId: 1001, quantity: 2 };
      await pact
        .addInteraction()
        .given('variant 1001 has 5 in stock')
        .uponReceiving('a stock check for 2 units of variant 1001')
        .withRequest('POST', '/inventory/check', (b) => b.jsonBody(request))
        .willRespondWith(200, (b) => b.jsonBody({ variantId: integer(1001), requested: integer(2), available: boolean(true), availableQuantity: integer(5), generatedAt }))
        .executeTest(async (ms) => {
          const answer = json(await callUpstream(ms.url, INVENTORY_CHECK, 'monolith', request));
          expect(answer).toMatchObject({ status: 200, body: { variantId: 1001, available: true, availableQuantity: 5 } });
        });
    });

    it('200: a check with the client’s cart token counts the cart’s own holds', async () => {
      const request = { variantId: 1001, quantity: 2, cartToken };
      await pact
        .addInteraction()
        .given('variant 1001 has 5 in stock')
        .uponReceiving('a stock check for variant 1001 with an lm1 cart token')
        .withRequest('POST', '/inventory/check', (b) => b.jsonBody({ variantId: 1001, quantity: 2, cartToken: regex(LM1, cartToken) }))
        .willRespondWith(200, (b) => b.jsonBody({ variantId: integer(1001), available: boolean(true), availableQuantity: integer(5), generatedAt }))
        .executeTest(async (ms) => {
          const answer = json(await callUpstream(ms.url, INVENTORY_CHECK, 'monolith', request, { migratedToken: 'ccontract1' }));
          expect(answer.status).toBe(200);
        });
    });

    it('404: an unknown variant', async () => {
      const request = { variantId: 999999, quantity: 1 };
      await pact
        .addInteraction()
        .given('variant 999999 does not exist')
        .uponReceiving('a stock check for an unknown variant')
        .withRequest('POST', '/inventory/check', (b) => b.jsonBody(request))
        .willRespondWith(404, (b) => b.jsonBody(errorBody('VARIANT_NOT_FOUND', like({ variantId: string('999999') }))))
        .executeTest(async (ms) => {
          const answer = json(await callUpstream(ms.url, INVENTORY_CHECK, 'monolith', request));
          expect(answer).toMatchObject({ status: 404, body: { error: { code: 'VARIANT_NOT_FOUND' } } });
        });
    });
  });

  describe('POST /inventory/reservations', () => {
    it('201: the client’s lm1 token and Idempotency-Key pass through; numeric ids, an lmr_ id, the token echoed', async () => {
      const request = { cartToken, lines: [{ variantId: 1001, quantity: 2 }] };
      await pact
        .addInteraction()
        .given('variant 1001 has 5 in stock')
        .uponReceiving('a reservation of 2 units of variant 1001 for an lm1 cart')
        .withRequest('POST', '/inventory/reservations', (b) =>
          b.headers({ 'idempotency-key': string('client-key-1') }).jsonBody({ cartToken: regex(LM1, cartToken), lines: [{ variantId: 1001, quantity: 2 }] }),
        )
        .willRespondWith(201, (b) =>
          b.jsonBody({
            id: regex('^lmr_\\d+$', 'lmr_1'),
            cartToken: regex(LM1, cartToken),
            status: string('active'),
            createdAt: ISO('2026-01-01T00:00:00.000Z'),
            expiresAt: ISO('2026-01-01T00:15:00.000Z'),
            lines: eachLike({ variantId: integer(1001), quantity: integer(2) }),
            generatedAt,
          }),
        )
        .executeTest(async (ms) => {
          const answer = json(await callUpstream(ms.url, INVENTORY_RESERVE, 'monolith', request, { idempotencyKey: 'client-key-1', migratedToken: 'ccontract1' }));
          expect(answer).toMatchObject({ status: 201, body: { cartToken, lines: [{ variantId: 1001, quantity: 2 }] } });
        });
    });

    it('201: as the shadow side (a dry run), without the gateway’s own key', async () => {
      const request = { cartToken, lines: [{ variantId: 1001, quantity: 2 }] };
      await pact
        .addInteraction()
        .given('variant 1001 has 5 in stock')
        .uponReceiving('a shadow reservation of 2 units of variant 1001 for an lm1 cart')
        .withRequest('POST', '/inventory/reservations', (b) =>
          b.headers({ [SHADOW_HEADER]: '1' }).jsonBody({ cartToken: regex(LM1, cartToken), lines: [{ variantId: 1001, quantity: 2 }] }),
        )
        .willRespondWith(201, (b) => b.jsonBody({ id: regex('^lmr_\\d+$', 'lmr_1'), status: string('active'), lines: eachLike({ variantId: integer(1001), quantity: integer(2) }) }))
        .executeTest(async (ms) => {
          const answer = json(await callUpstream(ms.url, INVENTORY_RESERVE, 'monolith', request, { shadow: true, migratedToken: 'ccontract1' }));
          expect(answer.status).toBe(201);
        });
    });

    it('409: not enough units, naming each short line (ids as strings here, unlike the rest of its answers)', async () => {
      const request = { cartToken, lines: [{ variantId: 1001, quantity: 6 }] };
      await pact
        .addInteraction()
        .given('variant 1001 has 5 in stock')
        .uponReceiving('a reservation of more units of variant 1001 than are in stock')
        .withRequest('POST', '/inventory/reservations', (b) => b.jsonBody({ cartToken: regex(LM1, cartToken), lines: [{ variantId: 1001, quantity: 6 }] }))
        .willRespondWith(409, (b) =>
          b.jsonBody(errorBody('INSUFFICIENT_INVENTORY', { lines: eachLike({ variantId: string('1001'), requested: integer(6), availableQuantity: integer(5) }) })),
        )
        .executeTest(async (ms) => {
          const answer = json(await callUpstream(ms.url, INVENTORY_RESERVE, 'monolith', request, { migratedToken: 'ccontract1' }));
          expect(answer).toMatchObject({ status: 409, body: { error: { code: 'INSUFFICIENT_INVENTORY' } } });
        });
    });

    it('400: a cart token the monolith did not sign', async () => {
      const request = { cartToken: forged, lines: [{ variantId: 1001, quantity: 1 }] };
      await pact
        .addInteraction()
        .given('variant 1001 has 5 in stock')
        .uponReceiving('a reservation with a forged lm1 cart token')
        .withRequest('POST', '/inventory/reservations', (b) => b.jsonBody(request))
        .willRespondWith(400, (b) => b.jsonBody(errorBody('INVALID_CART_TOKEN', { reason: string('bad_signature') })))
        .executeTest(async (ms) => {
          // The gateway's token migration refuses a forged token for a module; the monolith still gets it (and refuses it itself).
          const answer = json(await callUpstream(ms.url, INVENTORY_RESERVE, 'monolith', request));
          expect(answer).toMatchObject({ status: 400, body: { error: { code: 'INVALID_CART_TOKEN' } } });
        });
    });
  });

  describe('POST /pricing/quote', () => {
    it('200: money as JSON numbers (floating point), numeric variant ids', async () => {
      const request = { currency: 'USD', lines: [{ variantId: 1001, quantity: 3 }] };
      await pact
        .addInteraction()
        .given('variant 1001 has 5 in stock')
        .uponReceiving('a retail quote for 3 units of variant 1001')
        .withRequest('POST', '/pricing/quote', (b) => b.jsonBody(request))
        .willRespondWith(200, (b) =>
          b.jsonBody({
            currency: string('USD'),
            priceListId: nullValue(),
            lines: eachLike({ variantId: integer(1001), quantity: integer(3), unitPrice: number(19.99), lineTotal: number(59.97) }),
            subtotal: number(59.97),
            generatedAt,
          }),
        )
        .executeTest(async (ms) => {
          const answer = json(await callUpstream(ms.url, PRICING_QUOTE, 'monolith', request));
          expect(answer).toMatchObject({ status: 200, body: { currency: 'USD', lines: [{ variantId: 1001, unitPrice: 19.99 }] } });
        });
    });

    it('200: a B2B quote off the price list’s percentage, unrounded', async () => {
      const request = { companyLocationId: '7001', currency: 'USD', lines: [{ variantId: 1001, quantity: 3 }] };
      await pact
        .addInteraction()
        .given('company location 7001 buys from price list 8001 at 10% off')
        .uponReceiving('a B2B quote for 3 units of variant 1001 for company location 7001')
        .withRequest('POST', '/pricing/quote', (b) => b.jsonBody(request))
        .willRespondWith(200, (b) =>
          b.jsonBody({
            currency: string('USD'),
            priceListId: string('8001'),
            lines: eachLike({ variantId: integer(1001), quantity: integer(3), unitPrice: number(17.991), lineTotal: number(53.973) }),
            subtotal: number(53.973),
            generatedAt,
          }),
        )
        .executeTest(async (ms) => {
          const answer = json(await callUpstream(ms.url, PRICING_QUOTE, 'monolith', request));
          expect(answer).toMatchObject({ status: 200, body: { priceListId: '8001' } });
        });
    });

    it('422: the buyer pays in another currency', async () => {
      const request = { currency: 'EUR', lines: [{ variantId: 1001, quantity: 1 }] };
      await pact
        .addInteraction()
        .given('variant 1001 has 5 in stock')
        .uponReceiving('a retail quote in a currency the shop does not price in')
        .withRequest('POST', '/pricing/quote', (b) => b.jsonBody(request))
        .willRespondWith(422, (b) => b.jsonBody(errorBody('CURRENCY_MISMATCH', { currency: string('USD') })))
        .executeTest(async (ms) => {
          const answer = json(await callUpstream(ms.url, PRICING_QUOTE, 'monolith', request));
          expect(answer).toMatchObject({ status: 422, body: { error: { code: 'CURRENCY_MISMATCH' } } });
        });
    });
  });

  // Last: every interaction above has been written to the fresh pact by now.
  it('pacts/gateway-legacy-monolith.json is the pact these tests generate (PACT_UPDATE=1 rewrites it)', () => {
    expect(settlePact(dir, 'gateway', 'legacy-monolith')).toBeUndefined();
  });
});
