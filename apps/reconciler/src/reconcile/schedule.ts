/**
 * When the next scheduled incremental run is due: `intervalSeconds` after the
 * previous one was started (or at once, the first time). 0 turns the
 * schedule off. Pure, so the rule is tested without timers.
 */
export function nextScheduledAt(lastStartedAt: number | undefined, intervalSeconds: number): number | undefined {
  if (intervalSeconds <= 0) return undefined;
  return lastStartedAt === undefined ? 0 : lastStartedAt + intervalSeconds * 1000;
}

/** Domains that need the backfill: never fully reconciled. */
export function needsBackfill(lastFullAt: Date | null): boolean {
  return lastFullAt === null;
}
