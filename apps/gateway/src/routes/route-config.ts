import { comparisonSpecSchema, pathPatternSchema } from '@understudy/comparison';
import { z } from 'zod';

/**
 * One gateway route's configuration, as stored in PostgreSQL and edited via
 * the admin API. Everything the router, the comparison and the guards need
 * is here and validated by this schema; no Nest, no I/O.
 */

/** Modes in the order a migration walks them (see bucketing.ts for what `shadowPercent` means in each). */
export const ROUTE_MODES = ['monolith', 'shadow', 'module-primary', 'module-only'] as const;
export const routeModeSchema = z.enum(ROUTE_MODES);
export type RouteMode = z.infer<typeof routeModeSchema>;

/** Sticky buckets per route; a percentage has a resolution of 0.01 (one bucket). */
export const BUCKET_COUNT = 10_000;

export const percentSchema = z
  .number()
  .min(0)
  .max(100)
  .refine((p) => Math.abs(p * 100 - Math.round(p * 100)) < 1e-6, { message: 'at most two decimals (one bucket is 0.01%)' });

const name = z.string().min(1).max(100).optional(); // a label for reports and per-segment stats
const idList = z.array(z.string().min(1).max(200)).min(1).max(10_000);

/** Who a route applies to. A request is in the route's audience when it matches any segment. */
export const segmentSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('shop'), name, domains: z.array(z.string().min(1).max(255)).min(1).max(1000) }),
  z.object({ type: z.literal('companyLocation'), name, ids: idList }),
  z.object({ type: z.literal('customer'), name, ids: idList }),
  z.object({ type: z.literal('customerTag'), name, tags: z.array(z.string().min(1).max(255)).min(1).max(100) }),
  z
    .object({
      type: z.literal('header'),
      name,
      header: z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'not an HTTP header name'),
      /** Exact value. */
      value: z.string().max(1000).optional(),
      /** JavaScript regex; admin input, kept short. */
      pattern: z
        .string()
        .min(1)
        .max(200)
        .refine((p) => compiles(p), { message: 'not a valid regular expression' })
        .optional(),
    })
    .refine((s) => (s.value === undefined) !== (s.pattern === undefined), { message: 'set exactly one of value, pattern' }),
  /** Carts whose cohort bucket (route-independent, see bucketing.ts) is in [from, to) out of 10,000. */
  z
    .object({
      type: z.literal('cartBucket'),
      name,
      from: z.int().min(0).max(BUCKET_COUNT),
      to: z.int().min(0).max(BUCKET_COUNT),
    })
    .refine((s) => s.from < s.to, { message: 'from must be below to', path: ['to'] }),
]);
export type Segment = z.infer<typeof segmentSchema>;

function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}

/** A ramp step; `monolith` is the floor below every ramp, not a step. `module-only` is all or nothing. */
export const rampStepSchema = z
  .object({ mode: z.enum(['shadow', 'module-primary', 'module-only']), percent: percentSchema })
  .refine((s) => s.mode !== 'module-only' || s.percent === 100, { message: 'module-only is always 100%', path: ['percent'] });
export interface RampStep {
  readonly mode: RouteMode;
  readonly percent: number;
}

export const MONOLITH_STEP: RampStep = { mode: 'monolith', percent: 0 };

export const DEFAULT_RAMP: readonly RampStep[] = [
  { mode: 'shadow', percent: 1 },
  { mode: 'shadow', percent: 10 },
  { mode: 'shadow', percent: 50 },
  { mode: 'shadow', percent: 100 },
  { mode: 'module-primary', percent: 1 },
  { mode: 'module-primary', percent: 10 },
  { mode: 'module-primary', percent: 50 },
  { mode: 'module-primary', percent: 100 },
  { mode: 'module-only', percent: 100 },
];

/** Orders steps along a migration: by mode, then by percent. */
export function compareSteps(a: RampStep, b: RampStep): number {
  return ROUTE_MODES.indexOf(a.mode) - ROUTE_MODES.indexOf(b.mode) || a.percent - b.percent;
}

export const guardsSchema = z.object({
  promotion: z
    .object({
      enabled: z.boolean().default(true),
      /** Distinct clients (sticky keys: carts, else customers; requests without either count as one) compared in the window; 10,000 is the least that can show a 99.99% match rate. */
      minSamples: z.int().min(1).default(10_000),
      windowSeconds: z.int().min(10).max(7 * 24 * 3600).default(3600),
      minMatchRate: z.number().min(0).max(1).default(0.9999),
      /** After any change the new step must run this long (on fresh stats) before it can be promoted. */
      cooldownSeconds: z.int().min(0).max(7 * 24 * 3600).default(300),
    })
    .prefault({}),
  rollback: z
    .object({
      enabled: z.boolean().default(true),
      /** Module calls (for error rate and p99) or comparisons (for mismatch rate) needed before acting. */
      minSamples: z.int().min(1).default(100),
      /** Short on purpose: a regression must roll back within seconds, not be averaged away by an hour of good traffic. */
      windowSeconds: z.int().min(5).max(3600).default(60),
      maxErrorRate: z.number().min(0).max(1).default(0.01),
      maxMismatchRate: z.number().min(0).max(1).default(0.01),
      maxP99Ms: z.number().positive().default(1000),
    })
    .prefault({}),
});
export type Guards = z.infer<typeof guardsSchema>;

/**
 * Noise detection: for a sample of requests the primary upstream is called a
 * second time (with the shadow header, so a write is a dry run) and the two
 * answers are fed to a `NoiseLearner`; the paths it learns are merged into
 * the comparison's ignore list on that replica.
 */
export const noiseDetectionSchema = z
  .object({
    enabled: z.boolean().default(false),
    /** Share of served requests that get the second primary call. */
    sampleRate: z.number().min(0).max(1).default(0.01),
    /** Learner thresholds (see NoiseLearner). */
    minObservations: z.int().min(1).max(1_000_000).default(20),
    minDifferences: z.int().min(1).max(1_000_000).default(5),
    minRatio: z.number().min(0).max(1).default(0.25),
    /**
     * Paths a person rejected as noise (`POST /admin/routes/{name}/noise/reject`): no replica's
     * learner learns them and no comparison ignores them, so their differences count as mismatches.
     */
    rejected: z.array(pathPatternSchema).max(500).default([]),
  })
  .prefault({});
export type NoiseDetection = z.infer<typeof noiseDetectionSchema>;

/**
 * How the module receives the cart token: `none` passes it as is;
 * `legacy-cart-token` verifies the monolith's signed `lm1.…` token and sends
 * the plain cart id (a token that fails verification is never sent to the module).
 */
export const TOKEN_MIGRATIONS = ['none', 'legacy-cart-token'] as const;
export const tokenMigrationSchema = z.enum(TOKEN_MIGRATIONS);
export type TokenMigration = z.infer<typeof tokenMigrationSchema>;

export const routeConfigSchema = z.object({
  /** `<domain>.<operation>`, e.g. `inventory.check`; also the bucketing salt, so renaming a route reshuffles its carts. */
  name: z.string().regex(/^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/, 'expected <domain>.<operation>, e.g. inventory.check').max(100),
  mode: routeModeSchema.default('monolith'),
  shadowPercent: percentSchema.default(0),
  /** Empty: every request. Otherwise a request matching none of them is served as if the mode were `monolith`. */
  segments: z.array(segmentSchema).max(100).default([]),
  comparison: comparisonSpecSchema.prefault({}),
  timeouts: z
    .object({
      primaryMs: z.int().min(1).max(60_000).default(5000),
      shadowMs: z.int().min(1).max(60_000).default(2000),
    })
    .prefault({}),
  ramp: z
    .array(rampStepSchema)
    .min(1)
    .max(50)
    .refine((steps) => steps.every((s, i) => i === 0 || compareSteps(steps[i - 1]!, s) < 0), {
      message: 'steps must strictly advance: by mode (shadow, module-primary, module-only), then by percent',
    })
    .default(() => DEFAULT_RAMP.map((s) => ({ ...s })) as Array<z.infer<typeof rampStepSchema>>),
  guards: guardsSchema.prefault({}),
  noise: noiseDetectionSchema,
  tokenMigration: tokenMigrationSchema.default('none'),
  /** A frozen route is never changed by the guards; only by hand. */
  frozen: z.boolean().default(false),
  /** Bumped on every change; writers send the version they read (optimistic concurrency). */
  version: z.int().min(0).default(0),
});

export type RouteConfig = z.infer<typeof routeConfigSchema>;
export type RouteConfigInput = z.input<typeof routeConfigSchema>;

/** The route moved to `step`: mode and percentage, nothing else. */
export function withStep<T extends Pick<RouteConfig, 'mode' | 'shadowPercent'>>(route: T, step: RampStep): T {
  const shadowPercent = step.mode === 'monolith' ? 0 : step.mode === 'module-only' ? 100 : step.percent;
  return { ...route, mode: step.mode, shadowPercent };
}

/** The step a route is on now: `shadowPercent` is meaningless for `monolith` (0) and `module-only` (100). */
export function currentStep(route: Pick<RouteConfig, 'mode' | 'shadowPercent'>): RampStep {
  if (route.mode === 'monolith') return MONOLITH_STEP;
  if (route.mode === 'module-only') return { mode: 'module-only', percent: 100 };
  return { mode: route.mode, percent: route.shadowPercent };
}
