import { reservationRequestSchema, reservationResponseSchema as contractResponse } from '@understudy/contracts';
import { z } from 'zod';

/** The contract shared with the gateway and the monolith (libs/contracts). ttlSeconds is further capped by RESERVATION_MAX_TTL_SECONDS. */
export const createReservationSchema = reservationRequestSchema;
export type CreateReservationRequest = z.infer<typeof createReservationSchema>;

/** Any visible ASCII, as in the IETF Idempotency-Key draft; a UUID is typical. */
export const idempotencyKeySchema = z
  .string({ message: 'the Idempotency-Key header is required' })
  .min(1, 'the Idempotency-Key header is required')
  .max(255)
  .regex(/^[\x21-\x7e]+$/, 'must be visible ASCII characters');

/** Inventory always fills the optional fields of the contract's reservation. */
export const reservationResponseSchema = contractResponse.extend({
  id: z.uuid(),
  committedAt: z.string().nullable(),
  soldAt: z.string().nullable(),
});
export type ReservationView = z.infer<typeof reservationResponseSchema>;
