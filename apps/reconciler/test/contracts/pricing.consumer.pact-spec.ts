import { MatchersV3, PactV4 } from '@pact-foundation/pact';
import { EXPORT_NEXT_HEADER } from '@understudy/contracts';
import { freshPactDir, NDJSON, ndjsonBody, ndjsonLine, settlePact } from '@understudy/testing';
import { PricingExportClient } from '../../src/domains/pricing/pricing-export.client';

/**
 * reconciler → pricing (HTTP): the export pages the reconciler's real
 * PricingExportClient asks for (`GET /v1/export/{kind}`, NDJSON) for its
 * `pricing` domain — the five B2B kinds it diffs against Shopify — and what it
 * reads back: status 200, the rows' fields by type (validated on the way in
 * against libs/contracts' pricing-export.ts schemas), the `x-next-after`
 * header. The body is matched as a stream (libs/testing pact-ndjson.ts), in
 * the order pricing's export SQL writes the fields, never pricing's exact rows.
 */
const { regex } = MatchersV3;

const dir = freshPactDir();
const pact = new PactV4({ consumer: 'reconciler', provider: 'pricing', dir, logLevel: 'warn' });

const B2B = [
  ['deleted', NDJSON.boolean],
  ['asOf', NDJSON.isoTime],
] as const;
const PRICE_LIST = ndjsonLine([
  ['priceListId', NDJSON.id],
  ['currency', NDJSON.stringOrNull],
  ['adjustmentType', NDJSON.stringOrNull],
  ['adjustmentValue', NDJSON.decimalOrNull],
  ['compareAtMode', NDJSON.stringOrNull],
  ...B2B,
]);
/** A quantity break as pricing stores it (jsonb, which orders an object's keys shortest first). */
const BREAK = `\\{"price":${NDJSON.decimal},"minimumQuantity":[1-9][0-9]*\\}`;
const FIXED_PRICE = ndjsonLine([
  ['priceListId', NDJSON.id],
  ['variantId', NDJSON.id],
  ['price', NDJSON.decimalOrNull],
  ['compareAtPrice', NDJSON.decimalOrNull],
  ['quantityPriceBreaks', NDJSON.arrayOf(BREAK)],
  ...B2B,
]);
const QUANTITY_RULE = ndjsonLine([
  ['priceListId', NDJSON.id],
  ['variantId', NDJSON.id],
  ['minimum', NDJSON.integerOrNull],
  ['maximum', NDJSON.integerOrNull],
  ['increment', NDJSON.integerOrNull],
  ...B2B,
]);
const CATALOG = ndjsonLine([['catalogId', NDJSON.id], ['status', NDJSON.stringOrNull], ['priceListId', `(?:${NDJSON.id}|null)`], ...B2B]);
const COMPANY_LOCATION = ndjsonLine([['companyLocationId', NDJSON.id], ['currency', NDJSON.stringOrNull], ['catalogIds', NDJSON.arrayOf(NDJSON.id)], ...B2B]);

const T = '2026-01-01T00:00:00.000000Z';
const PRICING_EXPORT_STATE =
  'price list 8001 (USD, 10% off) fixes variants 1001 (15.00, a break at 10 for 14.00), 1002 and 1003, sells 1001 in multiples of 2, through catalog 9001 for company location 7001';
const fixedPrice = (variantId: string, price: string, breaks: Array<{ price: string; minimumQuantity: number }> = []) => ({
  priceListId: '8001',
  variantId,
  price,
  compareAtPrice: null,
  quantityPriceBreaks: breaks,
  deleted: false,
  asOf: T,
});

const client = (url: string) => new PricingExportClient(url, { timeoutMs: 10_000, pageSize: 2 });
const signal = () => AbortSignal.timeout(30_000);

/** Every row `all()` yields for `kind` (the mock answers one page without a next: the client asks for no other). */
async function all(url: string, kind: Parameters<PricingExportClient['all']>[0]) {
  const rows: unknown[] = [];
  for await (const row of client(url).all(kind, signal())) rows.push(row);
  return rows;
}

describe('contract: reconciler → pricing (HTTP, NDJSON export)', () => {
  it('GET /v1/export/fixed-prices: a full page carries the next page’s after', async () => {
    const page = [fixedPrice('1001', '15.00', [{ price: '14.00', minimumQuantity: 10 }]), fixedPrice('1002', '9.50')];
    await pact
      .addInteraction()
      .given(PRICING_EXPORT_STATE)
      .uponReceiving('the first page of 2 fixed prices')
      .withRequest('GET', '/v1/export/fixed-prices', (b) => b.query({ limit: '2' }))
      .willRespondWith(200, (b) => ndjsonBody(b.headers({ [EXPORT_NEXT_HEADER]: regex('^[1-9][0-9]*:[1-9][0-9]*$', '8001:1002') }), page, FIXED_PRICE))
      .executeTest(async (ms) => {
        // The two rows of the first page; stopping there, the client asks for no second page.
        const rows = [];
        for await (const row of client(ms.url).all('fixed-prices', signal())) {
          rows.push(row);
          if (rows.length === 2) break;
        }
        expect(rows).toEqual(page);
      });
  });

  it('GET /v1/export/fixed-prices?after=: the last page has no next', async () => {
    await pact
      .addInteraction()
      .given(PRICING_EXPORT_STATE)
      .uponReceiving('the last page of fixed prices, after 8001:1002')
      .withRequest('GET', '/v1/export/fixed-prices', (b) => b.query({ limit: '2', after: '8001:1002' }))
      .willRespondWith(200, (b) => ndjsonBody(b, [fixedPrice('1003', '7.25')], FIXED_PRICE))
      .executeTest(async (ms) => {
        // The client's own page call, as `all()` makes it for the page after 8001:1002.
        const page = await client(ms.url)['page']('fixed-prices', { after: '8001:1002', limit: 2 }, signal());
        expect(page).toEqual({ rows: [fixedPrice('1003', '7.25')], next: undefined });
      });
  });

  it('GET /v1/export/price-lists: every price list', async () => {
    const row = { priceListId: '8001', currency: 'USD', adjustmentType: 'PERCENTAGE_DECREASE', adjustmentValue: '10', compareAtMode: 'ADJUSTED', deleted: false, asOf: T };
    await pact
      .addInteraction()
      .given(PRICING_EXPORT_STATE)
      .uponReceiving('the price lists')
      .withRequest('GET', '/v1/export/price-lists', (b) => b.query({ limit: '2' }))
      .willRespondWith(200, (b) => ndjsonBody(b, [row], PRICE_LIST))
      .executeTest(async (ms) => expect(await all(ms.url, 'price-lists')).toEqual([row]));
  });

  it('GET /v1/export/quantity-rules: every quantity rule', async () => {
    const row = { priceListId: '8001', variantId: '1001', minimum: 2, maximum: null, increment: 2, deleted: false, asOf: T };
    await pact
      .addInteraction()
      .given(PRICING_EXPORT_STATE)
      .uponReceiving('the quantity rules')
      .withRequest('GET', '/v1/export/quantity-rules', (b) => b.query({ limit: '2' }))
      .willRespondWith(200, (b) => ndjsonBody(b, [row], QUANTITY_RULE))
      .executeTest(async (ms) => expect(await all(ms.url, 'quantity-rules')).toEqual([row]));
  });

  it('GET /v1/export/catalogs: every catalog', async () => {
    const row = { catalogId: '9001', status: 'ACTIVE', priceListId: '8001', deleted: false, asOf: T };
    await pact
      .addInteraction()
      .given(PRICING_EXPORT_STATE)
      .uponReceiving('the catalogs')
      .withRequest('GET', '/v1/export/catalogs', (b) => b.query({ limit: '2' }))
      .willRespondWith(200, (b) => ndjsonBody(b, [row], CATALOG))
      .executeTest(async (ms) => expect(await all(ms.url, 'catalogs')).toEqual([row]));
  });

  it('GET /v1/export/company-locations: every company location with its catalogs', async () => {
    const row = { companyLocationId: '7001', currency: 'USD', catalogIds: ['9001'], deleted: false, asOf: T };
    await pact
      .addInteraction()
      .given(PRICING_EXPORT_STATE)
      .uponReceiving('the company locations')
      .withRequest('GET', '/v1/export/company-locations', (b) => b.query({ limit: '2' }))
      .willRespondWith(200, (b) => ndjsonBody(b, [row], COMPANY_LOCATION))
      .executeTest(async (ms) => expect(await all(ms.url, 'company-locations')).toEqual([row]));
  });

  // Last: every interaction above has been written to the fresh pact by now.
  it('pacts/reconciler-pricing.json is the pact these tests generate (PACT_UPDATE=1 rewrites it)', () => {
    expect(settlePact(dir, 'reconciler', 'pricing')).toBeUndefined();
  });
});
