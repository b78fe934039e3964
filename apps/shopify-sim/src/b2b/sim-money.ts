/**
 * The simulator's own money arithmetic for B2B prices (deliberately not
 * shared with apps/pricing: the simulator is the oracle the module is tested
 * against). The store keeps every amount in hundredths of the currency's major
 * unit ("cents", also for yen, where they are always whole yen); answers are
 * in the currency's minor unit, rounded half-up: JPY has none, the others two
 * digits. Percentages are taken to the thousandth of a percent.
 */

export function hasCents(currency: string): boolean {
  return currency !== 'JPY';
}

/** Integer division rounded half-up, for non-negative safe integers (checked, not trusted to floats). */
export function roundedDivision(numerator: number, denominator: number): number {
  let quotient = Math.floor(numerator / denominator);
  const remainder = () => numerator - quotient * denominator;
  while (remainder() < 0) quotient--;
  while (remainder() >= denominator) quotient++;
  return remainder() * 2 >= denominator ? quotient + 1 : quotient;
}

/** Stored cents as the currency's minor unit: cents stay cents, yen are rounded to whole yen. */
export function minorOfCents(cents: number, currency: string): number {
  return hasCents(currency) ? cents : roundedDivision(cents, 100);
}

/** A stored amount a currency can hold exactly: whole yen for JPY. */
export function centsOfWholeUnits(cents: number, currency: string): number {
  return hasCents(currency) ? cents : roundedDivision(cents, 100) * 100;
}

/** Minor units printed as Shopify prints a Decimal: "17.99", and "1500.0" for yen. */
export function printMinor(minor: number, currency: string): string {
  if (!hasCents(currency)) return `${minor}.0`;
  const whole = Math.floor(minor / 100);
  return `${whole}.${String(minor - whole * 100).padStart(2, '0')}`;
}

/** cents × (100 ∓ percent) / 100 in the currency's minor unit, rounded once. */
export function adjustedMinor(cents: number, adjustment: { type: 'PERCENTAGE_DECREASE' | 'PERCENTAGE_INCREASE'; value: number }, currency: string): number {
  const milli = Math.round(adjustment.value * 1000);
  const factor = adjustment.type === 'PERCENTAGE_DECREASE' ? 100_000 - milli : 100_000 + milli;
  if (factor <= 0) return 0;
  return roundedDivision(cents * factor, hasCents(currency) ? 100_000 : 10_000_000);
}

/** A decimal amount as stored cents; undefined when malformed, negative, too large or finer than the currency holds. */
export function parseCents(text: unknown, currency: string): number | undefined {
  const value = typeof text === 'number' ? String(text) : text;
  if (typeof value !== 'string') return undefined;
  const match = /^(\d{1,9})(?:\.(\d{1,2}))?$/.exec(value.replace(/^(\d+\.\d*?)0+$/, '$1').replace(/\.$/, ''));
  if (!match) return undefined;
  const cents = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
  return hasCents(currency) || cents % 100 === 0 ? cents : undefined;
}
