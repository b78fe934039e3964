import { ConfigError, loadConfig } from '@understudy/config';
import { configSchema } from './config';

const env = (overrides: Record<string, string> = {}) => ({
  DATABASE_URL: 'postgres://understudy:understudy@127.0.0.1:5432/gateway',
  REDIS_URL: 'redis://127.0.0.1:6379',
  MONOLITH_URL: 'http://127.0.0.1:3200',
  INVENTORY_URL: 'http://127.0.0.1:3002',
  PRICING_URL: 'http://127.0.0.1:3003',
  ADMIN_TOKEN: 'admin-token-0123456789',
  LEGACY_CART_TOKEN_SECRETS: 'legacy-secret-0123456789',
  ...overrides,
});

describe('gateway config', () => {
  it('keeps the shadow cap below the shadow pool by default', () => {
    const config = loadConfig(configSchema, env());
    expect(config.SHADOW_MAX_CONCURRENCY).toBeLessThan(config.SHADOW_UPSTREAM_CONNECTIONS);
  });

  it('refuses to start when shadows could take every pooled shadow connection, naming the variable', () => {
    const tooMany: Array<Record<string, string>> = [
      { SHADOW_MAX_CONCURRENCY: '128', SHADOW_UPSTREAM_CONNECTIONS: '128' },
      { SHADOW_MAX_CONCURRENCY: '256' },
      { SHADOW_UPSTREAM_CONNECTIONS: '32' },
    ];
    for (const overrides of tooMany) {
      let error: unknown;
      try {
        loadConfig(configSchema, env(overrides));
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems).toEqual([{ variable: 'SHADOW_MAX_CONCURRENCY', problem: expect.stringContaining('must be below SHADOW_UPSTREAM_CONNECTIONS') }]);
    }
    expect(loadConfig(configSchema, env({ SHADOW_MAX_CONCURRENCY: '127', SHADOW_UPSTREAM_CONNECTIONS: '128' })).SHADOW_MAX_CONCURRENCY).toBe(127);
  });
});
