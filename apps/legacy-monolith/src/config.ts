import { commaList, commonEnv, databaseEnv, httpUrl, port, intEnv } from '@understudy/config';
import { DEFAULT_SHOPIFY_API_VERSION, shopDomainSchema, shopifyApiVersionSchema } from '@understudy/contracts';
import { z } from 'zod';

/** Every environment variable legacy-monolith reads; validated once at boot. */
export const configSchema = z.object({
  ...commonEnv,
  PORT: port(3200),
  ...databaseEnv,
  /** The shop whose catalogue the monolith mirrors. */
  SHOPIFY_SHOP: shopDomainSchema,
  /** Admin API origin; unset means Shopify itself (https://<shop>). Locally the simulator, http://localhost:3100. */
  SHOPIFY_ADMIN_URL: httpUrl.optional(),
  SHOPIFY_ACCESS_TOKEN: z.string().min(1),
  SHOPIFY_API_VERSION: shopifyApiVersionSchema.default(DEFAULT_SHOPIFY_API_VERSION),
  /** How often the catalogue, stock and price lists are re-read from the Admin API (the legacy job runs every minute). */
  POLL_INTERVAL_MS: intEnv(100, 24 * 3600 * 1000, 60_000),
  /** After a failed poll, the next attempt comes after this (or the interval, if shorter). */
  POLL_RETRY_MS: intEnv(100, 3600 * 1000, 5_000),
  /** Signs the monolith's cart tokens (lm1.…), newest first; the gateway verifies with the same list. */
  LEGACY_CART_TOKEN_SECRETS: commaList.refine((secrets) => secrets.every((s) => s.length >= 16), { message: 'each secret needs at least 16 characters' }),
  /** Currency of the shop's own prices (quotes without a B2B price list). */
  SHOP_CURRENCY: z.enum(['USD', 'CAD', 'EUR', 'GBP', 'AUD', 'JPY']).default('USD'),
  RESERVATION_DEFAULT_TTL_SECONDS: intEnv(1, 86_400, 900),
  RESERVATION_MAX_TTL_SECONDS: intEnv(1, 86_400, 3_600),
});

export type Config = z.infer<typeof configSchema>;
