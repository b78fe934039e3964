import { deadLetterTopic, encodeEnvelope, type EventEnvelope } from '@understudy/messaging';
import { TOPICS } from '@understudy/shopify';
import type { Verdict } from './verify-delivery';

/** What webhook-ingest publishes for one accepted delivery: where, under which key and headers, and the bytes. */
export interface WebhookMessage {
  kafkaTopic: string;
  kafkaKey: string;
  headers: Record<string, string>;
  envelope: Buffer;
}

/**
 * The message for a verified delivery (pure; the ingest service and the
 * message pacts both build it here, docs/contracts.md): the registry's Kafka
 * topic keyed by the resource's partition key, the envelope encoded — or, for
 * a payload our schema cannot key, its dead-letter topic keyed by the event id
 * with the reason in a header.
 */
export function webhookMessage(verdict: Extract<Verdict, { kind: 'accept' | 'unkeyable' }>, topicPrefix: string, receivedAt: Date): WebhookMessage {
  const { headers: h } = verdict;
  const envelope: EventEnvelope = {
    webhookId: h.webhookId,
    eventId: h.eventId,
    topic: h.topic,
    shop: h.shopDomain,
    apiVersion: h.apiVersion,
    triggeredAt: h.triggeredAt,
    receivedAt: receivedAt.toISOString(),
    payload: verdict.payload,
  };
  const kafkaTopic = `${topicPrefix}${TOPICS[h.topic].kafkaTopic}`;
  if (verdict.kind === 'accept') return { kafkaTopic, kafkaKey: verdict.key, headers: {}, envelope: encodeEnvelope(envelope) };
  // Signed by Shopify but unkeyable by our schema: keep it where an operator can see and replay it.
  return {
    kafkaTopic: deadLetterTopic(kafkaTopic),
    kafkaKey: h.eventId,
    headers: { 'x-dlq-reason': `payload rejected by schema: ${verdict.reason}`.slice(0, 1_000) },
    envelope: Buffer.from(JSON.stringify(envelope)),
  };
}
