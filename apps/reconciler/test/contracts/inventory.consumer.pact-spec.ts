import { MatchersV3, PactV4 } from '@pact-foundation/pact';
import { EXPORT_NEXT_HEADER } from '@understudy/contracts';
import { freshPactDir, NDJSON, ndjsonBody, ndjsonLine, settlePact } from '@understudy/testing';
import { InventoryExportClient } from '../../src/domains/inventory/inventory-export.client';

/**
 * reconciler → inventory (HTTP): the export pages the reconciler's real
 * InventoryExportClient asks for (`GET /v1/export/{kind}`, NDJSON) and what it
 * reads back: status 200, the rows' fields by type (validated on the way in
 * against libs/contracts' row schemas), the `x-next-after` header. The body is
 * matched as a stream (libs/testing pact-ndjson.ts): one or more lines, each
 * row's fields of the right type, never inventory's exact rows.
 */
const { regex } = MatchersV3;

const dir = freshPactDir();
const pact = new PactV4({ consumer: 'reconciler', provider: 'inventory', dir, logLevel: 'warn' });

const LEVEL = ndjsonLine([
  ['inventoryItemId', NDJSON.id],
  ['locationId', NDJSON.id],
  ['available', NDJSON.integerOrNull],
  ['updatedAt', NDJSON.isoTime],
  ['triggeredAt', NDJSON.isoTime],
]);
const ITEM = ndjsonLine([
  ['inventoryItemId', NDJSON.id],
  ['tracked', NDJSON.boolean],
  ['sku', NDJSON.stringOrNull],
  ['updatedAt', NDJSON.isoTime],
  ['triggeredAt', NDJSON.isoTime],
]);
const PRODUCT = ndjsonLine([
  ['productId', NDJSON.id],
  ['updatedAt', NDJSON.isoTime],
  ['triggeredAt', NDJSON.isoTime],
  ['variants', NDJSON.arrayOf(`\\[${NDJSON.id},${NDJSON.id}\\]`)],
]);

const T = '2026-01-01T00:00:00.000000Z';
const STATE = 'items 6001 and 6002 are tracked, 6001 at locations 1 and 2, 6002 at location 1, of product 60010';
const level = (item: string, location: string, available: number) => ({ inventoryItemId: item, locationId: location, available, updatedAt: T, triggeredAt: T });

const client = (url: string) => new InventoryExportClient(url, { timeoutMs: 10_000, pageSize: 2 });
const signal = () => AbortSignal.timeout(30_000);

describe('contract: reconciler → inventory (HTTP, NDJSON export)', () => {
  it('GET /v1/export/levels: a full page carries the next page’s after', async () => {
    await pact
      .addInteraction()
      .given(STATE)
      .uponReceiving('the first page of 2 inventory levels')
      .withRequest('GET', '/v1/export/levels', (b) => b.query({ limit: '2' }))
      .willRespondWith(200, (b) => ndjsonBody(b.headers({ [EXPORT_NEXT_HEADER]: regex('^[1-9][0-9]*:[1-9][0-9]*$', '6001:2') }), [level('6001', '1', 5), level('6001', '2', 3)], LEVEL))
      .executeTest(async (ms) => {
        // Two rows of the first page; stopping there, the client asks for no second page.
        const rows = [];
        for await (const row of client(ms.url).all('levels', signal())) {
          rows.push(row);
          if (rows.length === 2) break;
        }
        expect(rows).toEqual([level('6001', '1', 5), level('6001', '2', 3)]);
      });
  });

  it('GET /v1/export/levels?after=: the last page has no next', async () => {
    await pact
      .addInteraction()
      .given(STATE)
      .uponReceiving('the last page of inventory levels, after 6001:2')
      .withRequest('GET', '/v1/export/levels', (b) => b.query({ limit: '2', after: '6001:2' }))
      .willRespondWith(200, (b) => ndjsonBody(b, [level('6002', '1', 7)], LEVEL))
      .executeTest(async (ms) => {
        // The client's own page call, as `all()` makes it for the page after 6001:2.
        const page = await client(ms.url)['page']('levels', { after: '6001:2', limit: 2 }, signal());
        expect(page).toEqual({ rows: [level('6002', '1', 7)], next: undefined });
      });
  });

  it('GET /v1/export/items?ids=: the rows of these items', async () => {
    const item = (id: string, sku: string) => ({ inventoryItemId: id, tracked: true, sku, updatedAt: T, triggeredAt: T });
    await pact
      .addInteraction()
      .given(STATE)
      .uponReceiving('the inventory items 6001 and 6002 by id')
      .withRequest('GET', '/v1/export/items', (b) => b.query({ limit: '10000', ids: '6001,6002' }))
      .willRespondWith(200, (b) => ndjsonBody(b, [item('6001', 'SKU-6001'), item('6002', 'SKU-6002')], ITEM))
      .executeTest(async (ms) => {
        const rows = await client(ms.url).byIds('items', ['6001', '6002'], signal());
        expect(rows.map((row) => row.inventoryItemId)).toEqual(['6001', '6002']);
      });
  });

  it('GET /v1/export/products?ids=: a product with its [variant, item] pairs', async () => {
    const product = { productId: '60010', updatedAt: T, triggeredAt: T, variants: [['1601', '6001'], ['1602', '6002']] };
    await pact
      .addInteraction()
      .given(STATE)
      .uponReceiving('the product 60010 by id')
      .withRequest('GET', '/v1/export/products', (b) => b.query({ limit: '10000', ids: '60010' }))
      .willRespondWith(200, (b) => ndjsonBody(b, [product], PRODUCT))
      .executeTest(async (ms) => {
        const rows = await client(ms.url).byIds('products', ['60010'], signal());
        expect(rows).toEqual([product]);
      });
  });

  // Last: every interaction above has been written to the fresh pact by now.
  it('pacts/reconciler-inventory.json is the pact these tests generate (PACT_UPDATE=1 rewrites it)', () => {
    expect(settlePact(dir, 'reconciler', 'inventory')).toBeUndefined();
  });
});
