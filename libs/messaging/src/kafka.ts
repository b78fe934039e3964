import { Kafka, logLevel, type LogEntry } from 'kafkajs';
import { stopKafkajsIdleLoop } from './kafkajs-idle-loop';

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

/**
 * The idempotent producer keeps bounded retries on purpose: a publish must fail
 * within seconds when Kafka is down so callers can fall back (webhook-ingest's
 * outbox). kafkajs warns that this "may invalidate EoS guarantees" — a message
 * retried later could then be written twice, which consumers absorb because
 * every effect is idempotent by webhook id. The warning is logged at debug.
 */
const EXPECTED_WARNINGS = [/Limiting retries for the idempotent producer/];

/**
 * While a broker warms up (a first start, a restart) its group coordinator
 * answers COORDINATOR_LOAD_IN_PROGRESS / COORDINATOR_NOT_AVAILABLE and every
 * consumer logs a kafkajs "Crash" at error level before it retries and joins.
 * Expected and retried, so logged at info: an error in the logs should mean
 * something is wrong. A heartbeat answered "the group is rebalancing" is the
 * same kind of thing (kafkajs re-joins and says so at warn). A consumer that
 * never joins still fails its readiness.
 */
const TRANSIENT_ERRORS = [/The coordinator is loading/, /The coordinator is not available/, /This is not the correct coordinator/, /The group is rebalancing/];

/** The level a kafkajs log entry is written at; a response error's text is in `details.error`, a crash's in the message. */
export function kafkajsLevel(level: logLevel, message: string, details: Record<string, unknown> = {}): 'error' | 'warn' | 'info' | 'debug' {
  if (EXPECTED_WARNINGS.some((pattern) => pattern.test(message))) return 'debug';
  const text = typeof details['error'] === 'string' ? `${message} ${details['error']}` : message;
  if (level === logLevel.ERROR && TRANSIENT_ERRORS.some((pattern) => pattern.test(text))) return 'info';
  return LEVEL_NAMES[level];
}

export function createKafka({ brokers, clientId, log }: KafkaSettings): Kafka {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  stopKafkajsIdleLoop(require('kafkajs/src/network/requestQueue'));
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
        log?.(kafkajsLevel(level, message, details), `kafkajs ${namespace}: ${message}`, details);
      },
  });
}

export type { Kafka };
