// Type-only: the testing lib must not depend on messaging (messaging's own tests use this lib).
import type { Kafka } from 'kafkajs';
import { waitFor } from './wait';

/**
 * Creates fresh topics, so each test has its own, and waits until the broker serves every partition. kafkajs's own
 * `waitForLeaders` gives up on the first "This server does not host this topic-partition", which a
 * busy broker answers for a while after a topic is created: poll the metadata instead.
 */
export async function createTestTopics(kafka: Kafka, names: string[], partitions = 3, timeoutMs = 120_000): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({ waitForLeaders: false, topics: names.map((topic) => ({ topic, numPartitions: partitions, replicationFactor: 1 })) });
    await waitFor(
      async () => {
        const metadata = await admin.fetchTopicMetadata({ topics: names }).catch(() => undefined);
        return metadata?.topics.every((topic) => topic.partitions.length === partitions && topic.partitions.every((partition) => partition.leader >= 0)) || undefined;
      },
      { timeoutMs, intervalMs: 250, what: `Kafka to serve every partition of ${names.join(', ')}` },
    );
  } finally {
    await admin.disconnect();
  }
}

export async function deleteTestTopics(kafka: Kafka, names: string[]): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.deleteTopics({ topics: names }).catch(() => undefined);
  } finally {
    await admin.disconnect();
  }
}
