import type { OutgoingMessage } from '@understudy/messaging';
import { Registry } from 'prom-client';
import { DurableDelivery, type MessagePublisher, type OutboxEntry, type OutboxMessage, type OutboxStore } from './durable-delivery';

/** Kafka as the component sees it: acknowledges, refuses, or never answers, as the test says. */
class FakePublisher implements MessagePublisher {
  mode: 'ack' | 'fail' | 'hang' = 'ack';
  readonly published: Array<{ topic: string; messages: OutgoingMessage[] }> = [];
  calls = 0;

  publish(topic: string, messages: OutgoingMessage[]): Promise<void> {
    this.calls++;
    if (this.mode === 'fail') return Promise.reject(new Error('broker unreachable'));
    if (this.mode === 'hang') return new Promise<void>(() => undefined);
    this.published.push({ topic, messages });
    return Promise.resolve();
  }
}

/** The outbox in memory, in arrival order; "another replica drains" and "the database refuses" on demand. */
class FakeOutbox implements OutboxStore {
  available = true;
  failStore = false;
  turnHeldElsewhere = false;
  readonly entries: OutboxEntry[] = [];

  store(entry: OutboxEntry): Promise<void> {
    if (this.failStore) return Promise.reject(new Error('database down'));
    this.entries.push(entry);
    return Promise.resolve();
  }

  depth(): Promise<number> {
    return Promise.resolve(this.entries.length);
  }

  async drainOldest(limit: number, publish: (messages: OutboxMessage[]) => Promise<void>): Promise<number> {
    if (this.turnHeldElsewhere) return 0;
    const batch = this.entries.slice(0, limit);
    if (batch.length === 0) return 0;
    await publish(batch);
    this.entries.splice(0, batch.length);
    return batch.length;
  }
}

const entry = (eventId: string, kafkaTopic = 'shopify.inventory_levels', kafkaKey = 'item-1'): OutboxEntry => ({
  eventId,
  kafkaTopic,
  kafkaKey,
  headers: { 'x-test': eventId },
  envelope: Buffer.from(JSON.stringify({ eventId })),
});

async function metric(registry: Registry, name: string, labels: Record<string, string> = {}): Promise<number | undefined> {
  const values = (await registry.getSingleMetric(name)?.get())?.values ?? [];
  return values.find((value) => Object.entries(labels).every(([key, wanted]) => value.labels[key] === wanted))?.value;
}

/** Polls without a wall-clock assertion: only a generous deadline for the condition to become true. */
async function eventually(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function setUp(options: { drainBatch?: number; publishTimeoutMs?: number } = {}) {
  const publisher = new FakePublisher();
  const outbox = new FakeOutbox();
  const registry = new Registry();
  const logs: Array<{ level: string; message: string }> = [];
  const delivery = new DurableDelivery({
    publisher,
    outbox,
    metrics: registry,
    publishTimeoutMs: options.publishTimeoutMs ?? 60_000,
    drainBatch: options.drainBatch,
    drainIntervalMs: 1,
    log: (level, message) => logs.push({ level, message }),
  });
  return { publisher, outbox, registry, logs, delivery };
}

describe('DurableDelivery: Kafka, else the outbox', () => {
  it('publishes to Kafka while Kafka acknowledges and the outbox is empty', async () => {
    const { publisher, outbox, delivery } = setUp();
    await expect(delivery.deliver(entry('e1'))).resolves.toBe('kafka');
    expect(publisher.published).toEqual([
      { topic: 'shopify.inventory_levels', messages: [{ key: 'item-1', value: Buffer.from('{"eventId":"e1"}'), headers: { 'x-test': 'e1' } }] },
    ]);
    expect(outbox.entries).toEqual([]);
    expect(delivery.status()).toEqual({ path: 'kafka', outboxDepth: 0 });
  });

  it('stores in the outbox when Kafka refuses, and sends everything after it there too until the outbox is drained', async () => {
    const { publisher, outbox, registry, logs, delivery } = setUp();
    publisher.mode = 'fail';
    await expect(delivery.deliver(entry('e1'))).resolves.toBe('outbox');
    expect(logs.filter((log) => log.level === 'warn')).toHaveLength(1);

    // Kafka is back, but e1 still waits: e2 must not overtake it.
    publisher.mode = 'ack';
    const callsBefore = publisher.calls;
    await expect(delivery.deliver(entry('e2'))).resolves.toBe('outbox');
    expect(publisher.calls).toBe(callsBefore);
    expect(outbox.entries.map((e) => e.eventId)).toEqual(['e1', 'e2']);
    expect(delivery.status()).toEqual({ path: 'outbox', outboxDepth: 2 });
    expect(await metric(registry, 'understudy_webhook_outbox_depth')).toBe(2);
    expect(await metric(registry, 'understudy_webhook_delivery_path', { path: 'outbox' })).toBe(1);
    expect(await metric(registry, 'understudy_webhook_delivery_path', { path: 'kafka' })).toBe(0);
  });

  it('falls back to the outbox when Kafka does not acknowledge within the publish timeout', async () => {
    const { publisher, outbox, delivery } = setUp({ publishTimeoutMs: 5 });
    publisher.mode = 'hang';
    await expect(delivery.deliver(entry('e1'))).resolves.toBe('outbox');
    expect(outbox.entries.map((e) => e.eventId)).toEqual(['e1']);
  });

  it('rejects when neither Kafka nor the outbox takes the message, and counts nothing as waiting', async () => {
    const { publisher, outbox, logs, delivery } = setUp();
    publisher.mode = 'fail';
    outbox.failStore = true;
    await expect(delivery.deliver(entry('e1'))).rejects.toThrow('database down');
    expect(logs.some((log) => log.level === 'error')).toBe(true);
    expect(delivery.status()).toEqual({ path: 'outbox', outboxDepth: 0 });
  });

  it('drains in arrival order, one publish per topic, and returns to Kafka once the outbox is empty', async () => {
    const { publisher, outbox, registry, delivery } = setUp();
    publisher.mode = 'fail';
    for (const [id, topic, key] of [
      ['e1', 'a', 'k1'],
      ['e2', 'b', 'k2'],
      ['e3', 'a', 'k1'],
      ['e4', 'a', 'k3'],
    ] as const) {
      await delivery.deliver(entry(id, topic, key));
    }
    publisher.mode = 'ack';
    await expect(delivery.drainOnce()).resolves.toBe(4);
    expect(publisher.published.map(({ topic, messages }) => [topic, messages.map((m) => m.headers!['x-test'])])).toEqual([
      ['a', ['e1', 'e3', 'e4']],
      ['b', ['e2']],
    ]);
    expect(outbox.entries).toEqual([]);
    expect(delivery.status()).toEqual({ path: 'kafka', outboxDepth: 0 });
    expect(await metric(registry, 'understudy_webhook_outbox_relayed_total')).toBe(4);
    expect(await metric(registry, 'understudy_webhook_delivery_path', { path: 'kafka' })).toBe(1);
    await expect(delivery.deliver(entry('e5'))).resolves.toBe('kafka');
  });

  it('drains one batch per pass and keeps the outbox path while anything waits', async () => {
    const { publisher, delivery } = setUp({ drainBatch: 2 });
    publisher.mode = 'fail';
    for (const id of ['e1', 'e2', 'e3']) await delivery.deliver(entry(id));
    publisher.mode = 'ack';
    await expect(delivery.drainOnce()).resolves.toBe(2);
    expect(delivery.status()).toEqual({ path: 'outbox', outboxDepth: 1 });
    await expect(delivery.drainOnce()).resolves.toBe(1);
    expect(delivery.status()).toEqual({ path: 'kafka', outboxDepth: 0 });
  });

  it('keeps every entry when Kafka still refuses during a drain', async () => {
    const { publisher, outbox, delivery } = setUp();
    publisher.mode = 'fail';
    await delivery.deliver(entry('e1'));
    await expect(delivery.drainOnce()).rejects.toThrow('broker unreachable');
    expect(outbox.entries.map((e) => e.eventId)).toEqual(['e1']);
    expect(delivery.path).toBe('outbox');
  });

  it('reports the depth but publishes nothing while another replica holds the drain turn', async () => {
    const { publisher, outbox, delivery } = setUp();
    outbox.entries.push(entry('left by another replica'));
    outbox.turnHeldElsewhere = true;
    await expect(delivery.drainOnce()).resolves.toBe(0);
    expect(publisher.calls).toBe(0);
    expect(delivery.status()).toEqual({ path: 'outbox', outboxDepth: 1 });
  });

  it('tries Kafka again after a failure once the outbox is found empty', async () => {
    const { publisher, outbox, delivery } = setUp();
    publisher.mode = 'fail';
    outbox.failStore = true;
    await expect(delivery.deliver(entry('e1'))).rejects.toThrow();
    expect(delivery.path).toBe('outbox');
    await expect(delivery.drainOnce()).resolves.toBe(0);
    expect(delivery.path).toBe('kafka');
  });

  it('asks nothing while the outbox store is unavailable', async () => {
    const { outbox, delivery } = setUp();
    outbox.available = false;
    outbox.entries.push(entry('e1'));
    await expect(delivery.drainOnce()).resolves.toBe(0);
    expect(delivery.status()).toEqual({ path: 'kafka', outboxDepth: 0 });
  });

  it('drains in the background once started, survives a failing pass, and stops', async () => {
    const { publisher, outbox, delivery } = setUp();
    publisher.mode = 'fail';
    await delivery.deliver(entry('e1'));
    delivery.start();
    try {
      await eventually(() => publisher.calls >= 3, 'a few failing drain passes');
      publisher.mode = 'ack';
      await eventually(() => outbox.entries.length === 0 && delivery.path === 'kafka', 'the outbox to drain');
    } finally {
      await delivery.stop();
    }
    expect(publisher.published.map(({ messages }) => messages[0]!.headers!['x-test'])).toEqual(['e1']);
    outbox.entries.push(entry('after stop'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(outbox.entries).toHaveLength(1);
  });
});
