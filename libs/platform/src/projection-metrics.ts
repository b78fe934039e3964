import { counter, histogram } from '@understudy/observability';
import type { Registry } from 'prom-client';

/** What became of one consumed event: applied, older than what the projection holds, already seen, or dead-lettered. */
export type ProjectionResult = 'applied' | 'stale' | 'duplicate' | 'failed';

/**
 * Seconds from an event's source clock to the commit that made it visible: a webhook arrives in
 * milliseconds to seconds, a reconcile snapshot's facts minutes to an hour after their as-of.
 * One list for every projection, so a `histogram_quantile` summed over modules (inventory and
 * pricing both consume `products/update`) adds like buckets to like.
 */
export const PROJECTION_LAG_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 3_600];

/**
 * The metrics every projection reports (docs/design.md's catalogue, docs/inventory.md, docs/pricing.md):
 * `understudy_events_applied_total{topic,result}` and `understudy_projection_lag_seconds{topic}`,
 * labelled by the Kafka topic the event came on.
 */
export class ProjectionMetrics {
  private readonly events;
  private readonly lag;

  constructor(registry: Registry) {
    this.events = counter(registry, 'understudy_events_applied_total', 'Events consumed by a projection, by outcome.', ['topic', 'result']);
    this.lag = histogram(
      registry,
      'understudy_projection_lag_seconds',
      "From the source's clock (Shopify's triggered-at, or a reconcile snapshot's as-of) to the commit that made the event visible.",
      ['topic'],
      PROJECTION_LAG_BUCKETS,
    );
  }

  count(topic: string, result: ProjectionResult): void {
    this.events.inc({ topic, result });
  }

  /** An applied event: counted, and its lag from `sourceMs` (the source's clock) to `committedMs` observed. */
  applied(topic: string, sourceMs: number, committedMs: number): void {
    this.count(topic, 'applied');
    this.lag.observe({ topic }, Math.max(0, committedMs - sourceMs) / 1000);
  }
}
