// Integration tests run against the real PostgreSQL, Redis and Kafka that
// `npm run infra:up` starts. Check once that they answer, so a missing server
// fails the run in one clear line instead of a hundred timeouts.
const { Client } = require('pg');
const Redis = require('ioredis');
const { Kafka, logLevel } = require('kafkajs');
const { integrationEnv } = require('./integration-env');

module.exports = async function integrationSetup() {
  const env = integrationEnv();
  const problems = [];

  const pg = new Client({ connectionString: env.DATABASE_ADMIN_URL, connectionTimeoutMillis: 3000 });
  await pg
    .connect()
    .then(() => pg.query('SELECT 1'))
    .catch((error) => problems.push(`PostgreSQL at ${env.DATABASE_ADMIN_URL.replace(/:[^:@/]*@/, ':***@')}: ${error.message}`))
    .finally(() => pg.end().catch(() => undefined));

  const redis = new Redis(env.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => undefined); // reported below
  await redis
    .connect()
    .then(() => redis.ping())
    .catch((error) => problems.push(`Redis at ${env.REDIS_URL}: ${error.message}`))
    .finally(() => redis.disconnect());

  const admin = new Kafka({ brokers: env.KAFKA_BROKERS.split(','), clientId: 'jest-setup', logLevel: logLevel.NOTHING, retry: { retries: 1 } }).admin();
  await admin
    .connect()
    .then(() => admin.describeCluster())
    .catch((error) => problems.push(`Kafka at ${env.KAFKA_BROKERS}: ${error.message}`))
    .finally(() => admin.disconnect());

  if (problems.length > 0) {
    throw new Error(`Integration tests need the local infrastructure (run \`npm run infra:up\`):\n  - ${problems.join('\n  - ')}`);
  }
};
