import { z } from 'zod';

/** Marks a shadow call: the upstream runs its full logic and rolls back (dry run). Only the primary commits. */
export const SHADOW_HEADER = 'x-understudy-shadow';
/** Set by the gateway on its answers: which upstream produced the body (`monolith` or `module`). */
export const UPSTREAM_HEADER = 'x-understudy-upstream';

/** The client's key for a write it may retry: the same key and request get the first answer, never a second effect. */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
/** What an Idempotency-Key may be (Stripe's limit: up to 255 characters), for every service that reads one. */
export const idempotencyKeySchema = z
  .string({ message: 'the Idempotency-Key header is required' })
  .min(1, 'the Idempotency-Key header is required')
  .max(255)
  .regex(/^[\x21-\x7e]+$/, 'must be visible ASCII characters');
