import { backoffDelay, OutageLog, withDeadline } from '@understudy/concurrency';
import type { OutgoingMessage } from '@understudy/messaging';
import { counter, gauge, type Registry } from '@understudy/observability';
import type { WebhookMessage } from '../webhooks/envelope';

/** A message as it goes to Kafka, or waits in the outbox for it: what webhooks/envelope.ts builds. */
export type OutboxMessage = WebhookMessage;

export interface OutboxEntry extends OutboxMessage {
  /** X-Shopify-Event-Id: the dedup key, marked done in the same transaction as the outbox row. */
  eventId: string;
}

/** What Kafka is to this component (libs/messaging's EventPublisher): resolves once the messages are acknowledged. */
export interface MessagePublisher {
  publish(topic: string, messages: OutgoingMessage[]): Promise<void>;
}

/** The durable fallback (PostgresOutbox): entries kept in arrival order until Kafka takes them. */
export interface OutboxStore {
  /** False while the store cannot be asked at all (the database not connected yet): the drain pass skips. */
  readonly available: boolean;
  /** Stores the entry and completes its dedup claim, atomically. */
  store(entry: OutboxEntry): Promise<void>;
  /** How many entries wait. */
  depth(): Promise<number>;
  /**
   * Takes the oldest `limit` entries (in arrival order, one drainer across
   * replicas at a time), hands them to `publish` and removes them once it
   * resolved. Returns how many went; 0 when another replica holds the turn.
   */
  drainOldest(limit: number, publish: (messages: OutboxMessage[]) => Promise<void>): Promise<number>;
}

export interface DurableDeliveryOptions {
  publisher: MessagePublisher;
  outbox: OutboxStore;
  metrics: Registry;
  /** How long a publish may wait for Kafka's acknowledgement before the entry goes to the outbox. */
  publishTimeoutMs: number;
  log: (level: 'debug' | 'info' | 'warn' | 'error', message: string, details?: Record<string, unknown>) => void;
  /** Entries per drain pass. */
  drainBatch?: number;
  /** Pause between drain passes. */
  drainIntervalMs?: number;
  /** Longest pause after consecutive failed passes (the pause doubles from `drainIntervalMs` up to this). */
  drainMaxBackoffMs?: number;
}

export type DeliveryPath = 'kafka' | 'outbox';

export class PublishTimeoutError extends Error {
  constructor(ms: number) {
    super(`Kafka did not acknowledge within ${ms} ms`);
  }
}

/** The metrics of the durable path (their names are documented in docs/webhook-ingest.md). */
function deliveryMetrics(registry: Registry) {
  return {
    outboxDepth: gauge(registry, 'understudy_webhook_outbox_depth', 'Envelopes waiting in the PostgreSQL outbox for Kafka.'),
    outboxRelayed: counter(registry, 'understudy_webhook_outbox_relayed_total', 'Envelopes relayed from the outbox to Kafka.'),
    deliveryPath: gauge(registry, 'understudy_webhook_delivery_path', '1 for the path new webhooks take now (kafka, or outbox while Kafka is down or the outbox drains).', ['path']),
  };
}

/**
 * "Kafka, else the outbox": the one owner of the durable path's state, its
 * metrics and the drain loop. A message goes to Kafka while Kafka is healthy
 * and the outbox is empty; once a publish fails or times out, every new
 * message goes to the outbox until the drain loop has emptied it, so a newer
 * event never overtakes an older one for the same key. The drain loop moves
 * the outbox to Kafka in arrival order, one batch per pass.
 */
export class DurableDelivery {
  private kafkaFailing = false;
  private outboxDepth = 0;
  private readonly metrics: ReturnType<typeof deliveryMetrics>;
  private readonly drainBatch: number;
  private readonly drainIntervalMs: number;
  private timer: NodeJS.Timeout | undefined;
  private draining: Promise<void> | undefined;
  private stopped = true;
  private readonly relay: OutageLog;

  constructor(private readonly options: DurableDeliveryOptions) {
    this.metrics = deliveryMetrics(options.metrics);
    this.drainBatch = options.drainBatch ?? 500;
    this.drainIntervalMs = options.drainIntervalMs ?? 250;
    this.relay = new OutageLog({
      down: (error) => options.log('warn', 'outbox relay failing; retrying with backoff', { err: error }),
      up: (failures) => options.log('info', 'outbox relay working again', { failedPasses: failures }),
    });
  }

  /** The path new messages take now. */
  get path(): DeliveryPath {
    return this.kafkaFailing || this.outboxDepth > 0 ? 'outbox' : 'kafka';
  }

  /** For readiness: the path in use and what waits in the outbox. */
  status(): { path: DeliveryPath; outboxDepth: number } {
    return { path: this.path, outboxDepth: this.outboxDepth };
  }

  /**
   * Makes `entry` durable: acknowledged by Kafka, or committed to the outbox.
   * Rejects only when neither took it (the caller answers 503 and the sender retries).
   */
  async deliver(entry: OutboxEntry): Promise<DeliveryPath> {
    if (this.path === 'kafka') {
      try {
        const ms = this.options.publishTimeoutMs;
        await withDeadline(this.options.publisher.publish(entry.kafkaTopic, [toMessage(entry)]), ms, () => {
          throw new PublishTimeoutError(ms);
        });
        return 'kafka';
      } catch (error) {
        if (!this.kafkaFailing) this.options.log('warn', 'Kafka unavailable; webhooks go to the PostgreSQL outbox', { err: error });
        this.kafkaFailing = true;
        this.report();
      }
    }
    try {
      await this.options.outbox.store(entry);
    } catch (error) {
      this.options.log('error', 'neither Kafka nor the PostgreSQL outbox took the webhook; Shopify will retry', { err: error });
      throw error;
    }
    this.outboxDepth++;
    this.report();
    return 'outbox';
  }

  /** One drain pass: refresh the depth, and if Kafka takes messages, move a batch from the outbox to Kafka. Returns how many moved. */
  async drainOnce(): Promise<number> {
    const { outbox, publisher } = this.options;
    if (!outbox.available) return 0;
    const depth = await outbox.depth();
    if (depth === 0) {
      // Nothing waits: let the next message try Kafka again (it falls back within the publish timeout).
      this.kafkaFailing = false;
      this.setDepth(0);
      return 0;
    }
    this.setDepth(depth);
    const drained = await outbox.drainOldest(this.drainBatch, async (messages) => {
      // One publish per topic, in arrival order; the publisher keeps order within a batch.
      const byTopic = new Map<string, OutboxMessage[]>();
      for (const message of messages) byTopic.set(message.kafkaTopic, [...(byTopic.get(message.kafkaTopic) ?? []), message]);
      await Promise.all([...byTopic].map(([topic, topicMessages]) => publisher.publish(topic, topicMessages.map(toMessage))));
    });
    if (drained === 0) return 0;
    this.metrics.outboxRelayed.inc(drained);
    this.kafkaFailing = false;
    this.setDepth(Math.max(0, depth - drained));
    this.options.log('info', 'outbox relayed to Kafka', { relayed: drained, remaining: this.outboxDepth });
    return drained;
  }

  /**
   * Starts the drain loop: a pass at once, then one `drainIntervalMs` after
   * each pass ends; after failed passes (PostgreSQL or Kafka down) the pause
   * backs off, and the outage is logged once when it starts and once when it ends.
   */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    const tick = () => {
      if (this.stopped) return;
      this.draining = this.drainOnce()
        .then(() => this.relay.succeeded())
        .catch((error: unknown) => this.relay.failed(error))
        .finally(() => {
          this.draining = undefined;
          if (this.stopped) return;
          const failures = this.relay.consecutiveFailures;
          const delay = failures === 0 ? this.drainIntervalMs : this.drainIntervalMs + backoffDelay(failures - 1, { baseMs: this.drainIntervalMs, maxMs: this.options.drainMaxBackoffMs ?? 30_000 });
          if (failures > 0) this.options.log('debug', 'outbox relay pass failed', { failedPasses: failures, retryInMs: delay });
          this.timer = setTimeout(tick, delay);
        });
    };
    this.timer = setTimeout(tick, 0);
  }

  /** Stops the drain loop; resolves once a pass in progress has finished, or after `deadlineMs` (a pass hung on Kafka or PostgreSQL). */
  async stop(deadlineMs = Number.POSITIVE_INFINITY): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    if (!this.draining) return;
    if (!Number.isFinite(deadlineMs)) return this.draining;
    await withDeadline(this.draining, deadlineMs, () => this.options.log('warn', 'outbox relay pass still running at shutdown; not waiting for it', { deadlineMs }));
  }

  private setDepth(depth: number): void {
    this.outboxDepth = depth;
    this.report();
  }

  private report(): void {
    this.metrics.outboxDepth.set(this.outboxDepth);
    this.metrics.deliveryPath.set({ path: 'kafka' }, this.path === 'kafka' ? 1 : 0);
    this.metrics.deliveryPath.set({ path: 'outbox' }, this.path === 'outbox' ? 1 : 0);
  }
}

function toMessage(message: OutboxMessage): OutgoingMessage {
  return { key: message.kafkaKey, value: message.envelope, headers: message.headers };
}
