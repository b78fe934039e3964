import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  ConsumerRunner,
  createKafka,
  deadLetterTopic,
  DLQ_HEADERS,
  EventPublisher,
  readMessages,
} from '../src';
import { createTestTopics, deleteTestTopics, testEnv, uniqueName, waitFor } from '@understudy/testing';

describe('messaging on a real Kafka broker', () => {
  const kafka = createKafka({ brokers: testEnv().kafkaBrokers, clientId: uniqueName('it') });
  const topics: string[] = [];
  let publisher: EventPublisher;

  beforeAll(async () => {
    publisher = new EventPublisher(kafka);
    await publisher.connect();
  });

  afterAll(async () => {
    await publisher.close();
    await deleteTestTopics(kafka, topics);
  });

  async function freshTopic(partitions: number): Promise<string> {
    const topic = uniqueName('it.messaging');
    topics.push(topic, deadLetterTopic(topic));
    await createTestTopics(kafka, [topic, deadLetterTopic(topic)], partitions);
    return topic;
  }

  it('leaves idle connections idle (no kafkajs 1 ms request-queue timer loop)', async () => {
    // The publisher is connected and has sent nothing for a while; unpatched kafkajs 2.2.4
    // re-checks each connection's empty queue every millisecond.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { prototype } = require('kafkajs/src/network/requestQueue') as { prototype: { checkPendingRequests(): void } };
    const original = prototype.checkPendingRequests;
    let checks = 0;
    prototype.checkPendingRequests = function (this: unknown) {
      checks += 1;
      return original.call(this);
    };
    try {
      await publisher.publish(uniqueName('it.idle'), []).catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 200));
      checks = 0;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(checks).toBeLessThan(20);
    } finally {
      prototype.checkPendingRequests = original;
    }
  });

  it('publishes and consumes 10,000 messages with none lost and each key in order', async () => {
    const topic = await freshTopic(6);
    const keys = 50;
    const total = 10_000;
    // Concurrent publishes, as request handlers would make them; the publisher batches them.
    const publishes: Promise<void>[] = [];
    for (let i = 0; i < total; i += 100) {
      publishes.push(
        publisher.publish(
          topic,
          Array.from({ length: 100 }, (_, j) => {
            const n = i + j;
            return { key: `key-${n % keys}`, value: JSON.stringify({ key: `key-${n % keys}`, seq: Math.floor(n / keys) }) };
          }),
        ),
      );
    }
    await Promise.all(publishes);

    const received = new Map<string, number[]>();
    const group = uniqueName('g');
    const runner = new ConsumerRunner(kafka, {
      groupId: group,
      topics: [topic],
      deadLetters: publisher,
      handler: async (messages) => {
        for (const message of messages) {
          const { key, seq } = JSON.parse(message.value!.toString()) as { key: string; seq: number };
          received.set(key, [...(received.get(key) ?? []), seq]);
        }
      },
    });
    await runner.start();
    try {
      await waitFor(() => [...received.values()].reduce((sum, seqs) => sum + seqs.length, 0) >= total, {
        timeoutMs: 60_000,
        what: '10,000 messages',
      });
    } finally {
      await runner.stop();
    }
    expect(received.size).toBe(keys);
    for (const seqs of received.values()) {
      expect(seqs).toEqual(Array.from({ length: total / keys }, (_, i) => i));
    }
  });

  it('resumes after a consumer is killed mid-batch without losing a message', async () => {
    const topic = await freshTopic(3);
    const total = 2_000;
    await publisher.publish(
      topic,
      Array.from({ length: total }, (_, i) => ({ key: `k${i % 30}`, value: `m${i}` })),
    );
    const group = uniqueName('crash');
    const outFile = path.join(mkdtempSync(path.join(tmpdir(), 'understudy-')), 'handled.txt');
    const child = spawn(process.execPath, ['-r', '@swc-node/register', path.join(__dirname, 'fixtures/recording-consumer.ts')], {
      env: { ...process.env, TOPIC: topic, GROUP: group, OUT_FILE: outFile },
      stdio: 'ignore',
    });
    const handledBeforeKill = await waitFor(
      () => {
        const lines = existsSync(outFile) ? readFileSync(outFile, 'utf8').split('\n').filter(Boolean).length : 0;
        return lines >= 300 ? lines : undefined;
      },
      { timeoutMs: 60_000, what: 'the child consumer to handle some messages' },
    );
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    expect(handledBeforeKill).toBeLessThan(total);

    const handledAfter: string[] = [];
    const successor = new ConsumerRunner(kafka, {
      groupId: group,
      topics: [topic],
      deadLetters: publisher,
      sessionTimeoutMs: 6_000,
      handler: async (messages) => void handledAfter.push(...messages.map((m) => m.value!.toString())),
    });
    await successor.start();
    const handledByChild = readFileSync(outFile, 'utf8').split('\n').filter(Boolean);
    try {
      await waitFor(() => new Set([...handledByChild, ...handledAfter]).size === total, {
        timeoutMs: 90_000,
        what: 'every message to be handled by the child or its successor',
      });
    } finally {
      await successor.stop();
    }
    // At-least-once: everything handled; only the chunks in hand at the crash
    // (20 messages per chunk per partition in the child) are handled twice.
    const childSet = new Set(handledByChild);
    const redelivered = handledAfter.filter((value) => childSet.has(value)).length;
    expect(redelivered).toBeLessThanOrEqual(3 * 20 * 2);
  });

  it('dead-letters a message its handler always rejects while later messages still flow', async () => {
    const topic = await freshTopic(1);
    await publisher.publish(
      topic,
      ['a', 'b', 'poison', 'c', 'd'].map((value) => ({ key: 'same-key', value, headers: { 'x-origin': 'test' } })),
    );
    const handled: string[] = [];
    const deadLettered: string[] = [];
    const runner = new ConsumerRunner(kafka, {
      groupId: uniqueName('dlq'),
      topics: [topic],
      deadLetters: publisher,
      maxAttempts: 3,
      backoff: { initialMs: 10, maxMs: 50 },
      onDeadLetter: (message) => deadLettered.push(message.value!.toString()),
      handler: async (messages) => {
        if (messages.some((m) => m.value!.toString() === 'poison')) throw new Error('cannot apply poison');
        handled.push(...messages.map((m) => m.value!.toString()));
      },
    });
    await runner.start();
    try {
      await waitFor(() => handled.length === 4, { timeoutMs: 30_000, what: 'the healthy messages' });
    } finally {
      await runner.stop();
    }
    expect(handled).toEqual(['a', 'b', 'c', 'd']);
    expect(deadLettered).toEqual(['poison']);

    const [dead] = await readMessages(kafka, deadLetterTopic(topic), 1);
    expect(dead!.value!.toString()).toBe('poison');
    expect(dead!.key).toBe('same-key');
    expect(dead!.headers).toMatchObject({
      'x-origin': 'test',
      [DLQ_HEADERS.reason]: 'Error: cannot apply poison',
      [DLQ_HEADERS.originalTopic]: topic,
      [DLQ_HEADERS.originalPartition]: '0',
      [DLQ_HEADERS.originalOffset]: '2',
      [DLQ_HEADERS.attempts]: '3',
    });
  });
});
