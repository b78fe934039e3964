import { z } from 'zod';
import { cartTokenSchema, MAX_LINES, quantitySchema, variantIdSchema } from './ids';

/** `POST /v1/inventory/check` (gateway) — `POST /inventory/check` (monolith), `POST /v1/check` (inventory module). */
export const inventoryCheckRequestSchema = z.object({
  variantId: variantIdSchema,
  quantity: quantitySchema.meta({ description: 'Units the cart wants.' }),
  cartToken: cartTokenSchema.optional().meta({ description: 'The asking cart; units it already holds count as available to it.' }),
});
export type InventoryCheckRequest = z.infer<typeof inventoryCheckRequestSchema>;
export type InventoryCheckRequestInput = z.input<typeof inventoryCheckRequestSchema>;

export const inventoryCheckResponseSchema = z.object({
  variantId: z.string().meta({ description: 'Numeric variant id.' }),
  requested: z.number().int(),
  available: z.boolean().meta({ description: 'Whether `requested` units can be sold now.' }),
  availableQuantity: z
    .number()
    .int()
    .nullable()
    .meta({ description: 'Sellable stock minus active reservations (never negative); null when Shopify does not track the item.' }),
});
export type InventoryCheckResponse = z.infer<typeof inventoryCheckResponseSchema>;

/** `POST /v1/inventory/reservations` (gateway) — `POST /inventory/reservations` (monolith), `POST /v1/reservations` (inventory module). */
export const reservationRequestSchema = z.object({
  cartToken: cartTokenSchema,
  lines: z
    .array(z.object({ variantId: variantIdSchema, quantity: quantitySchema }))
    .min(1)
    .max(MAX_LINES)
    .meta({ description: 'Reserved all together or not at all.' }),
  ttlSeconds: z.number().int().positive().max(86_400).optional().meta({ description: 'How long the units are held; the upstream applies its default and maximum.' }),
});
export type ReservationRequest = z.infer<typeof reservationRequestSchema>;
export type ReservationRequestInput = z.input<typeof reservationRequestSchema>;

export const reservationStatusSchema = z.enum(['active', 'committed', 'released', 'expired']);

export const reservationResponseSchema = z.object({
  id: z.string().meta({ description: "The upstream's reservation id (a UUID from the inventory module)." }),
  cartToken: z.string(),
  status: reservationStatusSchema,
  createdAt: z.string(),
  expiresAt: z.string(),
  committedAt: z.string().nullable().optional(),
  soldAt: z.string().nullable().optional(),
  lines: z.array(z.object({ variantId: z.string(), quantity: z.number().int() })),
});
export type ReservationResponse = z.infer<typeof reservationResponseSchema>;

/** The 409 answer's `error.details` when a line cannot be supplied. */
export const insufficientInventoryDetailsSchema = z.object({
  lines: z.array(z.object({ variantId: z.string(), requested: z.number().int(), availableQuantity: z.number().int() })),
});
