import { shopifyIdSchema } from '@understudy/contracts';
import { z } from 'zod';

export const commitReservationSchema = z
  .object({
    soldAt: z.iso
      .datetime({ offset: true })
      .optional()
      .meta({
        description:
          "When the sale happened on Shopify's clock (the order's processed_at). The sold units keep counting against stock until Shopify reports a level newer than this; default: now. " +
          'Refused (400) before the reservation was made or in the future (with COMMIT_CLOCK_SKEW_SECONDS of slack).',
      }),
    locationId: shopifyIdSchema('Location')
      .optional()
      .meta({
        description:
          "The location the order is fulfilled from (number or GID). The sold units then stop counting only when that location's Shopify level is newer than the sale; without it, a newer level of any location settles them.",
      }),
  })
  .optional();
export type CommitReservationRequest = z.infer<typeof commitReservationSchema>;
