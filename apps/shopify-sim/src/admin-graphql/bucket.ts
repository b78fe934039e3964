/**
 * Shopify's leaky bucket for calculated query cost, one per shop + app
 * (access token). The bucket refills continuously at `restoreRate` points per
 * second up to `maximumAvailable`; a query runs only if its requested cost is
 * available now, is charged that cost up front, and is refunded the
 * difference to its actual cost afterwards.
 */
export interface ThrottleLimits {
  restoreRate: number;
  maximumAvailable: number;
}

export const PLAN_PRESETS = {
  standard: { restoreRate: 100, maximumAvailable: 2_000 },
  advanced: { restoreRate: 200, maximumAvailable: 4_000 },
  plus: { restoreRate: 1_000, maximumAvailable: 20_000 },
  enterprise: { restoreRate: 2_000, maximumAvailable: 40_000 },
} as const satisfies Record<string, ThrottleLimits>;

export type PlanName = keyof typeof PLAN_PRESETS;

export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

export class LeakyBucket {
  private available: number;
  private updatedAt: number;

  constructor(
    private limits: ThrottleLimits,
    private readonly now: () => number = Date.now,
  ) {
    this.available = limits.maximumAvailable;
    this.updatedAt = now();
  }

  /** Points available at this instant (refill applied). */
  current(): number {
    const now = this.now();
    const elapsedSeconds = Math.max(0, now - this.updatedAt) / 1000;
    this.available = Math.min(this.limits.maximumAvailable, this.available + elapsedSeconds * this.limits.restoreRate);
    this.updatedAt = now;
    return this.available;
  }

  /** Charges `cost` if that much is available; otherwise charges nothing and says so. */
  tryTake(cost: number): boolean {
    if (this.current() < cost) return false;
    this.available -= cost;
    return true;
  }

  refund(points: number): void {
    this.current();
    this.available = Math.min(this.limits.maximumAvailable, this.available + Math.max(0, points));
  }

  status(): ThrottleStatus {
    return {
      maximumAvailable: this.limits.maximumAvailable,
      currentlyAvailable: Math.floor(this.current()),
      restoreRate: this.limits.restoreRate,
    };
  }

  reconfigure(limits: ThrottleLimits, currentlyAvailable?: number): void {
    this.current();
    this.limits = limits;
    this.available = Math.min(limits.maximumAvailable, currentlyAvailable ?? this.available);
  }
}

/** One bucket per shop + access token, created on first use with the shop's current limits. */
export class Throttles {
  private readonly buckets = new Map<string, LeakyBucket>();
  private readonly limitsByShop = new Map<string, ThrottleLimits>();

  constructor(
    private defaultLimits: ThrottleLimits,
    private readonly now: () => number = Date.now,
  ) {}

  bucket(shop: string, token: string): LeakyBucket {
    const key = `${shop}\u0000${token}`;
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = new LeakyBucket(this.limits(shop), this.now);
      this.buckets.set(key, bucket);
    }
    return bucket;
  }

  limits(shop: string): ThrottleLimits {
    return this.limitsByShop.get(shop) ?? this.defaultLimits;
  }

  /** Changes a shop's limits (or every shop's, without one); existing buckets keep their level, capped. */
  configure(limits: ThrottleLimits, options: { shop?: string; currentlyAvailable?: number } = {}): void {
    if (options.shop) this.limitsByShop.set(options.shop, limits);
    else {
      this.defaultLimits = limits;
      this.limitsByShop.clear();
    }
    for (const [key, bucket] of this.buckets) {
      if (!options.shop || key.startsWith(`${options.shop}\u0000`)) bucket.reconfigure(limits, options.currentlyAvailable);
    }
  }

  clear(): void {
    this.buckets.clear();
  }
}
