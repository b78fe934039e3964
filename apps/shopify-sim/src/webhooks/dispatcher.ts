import { randomUUID } from 'node:crypto';
import { subscriptionTopic, webhookHmac, type WebhookTopic } from '@understudy/shopify';
import type { Logger } from 'pino';
import { Pool } from 'undici';
import type { WebhookSubscriptionRecord, WebhookTopicEnum } from '../store/records';
import type { ShopState } from '../store/shop';
import type { SimSettings } from '../settings';
import { MinHeap } from './heap';
import { isDeliverySuccess, retryDelayMs, WEBHOOK_RETRIES } from './schedule';


interface Delivery {
  webhookId: string;
  eventId: string;
  topic: WebhookTopic;
  shop: ShopState;
  subscriptionId: number;
  /** The address at trigger time: retries go there even if the subscription moves. */
  uri: string;
  body: string;
  hmac: string;
  triggeredAt: string;
  apiVersion: string;
  /** 0 = first attempt, 1…8 = retries. */
  attempt: number;
  /** When this webhook first failed (undefined until it does). */
  firstFailedAt?: number;
  dueAt: number;
  duplicate: boolean;
}

export interface DeliveryLogEntry {
  at: string;
  webhookId: string;
  eventId: string;
  topic: string;
  shop: string;
  subscriptionId: string;
  uri: string;
  attempt: number;
  outcome: 'succeeded' | 'failed' | 'dropped' | 'abandoned' | 'subscription_removed';
  status?: number;
  error?: string;
  durationMs?: number;
  duplicate: boolean;
}

export interface DeliveryCounters {
  /** Events raised (one per change, whatever the number of subscriptions). */
  events: number;
  /** HTTP attempts made. */
  sent: number;
  succeeded: number;
  failed: number;
  /** Retries scheduled after a failure. */
  retried: number;
  /** Deliveries the drop knob swallowed. */
  dropped: number;
  /** Extra copies the duplicate knob added. */
  duplicated: number;
  /** Deliveries given up: retries exhausted, subscription gone, or queue full. */
  abandoned: number;
  subscriptionsRemoved: number;
  /** Queued or in flight right now. */
  pending: number;
  inFlight: number;
}

const ZERO: Omit<DeliveryCounters, 'pending' | 'inFlight'> = {
  events: 0,
  sent: 0,
  succeeded: 0,
  failed: 0,
  retried: 0,
  dropped: 0,
  duplicated: 0,
  abandoned: 0,
  subscriptionsRemoved: 0,
};

/**
 * Delivers webhooks the way Shopify does: signed with the app secret, with
 * Shopify's headers, a 1 s connect / 5 s total timeout, any non-2xx (3xx
 * included) a failure, 8 retries with exponential backoff carrying the
 * original payload, and removal of the subscription after 8 failed retries in
 * a row. No ordering is promised — and the chaos knobs make sure of it.
 *
 * One min-heap of deliveries by due time and one timer drive everything;
 * at most `concurrency` requests are in flight, over keep-alive undici pools.
 */
export class WebhookDispatcher {
  private readonly queue = new MinHeap<Delivery>((delivery) => delivery.dueAt);
  private readonly pools = new Map<string, Pool>();
  private counts = { ...ZERO };
  private inFlight = 0;
  private timer: NodeJS.Timeout | undefined;
  private timerDueAt = Number.POSITIVE_INFINITY;
  private pumpScheduled = false;
  private closed = false;
  private log: DeliveryLogEntry[] = [];
  private logNext = 0;
  private readonly idle = new Set<() => void>();

  constructor(
    private readonly settings: SimSettings,
    private readonly logger: Logger,
    private readonly random: () => number = Math.random,
  ) {}

  /** Raises one event: a delivery per matching subscription of the shop, subject to the chaos knobs. */
  emit(shop: ShopState, topic: WebhookTopic, payload: object, triggeredAtMs = Date.now()): number {
    if (this.closed) return 0;
    const topicEnum: WebhookTopicEnum = subscriptionTopic(topic);
    let subscriptions: WebhookSubscriptionRecord[] | undefined;
    for (const subscription of shop.webhookSubscriptions.values()) {
      if (subscription.topic === topicEnum) (subscriptions ??= []).push(subscription);
    }
    this.counts.events++;
    if (!subscriptions) return 0;
    const body = JSON.stringify(payload);
    const hmac = webhookHmac(body, this.settings.appSecret);
    const eventId = randomUUID();
    const triggeredAt = new Date(triggeredAtMs).toISOString();
    const now = Date.now();
    const { chaos } = this.settings;
    for (const subscription of subscriptions) {
      const copies = this.random() < chaos.duplicateRate ? 2 : 1;
      if (copies === 2) this.counts.duplicated++;
      for (let copy = 0; copy < copies; copy++) {
        const delivery: Delivery = {
          webhookId: randomUUID(),
          eventId,
          topic,
          shop,
          subscriptionId: subscription.id,
          uri: subscription.uri,
          body,
          hmac,
          triggeredAt,
          apiVersion: subscription.apiVersion,
          attempt: 0,
          dueAt: now + chaos.addedDelayMs + (chaos.reorderWindowMs > 0 ? this.random() * chaos.reorderWindowMs : 0),
          duplicate: copy === 1,
        };
        if (this.random() < chaos.dropRate) {
          this.counts.dropped++;
          this.record(delivery, 'dropped');
          continue;
        }
        if (this.queue.size + this.inFlight >= this.settings.webhook.maxPending) {
          this.counts.abandoned++;
          this.record(delivery, 'abandoned', { error: 'queue full' });
          continue;
        }
        this.queue.push(delivery);
      }
    }
    this.schedulePump();
    return subscriptions.length;
  }

  counters(): DeliveryCounters {
    return { ...this.counts, pending: this.queue.size + this.inFlight, inFlight: this.inFlight };
  }

  /** Most recent first. */
  deliveries(filter: { limit?: number; topic?: string; subscriptionId?: string; outcome?: string } = {}): DeliveryLogEntry[] {
    const size = this.log.length;
    const result: DeliveryLogEntry[] = [];
    const limit = filter.limit ?? 100;
    for (let i = 0; i < size && result.length < limit; i++) {
      const entry = this.log[(this.logNext - 1 - i + size) % size]!;
      if (filter.topic && entry.topic !== filter.topic) continue;
      if (filter.subscriptionId && entry.subscriptionId !== filter.subscriptionId) continue;
      if (filter.outcome && entry.outcome !== filter.outcome) continue;
      result.push(entry);
    }
    return result;
  }

  resetCounters(): void {
    this.counts = { ...ZERO };
    this.log = [];
    this.logNext = 0;
  }

  /** Forgets every queued delivery (the ones in flight finish). */
  clearQueue(): void {
    this.queue.clear();
    this.notifyIdle();
  }

  /** Resolves once nothing is queued or in flight. */
  whenIdle(): Promise<void> {
    if (this.queue.size === 0 && this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.add(resolve));
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.queue.clear();
    await Promise.all([...this.pools.values()].map((pool) => pool.close().catch(() => undefined)));
    this.pools.clear();
  }

  // ---- the pump ---------------------------------------------------------------------------

  private schedulePump(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    setImmediate(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    if (this.closed) return;
    const now = Date.now();
    while (this.inFlight < this.settings.webhook.concurrency) {
      const next = this.queue.peek();
      if (!next || next.dueAt > now) break;
      this.queue.pop();
      void this.send(next);
    }
    const next = this.queue.peek();
    if (next && this.inFlight < this.settings.webhook.concurrency) this.armTimer(next.dueAt);
    this.notifyIdle();
  }

  private armTimer(dueAt: number): void {
    if (this.timer && this.timerDueAt <= dueAt) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerDueAt = dueAt;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.timerDueAt = Number.POSITIVE_INFINITY;
        this.pump();
      },
      Math.max(0, dueAt - Date.now()),
    );
  }

  private async send(delivery: Delivery): Promise<void> {
    const subscription = delivery.shop.webhookSubscriptions.get(delivery.subscriptionId);
    if (!subscription) {
      this.counts.abandoned++;
      this.record(delivery, 'abandoned', { error: 'subscription deleted' });
      return;
    }
    this.inFlight++;
    this.counts.sent++;
    const started = performance.now();
    let status: number | undefined;
    let error: string | undefined;
    try {
      const url = new URL(delivery.uri);
      const response = await this.pool(url.origin).request({
        method: 'POST',
        path: `${url.pathname}${url.search}`,
        headers: this.headers(delivery),
        body: delivery.body,
        signal: AbortSignal.timeout(this.settings.webhook.timeoutMs),
      });
      status = response.statusCode;
      await response.body.dump();
    } catch (caught) {
      error = (caught as Error).name === 'TimeoutError' ? `timed out after ${this.settings.webhook.timeoutMs} ms` : (caught as Error).message;
    }
    const durationMs = Math.round((performance.now() - started) * 100) / 100;
    this.inFlight--;
    if (status !== undefined && isDeliverySuccess(status)) {
      this.counts.succeeded++;
      subscription.lastSucceededAt = Date.now();
      this.record(delivery, 'succeeded', { status, durationMs });
    } else {
      this.counts.failed++;
      this.record(delivery, 'failed', { status, error, durationMs });
      this.afterFailure(delivery, subscription);
    }
    this.schedulePump();
  }

  /**
   * Shopify deletes a subscription after 8 consecutive failures: one webhook
   * failing its first attempt and every retry after it, with nothing delivered
   * to that subscription meanwhile. Counting per webhook (not every failed
   * attempt across all in-flight webhooks) keeps a seconds-long receiver
   * outage during a burst from deleting the subscription, as on Shopify.
   */
  private afterFailure(delivery: Delivery, subscription: WebhookSubscriptionRecord): void {
    const firstFailedAt = delivery.firstFailedAt ?? Date.now();
    const deliveredSinceFirstFailure = (subscription.lastSucceededAt ?? 0) >= firstFailedAt;
    if (delivery.attempt >= this.settings.webhook.removeAfterFailures && !deliveredSinceFirstFailure) {
      if (delivery.shop.webhookSubscriptions.delete(subscription.id)) {
        this.counts.subscriptionsRemoved++;
        this.record(delivery, 'subscription_removed');
        this.logger.warn({ subscriptionId: subscription.id, uri: subscription.uri }, 'webhook subscription removed after consecutive failures');
      }
      return;
    }
    if (delivery.attempt >= WEBHOOK_RETRIES) {
      this.counts.abandoned++;
      this.record(delivery, 'abandoned', { error: 'retries exhausted' });
      return;
    }
    this.counts.retried++;
    const attempt = delivery.attempt + 1;
    this.queue.push({ ...delivery, attempt, firstFailedAt, dueAt: Date.now() + retryDelayMs(attempt, this.settings.timeScale) });
  }

  private headers(delivery: Delivery): Record<string, string> {
    return {
      'content-type': 'application/json',
      'user-agent': 'Shopify-Captain-Hook',
      'x-shopify-topic': delivery.topic,
      'x-shopify-hmac-sha256': delivery.hmac,
      'x-shopify-shop-domain': delivery.shop.info.domain,
      'x-shopify-api-version': delivery.apiVersion,
      'x-shopify-webhook-id': delivery.webhookId,
      'x-shopify-event-id': delivery.eventId,
      'x-shopify-triggered-at': delivery.triggeredAt,
    };
  }

  private pool(origin: string): Pool {
    let pool = this.pools.get(origin);
    if (!pool) {
      pool = new Pool(origin, {
        connections: this.settings.webhook.concurrency,
        pipelining: 1,
        keepAliveTimeout: 10_000,
        connect: { timeout: this.settings.webhook.connectTimeoutMs },
      });
      this.pools.set(origin, pool);
    }
    return pool;
  }

  private record(delivery: Delivery, outcome: DeliveryLogEntry['outcome'], extra: Partial<DeliveryLogEntry> = {}): void {
    const size = this.settings.webhook.logSize;
    if (size === 0) return;
    const entry: DeliveryLogEntry = {
      at: new Date().toISOString(),
      webhookId: delivery.webhookId,
      eventId: delivery.eventId,
      topic: delivery.topic,
      shop: delivery.shop.info.domain,
      subscriptionId: `gid://shopify/WebhookSubscription/${delivery.subscriptionId}`,
      uri: delivery.uri,
      attempt: delivery.attempt,
      outcome,
      duplicate: delivery.duplicate,
      ...extra,
    };
    if (this.log.length < size) {
      this.log.push(entry);
      this.logNext = this.log.length % size;
    } else {
      this.log[this.logNext] = entry;
      this.logNext = (this.logNext + 1) % size;
    }
  }

  private notifyIdle(): void {
    if (this.idle.size === 0 || this.queue.size > 0 || this.inFlight > 0) return;
    for (const resolve of this.idle) resolve();
    this.idle.clear();
  }
}
