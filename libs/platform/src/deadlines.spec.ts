import { DEFAULT_DEADLINES, withDeadlines } from './deadlines';

describe('withDeadlines', () => {
  it('gives the Redis client the configured command timeout and a connect timeout', () => {
    expect(withDeadlines({ redis: { url: 'redis://x' } }, { REDIS_COMMAND_TIMEOUT_MS: 250 }).redis).toEqual({
      url: 'redis://x',
      commandTimeoutMs: 250,
      connectTimeoutMs: DEFAULT_DEADLINES.redisConnectTimeoutMs,
    });
  });

  it('falls back to the defaults, and keeps what the app set explicitly', () => {
    expect(withDeadlines({ redis: { url: 'redis://x' } }, {}).redis?.commandTimeoutMs).toBe(DEFAULT_DEADLINES.redisCommandTimeoutMs);
    expect(withDeadlines({ redis: { url: 'redis://x', commandTimeoutMs: 50 } }, { REDIS_COMMAND_TIMEOUT_MS: 250 }).redis?.commandTimeoutMs).toBe(50);
  });

  it('leaves absent dependencies absent', () => {
    expect(withDeadlines({}, { REDIS_COMMAND_TIMEOUT_MS: 250 })).toEqual({});
  });
});
