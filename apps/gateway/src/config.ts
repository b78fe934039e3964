import { commonEnv, databaseEnv, redisEnv, port } from '@understudy/config';
import { z } from 'zod';

/** Every environment variable gateway reads; validated once at boot. */
export const configSchema = z.object({
  ...commonEnv,
  PORT: port(3000),
  ...databaseEnv,
  ...redisEnv,
});

export type Config = z.infer<typeof configSchema>;
