import { type CatalogForVariant, catalogOffer, DEFAULT_QUANTITY_RULE, type PriceListForVariant, priceVariant, quantityRuleBreach } from './price-rules';
import { priceQuote } from './quote';

const variant = { price: '10.00', compareAtPrice: '12.00' };

function list(overrides: Partial<PriceListForVariant> = {}): PriceListForVariant {
  return {
    id: '900',
    currency: 'USD',
    adjustment: { type: 'PERCENTAGE_DECREASE', value: '20' },
    compareAtMode: 'ADJUSTED',
    fixedPrice: null,
    quantityPriceBreaks: [],
    quantityRule: null,
    ...overrides,
  };
}

function catalog(id: string, priceList: PriceListForVariant | null, status: CatalogForVariant['status'] = 'ACTIVE'): CatalogForVariant {
  return { id, status, priceList };
}

const price = (catalogs: CatalogForVariant[], quantity = 1, buyerCurrency = 'USD') => priceVariant({ catalogs, variant, quantity, buyerCurrency });

describe('one catalog (Shopify help: "Creating and managing B2B catalogs")', () => {
  it('sells at the variant price without a catalog, or with one that has no price list', () => {
    expect(price([])).toMatchObject({ unitPrice: 1000n, compareAtPrice: 1200n, source: 'base', catalogId: null, priceListId: null });
    expect(price([catalog('1', null)])).toMatchObject({ unitPrice: 1000n, source: 'base', catalogId: '1', priceListId: null });
  });

  it('applies the overall adjustment: $10 at −20 % is $8', () => {
    expect(price([catalog('1', list())])).toMatchObject({ unitPrice: 800n, compareAtPrice: 960n, source: 'adjusted', catalogId: '1', priceListId: '900' });
    expect(price([catalog('1', list({ adjustment: { type: 'PERCENTAGE_INCREASE', value: '5' } }))])).toMatchObject({ unitPrice: 1050n });
    expect(price([catalog('1', list({ adjustment: null }))])).toMatchObject({ unitPrice: 1000n, source: 'base', priceListId: '900' });
  });

  it('drops the compare-at price in NULLIFY mode unless a fixed price carries its own', () => {
    expect(price([catalog('1', list({ compareAtMode: 'NULLIFY' }))]).compareAtPrice).toBeNull();
    const fixed = list({ compareAtMode: 'NULLIFY', fixedPrice: { price: '9.00', compareAtPrice: '11.00' } });
    expect(price([catalog('1', fixed)])).toMatchObject({ unitPrice: 900n, compareAtPrice: 1100n, source: 'fixed' });
  });

  it('lets a fixed price beat the adjustment even when it is higher: the $9 candle', () => {
    expect(price([catalog('1', list({ fixedPrice: { price: '9.00', compareAtPrice: null } }))])).toMatchObject({ unitPrice: 900n, compareAtPrice: null, source: 'fixed' });
  });

  it('applies the largest quantity break reached, only on a fixed price', () => {
    const breaks = [
      { minimumQuantity: 50, price: '7.00' },
      { minimumQuantity: 10, price: '8.50' },
    ];
    const fixed = list({ fixedPrice: { price: '9.00', compareAtPrice: null }, quantityPriceBreaks: breaks });
    expect(price([catalog('1', fixed)], 9)).toMatchObject({ unitPrice: 900n, source: 'fixed' });
    expect(price([catalog('1', fixed)], 10)).toMatchObject({ unitPrice: 850n, source: 'quantity_break' });
    expect(price([catalog('1', fixed)], 60)).toMatchObject({ unitPrice: 700n, source: 'quantity_break' });
    expect(price([catalog('1', list({ quantityPriceBreaks: breaks }))], 60)).toMatchObject({ unitPrice: 800n, source: 'adjusted' });
  });

  it('ignores DRAFT and ARCHIVED catalogs and price lists in another currency', () => {
    expect(price([catalog('1', list(), 'DRAFT'), catalog('2', list(), 'ARCHIVED')])).toMatchObject({ unitPrice: 1000n, source: 'base', catalogId: null });
    expect(catalogOffer(catalog('1', list({ currency: 'CAD' })), variant, 1, 'USD')).toBeUndefined();
  });

  it('rounds in the buyer currency: JPY has no minor unit', () => {
    const yen = list({ currency: 'JPY', adjustment: { type: 'PERCENTAGE_DECREASE', value: '15' } });
    expect(priceVariant({ catalogs: [catalog('1', yen)], variant: { price: '1999', compareAtPrice: null }, quantity: 1, buyerCurrency: 'JPY' }).unitPrice).toBe(1699n);
  });
});

describe('several catalogs (Shopify help: "the lowest price displays to the customer")', () => {
  it('takes the lowest price: $9 in one catalog and $7 in another gives $7', () => {
    const nine = catalog('1', list({ id: '901', fixedPrice: { price: '9.00', compareAtPrice: null } }));
    const seven = catalog('2', list({ id: '902', fixedPrice: { price: '7.00', compareAtPrice: null } }));
    expect(price([nine, seven])).toMatchObject({ unitPrice: 700n, catalogId: '2', priceListId: '902' });
    expect(price([seven, nine])).toMatchObject({ unitPrice: 700n, catalogId: '2', priceListId: '902' });
  });

  it('breaks ties on the lowest catalog id, numerically', () => {
    const a = catalog('10', list({ id: 'a' }));
    const b = catalog('9', list({ id: 'b' }));
    expect(price([a, b])).toMatchObject({ catalogId: '9', priceListId: 'b' });
  });

  it('lets the winner change with the quantity', () => {
    const adjusted = catalog('1', list({ adjustment: { type: 'PERCENTAGE_DECREASE', value: '10' } }));
    const volume = catalog('2', list({ id: '902', fixedPrice: { price: '9.50', compareAtPrice: null }, quantityPriceBreaks: [{ minimumQuantity: 20, price: '8.00' }] }));
    expect(price([adjusted, volume], 5)).toMatchObject({ unitPrice: 900n, catalogId: '1' });
    expect(price([adjusted, volume], 20)).toMatchObject({ unitPrice: 800n, catalogId: '2', source: 'quantity_break' });
  });

  it('binds the buyer to the quantity rule of the catalog winning the headline (quantity 1) price', () => {
    const rule = { minimum: 5, maximum: 100, increment: 5 };
    const cheap = catalog('1', list({ quantityRule: rule }));
    const dear = catalog('2', list({ id: '902', adjustment: { type: 'PERCENTAGE_DECREASE', value: '5' }, quantityRule: { minimum: 1, maximum: null, increment: 1 } }));
    expect(price([cheap, dear], 3).quantityRule).toEqual(rule);
    expect(price([catalog('1', null)], 3).quantityRule).toEqual(DEFAULT_QUANTITY_RULE);
  });
});

describe('quantity rules', () => {
  const rule = { minimum: 10, maximum: 100, increment: 5 };
  it('names the part of the rule a quantity breaks', () => {
    expect(quantityRuleBreach(rule, 5)).toBe('minimum');
    expect(quantityRuleBreach(rule, 105)).toBe('maximum');
    expect(quantityRuleBreach(rule, 12)).toBe('increment');
    expect(quantityRuleBreach(rule, 10)).toBeUndefined();
    expect(quantityRuleBreach(rule, 100)).toBeUndefined();
    expect(quantityRuleBreach(DEFAULT_QUANTITY_RULE, 999_999)).toBeUndefined();
  });
});

describe('priceQuote', () => {
  it('multiplies and sums exactly and prints decimal strings', () => {
    const outcome = priceQuote('USD', [
      { variantId: '1', quantity: 7, variant: { price: '19.99', compareAtPrice: null }, catalogs: [] },
      { variantId: '2', quantity: 1, variant: { price: '0.10', compareAtPrice: null }, catalogs: [] },
      { variantId: '3', quantity: 1, variant: { price: '0.20', compareAtPrice: null }, catalogs: [] },
    ]);
    expect(outcome).toEqual({
      ok: true,
      currency: 'USD',
      subtotal: '140.23',
      lines: [
        { variantId: '1', quantity: 7, unitPrice: '19.99', lineTotal: '139.93', compareAtPrice: null, source: 'base', catalogId: null, priceListId: null },
        { variantId: '2', quantity: 1, unitPrice: '0.10', lineTotal: '0.10', compareAtPrice: null, source: 'base', catalogId: null, priceListId: null },
        { variantId: '3', quantity: 1, unitPrice: '0.20', lineTotal: '0.20', compareAtPrice: null, source: 'base', catalogId: null, priceListId: null },
      ],
    });
  });

  it('refuses the quote naming every line that breaks its rule', () => {
    const ruled = [catalog('1', list({ quantityRule: { minimum: 5, maximum: null, increment: 5 } }))];
    const outcome = priceQuote('USD', [
      { variantId: '1', quantity: 3, variant, catalogs: ruled },
      { variantId: '2', quantity: 10, variant, catalogs: ruled },
      { variantId: '3', quantity: 11, variant, catalogs: ruled },
    ]);
    expect(outcome).toEqual({
      ok: false,
      violations: [
        { variantId: '1', quantity: 3, breach: 'minimum', quantityRule: { minimum: 5, maximum: null, increment: 5 }, catalogId: '1' },
        { variantId: '3', quantity: 11, breach: 'increment', quantityRule: { minimum: 5, maximum: null, increment: 5 }, catalogId: '1' },
      ],
    });
  });
});
