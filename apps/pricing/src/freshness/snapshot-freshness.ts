import type { DependencyProbe } from '@understudy/health';

/**
 * How old the newest B2B snapshot in the projection is. Shopify sends no
 * webhooks for price lists, catalogs or quantity rules, so only the
 * reconciler's runs refresh them: past `maxAgeSeconds` quotes may be out of
 * date, and readiness says so (degraded, still ready — a stale price beats
 * no price, and the gateway's fallback decides what to do about it).
 */
export class SnapshotFreshness {
  private newest: number | null = null;
  private lastError: string | null = null;

  constructor(
    readonly maxAgeSeconds: number,
    private readonly now: () => number = Date.now,
  ) {}

  record(newestAsOf: Date | null): void {
    this.newest = newestAsOf === null ? null : newestAsOf.getTime();
    this.lastError = null;
  }

  recordFailure(error: unknown): void {
    this.lastError = error instanceof Error ? error.message : String(error);
  }

  /** Seconds since the newest snapshot; null before the first one. */
  ageSeconds(): number | null {
    return this.newest === null ? null : Math.max(0, (this.now() - this.newest) / 1000);
  }

  /** Readiness entry: up with the age, or (non-critical) degraded when there is none or it is too old. */
  probe(): DependencyProbe {
    return {
      name: 'b2b-snapshot',
      critical: false,
      check: async () => {
        if (this.lastError !== null) throw new Error(`snapshot age unknown: ${this.lastError}`);
        const age = this.ageSeconds();
        if (age === null) throw new Error('no B2B snapshot yet: company locations are priced at the variant price until the reconciler runs');
        if (age > this.maxAgeSeconds) throw new Error(`newest B2B snapshot is ${Math.round(age)} s old (limit ${this.maxAgeSeconds} s)`);
        return { ageSeconds: Math.round(age), maxAgeSeconds: this.maxAgeSeconds };
      },
    };
  }
}
