/**
 * Whether a delivery is recent enough to be one Shopify could still be
 * sending. Shopify retries a failed delivery 8 times over 4 hours, always
 * with the original payload and `X-Shopify-Triggered-At`; anything much older
 * can only be a replay of a captured delivery (the signature covers the body
 * alone, so its headers — ids, triggered-at — can be rewritten). The body's
 * own timestamp (`updated_at`, signed) is checked too, so rewriting the
 * triggered-at header does not make an old body new.
 */
export interface FreshnessPolicy {
  /** Oldest accepted delivery, from its triggered-at and its signed `updated_at`. */
  maxAgeMs: number;
  /** Slack for clocks: a triggered-at this far in the future still counts as now. */
  maxSkewMs: number;
}

export type Freshness = { fresh: true } | { fresh: false; reason: string };

export function deliveryFreshness(
  { triggeredAt, signedUpdatedAt }: { triggeredAt: string; signedUpdatedAt?: string | undefined },
  now: Date,
  { maxAgeMs, maxSkewMs }: FreshnessPolicy,
): Freshness {
  const oldest = now.getTime() - maxAgeMs;
  const triggered = Date.parse(triggeredAt);
  if (triggered > now.getTime() + maxSkewMs) {
    return { fresh: false, reason: `triggered-at ${triggeredAt} is in the future` };
  }
  if (triggered < oldest) {
    return { fresh: false, reason: `triggered-at ${triggeredAt} is older than ${maxAgeMs / 1000} s, past Shopify's retry window` };
  }
  if (signedUpdatedAt !== undefined) {
    const updated = Date.parse(signedUpdatedAt);
    if (Number.isFinite(updated) && updated < oldest - maxSkewMs) {
      return { fresh: false, reason: `the signed payload's updated_at ${signedUpdatedAt} is older than ${maxAgeMs / 1000} s` };
    }
  }
  return { fresh: true };
}
