import { commonEnv, databaseEnv, kafkaEnv, port } from '@understudy/config';
import { z } from 'zod';

/** Every environment variable reconciler reads; validated once at boot. */
export const configSchema = z.object({
  ...commonEnv,
  PORT: port(3004),
  ...databaseEnv,
  ...kafkaEnv,
});

export type Config = z.infer<typeof configSchema>;
