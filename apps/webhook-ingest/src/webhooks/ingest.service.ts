import { Inject, Injectable } from '@nestjs/common';
import { OutageLog } from '@understudy/concurrency';
import { type ClaimResult, type DedupStore } from '@understudy/idempotency';
import { LOGGER } from '@understudy/observability';
import { ApiError } from '@understudy/platform';
import type { Logger } from 'pino';
import { type DeliveryPath, DurableDelivery, type OutboxEntry } from '../delivery/durable-delivery';
import { webhookMessage } from './envelope';
import { DEDUP_STORE, DELIVERY_POLICY, INGEST_METRICS } from './ingest.tokens';
import type { IngestMetrics } from './ingest-metrics';
import { type DeliveryPolicy, verifyDelivery } from './verify-delivery';

/** Webhook ids share the dedup table with event ids, under a prefix of their own. */
export const webhookDedupId = (webhookId: string): string => `webhook:${webhookId}`;

export const DEDUP_TABLE = 'webhook_dedup';

export interface IngestSettings {
  /** How long a duplicate waits for a concurrent first delivery to finish before answering 503. */
  concurrentDuplicateWaitMs: number;
  /** KAFKA_TOPIC_PREFIX, in front of the registry's Kafka topic. */
  topicPrefix: string;
}

export type IngestAnswer = { status: 'accepted' | 'duplicate' | 'ignored' | 'stale' };

/**
 * The minimum, fast: verify, deduplicate, make durable, answer. Nothing else
 * happens inline, so a slow downstream can never push the answer past
 * Shopify's 5-second timeout. "Durable" is a Kafka acknowledgement, or — when
 * Kafka is down or the outbox still drains — a PostgreSQL outbox commit.
 * Only when neither can take the webhook does Shopify get a 503 (and retry).
 */
@Injectable()
export class IngestService {
  /** PostgreSQL's dedup table down: logged once when it fails and once when it returns, not per webhook (each has up to four calls). */
  private readonly dedupOutage = new OutageLog({
    down: (error) => this.logger.warn({ err: error }, 'dedup store unavailable; accepting at-least-once until it returns'),
    up: (failures) => this.logger.info({ failedCalls: failures }, 'dedup store available again'),
  });

  constructor(
    @Inject(DELIVERY_POLICY) private readonly policy: DeliveryPolicy & IngestSettings,
    @Inject(DEDUP_STORE) private readonly dedup: DedupStore,
    private readonly delivery: DurableDelivery,
    @Inject(INGEST_METRICS) private readonly metrics: IngestMetrics,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async ingest(rawBody: Buffer, headers: Record<string, string | string[] | undefined>, receivedAt = new Date()): Promise<IngestAnswer> {
    const started = process.hrtime.bigint();
    const verdict = verifyDelivery(rawBody, headers, this.policy);
    if (verdict.kind === 'reject') {
      this.metrics.webhooks.inc({ topic: verdict.metricTopic, result: verdict.result });
      throw new ApiError(verdict.status, verdict.code, verdict.message, verdict.details);
    }
    if (verdict.kind === 'ignore') {
      this.metrics.webhooks.inc({ topic: 'unknown', result: 'invalid' });
      this.logger.warn({ topic: verdict.headers.topic, webhookId: verdict.headers.webhookId }, 'webhook for a topic we do not consume; acknowledged and dropped');
      return { status: 'ignored' };
    }
    if (verdict.kind === 'stale') {
      // 200, not 4xx: retrying cannot make it fresh, and failures would make Shopify drop the subscription.
      this.metrics.webhooks.inc({ topic: verdict.headers.topic, result: 'stale' });
      this.logger.warn({ topic: verdict.headers.topic, webhookId: verdict.headers.webhookId, reason: verdict.reason }, 'webhook outside the retry window; acknowledged, not published');
      return { status: 'stale' };
    }

    const { headers: h } = verdict;
    // Shopify's guidance: one event can arrive as several deliveries with different webhook ids
    // but one X-Shopify-Event-Id (and a retry repeats both), so the event id is the dedup key.
    const claim = await this.claim(h.eventId);
    if (claim === 'duplicate') {
      this.metrics.webhooks.inc({ topic: h.topic, result: 'duplicate' });
      return { status: 'duplicate' };
    }
    if (claim === 'in_progress') {
      throw new ApiError(503, 'DELIVERY_IN_PROGRESS', 'this event is being processed by another delivery; retry later');
    }
    // Only the body is signed. A retry repeats both ids and one event's deliveries share the event id,
    // so a webhook id already seen under another event id is a captured delivery replayed with a new
    // X-Shopify-Event-Id: a duplicate, whatever the headers claim.
    const webhookClaim = await this.claim(webhookDedupId(h.webhookId));
    if (webhookClaim !== 'claimed') {
      if (webhookClaim === 'duplicate') {
        // The forged event id is done too, so the same replay is answered from the cache next time.
        this.complete(h.eventId);
        this.metrics.webhooks.inc({ topic: h.topic, result: 'duplicate' });
        this.logger.warn({ topic: h.topic, webhookId: h.webhookId, eventId: h.eventId }, 'webhook id seen before under another event id; a replayed delivery, not published');
        return { status: 'duplicate' };
      }
      await this.dedup.release(h.eventId).catch(() => undefined);
      throw new ApiError(503, 'DELIVERY_IN_PROGRESS', 'this webhook is being processed by another delivery; retry later');
    }

    const entry: OutboxEntry = { eventId: h.eventId, ...webhookMessage(verdict, this.policy.topicPrefix, receivedAt) };
    if (verdict.kind === 'unkeyable') {
      this.logger.warn({ topic: h.topic, webhookId: h.webhookId, reason: verdict.reason }, 'webhook payload failed its schema; dead-lettered');
    }

    const path = await this.makeDurable(entry, h.webhookId);
    const result = verdict.kind === 'unkeyable' ? 'invalid' : path === 'kafka' ? 'accepted' : 'buffered';
    this.metrics.webhooks.inc({ topic: h.topic, result });
    this.metrics.ackSeconds.observe({ path }, Number(process.hrtime.bigint() - started) / 1e9);
    return { status: 'accepted' };
  }

  /** Dedup with PostgreSQL down degrades to at-least-once (consumers dedupe by webhook id); Redis down costs only speed. */
  private async claim(eventId: string): Promise<ClaimResult> {
    const deadline = Date.now() + this.policy.concurrentDuplicateWaitMs;
    for (;;) {
      let result: ClaimResult;
      try {
        result = await this.dedup.claim(eventId);
        this.dedupOutage.succeeded();
      } catch (error) {
        this.dedupOutage.failed(error);
        this.logger.debug({ err: error, eventId }, 'dedup claim failed; accepting at-least-once');
        return 'claimed';
      }
      if (result !== 'in_progress' || Date.now() >= deadline) return result;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  private completeClaims(eventId: string, webhookId: string): void {
    for (const id of [eventId, webhookDedupId(webhookId)]) this.complete(id);
  }

  private complete(id: string): void {
    this.dedup.complete(id).then(
      () => this.dedupOutage.succeeded(),
      (error: unknown) => {
        this.dedupOutage.failed(error);
        this.logger.debug({ err: error, id }, 'could not record webhook as done');
      },
    );
  }

  /** Kafka, else the outbox (DurableDelivery); a webhook neither took gives its claims back and gets a 503. */
  private async makeDurable(entry: OutboxEntry, webhookId: string): Promise<DeliveryPath> {
    let path: DeliveryPath;
    try {
      path = await this.delivery.deliver(entry);
    } catch {
      await Promise.all([this.dedup.release(entry.eventId), this.dedup.release(webhookDedupId(webhookId))]).catch(() => undefined);
      throw new ApiError(503, 'UNAVAILABLE', 'cannot store the webhook right now; retry later');
    }
    if (path === 'kafka') {
      this.completeClaims(entry.eventId, webhookId);
    } else {
      // The outbox row marked the event id done in its own transaction; the webhook id follows.
      this.complete(webhookDedupId(webhookId));
    }
    return path;
  }
}
