import { commonEnv, databaseEnv, redisEnv, kafkaEnv, port } from '@understudy/config';
import { z } from 'zod';

/** Every environment variable webhook-ingest reads; validated once at boot. */
export const configSchema = z.object({
  ...commonEnv,
  PORT: port(3001),
  ...databaseEnv,
  ...redisEnv,
  ...kafkaEnv,
});

export type Config = z.infer<typeof configSchema>;
