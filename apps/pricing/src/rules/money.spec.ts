import { applyPercentage, divideHalfUp, formatMinor, minorDigits, parseDecimal, parseMoney, toMinor } from './money';

const decimal = (text: string) => parseDecimal(text)!;

describe('money', () => {
  it('knows the minor unit of each currency', () => {
    expect(minorDigits('JPY')).toBe(0);
    for (const currency of ['USD', 'CAD', 'EUR', 'GBP', 'AUD']) expect(minorDigits(currency)).toBe(2);
  });

  it('parses decimal strings exactly and refuses everything else', () => {
    expect(parseDecimal('19.99')).toEqual({ units: 1999n, scale: 2 });
    expect(parseDecimal('1500')).toEqual({ units: 1500n, scale: 0 });
    expect(parseDecimal('0.000001')).toEqual({ units: 1n, scale: 6 });
    for (const bad of ['', '-1', '+1', '1e3', '1.', '.5', ' 1', '1,5', 'NaN', '0x10']) expect(parseDecimal(bad)).toBeUndefined();
  });

  it('rounds half-up to the minor unit', () => {
    expect(divideHalfUp(5n, 10n)).toBe(1n);
    expect(divideHalfUp(4n, 10n)).toBe(0n);
    expect(divideHalfUp(15n, 10n)).toBe(2n);
    expect(toMinor(decimal('19.995'), 'USD')).toBe(2000n);
    expect(toMinor(decimal('19.994999'), 'USD')).toBe(1999n);
    expect(toMinor(decimal('19.5'), 'JPY')).toBe(20n);
    expect(toMinor(decimal('19.49'), 'JPY')).toBe(19n);
    expect(() => divideHalfUp(-1n, 2n)).toThrow(RangeError);
  });

  it('formats minor units in the major unit', () => {
    expect(formatMinor(1999n, 'USD')).toBe('19.99');
    expect(formatMinor(5n, 'USD')).toBe('0.05');
    expect(formatMinor(0n, 'EUR')).toBe('0.00');
    expect(formatMinor(1500n, 'JPY')).toBe('1500');
    expect(formatMinor(-5n, 'USD')).toBe('-0.05');
    expect(formatMinor(123456789012345678901234567890n, 'USD')).toBe('1234567890123456789012345678.90');
    expect(parseMoney(formatMinor(98765n, 'CAD'), 'CAD')).toBe(98765n);
  });

  it('applies a percentage exactly, rounding once', () => {
    // 19.99 × 0.9 = 17.991 → 17.99 (the monolith's float says 17.991000000000003)
    expect(applyPercentage(decimal('19.99'), { type: 'PERCENTAGE_DECREASE', value: '10' }, 'USD')).toBe(1799n);
    // 10.05 × 0.5 = 5.025 → 5.03 half-up (a float multiply gives 5.0249999…)
    expect(applyPercentage(decimal('10.05'), { type: 'PERCENTAGE_DECREASE', value: '50' }, 'USD')).toBe(503n);
    expect(applyPercentage(decimal('10'), { type: 'PERCENTAGE_INCREASE', value: '12.5' }, 'USD')).toBe(1125n);
    expect(applyPercentage(decimal('19.99'), { type: 'PERCENTAGE_DECREASE', value: '10' }, 'JPY')).toBe(18n);
    expect(applyPercentage(decimal('1999'), { type: 'PERCENTAGE_DECREASE', value: '15' }, 'JPY')).toBe(1699n); // 1699.15
    expect(applyPercentage(decimal('5'), { type: 'PERCENTAGE_DECREASE', value: '100' }, 'USD')).toBe(0n);
    expect(applyPercentage(decimal('5'), { type: 'PERCENTAGE_DECREASE', value: '150' }, 'USD')).toBe(0n);
    expect(applyPercentage(decimal('5'), { type: 'PERCENTAGE_DECREASE', value: '0' }, 'USD')).toBe(500n);
    expect(() => applyPercentage(decimal('5'), { type: 'PERCENTAGE_DECREASE', value: '1e2' }, 'USD')).toThrow(RangeError);
  });
});
