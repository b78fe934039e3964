import type { Consumer, EachBatchPayload, IHeaders, Kafka, KafkaMessage } from 'kafkajs';
import { deadLetterTopic } from './topics';
import type { EventPublisher } from './publisher';

export interface ConsumedMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
  /** Broker timestamp, ms since epoch. */
  timestamp: number;
}

/**
 * Thrown by a handler for a message that can never succeed (bad schema,
 * impossible values): it goes to the dead-letter topic at once, without retries.
 */
export class PoisonMessageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PoisonMessageError';
  }
}

export type BatchHandler = (messages: ConsumedMessage[]) => Promise<void>;

/** A retry wait cut short by `stop()`: the chunk is neither committed nor dead-lettered. */
export class ConsumerStoppedError extends Error {
  constructor() {
    super('consumer is stopping');
    this.name = 'ConsumerStoppedError';
  }
}

export interface ConsumerRunnerOptions {
  groupId: string;
  topics: string[];
  /**
   * Applies a chunk of messages from ONE partition, in offset order. Must be
   * idempotent: after a crash, messages since the last commit are delivered again.
   */
  handler: BatchHandler;
  /** Messages handed to the handler at once. */
  chunkSize?: number;
  /** Attempts per chunk (and then per message) before dead-lettering. */
  maxAttempts?: number;
  backoff?: { initialMs: number; maxMs: number };
  fromBeginning?: boolean;
  /** How long the group waits for a silent member before moving its partitions (broker minimum: 6 s). */
  sessionTimeoutMs?: number;
  /** Where dead letters are published (`<topic>.dlq`). */
  deadLetters: EventPublisher;
  log?: (level: 'info' | 'warn' | 'error', message: string, details: Record<string, unknown>) => void;
  onDeadLetter?: (message: ConsumedMessage, reason: string) => void;
  sleep?: (ms: number) => Promise<void>;
}

export const DLQ_HEADERS = {
  reason: 'x-dlq-reason',
  originalTopic: 'x-dlq-original-topic',
  originalPartition: 'x-dlq-original-partition',
  originalOffset: 'x-dlq-original-offset',
  attempts: 'x-dlq-attempts',
  failedAt: 'x-dlq-failed-at',
} as const;

const MAX_REASON_LENGTH = 1_000;

/**
 * A consumer-group member on `eachBatch`:
 * - hands the handler chunks of one partition in order, heartbeating between chunks and retries;
 * - resolves (and so commits) an offset only after the handler succeeded for it;
 * - retries a failing chunk with exponential backoff and jitter, then retries its
 *   messages one by one to isolate the poison one, which goes to `<topic>.dlq`
 *   with the reason in headers — and the partition moves on;
 * - `stop()` leaves the group cleanly so partitions move to the others at once.
 */
export class ConsumerRunner {
  private readonly consumer: Consumer;
  private readonly chunkSize: number;
  private readonly maxAttempts: number;
  private readonly backoff: { initialMs: number; maxMs: number };
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly stopping = new AbortController();

  constructor(kafka: Kafka, private readonly options: ConsumerRunnerOptions) {
    this.chunkSize = options.chunkSize ?? 500;
    this.maxAttempts = options.maxAttempts ?? 5;
    this.backoff = options.backoff ?? { initialMs: 200, maxMs: 5_000 };
    this.sleep = options.sleep ?? ((ms) => this.interruptibleSleep(ms));
    this.consumer = kafka.consumer({
      groupId: options.groupId,
      sessionTimeout: options.sessionTimeoutMs ?? 30_000,
      rebalanceTimeout: options.sessionTimeoutMs ?? 30_000,
      heartbeatInterval: Math.min(3_000, Math.floor((options.sessionTimeoutMs ?? 30_000) / 3)),
      allowAutoTopicCreation: false,
    });
  }

  async start(): Promise<void> {
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: this.options.topics, fromBeginning: this.options.fromBeginning ?? true });
    await this.consumer.run({
      eachBatchAutoResolve: false,
      // Commit after every handled chunk (commitOffsetsIfNecessary below), so a
      // crash redelivers at most the chunk in hand, not the whole fetched batch.
      autoCommitThreshold: 1,
      eachBatch: (payload) => this.onBatch(payload),
    });
  }

  /** Leaves the group; a chunk waiting to be retried is abandoned uncommitted (redelivered to the next member). */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.consumer.disconnect();
  }

  private interruptibleSleep(ms: number): Promise<void> {
    const signal = this.stopping.signal;
    if (signal.aborted) return Promise.reject(new ConsumerStoppedError());
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        clearTimeout(timer);
        reject(new ConsumerStoppedError());
      };
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  private async onBatch({ batch, resolveOffset, heartbeat, isRunning, isStale, commitOffsetsIfNecessary }: EachBatchPayload) {
    const messages = batch.messages.map((m) => toConsumed(batch.topic, batch.partition, m));
    for (let start = 0; start < messages.length; start += this.chunkSize) {
      if (!isRunning() || isStale()) return;
      const chunk = messages.slice(start, start + this.chunkSize);
      await this.process(chunk, heartbeat);
      resolveOffset(chunk[chunk.length - 1]!.offset);
      await heartbeat();
      await commitOffsetsIfNecessary();
    }
  }

  /** Applies a chunk; never throws for a handler error (retries, splits, dead-letters instead). */
  private async process(chunk: ConsumedMessage[], heartbeat: () => Promise<void>): Promise<void> {
    const failure = await this.attempt(chunk, heartbeat);
    if (!failure) return;
    if (chunk.length > 1) {
      for (const message of chunk) await this.process([message], heartbeat);
      return;
    }
    await this.deadLetter(chunk[0]!, failure.error, failure.attempts);
  }

  private async attempt(chunk: ConsumedMessage[], heartbeat: () => Promise<void>) {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.options.handler(chunk);
        return undefined;
      } catch (error) {
        const poison = error instanceof PoisonMessageError;
        if (poison || attempt >= this.maxAttempts) return { error, attempts: attempt };
        this.options.log?.('warn', 'handler failed; retrying', {
          topic: chunk[0]!.topic,
          partition: chunk[0]!.partition,
          fromOffset: chunk[0]!.offset,
          messages: chunk.length,
          attempt,
          error: describe(error),
        });
        await this.sleep(backoffDelay(attempt, this.backoff));
        await heartbeat();
      }
    }
  }

  private async deadLetter(message: ConsumedMessage, error: unknown, attempts: number): Promise<void> {
    const reason = describe(error).slice(0, MAX_REASON_LENGTH);
    const target = deadLetterTopic(message.topic);
    await this.options.deadLetters.publish(target, [
      {
        key: message.key ?? '',
        value: message.value ?? '',
        headers: {
          ...message.headers,
          [DLQ_HEADERS.reason]: reason,
          [DLQ_HEADERS.originalTopic]: message.topic,
          [DLQ_HEADERS.originalPartition]: String(message.partition),
          [DLQ_HEADERS.originalOffset]: message.offset,
          [DLQ_HEADERS.attempts]: String(attempts),
          [DLQ_HEADERS.failedAt]: new Date().toISOString(),
        },
      },
    ]);
    this.options.log?.('error', 'message dead-lettered', {
      topic: message.topic,
      partition: message.partition,
      offset: message.offset,
      deadLetterTopic: target,
      reason,
    });
    this.options.onDeadLetter?.(message, reason);
  }
}

/** Exponential backoff, capped, with "equal jitter" (half fixed, half random) so retries of many consumers spread out. */
export function backoffDelay(attempt: number, { initialMs, maxMs }: { initialMs: number; maxMs: number }, random = Math.random): number {
  const ceiling = Math.min(maxMs, initialMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

function toConsumed(topic: string, partition: number, message: KafkaMessage): ConsumedMessage {
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key ? message.key.toString('utf8') : null,
    value: message.value,
    headers: decodeHeaders(message.headers),
    timestamp: Number(message.timestamp),
  };
}

function decodeHeaders(headers: IHeaders | undefined): Record<string, string> {
  const decoded: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) decoded[name] = first.toString();
  }
  return decoded;
}
