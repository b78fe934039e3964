import { buyerFromRow, lineFacts, priceListIds } from '../quotes/quote-facts';
import { priceQuote } from '../rules';
import { PricingReadModel } from './read-model';
import { keyOf, type ProjectionRows } from './rows';

const T1 = '2026-12-01T09:00:00.000Z';
const T2 = '2026-12-01T10:00:00.000Z';

function rows(): ProjectionRows {
  return {
    pricing_variants: [
      { variantId: '7', price: '10.00', compareAtPrice: '12.00' },
      { variantId: '8', price: '20.00', compareAtPrice: null },
    ],
    pricing_price_lists: [
      { priceListId: '300', currency: 'USD', adjustmentType: 'PERCENTAGE_DECREASE', adjustmentValue: '10', compareAtMode: 'ADJUSTED', asOf: T1 },
      { priceListId: '100', currency: 'USD', adjustmentType: null, adjustmentValue: null, compareAtMode: 'NULLIFY', asOf: T2 },
    ],
    pricing_fixed_prices: [
      { priceListId: '100', variantId: '7', price: '8.00', compareAtPrice: null, breaks: [{ minimumQuantity: 5, price: '7.00' }] },
      { priceListId: '999', variantId: '7', price: '1.00', compareAtPrice: null, breaks: [] },
    ],
    pricing_quantity_rules: [{ priceListId: '300', variantId: '7', minimum: 2, maximum: null, increment: 1 }],
    pricing_catalogs: [
      { catalogId: '30', status: 'ACTIVE', priceListId: '300', asOf: T2 },
      { catalogId: '4', status: 'DRAFT', priceListId: '100', asOf: T2 },
      { catalogId: '20', status: 'ACTIVE', priceListId: null, asOf: T2 },
      { catalogId: '40', status: 'ACTIVE', priceListId: '400', asOf: T2 },
    ],
    pricing_company_locations: [{ companyLocationId: '5', currency: 'USD', catalogIds: ['40', '30', '4', '20', '30', '77'], asOf: T2 }],
  };
}

describe('PricingReadModel', () => {
  it('answers what BUYER does: each held catalog once, in numeric id order, with its price list when held', () => {
    const model = PricingReadModel.from(rows());
    expect(model.buyer('5')).toEqual({
      currency: 'USD',
      as_of: T2,
      confirmed_as_of: null,
      catalogs: [
        { catalogId: '4', status: 'DRAFT', asOf: T2, priceListId: '100', priceList: { currency: 'USD', type: null, value: null, mode: 'NULLIFY', asOf: T2 } },
        { catalogId: '20', status: 'ACTIVE', asOf: T2, priceListId: null, priceList: null },
        { catalogId: '30', status: 'ACTIVE', asOf: T2, priceListId: '300', priceList: { currency: 'USD', type: 'PERCENTAGE_DECREASE', value: '10', mode: 'ADJUSTED', asOf: T1 } },
        // A catalog whose price list is not held comes with priceList null; buyerFromRow leaves it out.
        { catalogId: '40', status: 'ACTIVE', asOf: T2, priceListId: '400', priceList: null },
      ],
    });
    expect(model.buyer('6')).toBeUndefined();
    const buyer = buyerFromRow(model.buyer('5')!)!;
    expect(buyer.catalogs.map((c) => c.id)).toEqual(['4', '20', '30']);
    expect(buyer.asOf).toBe(T1);
  });

  it("answers what LINES does: held variants only, with the fixed prices and rules on the buyer's lists", () => {
    const model = PricingReadModel.from(rows());
    expect(model.lines(['7', '8', '9', '7'], ['300', '100'])).toEqual([
      {
        variant_id: '7',
        price: '10.00',
        compare_at_price: '12.00',
        fixed: [{ priceListId: '100', price: '8.00', compareAtPrice: null, breaks: [{ minimumQuantity: 5, price: '7.00' }] }],
        rules: [{ priceListId: '300', minimum: 2, maximum: null, increment: 1 }],
      },
      { variant_id: '8', price: '20.00', compare_at_price: null, fixed: [], rules: [] },
    ]);
    expect(model.lines(['7'], [])).toEqual([{ variant_id: '7', price: '10.00', compare_at_price: '12.00', fixed: [], rules: [] }]);
  });

  it('feeds quote-facts and the rules unchanged', () => {
    const model = PricingReadModel.from(rows());
    const buyer = buyerFromRow(model.buyer('5')!)!;
    const [row] = model.lines(['7'], priceListIds(buyer));
    const outcome = priceQuote('USD', [lineFacts({ variantId: '7', quantity: 3 }, row!, buyer)]);
    // 10.00 at 10 % off (catalog 30) beats the variant's own 10.00 (catalog 20); the DRAFT list's 8.00 does not count.
    expect(outcome).toMatchObject({ ok: true, subtotal: '27.00', lines: [{ unitPrice: '9.00', source: 'adjusted', catalogId: '30', priceListId: '300' }] });
  });

  it('applies a change by key: a new or changed row replaces the held one, an absent one is removed', () => {
    const model = PricingReadModel.from(rows());
    const list = { priceListId: '400', currency: 'USD', adjustmentType: 'PERCENTAGE_INCREASE' as const, adjustmentValue: '5', compareAtMode: 'ADJUSTED' as const, asOf: T2 };
    model.apply('pricing_price_lists', keyOf('pricing_price_lists', list), list);
    expect(model.buyer('5')!.catalogs.find((c) => c.catalogId === '40')!.priceList).toMatchObject({ type: 'PERCENTAGE_INCREASE', value: '5' });

    model.apply('pricing_fixed_prices', { id: '100', variantId: '7' }, undefined);
    expect(model.lines(['7'], ['100'])[0]!.fixed).toEqual([]);
    const rule = { priceListId: '100', variantId: '8', minimum: 3, maximum: 30, increment: 3 };
    model.apply('pricing_quantity_rules', keyOf('pricing_quantity_rules', rule), rule);
    expect(model.lines(['8'], ['100'])[0]!.rules).toEqual([{ priceListId: '100', minimum: 3, maximum: 30, increment: 3 }]);

    model.apply('pricing_catalogs', { id: '30', variantId: null }, undefined);
    expect(model.buyer('5')!.catalogs.map((c) => c.catalogId)).toEqual(['4', '20', '40']);
    model.apply('pricing_variants', { id: '8', variantId: null }, { variantId: '8', price: '21.50', compareAtPrice: null });
    expect(model.lines(['8'], [])[0]!.price).toBe('21.50');
    model.apply('pricing_variants', { id: '8', variantId: null }, undefined);
    expect(model.lines(['8'], [])).toEqual([]);
    model.apply('pricing_company_locations', { id: '5', variantId: null }, undefined);
    expect(model.buyer('5')).toBeUndefined();
    expect(model.sizes()).toEqual({
      pricing_variants: 1,
      pricing_price_lists: 3,
      pricing_fixed_prices: 1,
      pricing_quantity_rules: 2,
      pricing_catalogs: 3,
      pricing_company_locations: 0,
    });
  });

  it('orders catalog ids numerically, as the bigint column does, also past 2^53', () => {
    const model = PricingReadModel.from({
      ...rows(),
      pricing_catalogs: ['9007199254740993', '9007199254740992', '100', '99'].map((catalogId) => ({ catalogId, status: 'ACTIVE' as const, priceListId: null, asOf: T2 })),
      pricing_company_locations: [{ companyLocationId: '5', currency: 'USD', catalogIds: ['9007199254740993', '100', '9007199254740992', '99'], asOf: T2 }],
    });
    expect(model.buyer('5')!.catalogs.map((c) => c.catalogId)).toEqual(['99', '100', '9007199254740992', '9007199254740993']);
  });
});
