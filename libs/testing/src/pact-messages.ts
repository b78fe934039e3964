import type { AsynchronousMessage } from '@pact-foundation/pact/src/v4/message/types';

/**
 * Kafka messages in Pact V4 asynchronous interactions (docs/contracts.md).
 * A message's contents are the event envelope (JSON); its metadata are where
 * it travels: `kafkaTopic` (the registry's topic, without a deployment's
 * prefix) and `key` (the partition key), plus any Kafka headers.
 */
export interface KafkaMessageParts {
  kafkaTopic: string;
  kafkaKey: string;
  headers: Record<string, string>;
  /** The bytes the producer publishes. */
  envelope: Buffer;
}

/**
 * Consumer side: the message Pact hands the test, as the consumer's transport would deliver it —
 * a libs/messaging ConsumedMessage, checked as one where a handler takes it (libs/testing cannot
 * import libs/messaging, whose tests import libs/testing, so the type is not named here).
 */
export function consumedFromPact(message: AsynchronousMessage, offset = 0) {
  const { kafkaTopic, key, ...headers } = (message.metadata ?? {}) as Record<string, string>;
  if (typeof kafkaTopic !== 'string') throw new Error('the message pact has no kafkaTopic metadata');
  const content = message.contents.content;
  return {
    topic: kafkaTopic,
    partition: 0,
    offset: String(offset),
    key: (key ?? null) as string | null,
    value: Buffer.isBuffer(content) ? content : Buffer.from(JSON.stringify(content)),
    headers,
    timestamp: Date.parse('2026-01-01T00:00:00Z'),
  };
}

/** Provider side: what the producer's real code built, as MessageProviderPact wants it (the contents and their metadata). */
export function pactMessageFrom(parts: KafkaMessageParts): { __pactMessageMetadata: Record<string, string>; message: unknown } {
  return { __pactMessageMetadata: { ...parts.headers, kafkaTopic: parts.kafkaTopic, key: parts.kafkaKey }, message: JSON.parse(parts.envelope.toString('utf8')) as unknown };
}

/** Patterns the message pacts share. */
export const EVENT_PATTERNS = {
  /** ISO-8601 with an offset (what the envelope's times and Shopify's `updated_at` are). */
  isoTime: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:?\\d{2})$',
  shop: '^[a-z0-9][a-z0-9-]*\\.myshopify\\.com$',
  apiVersion: '^(\\d{4}-\\d{2}|unstable)$',
  /** A Shopify numeric id as a string (a partition key). */
  id: '^[1-9][0-9]{0,18}$',
} as const;

/**
 * The event envelope (libs/messaging) as a consumer's message pact expects
 * it: `topic` exactly (it picks the consumer's decoder), the ids, shop, API
 * version and times by type and format, and the `payload` matchers given.
 * Pass pact's MatchersV3 (libs/testing does not load Pact for every test).
 */
export function envelopeMatching(m: typeof import('@pact-foundation/pact').MatchersV3, topic: string, payload: unknown, example: { triggeredAt: string }): Record<string, unknown> {
  return {
    webhookId: m.string('webhook-1'),
    eventId: m.string('event-1'),
    topic,
    shop: m.regex(EVENT_PATTERNS.shop, 'contract-shop.myshopify.com'),
    apiVersion: m.regex(EVENT_PATTERNS.apiVersion, '2026-10'),
    triggeredAt: m.regex(EVENT_PATTERNS.isoTime, example.triggeredAt),
    receivedAt: m.regex(EVENT_PATTERNS.isoTime, '2026-01-01T00:00:01.000Z'),
    payload,
  };
}
