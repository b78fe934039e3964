import { CompressionTypes, type Kafka, type Message, Partitioners, type Producer, type TopicMessages } from 'kafkajs';

export interface OutgoingMessage {
  /** Partitioning key: a resource id, so one resource's events stay in order on one partition. */
  key: string;
  value: Buffer | string;
  headers?: Record<string, string>;
}

export class PublisherOverloadedError extends Error {
  constructor(limit: number) {
    super(`publisher queue is full (${limit} messages waiting for Kafka)`);
    this.name = 'PublisherOverloadedError';
  }
}

export class PublisherClosedError extends Error {
  constructor() {
    super('publisher is closed');
    this.name = 'PublisherClosedError';
  }
}

interface Pending {
  topic: string;
  messages: Message[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

export interface PublisherOptions {
  /** Messages allowed to wait for the in-flight send; more are rejected, never queued without bound. */
  maxQueuedMessages?: number;
  /** Per-request broker timeout. */
  timeoutMs?: number;
}

/**
 * Idempotent producer (`acks: -1`, one request in flight so retries never
 * reorder) with natural batching: while a send is in flight, new publishes
 * queue up and go together in the next `sendBatch`. An idle publisher sends at
 * once (no linger delay); a busy one sends bigger batches. `publish` resolves
 * only when Kafka has acknowledged the messages.
 */
export class EventPublisher {
  private readonly producer: Producer;
  private readonly maxQueuedMessages: number;
  private readonly timeoutMs: number;
  private queue: Pending[] = [];
  private queuedMessages = 0;
  private sending: Promise<void> | undefined;
  private connected = false;
  private closed = false;

  constructor(kafka: Kafka, options: PublisherOptions = {}) {
    this.maxQueuedMessages = options.maxQueuedMessages ?? 50_000;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      // murmur2 on the key, as the Java client: a key lands on the same partition whichever client wrote it.
      createPartitioner: Partitioners.DefaultPartitioner,
    });
  }

  async connect(): Promise<void> {
    await this.producer.connect();
    this.connected = true;
  }

  get isConnected(): boolean {
    return this.connected && !this.closed;
  }

  /** Resolves once every message is acknowledged by all in-sync replicas. */
  publish(topic: string, messages: OutgoingMessage[]): Promise<void> {
    if (this.closed) return Promise.reject(new PublisherClosedError());
    if (messages.length === 0) return Promise.resolve();
    if (this.queuedMessages + messages.length > this.maxQueuedMessages) {
      return Promise.reject(new PublisherOverloadedError(this.maxQueuedMessages));
    }
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ topic, messages: messages.map(toKafkaMessage), resolve, reject });
      this.queuedMessages += messages.length;
      this.drain();
    });
  }

  /** Waits for queued messages, then disconnects. */
  async close(): Promise<void> {
    this.closed = true;
    while (this.sending) await this.sending;
    if (this.connected) await this.producer.disconnect();
    this.connected = false;
  }

  private drain(): void {
    if (this.sending || this.queue.length === 0) return;
    const batch = this.queue;
    this.queue = [];
    this.queuedMessages = 0;
    this.sending = this.send(batch).finally(() => {
      this.sending = undefined;
      this.drain();
    });
  }

  private async send(batch: Pending[]): Promise<void> {
    const byTopic = new Map<string, Message[]>();
    for (const pending of batch) {
      const messages = byTopic.get(pending.topic) ?? [];
      messages.push(...pending.messages);
      byTopic.set(pending.topic, messages);
    }
    const topicMessages: TopicMessages[] = [...byTopic].map(([topic, messages]) => ({ topic, messages }));
    try {
      await this.producer.sendBatch({ topicMessages, acks: -1, timeout: this.timeoutMs, compression: CompressionTypes.None });
      for (const pending of batch) pending.resolve();
    } catch (error) {
      for (const pending of batch) pending.reject(error);
    }
  }
}

function toKafkaMessage(message: OutgoingMessage): Message {
  return { key: message.key, value: message.value, ...(message.headers ? { headers: message.headers } : {}) };
}
