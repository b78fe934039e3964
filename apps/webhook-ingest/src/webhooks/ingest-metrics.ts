import { counter, gauge, histogram, type Registry } from '@understudy/observability';

/** The metrics webhook-ingest exports (names from docs/design.md plus outbox/dedup detail). */
export function ingestMetrics(registry: Registry) {
  return {
    webhooks: counter(registry, 'understudy_webhooks_total', 'Webhook deliveries by topic and result.', ['topic', 'result']),
    ackSeconds: histogram(registry, 'understudy_webhook_ack_seconds', 'Time from request to durable acknowledgement (Kafka ack or outbox commit).', ['path']),
    outboxDepth: gauge(registry, 'understudy_webhook_outbox_depth', 'Envelopes waiting in the PostgreSQL outbox for Kafka.'),
    outboxRelayed: counter(registry, 'understudy_webhook_outbox_relayed_total', 'Envelopes relayed from the outbox to Kafka.'),
    deliveryPath: gauge(registry, 'understudy_webhook_delivery_path', '1 for the path new webhooks take now (kafka, or outbox while Kafka is down or the outbox drains).', ['path']),
  };
}

export type IngestMetrics = ReturnType<typeof ingestMetrics>;
