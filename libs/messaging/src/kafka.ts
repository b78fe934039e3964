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

/**
 * kafkajs 2.2.4 (unmaintained) arms a timer with `throttledUntil - Date.now()`
 * when nothing is throttled, i.e. a large negative delay (requestQueue
 * `scheduleCheckPendingRequests`). Node >= 23 clamps it to 1 ms, which is what
 * kafkajs means, but prints a TimeoutNegativeWarning on every connection.
 * Drop exactly that warning; every other warning still reaches stderr.
 */
function silenceKafkajsNegativeTimeoutWarning(): void {
  const marker = Symbol.for('understudy.kafkajs-timeout-warning-filter');
  const holder = process as unknown as Record<symbol, boolean>;
  if (holder[marker]) return;
  holder[marker] = true;
  const emitWarning = process.emitWarning.bind(process) as (...args: unknown[]) => void;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const name = typeof warning === 'string' ? (typeof rest[0] === 'string' ? rest[0] : (rest[0] as { type?: string } | undefined)?.type) : warning.name;
    if (name === 'TimeoutNegativeWarning') return;
    emitWarning(warning, ...rest);
  }) as typeof process.emitWarning;
}

/**
 * The idempotent producer keeps bounded retries on purpose: a publish must fail
 * within seconds when Kafka is down so callers can fall back (webhook-ingest's
 * outbox). kafkajs warns that this "may invalidate EoS guarantees" — a message
 * retried later could then be written twice, which consumers absorb because
 * every effect is idempotent by webhook id. The warning is logged at debug.
 */
const EXPECTED_WARNINGS = [/Limiting retries for the idempotent producer/];

export function createKafka({ brokers, clientId, log }: KafkaSettings): Kafka {
  silenceKafkajsNegativeTimeoutWarning();
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
        const expected = EXPECTED_WARNINGS.some((pattern) => pattern.test(message));
        log?.(expected ? 'debug' : LEVEL_NAMES[level], `kafkajs ${namespace}: ${message}`, details);
      },
  });
}

export type { Kafka };
