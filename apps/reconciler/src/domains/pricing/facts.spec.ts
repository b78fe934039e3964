import { resourceKeyFor } from '@understudy/shopify';
import { classify } from '../diff';
import { canonicalDecimal, factFromVariantNode, factsFromBulkObject, moduleRecord, moduleVariant, pricingDeletion, pricingFact } from './facts';

const asOf = '2026-12-01T10:00:00.000Z';
const earlier = '2026-12-01T09:00:00.000000Z';

describe('pricing facts', () => {
  it('turns a bulk price list with its quantity rules into facts keyed by the price list', () => {
    const facts = factsFromBulkObject(
      'priceLists',
      {
        id: 'gid://shopify/PriceList/9',
        currency: 'USD',
        parent: { adjustment: { type: 'PERCENTAGE_DECREASE', value: 12.5 }, settings: { compareAtMode: 'NULLIFY' } },
        __children: [{ minimum: 5, maximum: null, increment: 5, productVariant: { id: 'gid://shopify/ProductVariant/45' }, __parentId: 'gid://shopify/PriceList/9' }],
      },
      asOf,
    );
    expect(facts.map((f) => [f.kind, f.key, f.value, f.partitionKey, f.updatedAt])).toEqual([
      ['price_list', '9', 'USD|PERCENTAGE_DECREASE|12.5|NULLIFY', 'price_list:9', asOf],
      ['quantity_rule', '9:45', '5||5', 'price_list:9', asOf],
    ]);
    expect(facts[0]!.topic).toBe('reconcile/pricing');
    expect(facts[0]!.payload).toMatchObject({ kind: 'price_list', price_list_id: '9', adjustment: { value: '12.5' }, as_of: asOf });
  });

  it('reads catalogs and company locations (catalogs are an interface: any catalog GID)', () => {
    const [catalog] = factsFromBulkObject('catalogs', { id: 'gid://shopify/CompanyLocationCatalog/3', status: 'ACTIVE', priceList: null }, asOf);
    expect(catalog).toMatchObject({ kind: 'catalog', key: '3', value: 'ACTIVE|', partitionKey: 'catalog:3' });
    const [location] = factsFromBulkObject(
      'companyLocations',
      { id: 'gid://shopify/CompanyLocation/4', currency: 'JPY', __children: [{ id: 'gid://shopify/CompanyLocationCatalog/12' }, { id: 'gid://shopify/MarketCatalog/3' }] },
      asOf,
    );
    expect(location).toMatchObject({ kind: 'company_location', key: '4', value: 'JPY|3,12', payload: { catalog_ids: ['12', '3'] } });
    expect(() => factsFromBulkObject('catalogs', { id: 'gid://shopify/CompanyLocationCatalog/3', status: 'LIVE', priceList: null }, asOf)).toThrow('unexpected catalog from Shopify');
    expect(() => factsFromBulkObject('products', { id: 'x' }, asOf)).toThrow('unknown pricing bulk query');
  });

  it("compares Shopify's decimals with PostgreSQL's numeric text by value, and breaks in any order", () => {
    expect(['1500.0', '0.50', '12', '10.000', '0.0'].map(canonicalDecimal)).toEqual(['1500', '0.5', '12', '10', '0']);
    const shopify = pricingFact({
      kind: 'fixed_price',
      price_list_id: '9',
      variant_id: '45',
      price: '1500.0',
      compare_at_price: null,
      quantity_price_breaks: [{ minimum_quantity: 20, price: '1300.0' }, { minimum_quantity: 10, price: '1400.0' }],
      as_of: asOf,
    });
    const held = moduleRecord('fixed_price', {
      priceListId: '9',
      variantId: '45',
      price: '1500',
      compareAtPrice: null,
      quantityPriceBreaks: [{ minimumQuantity: 10, price: '1400' }, { minimumQuantity: 20, price: '1300' }],
      deleted: false,
      asOf: earlier,
    });
    expect(classify(shopify, held)).toBe('in_sync');
    const changed = moduleRecord('fixed_price', { priceListId: '9', variantId: '45', price: '1500', compareAtPrice: null, quantityPriceBreaks: [], deleted: false, asOf: earlier });
    expect(classify(shopify, changed)).toBe('stale');
  });

  it('treats a tombstone as no row, so a snapshot that still has the row publishes it', () => {
    expect(moduleRecord('catalog', { catalogId: '3', status: null, priceListId: null, deleted: true, asOf: earlier })).toBeUndefined();
    const shopify = pricingFact({ kind: 'catalog', catalog_id: 3, status: 'DRAFT', price_list_id: 7, as_of: asOf });
    expect(classify(shopify, undefined)).toBe('missing');
  });

  it('renders every kind the same from both sides', () => {
    const pairs = [
      [
        pricingFact({ kind: 'price_list', price_list_id: 9, currency: 'EUR', adjustment: null, compare_at_mode: 'ADJUSTED', as_of: asOf }),
        moduleRecord('price_list', { priceListId: '9', currency: 'EUR', adjustmentType: null, adjustmentValue: null, compareAtMode: 'ADJUSTED', deleted: false, asOf: earlier }),
      ],
      [
        pricingFact({ kind: 'price_list', price_list_id: 9, currency: 'EUR', adjustment: { type: 'PERCENTAGE_INCREASE', value: '10' }, compare_at_mode: 'ADJUSTED', as_of: asOf }),
        moduleRecord('price_list', { priceListId: '9', currency: 'EUR', adjustmentType: 'PERCENTAGE_INCREASE', adjustmentValue: '10.0', compareAtMode: 'ADJUSTED', deleted: false, asOf: earlier }),
      ],
      [
        pricingFact({ kind: 'quantity_rule', price_list_id: 9, variant_id: 45, minimum: 2, maximum: 40, increment: 2, as_of: asOf }),
        moduleRecord('quantity_rule', { priceListId: '9', variantId: '45', minimum: 2, maximum: 40, increment: 2, deleted: false, asOf: earlier }),
      ],
      [
        pricingFact({ kind: 'catalog', catalog_id: 3, status: 'ARCHIVED', price_list_id: 9, as_of: asOf }),
        moduleRecord('catalog', { catalogId: '3', status: 'ARCHIVED', priceListId: '9', deleted: false, asOf: earlier }),
      ],
      [
        pricingFact({ kind: 'company_location', company_location_id: 4, currency: 'USD', catalog_ids: [12, 3], as_of: asOf }),
        moduleRecord('company_location', { companyLocationId: '4', currency: 'USD', catalogIds: ['3', '12'], deleted: false, asOf: earlier }),
      ],
    ] as const;
    for (const [shopify, held] of pairs) {
      expect(held).toMatchObject({ kind: shopify.kind, key: shopify.key });
      expect(classify(shopify, held)).toBe('in_sync');
    }
  });

  it("deletes a row Shopify no longer has with a deleted fact of the snapshot's version, keyed like its row", () => {
    const deletion = pricingDeletion({ kind: 'fixed_price', key: '9:45' }, '2026-12-01T10:00:00Z');
    expect(deletion).toMatchObject({ kind: 'fixed_price', key: '9:45', partitionKey: 'price_list:9', topic: 'reconcile/pricing', updatedAt: '2026-12-01T10:00:00Z' });
    expect(deletion!.payload).toEqual({ kind: 'fixed_price', price_list_id: '9', variant_id: '45', as_of: '2026-12-01T10:00:00Z', deleted: true });
    expect(pricingDeletion({ kind: 'company_location', key: '4' }, asOf)!.partitionKey).toBe('company_location:4');
    // A base price Shopify no longer has is reported, not deleted.
    expect(pricingDeletion({ kind: 'variant', key: '45' }, asOf)).toBeUndefined();
    expect(() => pricingDeletion({ kind: 'level', key: '1:2' }, asOf)).toThrow('not a pricing row');
  });

  it("compares a variant's base price with the module's canonically, and publishes it on reconcile/variant_prices keyed by product", () => {
    const fact = factFromVariantNode({ id: 'gid://shopify/ProductVariant/45', price: '19.90', compareAtPrice: null, updatedAt: '2026-12-01T09:00:00Z', product: { id: 'gid://shopify/Product/7' } });
    expect(fact).toMatchObject({ kind: 'variant', key: '45', updatedAt: '2026-12-01T09:00:00Z', topic: 'reconcile/variant_prices', partitionKey: '7' });
    expect(fact.payload).toEqual({ id: '45', product_id: '7', price: '19.90', compare_at_price: null, updated_at: '2026-12-01T09:00:00Z' });
    expect(resourceKeyFor('reconcile/variant_prices', fact.payload)).toEqual({ ok: true, key: '7' });
    const held = moduleVariant({ variantId: '45', productId: '7', price: '19.9', compareAtPrice: null, updatedAt: '2026-12-01T09:00:00.000Z', triggeredAt: '2026-12-01T09:00:01.000Z' });
    expect(classify(fact, held)).toBe('in_sync');
    expect(classify(fact, { ...held, value: '18|', updatedAt: '2026-12-01T08:00:00.000Z' })).toBe('stale');
  });

  it('refuses a payload the registry would refuse', () => {
    expect(() => pricingFact({ kind: 'quantity_rule', price_list_id: 9, variant_id: 45, minimum: 0, maximum: null, increment: 1, as_of: asOf })).toThrow('unexpected quantity_rule from Shopify');
  });
});
