import type { Consumer, EachBatchPayload, IHeaders, Kafka, KafkaMessage } from 'kafkajs';
import { backoffDelay } from '@understudy/concurrency';
import { processChunk } from './chunk-processor';
import { classifyFailure } from './failures';
import type { EventPublisher } from './publisher';
import { deadLetterTopic } from './topics';

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

export type BatchHandler = (messages: ConsumedMessage[]) => Promise<void>;

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
  /**
   * Failures of an unknown kind (neither poison nor transient: most likely a
   * bug) a chunk may have before its failing messages are dead-lettered.
   * Transient failures are retried without limit; poison is dead-lettered at once.
   */
  maxAttempts?: number;
  /** What the app knows to be transient besides the defaults (see classifyFailure), e.g. libs/database's SQLSTATE classes. */
  isTransient?: (error: unknown) => boolean;
  /** Backoff between retries of a paused partition (exponential, capped, jittered). */
  backoff?: { initialMs: number; maxMs: number };
  fromBeginning?: boolean;
  /** How long the group waits for a silent member before moving its partitions (broker minimum: 6 s). */
  sessionTimeoutMs?: number;
  /** Where dead letters are published (`<topic>.dlq`). */
  deadLetters: Pick<EventPublisher, 'publish'>;
  log?: (level: 'info' | 'warn' | 'error', message: string, details: Record<string, unknown>) => void;
  onDeadLetter?: (message: ConsumedMessage, reason: string) => void;
  /** Called each time a partition is paused for a retry. */
  onRetry?: (state: BlockedPartition) => void;
  /**
   * kafkajs crashed the consumer (`consumer.events.CRASH`). With `restart: true`
   * kafkajs restarts it itself; with `restart: false` (a non-retriable error,
   * e.g. no broker reachable) the consumer is dead and stays so unless its
   * owner replaces it (ManagedConsumer does).
   */
  onCrash?: (crash: { error: unknown; restart: boolean }) => void;
}

/** A partition paused because its next message failed with a transient (or not yet exhausted unknown) error. */
export interface BlockedPartition {
  topic: string;
  partition: number;
  /** The first message not applied yet. */
  offset: string;
  kind: 'transient' | 'unknown';
  /** Failures in a row at this offset. */
  attempts: number;
  error: string;
  /** When this offset first failed (ISO). */
  since: string;
  retryInMs: number;
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
 * - hands the handler chunks of one partition in order, heartbeating between chunks;
 * - resolves (and so commits) an offset only after the handler succeeded for it
 *   (or dead-lettered it);
 * - decides what a failure means with `processChunk` (chunk-processor.ts): a
 *   transient failure pauses the partition and retries it after a jittered
 *   backoff, without limit, while the member stays in its group and its other
 *   partitions flow; a poison message goes to `<topic>.dlq` with the reason in
 *   headers, and the partition moves on;
 * - `stop()` leaves the group cleanly so partitions move to the others at once.
 */
export class ConsumerRunner {
  private readonly consumer: Consumer;
  private readonly chunkSize: number;
  private readonly maxAttempts: number;
  private readonly backoff: { initialMs: number; maxMs: number };
  /** By `topic:partition`: the partitions waiting for a retry. */
  private readonly blocked = new Map<string, BlockedPartition>();
  private readonly resumeTimers = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(kafka: Kafka, private readonly options: ConsumerRunnerOptions) {
    this.chunkSize = options.chunkSize ?? 500;
    this.maxAttempts = options.maxAttempts ?? 5;
    this.backoff = options.backoff ?? { initialMs: 200, maxMs: 5_000 };
    this.consumer = kafka.consumer({
      groupId: options.groupId,
      sessionTimeout: options.sessionTimeoutMs ?? 30_000,
      rebalanceTimeout: options.sessionTimeoutMs ?? 30_000,
      heartbeatInterval: Math.min(3_000, Math.floor((options.sessionTimeoutMs ?? 30_000) / 3)),
      allowAutoTopicCreation: false,
    });
    this.consumer.on(this.consumer.events.CRASH, ({ payload }) => {
      if (!this.stopped) this.options.onCrash?.({ error: payload.error, restart: payload.restart });
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

  /** Leaves the group; a partition waiting for its retry is left uncommitted (redelivered to the next member). */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.resumeTimers) clearTimeout(timer);
    this.resumeTimers.clear();
    await this.consumer.disconnect();
  }

  /** Partitions paused until their retry, for health and metrics. */
  blockedPartitions(): BlockedPartition[] {
    return [...this.blocked.values()];
  }

  private async onBatch({ batch, resolveOffset, heartbeat, isRunning, isStale, commitOffsetsIfNecessary, pause }: EachBatchPayload) {
    const messages = batch.messages.map((m) => toConsumed(batch.topic, batch.partition, m));
    const key = `${batch.topic}:${batch.partition}`;
    for (let start = 0; start < messages.length; start += this.chunkSize) {
      if (!isRunning() || isStale() || this.stopped) return;
      const chunk = messages.slice(start, start + this.chunkSize);
      const previous = this.blocked.get(key);
      const previousAttempts = previous?.offset === chunk[0]!.offset ? previous.attempts : 0;
      const outcome = await processChunk(chunk, previousAttempts, {
        handler: this.options.handler,
        classify: (error) => classifyFailure(error, this.options.isTransient),
        deadLetter: (message, error, attempts) => this.deadLetter(message, error, attempts),
        maxAttempts: this.maxAttempts,
      });
      if (outcome.status === 'done') {
        if (previous) {
          this.blocked.delete(key);
          this.options.log?.('info', 'partition recovered', { topic: batch.topic, partition: batch.partition, offset: chunk[0]!.offset, attempts: previous.attempts });
        }
        resolveOffset(chunk[chunk.length - 1]!.offset);
        await heartbeat();
        await commitOffsetsIfNecessary();
        continue;
      }

      if (outcome.done > 0) {
        resolveOffset(chunk[outcome.done - 1]!.offset);
        await commitOffsetsIfNecessary();
      }
      const failedAt = chunk[outcome.done]!;
      const retryInMs = backoffDelay(outcome.attempts - 1, { baseMs: this.backoff.initialMs, maxMs: this.backoff.maxMs, jitter: 'equal' });
      const state: BlockedPartition = {
        topic: batch.topic,
        partition: batch.partition,
        offset: failedAt.offset,
        kind: outcome.kind,
        attempts: outcome.attempts,
        error: describe(outcome.error).slice(0, MAX_REASON_LENGTH),
        since: previous?.offset === failedAt.offset ? previous.since : new Date().toISOString(),
        retryInMs,
      };
      this.blocked.set(key, state);
      this.options.log?.('warn', 'partition paused; retrying', { ...state });
      this.options.onRetry?.(state);
      // Paused, the partition is left out of fetches; resumed, it is fetched again from its
      // first unresolved offset. The member keeps heartbeating, so it stays in the group.
      const resume = pause();
      const timer = setTimeout(() => {
        this.resumeTimers.delete(timer);
        if (!this.stopped) resume();
      }, retryInMs);
      this.resumeTimers.add(timer);
      return;
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
