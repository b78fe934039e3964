import { z } from 'zod';
import { ConfigError, loadConfig } from './config';
import { brokerList, commaList, commonEnv, databaseEnv, port, redisEnv } from './env';

const schema = z.object({ ...commonEnv, ...databaseEnv, ...redisEnv, PORT: port(3000), KAFKA_BROKERS: brokerList });
const valid = {
  DATABASE_URL: 'postgres://u:p@localhost:5432/db',
  REDIS_URL: 'redis://localhost:6379',
  KAFKA_BROKERS: 'localhost:9092, kafka-2:9092',
};

describe('loadConfig', () => {
  it('parses a valid environment and applies defaults', () => {
    const config = loadConfig(schema, valid);
    expect(config.PORT).toBe(3000);
    expect(config.LOG_LEVEL).toBe('info');
    expect(config.KAFKA_BROKERS).toEqual(['localhost:9092', 'kafka-2:9092']);
  });

  it('names a missing variable', () => {
    const { DATABASE_URL: _omitted, ...env } = valid;
    expect(() => loadConfig(schema, env)).toThrow(/DATABASE_URL is required but not set/);
  });

  it('treats an empty value as missing', () => {
    expect(() => loadConfig(schema, { ...valid, REDIS_URL: '' })).toThrow(/REDIS_URL is required/);
  });

  it('names every invalid variable at once', () => {
    try {
      loadConfig(schema, { ...valid, DATABASE_URL: 'mysql://x', PORT: '70000', LOG_LEVEL: 'loud' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const variables = (error as ConfigError).problems.map((p) => p.variable).sort();
      expect(variables).toEqual(['DATABASE_URL', 'LOG_LEVEL', 'PORT']);
    }
  });

  it('rejects a malformed broker list', () => {
    expect(() => loadConfig(schema, { ...valid, KAFKA_BROKERS: 'localhost' })).toThrow(/KAFKA_BROKERS is invalid/);
  });

  it('keeps the order of comma lists (newest secret first)', () => {
    expect(commaList.parse('new, old,')).toEqual(['new', 'old']);
    expect(() => commaList.parse(' , ')).toThrow();
  });
});
