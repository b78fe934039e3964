import { commonEnv, databaseEnv, redisEnv, kafkaEnv, port } from '@understudy/config';
import { z } from 'zod';

/** Every environment variable inventory reads; validated once at boot. */
export const configSchema = z.object({
  ...commonEnv,
  PORT: port(3002),
  ...databaseEnv,
  ...redisEnv,
  ...kafkaEnv,
});

export type Config = z.infer<typeof configSchema>;
