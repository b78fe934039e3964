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
