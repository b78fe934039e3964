import { NaturalBatcher } from '@understudy/concurrency';
import type { ComparisonDiff } from '@understudy/comparison';

export interface DiffSample {
  readonly route: string;
  readonly segment: string | undefined;
  readonly at: Date;
  readonly requestId: string;
  readonly replica: string;
  readonly outcome: 'mismatch' | 'error' | 'timeout';
  readonly reason: string | undefined;
  readonly primaryUpstream: 'monolith' | 'module';
  readonly primaryStatus: number | undefined;
  readonly shadowStatus: number | undefined;
  readonly diffs: readonly ComparisonDiff[];
  readonly omittedDiffs: number;
}

export interface DiffRecorderOptions {
  /** Samples kept per route per second (token bucket, burst of the same size). */
  readonly perSecond: number;
  /** Samples waiting for PostgreSQL at most; past it new ones are dropped. */
  readonly maxQueued: number;
  readonly now: () => number;
  readonly onResult?: (result: 'written' | 'rate_limited' | 'dropped') => void;
}

/**
 * Sampled mismatch examples on their way to PostgreSQL: rate-limited per
 * route, batched (natural batching: one INSERT per round trip), bounded in
 * memory. Writing is best effort — when PostgreSQL is down, samples are
 * dropped and counted; the in-memory report still has recent examples.
 */
export class DiffRecorder {
  private readonly batcher: NaturalBatcher<DiffSample, undefined>;
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    write: (samples: DiffSample[]) => Promise<void>,
    private readonly options: DiffRecorderOptions,
  ) {
    this.batcher = new NaturalBatcher<DiffSample, undefined>(
      async (samples) => {
        await write(samples);
        return samples.map(() => undefined);
      },
      { maxBatchSize: 500, maxQueued: options.maxQueued },
    );
  }

  offer(sample: DiffSample): void {
    if (!this.take(sample.route)) {
      this.options.onResult?.('rate_limited');
      return;
    }
    this.batcher.submit(sample).then(
      () => this.options.onResult?.('written'),
      () => this.options.onResult?.('dropped'),
    );
  }

  close(): Promise<void> {
    return this.batcher.close();
  }

  private take(route: string): boolean {
    const rate = this.options.perSecond;
    if (rate <= 0) return false;
    const now = this.options.now();
    const burst = Math.max(1, rate);
    const bucket = this.buckets.get(route) ?? { tokens: burst, at: now };
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * rate);
    bucket.at = now;
    this.buckets.set(route, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}
