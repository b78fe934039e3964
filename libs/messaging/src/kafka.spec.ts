import { logLevel } from 'kafkajs';
import { kafkajsLevel } from './kafka';

describe('kafkajsLevel', () => {
  it('keeps kafkajs levels for ordinary entries', () => {
    expect(kafkajsLevel(logLevel.ERROR, 'Crash: KafkaJSNumberOfRetriesExceeded: something broke')).toBe('error');
    expect(kafkajsLevel(logLevel.WARN, 'a warning')).toBe('warn');
    expect(kafkajsLevel(logLevel.INFO, 'Consumer has joined the group')).toBe('info');
  });

  it('logs the broker-warm-up coordinator errors, which kafkajs retries, at info', () => {
    expect(kafkajsLevel(logLevel.ERROR, 'Crash: KafkaJSProtocolError: The coordinator is loading and hence can\'t process requests')).toBe('info');
    expect(kafkajsLevel(logLevel.ERROR, 'Response GroupCoordinator(key: 10, version: 2)', { error: 'The coordinator is not available' })).toBe('info');
    expect(kafkajsLevel(logLevel.ERROR, 'Response JoinGroup(key: 11, version: 5)', { error: 'This is not the correct coordinator for this group' })).toBe('info');
    expect(kafkajsLevel(logLevel.ERROR, 'Response Heartbeat(key: 12, version: 3)', { error: 'The group is rebalancing, so a rejoin is needed' })).toBe('info');
  });

  it('writes the idempotent-producer retry warning at debug', () => {
    expect(kafkajsLevel(logLevel.WARN, 'Limiting retries for the idempotent producer to Number.MAX_SAFE_INTEGER')).toBe('debug');
  });
});
