import { minorUnitDigits } from '@understudy/contracts';

/**
 * Exact money. Amounts are integers of the currency's minor unit (bigint),
 * parsed from and printed as decimal strings; a binary float never holds a
 * price. Rounding is half-up (away from zero for the non-negative amounts
 * prices are) to the minor unit: JPY has no minor unit, the others two
 * digits. Shopify does not document its rounding of adjusted prices; this is
 * our decision, and the simulator makes the same one with its own code.
 */

/** Digits after the decimal point in the currency's minor unit (the table lives in libs/contracts: `CURRENCY_MINOR_DIGITS`). */
export const minorDigits = minorUnitDigits;

/** A non-negative decimal, exactly: `units / 10^scale`. */
export interface Decimal {
  units: bigint;
  scale: number;
}

const DECIMAL = /^(\d{1,18})(?:\.(\d{1,12}))?$/;

/** Parses "19.99", "0.5", "1500" exactly; undefined for anything else (signs, exponents, blanks). */
export function parseDecimal(text: string): Decimal | undefined {
  const match = DECIMAL.exec(text);
  if (!match) return undefined;
  const fraction = match[2] ?? '';
  return { units: BigInt(match[1]! + fraction), scale: fraction.length };
}

export function pow10(exponent: number): bigint {
  return 10n ** BigInt(exponent);
}

/** `numerator / denominator` rounded half-up; both non-negative, denominator positive. */
export function divideHalfUp(numerator: bigint, denominator: bigint): bigint {
  if (numerator < 0n || denominator <= 0n) throw new RangeError('divideHalfUp takes a non-negative numerator and a positive denominator');
  return (numerator * 2n + denominator) / (denominator * 2n);
}

/** A decimal amount in the currency's minor unit, rounded half-up when it has more digits than the currency. */
export function toMinor(amount: Decimal, currency: string): bigint {
  return divideHalfUp(amount.units * pow10(minorDigits(currency)), pow10(amount.scale));
}

/** Parses a decimal string straight to minor units; throws on a malformed one (edges validate first). */
export function parseMoney(text: string, currency: string): bigint {
  const amount = parseDecimal(text);
  if (!amount) throw new RangeError(`not a decimal amount: ${JSON.stringify(text)}`);
  return toMinor(amount, currency);
}

/** Minor units as the decimal string in the major unit: 1999n USD → "19.99", 1500n JPY → "1500". */
export function formatMinor(minor: bigint, currency: string): string {
  const digits = minorDigits(currency);
  const negative = minor < 0n;
  const text = (negative ? -minor : minor).toString().padStart(digits + 1, '0');
  const body = digits === 0 ? text : `${text.slice(0, -digits)}.${text.slice(-digits)}`;
  return negative ? `-${body}` : body;
}

export type AdjustmentType = 'PERCENTAGE_DECREASE' | 'PERCENTAGE_INCREASE';

export interface PercentageAdjustment {
  type: AdjustmentType;
  /** The percentage as a decimal string, e.g. "12.5" for 12.5 %. */
  value: string;
}

/**
 * `amount × (100 ∓ value) / 100`, computed exactly and rounded once, half-up,
 * to the currency's minor unit. A decrease past 100 % gives zero, never a
 * negative price.
 */
export function applyPercentage(amount: Decimal, adjustment: PercentageAdjustment, currency: string): bigint {
  const percent = parseDecimal(adjustment.value);
  if (!percent) throw new RangeError(`not a percentage: ${JSON.stringify(adjustment.value)}`);
  const hundred = 100n * pow10(percent.scale);
  const factor = adjustment.type === 'PERCENTAGE_DECREASE' ? hundred - percent.units : hundred + percent.units;
  if (factor <= 0n) return 0n;
  return divideHalfUp(amount.units * factor * pow10(minorDigits(currency)), pow10(amount.scale) * hundred);
}
