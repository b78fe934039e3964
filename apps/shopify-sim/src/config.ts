import { commaList, commonEnv, port, intEnv } from '@understudy/config';
import { shopDomainSchema } from '@understudy/contracts';
import { z } from 'zod';

const PLANS = ['standard', 'advanced', 'plus', 'enterprise'] as const;

/** Every environment variable shopify-sim reads; validated once at boot. Defaults suit a laptop. */
export const configSchema = z.object({
  ...commonEnv,
  PORT: port(3100),
  /** The shop seeded at start-up and used when a control call names none. */
  SIM_SHOP: shopDomainSchema.default('understudy-demo.myshopify.com'),
  /** Signs webhooks (X-Shopify-Hmac-Sha256); matches SHOPIFY_WEBHOOK_SECRETS on the receiving side. */
  SIM_APP_SECRET: z.string().min(8).default('understudy-dev-app-secret'),
  /** Admin API access tokens accepted for the default shop (X-Shopify-Access-Token). */
  SIM_ACCESS_TOKENS: commaList.default(['shpat_understudy_dev']),
  /** Rate-limit preset: standard 100/s, advanced 200/s, plus 1,000/s, enterprise 2,000/s (bucket 20×). */
  SIM_PLAN: z.enum(PLANS).default('standard'),
  /** Optional overrides of the preset. */
  SIM_RESTORE_RATE: z.coerce.number().positive().optional(),
  SIM_MAXIMUM_AVAILABLE: z.coerce.number().positive().optional(),
  /** Compresses the webhook retry schedule: 3600 makes Shopify's 4 hours last 4 seconds. */
  SIM_TIME_SCALE: z.coerce.number().positive().max(10_000_000).default(1),
  /** What is seeded at start-up (0 variants: start empty and seed through POST /_sim/seed). */
  SIM_SEED_VARIANTS: intEnv(0, 1_000_000, 1_000),
  SIM_SEED_LOCATIONS: intEnv(1, 50, 3),
  SIM_SEED_COMPANIES: intEnv(0, 100_000, 20),
  SIM_SEED: z.coerce.number().int().default(42),
  SIM_WEBHOOK_CONCURRENCY: intEnv(1, 1_024, 64),
  SIM_WEBHOOK_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(1).default(1_000),
  SIM_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(1).default(5_000),
  SIM_WEBHOOK_MAX_PENDING: z.coerce.number().int().min(1).default(1_000_000),
  SIM_WEBHOOK_LOG_SIZE: intEnv(0, 1_000_000, 10_000),
  /**
   * Who may call the control API (`/_sim/*`: reseed, reset, reconfigure): `loopback` (clients on
   * this machine) or `any`. The Admin API on the same port answers every client either way.
   */
  SIM_CONTROL_ACCESS: z.enum(['loopback', 'any']).default('loopback'),
  /** Where bulk operation results (JSONL) are written; the OS temp dir by default. */
  SIM_BULK_DIR: z.string().optional(),
});

export type Config = z.infer<typeof configSchema>;
