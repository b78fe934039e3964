import type { Kafka } from 'kafkajs';
import { type ConsumedMessage, DLQ_HEADERS } from './consumer';
import type { EventPublisher } from './publisher';
import { readMessages } from './topic-reader';
import { DEAD_LETTER_SUFFIX } from './topics';

export interface DeadLetter {
  partition: number;
  offset: string;
  key: string | null;
  /** Why it was dead-lettered (`x-dlq-reason`). */
  reason: string | null;
  /** Where it came from (`x-dlq-original-topic`), else the topic without `.dlq`. */
  originalTopic: string;
  failedAt: string | null;
  /** The message's body as text (an event envelope, usually), cut at 10 kB. */
  value: string | null;
}

export interface ReplayResult {
  partition: number;
  offset: string;
  target: string;
  result: 'replayed' | 'failed';
  error?: string;
}

/** Messages a dead-letter topic holds now (high − low watermark over its partitions). */
export async function deadLetterCount(kafka: Kafka, topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((sum, partition) => sum + Math.max(0, Number(partition.high) - Number(partition.low)), 0);
  } finally {
    await admin.disconnect();
  }
}

/** Up to `limit` dead letters of `topic` (a `.dlq` topic), oldest first per partition. */
export async function readDeadLetters(kafka: Kafka, topic: string, limit: number, timeoutMs = 30_000): Promise<{ total: number; messages: DeadLetter[]; raw: ConsumedMessage[] }> {
  if (!topic.endsWith(DEAD_LETTER_SUFFIX)) throw new Error(`${topic} is not a dead-letter topic`);
  const total = await deadLetterCount(kafka, topic);
  const raw = total === 0 ? [] : await readMessages(kafka, topic, Math.min(limit, total), timeoutMs);
  raw.sort((a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)));
  return { total, raw, messages: raw.map((message) => describe(topic, message)) };
}

/**
 * Publishes dead letters back to the topic they came from, after a fix (each
 * keeps its key, so it lands on its resource's partition). Consumers
 * deduplicate on event ids, so replaying one twice has one effect. Only the
 * `only` offsets, when given.
 */
export async function replayDeadLetters(
  kafka: Kafka,
  publisher: EventPublisher,
  topic: string,
  options: { limit: number; only?: ReadonlyArray<{ partition: number; offset: string }>; timeoutMs?: number },
): Promise<{ total: number; results: ReplayResult[] }> {
  const { total, raw } = await readDeadLetters(kafka, topic, options.limit, options.timeoutMs);
  const wanted = options.only ? new Set(options.only.map((m) => `${m.partition}:${m.offset}`)) : undefined;
  const results: ReplayResult[] = [];
  for (const message of raw) {
    if (wanted && !wanted.has(`${message.partition}:${message.offset}`)) continue;
    const target = describe(topic, message).originalTopic;
    try {
      await publisher.publish(target, [
        { key: message.key ?? '', value: message.value ?? Buffer.alloc(0), headers: { 'x-replayed-from': `${topic}:${message.partition}:${message.offset}` } },
      ]);
      results.push({ partition: message.partition, offset: message.offset, target, result: 'replayed' });
    } catch (error) {
      results.push({ partition: message.partition, offset: message.offset, target, result: 'failed', error: error instanceof Error ? error.message : String(error) });
    }
  }
  return { total, results };
}

function describe(topic: string, message: ConsumedMessage): DeadLetter {
  return {
    partition: message.partition,
    offset: message.offset,
    key: message.key,
    reason: message.headers[DLQ_HEADERS.reason] ?? null,
    originalTopic: message.headers[DLQ_HEADERS.originalTopic] ?? topic.slice(0, -DEAD_LETTER_SUFFIX.length),
    failedAt: message.headers[DLQ_HEADERS.failedAt] ?? null,
    value: message.value ? message.value.toString('utf8').slice(0, 10_000) : null,
  };
}
