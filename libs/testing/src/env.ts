/** Where integration tests find the infrastructure; defaults match `npm run infra:up`. */
export function testEnv(env: Record<string, string | undefined> = process.env) {
  return {
    databaseAdminUrl: env['TEST_DATABASE_ADMIN_URL'] || 'postgres://understudy:understudy@localhost:5432/postgres',
    redisUrl: env['TEST_REDIS_URL'] || 'redis://localhost:6379',
    kafkaBrokers: (env['TEST_KAFKA_BROKERS'] || 'localhost:9092').split(','),
  };
}

/** A name unique to this run, safe for databases and topics. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`.toLowerCase();
}
