/**
 * Whether a commit's `soldAt` (the sale's time on Shopify's clock) can be
 * true. It decides when the sold units stop counting (a Shopify level newer
 * than it settles them), so a wrong one is a stock error: one before the
 * reservation existed settles at once, against a level that cannot include
 * the sale (oversell); one in the future never settles (undersell until the
 * hold limit). Both are refused, with `maxSkewMs` of slack for the clocks.
 */
export function soldAtProblem(soldAt: Date, { reservedAt, now, maxSkewMs }: { reservedAt: Date; now: Date; maxSkewMs: number }): string | undefined {
  if (soldAt.getTime() < reservedAt.getTime() - maxSkewMs) {
    return `soldAt ${soldAt.toISOString()} is before the reservation was made (${reservedAt.toISOString()}); a sale cannot precede its hold`;
  }
  if (soldAt.getTime() > now.getTime() + maxSkewMs) {
    return `soldAt ${soldAt.toISOString()} is in the future (now ${now.toISOString()}, ${maxSkewMs / 1000} s of clock skew allowed)`;
  }
  return undefined;
}
