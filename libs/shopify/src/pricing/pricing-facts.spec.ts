import { resourceKeyFor } from '../topics/registry';
import { pricingFactPayload } from './pricing-facts';
import { percentString } from './pricing-reader';

const asOf = '2026-12-01T10:00:00.000Z';

describe('reconcile/pricing facts', () => {
  it('accepts each kind of row and keys it by the resource that owns it', () => {
    const facts = [
      { kind: 'price_list', price_list_id: 9, currency: 'USD', adjustment: { type: 'PERCENTAGE_DECREASE', value: '12.5' }, compare_at_mode: 'NULLIFY', as_of: asOf },
      { kind: 'fixed_price', price_list_id: '9', variant_id: 5, price: '9.00', compare_at_price: null, quantity_price_breaks: [{ minimum_quantity: 10, price: '8.50' }], as_of: asOf },
      { kind: 'quantity_rule', price_list_id: '9', variant_id: '5', minimum: 5, maximum: null, increment: 5, as_of: asOf },
      { kind: 'catalog', catalog_id: 3, status: 'DRAFT', price_list_id: null, as_of: asOf },
      { kind: 'company_location', company_location_id: 4, currency: 'JPY', catalog_ids: [3], as_of: asOf },
    ];
    expect(facts.map((fact) => resourceKeyFor('reconcile/pricing', fact))).toEqual([
      { ok: true, key: 'price_list:9' },
      { ok: true, key: 'price_list:9' },
      { ok: true, key: 'price_list:9' },
      { ok: true, key: 'catalog:3' },
      { ok: true, key: 'company_location:4' },
    ]);
    expect(pricingFactPayload.parse(facts[0])).toMatchObject({ price_list_id: '9', deleted: false });
  });

  it('lets a deletion leave out the values, and nothing else', () => {
    expect(pricingFactPayload.safeParse({ kind: 'fixed_price', price_list_id: 9, variant_id: 5, as_of: asOf, deleted: true }).success).toBe(true);
    const missing = pricingFactPayload.safeParse({ kind: 'fixed_price', price_list_id: 9, variant_id: 5, as_of: asOf });
    expect(missing.success).toBe(false);
    for (const bad of [
      { kind: 'fixed_price', price_list_id: 9, variant_id: 5, price: '9.001.0', compare_at_price: null, quantity_price_breaks: [], as_of: asOf },
      { kind: 'catalog', catalog_id: 0, status: 'ACTIVE', price_list_id: null, as_of: asOf },
      { kind: 'company_location', company_location_id: 4, currency: 'JPY', catalog_ids: Array.from({ length: 26 }, (_, i) => i + 1), as_of: asOf },
      { kind: 'price_list', price_list_id: 9, currency: 'USD', adjustment: null, compare_at_mode: 'ADJUSTED', as_of: 'yesterday' },
      { kind: 'quantity_rule', price_list_id: 9, variant_id: 5, minimum: 0, maximum: null, increment: 1, as_of: asOf },
    ]) {
      expect(pricingFactPayload.safeParse(bad).success).toBe(false);
    }
  });

  it('writes GraphQL Float percentages as exact decimal strings', () => {
    expect(percentString(12.5)).toBe('12.5');
    expect(percentString(10)).toBe('10');
    expect(percentString(33.3)).toBe('33.3');
    expect(percentString(0)).toBe('0');
    expect(percentString(1e-7)).toBe('0');
    expect(() => percentString(-1)).toThrow(RangeError);
  });
});
