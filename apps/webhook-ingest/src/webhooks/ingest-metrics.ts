import { counter, histogram, type Registry } from '@understudy/observability';

/** The metrics webhook-ingest exports (names from docs/design.md); the outbox's own are DurableDelivery's. */
export function ingestMetrics(registry: Registry) {
  return {
    webhooks: counter(registry, 'understudy_webhooks_total', 'Webhook deliveries by topic and result.', ['topic', 'result']),
    ackSeconds: histogram(registry, 'understudy_webhook_ack_seconds', 'Time from request to durable acknowledgement (Kafka ack or outbox commit).', ['path']),
  };
}

export type IngestMetrics = ReturnType<typeof ingestMetrics>;
