import { z } from 'zod';

/** Reusable pieces of the env schemas. Names follow docs/design.md's shared variables. */

const urlWithProtocols = (protocols: string[]) =>
  z.string().refine(
    (value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    { message: `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}` },
  );

/** A whole number within [min, max], `fallback` when unset (the one spelling every service's config uses). */
export const intEnv = (min: number, max: number, fallback: number) => z.coerce.number().int().min(min).max(max).default(fallback);

export const port = (defaultPort: number) => intEnv(1, 65535, defaultPort);

export const httpUrl = urlWithProtocols(['http:', 'https:']);
export const postgresUrl = urlWithProtocols(['postgres:', 'postgresql:']);
export const redisUrl = urlWithProtocols(['redis:', 'rediss:']);

/** `host:port[,host:port…]` → list of brokers. */
export const brokerList = z
  .string()
  .transform((value) => value.split(',').map((broker) => broker.trim()).filter(Boolean))
  .refine((brokers) => brokers.length > 0 && brokers.every((b) => /^[\w.-]+:\d{1,5}$/.test(b)), {
    message: 'must be a comma-separated list of host:port',
  });

/** Comma-separated, order kept (e.g. webhook secrets, newest first). */
export const commaList = z
  .string()
  .transform((value) => value.split(',').map((item) => item.trim()).filter(Boolean))
  .refine((items) => items.length > 0, { message: 'must list at least one value' });

export const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info');

/** Variables every HTTP app reads. */
export const commonEnv = {
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: logLevel,
  HOST: z.string().default('0.0.0.0'),
  OTEL_EXPORTER_OTLP_ENDPOINT: httpUrl.optional(),
  /** How long SIGTERM waits for in-flight work before exiting anyway. */
  SHUTDOWN_TIMEOUT_MS: intEnv(0, 120_000, 10_000),
  /** Readiness reports 503 this long before the server stops accepting, so load balancers drain it first. */
  SHUTDOWN_DRAIN_DELAY_MS: intEnv(0, 60_000, 0),
  /** Longest a client may take to send a whole request (Fastify `requestTimeout`): slow senders get 408. */
  HTTP_REQUEST_TIMEOUT_MS: intEnv(1_000, 600_000, 60_000),
  /**
   * A socket with no traffic for this long is closed (Fastify `connectionTimeout`), whether it is
   * idle or its request is stuck. Above the keep-alive timeout (72 s), so idle keep-alive sockets
   * close by their own rule first.
   */
  HTTP_CONNECTION_TIMEOUT_MS: intEnv(1_000, 600_000, 120_000),
};

const millis = (max: number, fallback: number) => intEnv(0, max, fallback);

/** PostgreSQL, with a deadline on everything a session can wait for (0 turns one off). */
export const databaseEnv = {
  DATABASE_URL: postgresUrl,
  /** Any statement running longer is cancelled by the server (SQLSTATE 57014; answered as a 503). */
  DATABASE_STATEMENT_TIMEOUT_MS: millis(3_600_000, 10_000),
  /** Waiting longer for a row or table lock fails the statement (SQLSTATE 55P03; a 503). */
  DATABASE_LOCK_TIMEOUT_MS: millis(3_600_000, 5_000),
  /** A session idle inside an open transaction this long is ended by the server, releasing its locks. */
  DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: millis(3_600_000, 30_000),
};
export const redisEnv = {
  REDIS_URL: redisUrl,
  /**
   * Every Redis command fails after this (ioredis `commandTimeout`). Redis is a cache or a hint
   * everywhere in the platform, so a caller falls back instead of waiting: a frozen Redis keeps
   * its TCP connections open and would otherwise never answer.
   */
  REDIS_COMMAND_TIMEOUT_MS: intEnv(10, 60_000, 500),
};
export const kafkaEnv = { KAFKA_BROKERS: brokerList };
/**
 * Put in front of every registry Kafka topic a service publishes to (default none): one Kafka
 * cluster can carry several isolated installations, and integration tests get topics of their own.
 */
export const kafkaTopicPrefixEnv = { KAFKA_TOPIC_PREFIX: z.string().regex(/^[A-Za-z0-9._-]{0,100}$/, 'may hold only letters, digits, ".", "_" and "-"').default('') };

/** `true`/`false`/`1`/`0` → boolean. */
export const flag = z.enum(['true', 'false', '1', '0']).transform((value) => value === 'true' || value === '1');

/**
 * The `PROJECTION_*` variables of a module that projects Kafka into PostgreSQL
 * (libs/platform's ProjectionConsumer reads them); each module gives its group id and topics.
 */
export const projectionEnv = (defaults: { groupId: string; topics: readonly string[] }) => ({
  /** Run the Kafka projection in this process (off for an HTTP-only replica). */
  PROJECTION_ENABLED: flag.default(true),
  PROJECTION_GROUP_ID: z.string().min(1).default(defaults.groupId),
  /** Kafka topics the projection reads; events are dispatched by their envelope's topic. */
  PROJECTION_TOPICS: commaList.default([...defaults.topics]),
  /** Events applied per database transaction (one multi-row upsert per table). */
  PROJECTION_CHUNK_SIZE: intEnv(1, 5_000, 500),
  /**
   * Failures of an unknown kind (not a database outage, not bad data: most
   * likely a bug) a chunk may have before its failing message is dead-lettered.
   * Database outages are retried without limit; bad data goes to the DLQ at once.
   */
  PROJECTION_MAX_ATTEMPTS: intEnv(1, 10_000, 50),
  /** How long the group waits for a silent member (broker minimum 6 s). */
  PROJECTION_SESSION_TIMEOUT_MS: intEnv(6_000, 300_000, 30_000),
});

/** The validated `PROJECTION_*` settings. */
export type ProjectionSettings = z.infer<z.ZodObject<ReturnType<typeof projectionEnv>>>;
