import { Kafka, logLevel, type LogEntry } from 'kafkajs';

/**
 * The only module that constructs a kafkajs client. Everything else in the
 * platform goes through EventPublisher / ConsumerRunner, so the client can be
 * swapped without touching the apps.
 */
export interface KafkaSettings {
  brokers: string[];
  clientId: string;
  log?: (level: 'error' | 'warn' | 'info' | 'debug', message: string, details: Record<string, unknown>) => void;
}

const LEVEL_NAMES = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
  [logLevel.NOTHING]: 'debug',
} as const;

export function createKafka({ brokers, clientId, log }: KafkaSettings): Kafka {
  return new Kafka({
    brokers,
    clientId,
    connectionTimeout: 3_000,
    requestTimeout: 30_000,
    retry: { initialRetryTime: 100, retries: 8, maxRetryTime: 5_000 },
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ level, namespace, log: entry }: LogEntry) => {
        const { message, ...details } = entry;
        log?.(LEVEL_NAMES[level], `kafkajs ${namespace}: ${message}`, details);
      },
  });
}

export type { Kafka };
