import { encodeEnvelope, type EventPublisher, type OutgoingMessage } from '@understudy/messaging';
import { isDeletionTopic, TOPICS } from '@understudy/shopify';
import type { ShopifyFact } from '../domains/domain';

/**
 * Publishes corrections as reconciler facts: the registry's envelope, on the
 * registry's Kafka topic, keyed by the registry's partition key (like the
 * webhook topic for the same resource). The envelope's `triggeredAt` is the
 * snapshot's as-of time — the module's guard orders it after everything
 * Shopify told the module before the snapshot, and before everything after.
 * The event id is stable within a run, so a resumed run's re-publish is a
 * duplicate to the module, never a second effect.
 */
export class FactPublisher {
  constructor(
    private readonly publisher: EventPublisher,
    private readonly shop: string,
    private readonly apiVersion: string,
    /** KAFKA_TOPIC_PREFIX. */
    private readonly topicPrefix = '',
  ) {}

  async publish(runId: string, asOf: string, facts: readonly ShopifyFact[]): Promise<void> {
    const byTopic = new Map<string, OutgoingMessage[]>();
    const receivedAt = new Date().toISOString();
    for (const fact of facts) {
      const eventId = factEventId(runId, fact);
      const kafkaTopic = `${this.topicPrefix}${TOPICS[fact.topic].kafkaTopic}`;
      const messages = byTopic.get(kafkaTopic) ?? [];
      messages.push({
        key: fact.partitionKey,
        value: encodeEnvelope({ webhookId: eventId, eventId, topic: fact.topic, shop: this.shop, apiVersion: this.apiVersion, triggeredAt: asOf, receivedAt, payload: fact.payload }),
      });
      byTopic.set(kafkaTopic, messages);
    }
    await Promise.all([...byTopic].map(([topic, messages]) => this.publisher.publish(topic, messages)));
  }
}

export function factEventId(runId: string, fact: Pick<ShopifyFact, 'kind' | 'key' | 'updatedAt' | 'topic'>): string {
  return `reconcile:${runId}:${isDeletionTopic(fact.topic) ? 'delete:' : ''}${fact.kind}:${fact.key}@${fact.updatedAt}`;
}
