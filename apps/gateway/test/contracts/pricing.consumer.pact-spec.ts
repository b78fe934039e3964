import { MatchersV3, PactV4 } from '@pact-foundation/pact';
import { freshPactDir, settlePact } from '@understudy/testing';
import { PRICING_QUOTE } from '../../src/routes/checkout-routes';
import { callUpstream, errorBody, json } from './support';

/**
 * gateway → pricing (HTTP): the quote call the gateway's real upstream client
 * sends the pricing module, and what the gateway and its shadow comparison
 * read back (PRICING_QUOTE's comparison compares currency, priceListId, the
 * lines' variantId / quantity / unitPrice / lineTotal and the subtotal: money
 * as exact decimal strings). By type and format, never pricing's exact values.
 */
const { integer, string, regex, eachLike, like, nullValue } = MatchersV3;

const dir = freshPactDir();
const pact = new PactV4({ consumer: 'gateway', provider: 'pricing', dir, logLevel: 'warn' });

/** libs/contracts' decimalStringSchema: money crosses service boundaries as a decimal string. */
const DECIMAL = '^-?\\d{1,15}(\\.\\d{1,6})?$';
const money = (example: string) => regex(DECIMAL, example);
const CURRENCY = '^(USD|CAD|EUR|GBP|AUD|JPY)$';

describe('contract: gateway → pricing (HTTP)', () => {
  describe('POST /v1/quotes', () => {
    it('200: a retail quote in the shop’s currency, money as decimal strings', async () => {
      const request = { currency: 'USD', lines: [{ variantId: 1001, quantity: 3 }] };
      await pact
        .addInteraction()
        .given('variant 1001 costs 19.99 in the shop’s currency USD')
        .uponReceiving('a retail quote for 3 units of variant 1001')
        .withRequest('POST', '/v1/quotes', (b) => b.jsonBody(request))
        .willRespondWith(200, (b) =>
          b.jsonBody({
            currency: regex(CURRENCY, 'USD'),
            priceListId: nullValue(),
            lines: eachLike({ variantId: string('1001'), quantity: integer(3), unitPrice: money('19.99'), lineTotal: money('59.97') }),
            subtotal: money('59.97'),
          }),
        )
        .executeTest(async (ms) => {
          const answer = json(await callUpstream(ms.url, PRICING_QUOTE, 'module', request));
          expect(answer).toMatchObject({ status: 200, body: { currency: 'USD', priceListId: null, subtotal: '59.97', lines: [{ variantId: '1001', unitPrice: '19.99' }] } });
        });
    });

    it('200: a B2B quote from the company location’s price list', async () => {
      const request = { companyLocationId: '7001', currency: 'USD', lines: [{ variantId: 1001, quantity: 4 }] };
      await pact
        .addInteraction()
        .given('company location 7001 buys variant 1001 at 15.00 USD from price list 8001, in multiples of 2')
        .uponReceiving('a B2B quote for 4 units of variant 1001 for company location 7001')
        .withRequest('POST', '/v1/quotes', (b) => b.jsonBody(request))
        .willRespondWith(200, (b) =>
          b.jsonBody({
            currency: regex(CURRENCY, 'USD'),
            priceListId: string('8001'),
            lines: eachLike({ variantId: string('1001'), quantity: integer(4), unitPrice: money('15.00'), lineTotal: money('60.00') }),
            subtotal: money('60.00'),
          }),
        )
        .executeTest(async (ms) => {
          const answer = json(await callUpstream(ms.url, PRICING_QUOTE, 'module', request));
          expect(answer).toMatchObject({ status: 200, body: { priceListId: '8001', lines: [{ unitPrice: '15.00' }] } });
        });
    });

    it('400: a body that fails validation is refused with a reason', async () => {
      const request = { currency: 'USD', lines: [] };
      await pact
        .addInteraction()
        .uponReceiving('a quote without lines')
        .withRequest('POST', '/v1/quotes', (b) => b.jsonBody(request))
        .willRespondWith(400, (b) => b.jsonBody(errorBody('VALIDATION_FAILED', { issues: eachLike({ path: string('lines'), message: string('too small') }) })))
        .executeTest(async (ms) => {
          const answer = json(await callUpstream(ms.url, PRICING_QUOTE, 'module', request));
          expect(answer).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_FAILED' } } });
        });
    });

    it('404: a variant pricing does not know', async () => {
      const request = { currency: 'USD', lines: [{ variantId: 999999, quantity: 1 }] };
      await pact
        .addInteraction()
        .given('variant 999999 does not exist')
        .uponReceiving('a quote for an unknown variant')
        .withRequest('POST', '/v1/quotes', (b) => b.jsonBody(request))
        .willRespondWith(404, (b) => b.jsonBody(errorBody('VARIANT_NOT_FOUND', like({ variantIds: eachLike('999999') }))))
        .executeTest(async (ms) => {
          const answer = json(await callUpstream(ms.url, PRICING_QUOTE, 'module', request));
          expect(answer).toMatchObject({ status: 404, body: { error: { code: 'VARIANT_NOT_FOUND' } } });
        });
    });

    it('422: the buyer pays in another currency', async () => {
      const request = { currency: 'EUR', lines: [{ variantId: 1001, quantity: 1 }] };
      await pact
        .addInteraction()
        .given('variant 1001 costs 19.99 in the shop’s currency USD')
        .uponReceiving('a retail quote in a currency the shop does not price in')
        .withRequest('POST', '/v1/quotes', (b) => b.jsonBody(request))
        .willRespondWith(422, (b) => b.jsonBody(errorBody('CURRENCY_MISMATCH', { currency: regex(CURRENCY, 'USD') })))
        .executeTest(async (ms) => {
          const answer = json(await callUpstream(ms.url, PRICING_QUOTE, 'module', request));
          expect(answer).toMatchObject({ status: 422, body: { error: { code: 'CURRENCY_MISMATCH', details: { currency: 'USD' } } } });
        });
    });

    it('422: a quantity that breaks the price list’s quantity rule, naming the line', async () => {
      const request = { companyLocationId: '7001', currency: 'USD', lines: [{ variantId: 1001, quantity: 3 }] };
      await pact
        .addInteraction()
        .given('company location 7001 buys variant 1001 at 15.00 USD from price list 8001, in multiples of 2')
        .uponReceiving('a B2B quote for 3 units of variant 1001, not a multiple of its increment')
        .withRequest('POST', '/v1/quotes', (b) => b.jsonBody(request))
        .willRespondWith(422, (b) =>
          b.jsonBody(errorBody('QUANTITY_RULE_VIOLATION', { violations: eachLike({ variantId: string('1001'), quantity: integer(3), breach: string('increment') }) })),
        )
        .executeTest(async (ms) => {
          const answer = json(await callUpstream(ms.url, PRICING_QUOTE, 'module', request));
          expect(answer).toMatchObject({ status: 422, body: { error: { code: 'QUANTITY_RULE_VIOLATION' } } });
        });
    });
  });

  // Last: every interaction above has been written to the fresh pact by now.
  it('pacts/gateway-pricing.json is the pact these tests generate (PACT_UPDATE=1 rewrites it)', () => {
    expect(settlePact(dir, 'gateway', 'pricing')).toBeUndefined();
  });
});
