import { inventoryCheckRequestSchema, inventoryCheckResponseSchema } from '@understudy/contracts';
import { z } from 'zod';

/** The contract the gateway compares against the monolith's answer (libs/contracts). */
export const checkAvailabilitySchema = inventoryCheckRequestSchema;
export type CheckAvailabilityRequest = z.infer<typeof checkAvailabilitySchema>;

export const checkAvailabilityResponseSchema = inventoryCheckResponseSchema;
export type CheckAvailabilityResponse = z.infer<typeof checkAvailabilityResponseSchema>;

/** Inventory's own detail view; no monolith counterpart. */
export const variantAvailabilityResponseSchema = z.object({
  variantId: z.string(),
  inventoryItemId: z.string(),
  tracked: z.boolean(),
  onHand: z.number().int().meta({ description: "Shopify's available stock summed over locations." }),
  reserved: z.number().int().meta({ description: 'Units held by reservations that still count.' }),
  availableQuantity: z.number().int().nullable(),
  locations: z.array(
    z.object({
      locationId: z.string(),
      available: z.number().int().nullable(),
      updatedAt: z.string().meta({ description: "Shopify's updated_at of the level." }),
    }),
  ),
});
export type VariantAvailabilityResponse = z.infer<typeof variantAvailabilityResponseSchema>;
