import { DEFAULT_DEADLINES, httpTimeouts, withDeadlines } from './deadlines';

describe('withDeadlines', () => {
  it('gives the Redis client the configured command timeout and a connect timeout', () => {
    expect(withDeadlines({ redis: { url: 'redis://x' } }, { REDIS_COMMAND_TIMEOUT_MS: 250 }).redis).toEqual({
      url: 'redis://x',
      commandTimeoutMs: 250,
      connectTimeoutMs: DEFAULT_DEADLINES.redisConnectTimeoutMs,
    });
  });

  it('gives the PostgreSQL pool the configured statement, lock and idle-in-transaction timeouts', () => {
    const postgres = { url: 'postgres://x', migrations: [] };
    const config = { DATABASE_STATEMENT_TIMEOUT_MS: 1_000, DATABASE_LOCK_TIMEOUT_MS: 200, DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: 0 };
    expect(withDeadlines({ postgres }, config).postgres?.timeouts).toEqual({ statementMs: 1_000, lockMs: 200, idleInTransactionMs: 0 });
    // Absent in the config: libs/database's defaults apply (nothing is set here).
    expect(withDeadlines({ postgres }, {}).postgres?.timeouts).toEqual({});
    expect(withDeadlines({ postgres: { ...postgres, timeouts: { lockMs: 50 } } }, config).postgres?.timeouts?.lockMs).toBe(50);
  });

  it('falls back to the defaults, and keeps what the app set explicitly', () => {
    expect(withDeadlines({ redis: { url: 'redis://x' } }, {}).redis?.commandTimeoutMs).toBe(DEFAULT_DEADLINES.redisCommandTimeoutMs);
    expect(withDeadlines({ redis: { url: 'redis://x', commandTimeoutMs: 50 } }, { REDIS_COMMAND_TIMEOUT_MS: 250 }).redis?.commandTimeoutMs).toBe(50);
  });

  it('leaves absent dependencies absent', () => {
    expect(withDeadlines({}, { REDIS_COMMAND_TIMEOUT_MS: 250 })).toEqual({});
  });
});

describe('httpTimeouts', () => {
  it('never leaves Fastify without a request or connection timeout', () => {
    expect(httpTimeouts({})).toEqual({ requestTimeout: DEFAULT_DEADLINES.httpRequestTimeoutMs, connectionTimeout: DEFAULT_DEADLINES.httpConnectionTimeoutMs });
    expect(httpTimeouts({ HTTP_REQUEST_TIMEOUT_MS: 5_000, HTTP_CONNECTION_TIMEOUT_MS: 9_000 })).toEqual({ requestTimeout: 5_000, connectionTimeout: 9_000 });
  });
});
