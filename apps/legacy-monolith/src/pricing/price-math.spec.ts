import { quoteLine, subtotal, unitPrice } from './price-math';

const list = { priceListId: '1', currency: 'USD', adjustmentType: 'PERCENTAGE_DECREASE', adjustmentValue: 10 };

describe('monolith price math (floating point on purpose)', () => {
  it('uses the base price without a price list', () => {
    expect(unitPrice(19.99, 3)).toEqual({ unitPrice: 19.99, source: 'base' });
  });

  it('applies the percentage adjustment unrounded', () => {
    expect(unitPrice(19.99, 1, list)).toEqual({ unitPrice: 19.99 * 0.9, source: 'adjusted' });
    expect(unitPrice(19.99, 1, list).unitPrice).not.toBe(17.99);
    expect(unitPrice(10, 1, { ...list, adjustmentType: 'PERCENTAGE_INCREASE', adjustmentValue: 5 }).unitPrice).toBeCloseTo(10.5, 10);
  });

  it('prefers a fixed price, and the highest quantity break reached', () => {
    const fixed = { price: 15, breaks: [{ minimumQuantity: 50, price: 13 }, { minimumQuantity: 10, price: 14 }] };
    expect(unitPrice(19.99, 9, list, fixed)).toEqual({ unitPrice: 15, source: 'fixed' });
    expect(unitPrice(19.99, 10, list, fixed)).toEqual({ unitPrice: 14, source: 'quantity_break' });
    expect(unitPrice(19.99, 60, list, fixed)).toEqual({ unitPrice: 13, source: 'quantity_break' });
  });

  it('multiplies and sums in floats, ids as numbers', () => {
    const line = quoteLine('45100000000001', 7, 19.99);
    expect(line).toEqual({ variantId: 45100000000001, quantity: 7, unitPrice: 19.99, lineTotal: 19.99 * 7, source: 'base' });
    expect(line.lineTotal).not.toBe(139.93); // 139.92999999999998
    expect(subtotal([line, quoteLine('2', 1, 0.1), quoteLine('3', 1, 0.2)])).toBe(19.99 * 7 + 0.1 + 0.2);
  });
});
