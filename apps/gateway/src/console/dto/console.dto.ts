import { pathPatternSchema } from '@understudy/comparison';
import { z } from 'zod';

export const historyQuerySchema = z.object({
  minutes: z.coerce.number().int().min(1).max(15).default(15).meta({ description: 'How far back, in minutes (at most 15, what the gateway keeps).' }),
  route: z.string().min(1).max(100).optional().meta({ description: 'One route; default every route.' }),
});
export type HistoryQuery = z.infer<typeof historyQuerySchema>;

export const syncQuerySchema = z.object({
  runs: z.coerce.number().int().min(1).max(50).default(10).meta({ description: 'Latest reconciler runs to include.' }),
  hours: z.coerce.number().int().min(1).max(168).default(24).meta({ description: 'Hours of the delivery ratio to include.' }),
});
export type SyncQuery = z.infer<typeof syncQuerySchema>;

export const noiseDecisionSchema = z.object({
  path: pathPatternSchema
    .meta({ description: 'A learned noise path, e.g. `$.quotedAt` or `$.lines[*].reservedAt`.' }),
  version: z.int().min(0).optional().meta({ description: 'The version you read; 409 VERSION_CONFLICT if the route changed since.' }),
  reason: z.string().min(1).max(500).optional().meta({ description: 'Why; recorded in the audit log.' }),
});
export type NoiseDecision = z.infer<typeof noiseDecisionSchema>;

/** A rejection overrides what the learner measured, so it must say why (recorded in the audit log). */
export const noiseRejectionSchema = noiseDecisionSchema.extend({
  reason: z.string().trim().min(1).max(500).meta({ description: 'Why this path is not noise (required); recorded in the audit log.' }),
});
export type NoiseRejection = z.infer<typeof noiseRejectionSchema>;
