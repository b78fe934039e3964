import { commonEnv, databaseEnv, kafkaEnv, port } from '@understudy/config';
import { z } from 'zod';

/** Every environment variable pricing reads; validated once at boot. */
export const configSchema = z.object({
  ...commonEnv,
  PORT: port(3003),
  ...databaseEnv,
  ...kafkaEnv,
});

export type Config = z.infer<typeof configSchema>;
