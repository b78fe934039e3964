import { commonEnv, databaseEnv, port } from '@understudy/config';
import { z } from 'zod';

/** Every environment variable legacy-monolith reads; validated once at boot. */
export const configSchema = z.object({
  ...commonEnv,
  PORT: port(3200),
  ...databaseEnv,
});

export type Config = z.infer<typeof configSchema>;
