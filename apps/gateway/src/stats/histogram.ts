import type { PortableHistogram } from './portable';

export interface LatencySummary {
  readonly count: number;
  /** Milliseconds; estimates from log-spaced buckets (±7%), never above the largest value seen. Undefined without samples. */
  readonly p50: number | undefined;
  readonly p95: number | undefined;
  readonly p99: number | undefined;
  readonly max: number | undefined;
}

// Log-spaced latency buckets: 5 per doubling from 0.1 ms; the last one takes everything above ~105 s.
const BUCKETS_PER_DOUBLING = 5;
const MIN_MS = 0.1;
const HISTOGRAM_SIZE = 102;

function latencyBucket(ms: number): number {
  if (ms <= MIN_MS) return 0;
  return Math.min(HISTOGRAM_SIZE - 1, Math.ceil(Math.log2(ms / MIN_MS) * BUCKETS_PER_DOUBLING));
}

function bucketUpperBound(bucket: number): number {
  return MIN_MS * 2 ** (bucket / BUCKETS_PER_DOUBLING);
}

/** A latency histogram with fixed log-spaced buckets: mergeable (across slices and replicas), bounded in memory. */
export class Histogram {
  readonly counts = new Uint32Array(HISTOGRAM_SIZE);
  total = 0;
  max = 0;

  add(ms: number): void {
    this.counts[latencyBucket(ms)]! += 1;
    this.total += 1;
    if (ms > this.max) this.max = ms;
  }

  merge(other: Histogram): void {
    for (let i = 0; i < HISTOGRAM_SIZE; i += 1) this.counts[i]! += other.counts[i]!;
    this.total += other.total;
    if (other.max > this.max) this.max = other.max;
  }

  clear(): void {
    this.counts.fill(0);
    this.total = 0;
    this.max = 0;
  }

  toPortable(): PortableHistogram {
    const buckets: Array<[number, number]> = [];
    for (let i = 0; i < HISTOGRAM_SIZE; i += 1) if (this.counts[i]! > 0) buckets.push([i, this.counts[i]!]);
    return { buckets, max: this.max };
  }

  /** Adds a portable histogram's counts; bucket indexes outside this layout are ignored (a replica on other code). */
  mergePortable(other: PortableHistogram): void {
    for (const [bucket, count] of other.buckets) {
      if (!Number.isInteger(bucket) || bucket < 0 || bucket >= HISTOGRAM_SIZE || !(count > 0)) continue;
      this.counts[bucket]! += count;
      this.total += count;
    }
    if (other.max > this.max) this.max = other.max;
  }

  summary(): LatencySummary {
    if (this.total === 0) return { count: 0, p50: undefined, p95: undefined, p99: undefined, max: undefined };
    return { count: this.total, p50: this.quantile(0.5), p95: this.quantile(0.95), p99: this.quantile(0.99), max: this.max };
  }

  private quantile(q: number): number {
    const rank = Math.max(1, Math.ceil(q * this.total));
    let seen = 0;
    for (let i = 0; i < HISTOGRAM_SIZE; i += 1) {
      seen += this.counts[i]!;
      // The last bucket is open-ended: the max seen is the only honest upper bound.
      if (seen >= rank) return i === HISTOGRAM_SIZE - 1 ? this.max : Math.min(bucketUpperBound(i), this.max);
    }
    return this.max;
  }
}
