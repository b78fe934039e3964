import { z } from 'zod';
import { routeConfigSchema } from '../../routes/route-config';

const reason = z.string().min(1).max(500).optional().meta({ description: 'Why; recorded in the audit log.' });

/**
 * `PATCH /admin/routes/{name}`: any route field, deep-merged into the stored
 * configuration (objects merge, arrays and values replace), plus the version
 * the change was based on. Documented with the route schema; validated as a
 * whole after the merge.
 */
export const routePatchSchema = routeConfigSchema
  .omit({ name: true, version: true })
  .partial()
  .extend({
    version: z.int().min(0).meta({ description: 'The version you read; 409 VERSION_CONFLICT if the route changed since.' }),
    reason,
  });

export const routePatchEnvelopeSchema = z.looseObject({ version: z.int().min(0), reason });

export const PATCHABLE_FIELDS = new Set(Object.keys(routeConfigSchema.shape).filter((key) => key !== 'name' && key !== 'version'));

export const routeActionSchema = z
  .object({
    version: z.int().min(0).optional().meta({ description: 'The version you read; 409 VERSION_CONFLICT if the route changed since. Omitted: whatever is stored.' }),
    reason,
  })
  .prefault({});
export type RouteAction = z.infer<typeof routeActionSchema>;

export const listQuerySchema = z.object({
  route: z.string().min(1).max(100).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
export type ListQuery = z.infer<typeof listQuerySchema>;

export const reportQuerySchema = z.object({
  scope: z
    .enum(['fleet', 'replica'])
    .default('fleet')
    .meta({ description: '`fleet` (default): every replica’s figures summed (published to Redis every FLEET_STATS_INTERVAL_MS); `replica`: the answering replica’s alone.' }),
});
export type ReportQuery = z.infer<typeof reportQuerySchema>;
