import { createMetricsRegistry, type Registry } from '@understudy/observability';
import type { Kafka } from 'kafkajs';
import type { ConsumerRunnerOptions } from './consumer';
import { ManagedConsumer, type ManagedConsumerParts, type ManagedRunner } from './managed-consumer';

/** A group member that does nothing but record its lifecycle; `crash()` plays kafkajs's CRASH event. */
class FakeRunner implements ManagedRunner {
  started = false;
  stopped = false;
  constructor(
    private readonly options: ConsumerRunnerOptions,
    private readonly startWith: () => Promise<void>,
    private readonly stopWith: () => Promise<void>,
  ) {}
  async start(): Promise<void> {
    await this.startWith();
    this.started = true;
  }
  async stop(): Promise<void> {
    this.stopped = true;
    await this.stopWith();
  }
  blockedPartitions() {
    return [];
  }
  crash(restart: boolean, error: unknown = Object.assign(new Error('Connection error: connect ECONNREFUSED'), { name: 'KafkaJSNonRetriableError' })): void {
    this.options.onCrash?.({ error, restart });
  }
}

interface Harness {
  consumer: ManagedConsumer;
  runners: FakeRunner[];
  registry: Registry;
  closedPublishers: () => number;
  openedPublishers: () => number;
}

function harness(behaviour: { start?: (n: number) => Promise<void>; stop?: (n: number) => Promise<void>; stopDeadlineMs?: number } = {}): Harness {
  const runners: FakeRunner[] = [];
  let opened = 0;
  let closed = 0;
  const registry = createMetricsRegistry('test');
  const parts: ManagedConsumerParts = {
    random: () => 0,
    stopDeadlineMs: behaviour.stopDeadlineMs ?? 5_000,
    createDeadLetters: () => ({
      connect: async () => void opened++,
      close: async () => void closed++,
      publish: async () => undefined,
    }),
    createRunner: (_kafka, options) => {
      const n = runners.length;
      const runner = new FakeRunner(options, () => behaviour.start?.(n) ?? Promise.resolve(), () => behaviour.stop?.(n) ?? Promise.resolve());
      runners.push(runner);
      return runner;
    },
  };
  const consumer = new ManagedConsumer({} as Kafka, { groupId: 'g', topics: ['t'], handler: async () => undefined, metrics: registry }, parts);
  return { consumer, runners, registry, closedPublishers: () => closed, openedPublishers: () => opened };
}

async function until(what: string, condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function restarts(registry: Registry): Promise<number> {
  const metric = await registry.getSingleMetric('understudy_consumer_restarts_total')!.get();
  return metric.values.find((v) => v.labels['group'] === 'g')?.value ?? 0;
}

describe('ManagedConsumer restarts a member kafkajs crashed for good', () => {
  it('replaces the member after a crash with restart=false: old one stopped, new one started, counted', async () => {
    const { consumer, runners, registry } = harness();
    consumer.start();
    await until('running', () => consumer.status().state === 'running');

    runners[0]!.crash(false);
    expect(consumer.status().state).toBe('restarting');
    expect(consumer.status().startError).toContain('KafkaJSNonRetriableError');
    await expect(consumer.probe().check()).rejects.toThrow(/consumer restarting: crashed/);

    await until('the replacement to run', () => consumer.status().state === 'running');
    expect(runners).toHaveLength(2);
    expect(runners[0]!.stopped).toBe(true);
    expect(runners[1]!.started).toBe(true);
    expect(runners[1]!.stopped).toBe(false);
    expect(await restarts(registry)).toBe(1);
    await expect(consumer.probe().check()).resolves.toEqual({ state: 'running' });

    // It crashes again: replaced again (no limit on restarts).
    runners[1]!.crash(false);
    await until('the second replacement to run', () => runners.length === 3 && consumer.status().state === 'running');
    expect(await restarts(registry)).toBe(2);
    await consumer.stop();
    expect(runners.every((r) => r.stopped)).toBe(true);
  });

  it('leaves a crash kafkajs restarts itself (restart=true) to kafkajs', async () => {
    const { consumer, runners, registry } = harness();
    consumer.start();
    await until('running', () => consumer.status().state === 'running');
    runners[0]!.crash(true);
    expect(consumer.status().state).toBe('running');
    await consumer.stop();
    expect(runners).toHaveLength(1);
    expect(await restarts(registry)).toBe(0);
  });

  it('keeps trying while the replacement cannot join, and ignores a late crash of the member it replaced', async () => {
    let failures = 3;
    const { consumer, runners } = harness({
      start: async (n) => {
        if (n > 0 && failures-- > 0) throw new Error('KafkaJSConnectionError: Connection error');
      },
    });
    consumer.start();
    await until('running', () => consumer.status().state === 'running');
    runners[0]!.crash(false);
    await until('a replacement to fail', () => runners.length >= 2);
    expect(consumer.status().state).toBe('restarting');
    await until('the replacement to run', () => consumer.status().state === 'running');
    expect(runners).toHaveLength(5);
    expect(runners.slice(0, 4).every((r) => r.stopped)).toBe(true);

    runners[0]!.crash(false);
    expect(consumer.status().state).toBe('running');
    await consumer.stop();
    expect(runners).toHaveLength(5);
  });

  it('abandons a disconnect that hangs past its deadline and restarts anyway', async () => {
    const { consumer, runners, closedPublishers, openedPublishers } = harness({
      stop: (n) => (n === 0 ? new Promise<void>(() => undefined) : Promise.resolve()),
      stopDeadlineMs: 50,
    });
    consumer.start();
    await until('running', () => consumer.status().state === 'running');
    runners[0]!.crash(false);
    await until('the replacement to run', () => runners.length === 2 && consumer.status().state === 'running');
    await consumer.stop();
    expect(openedPublishers()).toBe(2);
    expect(closedPublishers()).toBe(2);
  });

  it('stop() during the restart backoff wins: no new member is created', async () => {
    const { consumer, runners } = harness();
    consumer.start();
    await until('running', () => consumer.status().state === 'running');
    runners[0]!.crash(false);
    await consumer.stop();
    expect(consumer.status().state).toBe('stopped');
    expect(runners).toHaveLength(1);
    expect(runners[0]!.stopped).toBe(true);
  });

  it('stop() while the replacement is joining leaves no member behind', async () => {
    let release!: () => void;
    const joining = new Promise<void>((resolve) => (release = resolve));
    const { consumer, runners, openedPublishers, closedPublishers } = harness({ start: (n) => (n === 1 ? joining : Promise.resolve()) });
    consumer.start();
    await until('running', () => consumer.status().state === 'running');
    runners[0]!.crash(false);
    await until('the replacement to be joining', () => runners.length === 2);
    const stopped = consumer.stop();
    release();
    await stopped;
    expect(consumer.status().state).toBe('stopped');
    expect(runners).toHaveLength(2);
    expect(runners.every((r) => r.stopped)).toBe(true);
    expect(closedPublishers()).toBe(openedPublishers());
  });

  it('a crash after stop() is ignored', async () => {
    const { consumer, runners } = harness();
    consumer.start();
    await until('running', () => consumer.status().state === 'running');
    await consumer.stop();
    runners[0]!.crash(false);
    expect(consumer.status().state).toBe('stopped');
    expect(runners).toHaveLength(1);
  });
});
