import { compareResponses } from '@understudy/comparison';
import { defaultRoutes } from './checkout-routes';

describe('pricing.quote comparison spec', () => {
  const spec = defaultRoutes().find((route) => route.name === 'pricing.quote')!.comparison;
  const monolith = (currency: string, unitPrice: number, quantity = 1) => ({
    status: 200,
    body: { currency, priceListId: '1', lines: [{ variantId: 7, quantity, unitPrice, lineTotal: unitPrice * quantity, source: 'adjusted' }], subtotal: unitPrice * quantity, generatedAt: 'x' },
  });
  const module = (currency: string, unitPrice: string, lineTotal = unitPrice) => ({
    status: 200,
    body: { currency, priceListId: '1', lines: [{ variantId: '7', quantity: 1, unitPrice, lineTotal, source: 'adjusted', compareAtPrice: null, catalogId: '3', priceListId: '1' }], subtotal: lineTotal, asOf: null },
  });

  it("tolerates half the minor unit of the answer's currency: half a yen for JPY (no decimals), half a cent for USD", () => {
    // The monolith's unrounded floats against the module's amounts rounded half-up.
    expect(compareResponses(monolith('JPY', 1699.15), module('JPY', '1699'), spec)).toMatchObject({ outcome: 'match', diffs: [] });
    expect(compareResponses(monolith('JPY', 1699.5), module('JPY', '1700'), spec).outcome).toBe('match');
    expect(compareResponses(monolith('USD', 16.994), module('USD', '16.99'), spec).outcome).toBe('match');
    // A real difference of one minor unit or more still mismatches, by path.
    const yen = compareResponses(monolith('JPY', 1698), module('JPY', '1699'), spec);
    expect(yen.outcome).toBe('mismatch');
    expect(yen.diffs.map((d) => d.path)).toEqual(['$.lines[0].unitPrice', '$.lines[0].lineTotal', '$.subtotal']);
    expect(compareResponses(monolith('USD', 1699.15), module('USD', '1699'), spec).outcome).toBe('mismatch');
    expect(compareResponses(monolith('USD', 16.98), module('USD', '16.99'), spec).outcome).toBe('mismatch');
  });
});
