import { encodeEnvelope, type EventPublisher, type OutgoingMessage } from '@understudy/messaging';
import { isDeletionTopic, type ReconcileTopic, type SnapshotMark, TOPICS } from '@understudy/shopify';
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
      messages.push({ key: fact.partitionKey, value: this.envelope(eventId, fact.topic, asOf, receivedAt, fact.payload) });
      byTopic.set(kafkaTopic, messages);
    }
    await Promise.all([...byTopic].map(([topic, messages]) => this.publisher.publish(topic, messages)));
  }

  /**
   * A run's end mark for `topic` as of `asOf`, on every partition of its Kafka topic, resolving
   * once all are acknowledged. Call it after the run's facts are acknowledged: on each partition
   * the mark then comes after them. Event ids are stable per run, partition and as-of time.
   */
  async markSnapshot(runId: string, topic: ReconcileTopic, asOf: string): Promise<number> {
    const kafkaTopic = `${this.topicPrefix}${TOPICS[topic].kafkaTopic}`;
    const partitions = await this.publisher.partitionCount(kafkaTopic);
    const receivedAt = new Date().toISOString();
    const payload: SnapshotMark & Record<string, unknown> = { as_of: asOf, partitions };
    const messages: OutgoingMessage[] = Array.from({ length: partitions }, (_, partition) => ({
      key: 'snapshot',
      partition,
      value: this.envelope(`reconcile:${runId}:snapshot:${partition}@${asOf}`, topic, asOf, receivedAt, payload),
    }));
    await this.publisher.publish(kafkaTopic, messages);
    return partitions;
  }

  private envelope(eventId: string, topic: ReconcileTopic, asOf: string, receivedAt: string, payload: Record<string, unknown>): Buffer {
    return encodeEnvelope({ webhookId: eventId, eventId, topic, shop: this.shop, apiVersion: this.apiVersion, triggeredAt: asOf, receivedAt, payload });
  }
}

export function factEventId(runId: string, fact: Pick<ShopifyFact, 'kind' | 'key' | 'updatedAt' | 'topic'>): string {
  return `reconcile:${runId}:${isDeletionTopic(fact.topic) ? 'delete:' : ''}${fact.kind}:${fact.key}@${fact.updatedAt}`;
}
