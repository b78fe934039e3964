import { z } from 'zod';

export const commitReservationSchema = z
  .object({
    soldAt: z.iso
      .datetime({ offset: true })
      .optional()
      .meta({
        description:
          "When the sale happened on Shopify's clock (the order's processed_at). The sold units keep counting against stock until Shopify reports a level newer than this; default: now.",
      }),
  })
  .optional();
export type CommitReservationRequest = z.infer<typeof commitReservationSchema>;
