import { z } from 'zod';
import { DOMAIN_NAMES } from '../../domains/registry';

export const startRunSchema = z.strictObject({
  domains: z.array(z.enum(DOMAIN_NAMES)).min(1).max(DOMAIN_NAMES.length),
  mode: z.enum(['full', 'incremental']),
  dryRun: z.boolean().default(false),
});
export type StartRunRequest = z.infer<typeof startRunSchema>;

export const listRunsSchema = z.object({ limit: z.coerce.number().int().min(1).max(200).default(20) });
export type ListRunsQuery = z.infer<typeof listRunsSchema>;

export const runIdSchema = z.uuid({ message: 'must be a run id (a UUID)' });

const counts = z.object({ missing: z.number().int(), stale: z.number().int(), extra: z.number().int(), mismatch: z.number().int() });

export const runSchema = z.object({
  id: z.string(),
  domains: z.array(z.string()),
  mode: z.enum(['full', 'incremental']),
  dryRun: z.boolean(),
  trigger: z.enum(['api', 'schedule', 'startup']),
  state: z.enum(['running', 'succeeded', 'failed']),
  progress: z.object({ phase: z.string(), done: z.number().int(), total: z.number().int().nullable() }),
  asOf: z.string().nullable().meta({ description: "The snapshot's as-of time: the bulk operation's createdAt (full) or the read's start (incremental)." }),
  drift: counts,
  published: z.number().int(),
  skippedNewer: z.number().int().meta({ description: 'Rows the module holds newer than the snapshot (a webhook after it): left alone.' }),
  subscriptions: z.object({ expected: z.number().int(), present: z.number().int(), restored: z.number().int() }).nullable(),
  cost: z.object({ points: z.number(), throttled: z.number().int() }),
  attempts: z.number().int().meta({ description: 'Times the run was started; above 1 it was resumed after its reconciler stopped.' }),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  error: z.string().nullable(),
});

export const runListSchema = z.object({ runs: z.array(runSchema) });
