import { type BuyerRow, buyerFromRow, lineFacts, priceListIds, primaryPriceListId } from './quote-facts';

const row: BuyerRow = {
  currency: 'USD',
  as_of: new Date('2026-12-01T10:00:00Z'),
  confirmed_as_of: null,
  catalogs: [
    { catalogId: '30', status: 'ACTIVE', asOf: '2026-12-01T09:00:00Z', priceListId: '300', priceList: { currency: 'USD', type: 'PERCENTAGE_DECREASE', value: '10', mode: 'ADJUSTED', asOf: '2026-12-01T08:00:00Z' } },
    { catalogId: '10', status: 'DRAFT', asOf: '2026-12-01T10:00:00Z', priceListId: '100', priceList: { currency: 'USD', type: null, value: null, mode: 'NULLIFY', asOf: '2026-12-01T10:00:00Z' } },
    { catalogId: '20', status: 'ACTIVE', asOf: '2026-12-01T10:00:00Z', priceListId: null, priceList: null },
    { catalogId: '40', status: 'ACTIVE', asOf: '2026-12-01T10:00:00Z', priceListId: '400', priceList: null },
  ],
};

describe('quote facts', () => {
  it("builds the buyer's catalogs, leaving out one whose price list the projection does not hold yet", () => {
    const buyer = buyerFromRow(row)!;
    expect(buyer.catalogs.map((c) => c.id)).toEqual(['30', '10', '20']);
    expect(buyer.asOf).toBe('2026-12-01T08:00:00.000Z');
    expect(priceListIds(buyer)).toEqual(['300', '100']);
    expect(primaryPriceListId(buyer)).toBe('300');
    expect(buyerFromRow({ ...row, currency: null })).toBeUndefined();
  });

  it("is as fresh as the reconciler's last confirmation of the whole projection, when that is newer than its rows", () => {
    expect(buyerFromRow({ ...row, confirmed_as_of: new Date('2026-12-01T11:30:00Z') })!.asOf).toBe('2026-12-01T11:30:00.000Z');
    expect(buyerFromRow({ ...row, confirmed_as_of: '2026-12-01T07:00:00Z' })!.asOf).toBe('2026-12-01T08:00:00.000Z');
  });

  it("gives each catalog this variant's fixed price, breaks and rule", () => {
    const buyer = buyerFromRow(row)!;
    const facts = lineFacts(
      { variantId: '7', quantity: 3 },
      {
        variant_id: '7',
        price: '10.00',
        compare_at_price: null,
        fixed: [{ priceListId: '100', price: '8.00', compareAtPrice: null, breaks: [{ minimumQuantity: 5, price: '7.00' }] }],
        rules: [{ priceListId: '300', minimum: 2, maximum: null, increment: 1 }],
      },
      buyer,
    );
    expect(facts.catalogs).toEqual([
      { id: '30', status: 'ACTIVE', priceList: { id: '300', currency: 'USD', adjustment: { type: 'PERCENTAGE_DECREASE', value: '10' }, compareAtMode: 'ADJUSTED', fixedPrice: null, quantityPriceBreaks: [], quantityRule: { minimum: 2, maximum: null, increment: 1 } } },
      { id: '10', status: 'DRAFT', priceList: { id: '100', currency: 'USD', adjustment: null, compareAtMode: 'NULLIFY', fixedPrice: { price: '8.00', compareAtPrice: null }, quantityPriceBreaks: [{ minimumQuantity: 5, price: '7.00' }], quantityRule: null } },
      { id: '20', status: 'ACTIVE', priceList: null },
    ]);
  });
});
