// Where integration tests find the infrastructure. Defaults match `npm run infra:up`.
function integrationEnv(env = process.env) {
  return {
    DATABASE_ADMIN_URL: env.TEST_DATABASE_ADMIN_URL || 'postgres://understudy:understudy@localhost:5432/postgres',
    REDIS_URL: env.TEST_REDIS_URL || 'redis://localhost:6379',
    KAFKA_BROKERS: env.TEST_KAFKA_BROKERS || 'localhost:9092',
  };
}
module.exports = { integrationEnv };
