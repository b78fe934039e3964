import type { ComparisonOutcome } from '@understudy/comparison';
import { z } from 'zod';

/**
 * Window figures as plain JSON: what a window's `snapshot()` summarises, and
 * what replicas publish so that figures from several of them can be summed
 * (`summarizeWindows`) — percentiles cannot be averaged, bucket counts can.
 * The schemas are the one definition; the types are inferred from them, so
 * what a replica reads from Redis is checked against the same shape it writes.
 */

/** A comparison's outcome, or `skipped` when a due shadow call was not made. */
export const RECORDED_OUTCOMES = ['match', 'mismatch', 'error', 'timeout', 'skipped'] as const satisfies ReadonlyArray<ComparisonOutcome | 'skipped'>;
export type RecordedOutcome = (typeof RECORDED_OUTCOMES)[number];

const count = z.number().int().min(0);

export const outcomeCountsSchema = z.object({ match: count, mismatch: count, error: count, timeout: count, skipped: count });
export type OutcomeCounts = z.infer<typeof outcomeCountsSchema>;

/** A histogram as plain data: `[bucket, count]` for the non-empty buckets, and the largest value seen. */
export const portableHistogramSchema = z.object({ buckets: z.array(z.tuple([count, count])).max(1_000), max: z.number().min(0) });
export type PortableHistogram = z.infer<typeof portableHistogramSchema>;

export const mismatchExampleSchema = z.object({
  at: z.number(),
  path: z.string(),
  /** A `ComparisonDiff` kind (`changed`, `missing`, …); kept as a string so figures from other code stay readable. */
  kind: z.string(),
  primary: z.string().optional(),
  shadow: z.string().optional(),
});
export type MismatchExample = z.infer<typeof mismatchExampleSchema>;

export const portableWindowSchema = z.object({
  /** Start of the oldest slice included, and the time of the export. */
  from: z.number(),
  to: z.number(),
  /** When these stats started (creation or last reset): the current ramp step's first moment. */
  since: z.number(),
  counts: outcomeCountsSchema,
  moduleCalls: count,
  moduleFailures: count,
  /** Path hits not tabulated because a slice's path table was full. */
  untrackedPathHits: count,
  latency: z.object({ primary: portableHistogramSchema, shadow: portableHistogramSchema, module: portableHistogramSchema }),
  /** Mismatching requests by generalised path. */
  paths: z.record(z.string(), count),
  /** The latest few examples per path, oldest first. */
  examples: z.record(z.string(), z.array(mismatchExampleSchema).max(100)),
  /** Distinct clients (HyperLogLog registers, base64) compared, and those with any non-matching comparison; only in windows that count them. */
  clients: z.object({ compared: z.string().max(4_096), unmatched: z.string().max(4_096) }).optional(),
});
export type PortableWindow = z.infer<typeof portableWindowSchema>;

/** One route's report figures: its promotion window overall and by segment. */
export const portableRouteStatsSchema = z.object({ overall: portableWindowSchema, segments: z.record(z.string(), portableWindowSchema) });
export type PortableRouteStats = z.infer<typeof portableRouteStatsSchema>;

export function emptyCounts(): OutcomeCounts {
  return { match: 0, mismatch: 0, error: 0, timeout: 0, skipped: 0 };
}
