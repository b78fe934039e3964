import { commonEnv, port } from '@understudy/config';
import { z } from 'zod';

/** Every environment variable shopify-sim reads; validated once at boot. */
export const configSchema = z.object({
  ...commonEnv,
  PORT: port(3100),
});

export type Config = z.infer<typeof configSchema>;
