import { z } from 'zod';
import { parsePathPattern } from './path';

/**
 * How two responses to the same request are compared. Everything is
 * declarative (no code, no regexes) so a spec can live in PostgreSQL, be
 * edited through the admin API and be validated with this schema on the way
 * in. See `path.ts` for the path pattern grammar.
 */

export const pathPatternSchema = z
  .string()
  .min(1)
  .max(1000)
  .superRefine((value, ctx) => {
    try {
      parsePathPattern(value);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : 'invalid path' });
    }
  });

const toleranceShape = {
  /** Equal when |a − b| ≤ absolute; for money, half the minor unit (0.005 for EUR) absorbs rounding. */
  absolute: z.number().nonnegative().finite().optional(),
  /** Equal when |a − b| ≤ relative × max(|a|, |b|). */
  relative: z.number().nonnegative().max(1).optional(),
};
const hasABound = [
  (t: { absolute?: number | undefined; relative?: number | undefined }) => t.absolute !== undefined || t.relative !== undefined,
  { message: 'set absolute, relative or both' },
] as const;

/**
 * Money in a currency the body names: the absolute bound of the body's
 * currency replaces `absolute` (half a yen for JPY where half a cent suits
 * USD). The currency is read from `field`, a top-level string field of the
 * primary's body (else the shadow's); a body without one, or a currency not
 * listed, keeps `absolute`.
 */
export const currencyToleranceSchema = z.object({
  field: z.string().min(1).max(200),
  absolute: z.record(z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code'), z.number().nonnegative().finite()),
});

export const toleranceSchema = z.object(toleranceShape).refine(...hasABound);
export const toleranceRuleSchema = z.object({ path: pathPatternSchema, ...toleranceShape, byCurrency: currencyToleranceSchema.optional() }).refine(...hasABound);

export const TRANSFORM_OPS = ['lowercase', 'uppercase', 'trim', 'toNumber', 'toString', 'sortArray', 'dropNulls'] as const;
export const MAX_ROUND_DIGITS = 12;


const ROUND = /^round:(\d{1,2})$/;

export const transformOpSchema = z.union([
  z.enum(TRANSFORM_OPS),
  z
    .templateLiteral(['round:', z.int()])
    .refine((op) => ROUND.test(op) && Number(op.slice('round:'.length)) <= MAX_ROUND_DIGITS, {
      message: `round takes 0 to ${MAX_ROUND_DIGITS} digits`,
    }),
]);

export const comparisonSpecSchema = z.object({
  /** Subtrees left out of the comparison (timestamps, request ids, anything the modules may legitimately differ on). */
  ignore: z.array(pathPatternSchema).max(500).default([]),
  /** Numeric tolerance by path; the first matching rule wins, then `defaultTolerance`. */
  tolerance: z.array(toleranceRuleSchema).max(200).default([]),
  /** Tolerance for numbers no rule covers; unset means exact (up to float noise on non-integers). */
  defaultTolerance: toleranceSchema.optional(),
  /** Arrays compared order-insensitively: matched by `key` (a field of each element), or by whole value without one. */
  arraysAsSets: z
    .array(z.object({ path: pathPatternSchema, key: z.string().min(1).max(200).optional() }))
    .max(200)
    .default([]),
  /** Normalisation applied to both sides before comparing; every matching transform runs, in order. */
  transforms: z.array(z.object({ path: pathPatternSchema, op: transformOpSchema })).max(200).default([]),
  compareStatus: z.boolean().default(true),
  /** Diffs kept in a result; the rest are only counted (`omittedDiffs`). */
  maxDiffs: z.int().min(1).max(1000).default(20),
  /** Each value in a diff is rendered as JSON and cut at this many characters. */
  maxValueLength: z.int().min(8).max(10_000).default(200),
  /** A body larger than this (either side) is not compared: outcome `error`, reason `too_large`. */
  maxBodyBytes: z.int().min(1).max(64 * 1024 * 1024).default(1024 * 1024),
});

export type ComparisonSpec = z.infer<typeof comparisonSpecSchema>;
export type ComparisonSpecInput = z.input<typeof comparisonSpecSchema>;
export type Tolerance = z.infer<typeof toleranceSchema> & { byCurrency?: z.infer<typeof currencyToleranceSchema> | undefined };
/** `round:<digits>` rounds numbers to that many decimals; the others are named in TRANSFORM_OPS. */
export type TransformOp = z.infer<typeof transformOpSchema>;

/** The spec with extra ignored paths, e.g. `NoiseLearner.noisyPaths()`; duplicates are dropped. */
export function withIgnoredPaths(spec: ComparisonSpecInput, paths: readonly string[]): ComparisonSpecInput {
  const ignore = [...(spec.ignore ?? [])];
  for (const path of paths) if (!ignore.includes(path)) ignore.push(path);
  return { ...spec, ignore };
}
