import type { Kafka } from 'kafkajs';
import { type ConsumedMessage, ConsumerRunner } from './consumer';
import { EventPublisher } from './publisher';

/**
 * Reads the first `count` messages of a topic (from the beginning) with a
 * throwaway consumer group, then leaves the group. For inspecting a topic —
 * a dead-letter topic in a test or from an operator's script — never for
 * consuming in a service.
 */
export async function readMessages(kafka: Kafka, topic: string, count: number, timeoutMs = 60_000): Promise<ConsumedMessage[]> {
  const seen: ConsumedMessage[] = [];
  const unusedDeadLetters = new EventPublisher(kafka);
  const reader = new ConsumerRunner(kafka, {
    groupId: `reader-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
    topics: [topic],
    deadLetters: unusedDeadLetters,
    sessionTimeoutMs: 6_000,
    handler: async (messages) => void seen.push(...messages),
  });
  await reader.start();
  try {
    const deadline = Date.now() + timeoutMs;
    while (seen.length < count) {
      if (Date.now() > deadline) throw new Error(`read ${seen.length} of ${count} messages on ${topic} within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return seen.slice(0, count);
  } finally {
    await reader.stop();
    await unusedDeadLetters.close();
  }
}
