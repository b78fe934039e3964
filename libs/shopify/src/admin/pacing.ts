/**
 * Cost pacing for the Admin GraphQL API, as pure functions.
 *
 * Shopify reports its leaky bucket after every call
 * (`extensions.cost.throttleStatus`). The client keeps the latest report as a
 * snapshot, projects it forward at `restoreRate`, subtracts what it has sent
 * since, and waits until the next call's requested cost fits. That is the
 * whole trick to "no THROTTLED, ever" while still spending the restore rate:
 * Shopify only refuses a call whose requested cost is not available, and the
 * client never sends one.
 */
export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

export interface QueryCost {
  requestedQueryCost: number;
  actualQueryCost: number | null;
  throttleStatus: ThrottleStatus;
}

export interface BucketSnapshot {
  status: ThrottleStatus;
  /** When the snapshot was taken (client clock, ms). Using receipt time errs on the safe side. */
  at: number;
}

/** Points available at `now` according to the snapshot, before subtracting anything sent since. */
export function projectAvailable(snapshot: BucketSnapshot, now: number): number {
  const elapsedSeconds = Math.max(0, now - snapshot.at) / 1000;
  return Math.min(snapshot.status.maximumAvailable, snapshot.status.currentlyAvailable + elapsedSeconds * snapshot.status.restoreRate);
}

/**
 * How long to wait before sending a call that requests `cost` points, given
 * `outstanding` points already sent since the snapshot (in flight, not yet
 * reported). `margin` keeps a few points spare for clock jitter.
 * Returns 0 when the call can go now.
 */
export function delayBeforeSend(snapshot: BucketSnapshot | undefined, now: number, cost: number, outstanding = 0, margin = 0): number {
  if (!snapshot) return 0;
  const needed = Math.min(cost + margin, snapshot.status.maximumAvailable);
  const available = projectAvailable(snapshot, now) - outstanding;
  if (available >= needed) return 0;
  return Math.ceil(((needed - available) / snapshot.status.restoreRate) * 1000);
}

/** After THROTTLED: wait until the requested cost is restored (plus margin), never less than `minimumMs`. */
export function delayAfterThrottle(cost: QueryCost, margin = 0, minimumMs = 0): number {
  const { currentlyAvailable, restoreRate, maximumAvailable } = cost.throttleStatus;
  const needed = Math.min(cost.requestedQueryCost + margin, maximumAvailable);
  const missing = Math.max(0, needed - currentlyAvailable);
  return Math.max(minimumMs, Math.ceil((missing / restoreRate) * 1000));
}

/** Share of the restore-rate budget used: points spent / (restoreRate × seconds). */
export function budgetUse(pointsSpent: number, restoreRate: number, elapsedMs: number): number {
  if (elapsedMs <= 0 || restoreRate <= 0) return 0;
  return pointsSpent / (restoreRate * (elapsedMs / 1000));
}

/** Chooses the snapshot to keep: the report of the most recently *sent* call wins, as it saw the most charges. */
export function newerSnapshot(
  current: { snapshot: BucketSnapshot; sequence: number } | undefined,
  candidate: { snapshot: BucketSnapshot; sequence: number },
): { snapshot: BucketSnapshot; sequence: number } {
  return !current || candidate.sequence >= current.sequence ? candidate : current;
}

/**
 * A caller's own share of the shop's budget. Shopify's bucket is per app and
 * shop, so a service that paces only to the bucket would take all of it and
 * leave other callers (the monolith, webhook-ingest) throttled. The share is a
 * second, private leaky bucket: `share × maximumAvailable` deep, refilled at
 * `share × restoreRate`, charged with each call's requested cost and refunded
 * the difference to its actual cost. Its parameters follow what Shopify
 * reports, so a plan change needs no configuration.
 */
export interface ShareBucket {
  share: number;
  /** Points in the private bucket at `at` (ms); starts full. */
  tokens: number | undefined;
  at: number;
}

export function newShareBucket(share: number): ShareBucket {
  if (!(share > 0 && share <= 1)) throw new Error(`budget share must be in (0, 1], got ${share}`);
  return { share, tokens: undefined, at: 0 };
}

function shareLimits(bucket: ShareBucket, status: ThrottleStatus): { depth: number; rate: number } {
  return { depth: bucket.share * status.maximumAvailable, rate: bucket.share * status.restoreRate };
}

/** Tokens in the share bucket at `now`. */
export function shareTokens(bucket: ShareBucket, status: ThrottleStatus, now: number): number {
  const { depth, rate } = shareLimits(bucket, status);
  if (bucket.tokens === undefined) return depth;
  return Math.min(depth, bucket.tokens + (Math.max(0, now - bucket.at) / 1000) * rate);
}

/** How long before a call of `cost` fits the share (0: now). A cost deeper than the share waits for a full share. */
export function delayForShare(bucket: ShareBucket, status: ThrottleStatus | undefined, now: number, cost: number): number {
  if (!status || bucket.share >= 1) return 0;
  const { depth, rate } = shareLimits(bucket, status);
  const needed = Math.min(cost, depth);
  const tokens = shareTokens(bucket, status, now);
  return tokens >= needed ? 0 : Math.ceil(((needed - tokens) / rate) * 1000);
}

/** Charges `points` (negative: a refund) to the share at `now`. */
export function chargeShare(bucket: ShareBucket, status: ThrottleStatus | undefined, now: number, points: number): void {
  if (!status) return;
  const { depth } = shareLimits(bucket, status);
  bucket.tokens = Math.min(depth, shareTokens(bucket, status, now) - points);
  bucket.at = now;
}
