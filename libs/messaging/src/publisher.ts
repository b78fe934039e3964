import { NaturalBatcher, withDeadline } from '@understudy/concurrency';
import { CompressionTypes, type Kafka, type Message, Partitioners, type Producer, type TopicMessages } from 'kafkajs';

export interface OutgoingMessage {
  /** Partitioning key: a resource id, so one resource's events stay in order on one partition. */
  key: string;
  value: Buffer | string;
  headers?: Record<string, string>;
  /** An explicit partition, for a message every partition must see (a run's end mark); otherwise the key decides. */
  partition?: number;
}

export interface PublisherOptions {
  /** Publishes allowed to wait for the in-flight send; more are rejected (QueueFullError), never queued without bound. */
  maxQueued?: number;
  /** Per-request broker timeout. */
  timeoutMs?: number;
}

/**
 * Errors after which this producer's id and sequence numbers are useless: a broker that crashed and
 * lost the producer's state answers every retry with one of these, forever (kafkajs keeps retrying an
 * idempotent producer's batch without limit and never fetches a new id). Only a new producer helps.
 */
const PRODUCER_STATE_LOST = new Set(['OUT_OF_ORDER_SEQUENCE_NUMBER', 'UNKNOWN_PRODUCER_ID', 'INVALID_PRODUCER_EPOCH']);

/** Attempts per batch before `publish` rejects (kafkajs' default for an idempotent producer is unlimited). */
const SEND_RETRIES = 5;

interface Publish {
  topic: string;
  messages: Message[];
}

/**
 * Idempotent producer (`acks: -1`, one request in flight so retries never
 * reorder) with natural batching: while a send is in flight, new publishes
 * queue up and go together in the next `sendBatch`. An idle publisher sends at
 * once (no linger delay); a busy one sends bigger batches. `publish` resolves
 * only when Kafka has acknowledged the messages.
 */
export class EventPublisher {
  private producer: Producer;
  private readonly timeoutMs: number;
  private readonly batcher: NaturalBatcher<Publish>;
  private connected = false;
  private connecting: Promise<void> | undefined;

  constructor(
    private readonly kafka: Kafka,
    options: PublisherOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.producer = this.newProducer();
    this.batcher = new NaturalBatcher((batch) => this.send(batch), { maxQueued: options.maxQueued ?? 20_000, maxBatchSize: 2_000 });
  }

  private newProducer(): Producer {
    return this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      // murmur2 on the key, as the Java client: a key lands on the same partition whichever client wrote it.
      createPartitioner: Partitioners.DefaultPartitioner,
      // Bounded, so a batch the broker can never take fails (and the caller falls back or retries) instead of hanging.
      retry: { retries: SEND_RETRIES },
    });
  }

  /** Connects once; concurrent callers share the attempt, and a failed attempt is retried by the next call. */
  connect(): Promise<void> {
    if (this.connected) return Promise.resolve();
    this.connecting ??= this.producer
      .connect()
      .then(() => {
        this.connected = true;
      })
      .finally(() => {
        this.connecting = undefined;
      });
    return this.connecting;
  }

  get isConnected(): boolean {
    return this.connected;
  }

  /** Resolves once every message is acknowledged by all in-sync replicas. */
  publish(topic: string, messages: OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return Promise.resolve();
    return this.batcher.submit({ topic, messages: messages.map(toKafkaMessage) });
  }

  /** How many partitions `topic` has, from the cluster's metadata (a short-lived admin client, bounded by the request timeout). */
  async partitionCount(topic: string): Promise<number> {
    const admin = this.kafka.admin();
    try {
      const metadata = await withDeadline(
        admin.connect().then(() => admin.fetchTopicMetadata({ topics: [topic] })),
        this.timeoutMs,
        () => {
          throw new Error(`no metadata for ${topic} within ${this.timeoutMs} ms`);
        },
      );
      const count = metadata.topics.find((t) => t.name === topic)?.partitions.length ?? 0;
      if (count === 0) throw new Error(`topic ${topic} has no partitions`);
      return count;
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  /** Waits for queued messages, then disconnects. */
  async close(): Promise<void> {
    await this.batcher.close();
    if (this.connected) await this.producer.disconnect();
    this.connected = false;
  }

  private async send(batch: Publish[]): Promise<void[]> {
    await this.connect();
    const byTopic = new Map<string, Message[]>();
    for (const { topic, messages } of batch) {
      const forTopic = byTopic.get(topic) ?? [];
      forTopic.push(...messages);
      byTopic.set(topic, forTopic);
    }
    const topicMessages: TopicMessages[] = [...byTopic].map(([topic, messages]) => ({ topic, messages }));
    try {
      await this.producer.sendBatch({ topicMessages, acks: -1, timeout: this.timeoutMs, compression: CompressionTypes.None });
    } catch (error) {
      if (producerStateLost(error)) await this.replaceProducer();
      throw error;
    }
    return batch.map(() => undefined);
  }

  /**
   * A new producer (a new id, sequences from 0) for the next batch. The failed batch may have been
   * written in part: it is the caller's to retry, and consumers deduplicate (at-least-once).
   */
  private async replaceProducer(): Promise<void> {
    const old = this.producer;
    this.producer = this.newProducer();
    this.connected = false;
    await old.disconnect().catch(() => undefined);
  }
}

/** Whether kafkajs' error, or one it wraps (retries exhausted, non-retriable), says the producer's state is gone. */
export function producerStateLost(error: unknown): boolean {
  for (let e = error as { type?: string; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (e.type && PRODUCER_STATE_LOST.has(e.type)) return true;
  }
  return false;
}

function toKafkaMessage(message: OutgoingMessage): Message {
  return {
    key: message.key,
    value: message.value,
    ...(message.headers ? { headers: message.headers } : {}),
    ...(message.partition === undefined ? {} : { partition: message.partition }),
  };
}
