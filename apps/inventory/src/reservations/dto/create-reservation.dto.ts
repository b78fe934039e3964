import { reservationRequestSchema, reservationResponseSchema as contractResponse } from '@understudy/contracts';
import { z } from 'zod';

/** The contract shared with the gateway and the monolith (libs/contracts). ttlSeconds is further capped by RESERVATION_MAX_TTL_SECONDS. */
export const createReservationSchema = reservationRequestSchema;
export type CreateReservationRequest = z.infer<typeof createReservationSchema>;

/** Any visible ASCII, up to 255 characters: the one Idempotency-Key schema of libs/contracts, as the gateway reads it. */
export { idempotencyKeySchema } from '@understudy/contracts';

/** Inventory always fills the optional fields of the contract's reservation. */
export const reservationResponseSchema = contractResponse.extend({
  id: z.uuid(),
  committedAt: z.string().nullable(),
  soldAt: z.string().nullable(),
});
export type ReservationView = z.infer<typeof reservationResponseSchema>;
