import { counter, gauge, type Registry } from '@understudy/observability';
import type { Kafka } from 'kafkajs';
import { backoffDelay } from '@understudy/concurrency';
import { type BlockedPartition, ConsumerRunner, type ConsumerRunnerOptions } from './consumer';
import { EventPublisher } from './publisher';

export interface ManagedConsumerOptions extends Omit<ConsumerRunnerOptions, 'deadLetters' | 'onRetry'> {
  /** The member joins only once this says yes (e.g. its database is connected); asked until it does. */
  canStart?: () => boolean;
  /** Where `understudy_consumer_*` metrics go, labelled by group. */
  metrics?: Registry;
}

export type ConsumerState = 'idle' | 'starting' | 'running' | 'stopped';

export interface ConsumerStatus {
  groupId: string;
  state: ConsumerState;
  /** Partitions paused until their next retry (a dependency is failing, or a message is being isolated). */
  blocked: BlockedPartition[];
  /** Why the last attempt to join failed, while it keeps trying. */
  startError?: string;
}

const START_BACKOFF = { baseMs: 250, maxMs: 5_000 };

/**
 * A consumer-group member for the life of a process — what an app that
 * consumes Kafka uses, with only a handler of its own:
 *
 * - `start()` returns at once and joins in the background, once `canStart`
 *   says so, retrying with backoff while Kafka is unreachable;
 * - its own dead-letter publisher, so dead letters can still be written
 *   while the app's shared publisher closes;
 * - retries, isolation and dead-lettering by ConsumerRunner/processChunk:
 *   an outage delays events, it never dead-letters them;
 * - `status()` and `understudy_consumer_*` metrics for health (report it as a
 *   non-critical readiness detail: the HTTP API does not need the consumer);
 * - `stop()` (call it in `beforeApplicationShutdown`, before the pools close)
 *   cuts a pending retry short and leaves the group, so partitions move at once.
 */
export class ManagedConsumer {
  private runner: ConsumerRunner | undefined;
  private deadLetters: EventPublisher | undefined;
  private starting: Promise<void> | undefined;
  private state: ConsumerState = 'idle';
  private startError: string | undefined;
  private readonly stopping = new AbortController();
  private readonly metrics;

  constructor(
    private readonly kafka: Kafka,
    private readonly options: ManagedConsumerOptions,
  ) {
    const registry = options.metrics;
    this.metrics = registry && {
      up: gauge(registry, 'understudy_consumer_up', '1 while the consumer is a member of its group.', ['group']),
      blocked: gauge(registry, 'understudy_consumer_blocked_partitions', 'Partitions paused until a retry (a dependency fails, or a message is isolated).', ['group']),
      retries: counter(registry, 'understudy_consumer_retries_total', 'Chunks that failed and were scheduled for a retry, by failure kind.', ['group', 'topic', 'kind']),
      deadLetters: counter(registry, 'understudy_consumer_dead_letters_total', 'Messages sent to their dead-letter topic.', ['group', 'topic']),
    };
    this.setState('idle');
  }

  get isRunning(): boolean {
    return this.state === 'running';
  }

  start(): void {
    if (this.starting || this.stopping.signal.aborted) return;
    this.setState('starting');
    this.starting = this.startUntilJoined();
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.starting;
    await this.stopRunner();
    this.setState('stopped');
  }

  status(): ConsumerStatus {
    return {
      groupId: this.options.groupId,
      state: this.state,
      blocked: this.runner?.blockedPartitions() ?? [],
      ...(this.startError && this.state !== 'running' ? { startError: this.startError } : {}),
    };
  }

  /**
   * A readiness detail that never fails readiness: reports the status, and
   * shows as `degraded` while the member is not in its group or a partition
   * is blocked.
   */
  probe(name = `consumer:${this.options.groupId}`) {
    return {
      name,
      critical: false,
      check: async (): Promise<Record<string, unknown>> => {
        const status = this.status();
        this.metrics?.blocked.set({ group: status.groupId }, status.blocked.length);
        if (status.state !== 'running') throw new Error(`consumer ${status.state}${status.startError ? `: ${status.startError}` : ''}`);
        if (status.blocked.length > 0) {
          const first = status.blocked[0]!;
          throw new Error(`${status.blocked.length} partition(s) retrying since ${first.since}: ${first.error}`);
        }
        return { state: status.state };
      },
    };
  }

  private async startUntilJoined(): Promise<void> {
    for (let attempt = 1; !this.stopping.signal.aborted; attempt++) {
      try {
        if (this.options.canStart && !this.options.canStart()) {
          await this.sleep(START_BACKOFF.baseMs);
          attempt = 0;
          continue;
        }
        await this.startRunner();
        this.startError = undefined;
        this.setState('running');
        return;
      } catch (error) {
        if (this.stopping.signal.aborted) return;
        this.startError = error instanceof Error ? error.message : String(error);
        const retryInMs = backoffDelay(attempt - 1, { ...START_BACKOFF, jitter: 'equal' });
        this.options.log?.('warn', 'consumer could not start; retrying', { groupId: this.options.groupId, error: this.startError, retryInMs });
        await this.stopRunner();
        await this.sleep(retryInMs);
      }
    }
  }

  private async startRunner(): Promise<void> {
    const { canStart: _canStart, metrics: _metrics, onDeadLetter, ...runnerOptions } = this.options;
    const deadLetters = new EventPublisher(this.kafka);
    this.deadLetters = deadLetters;
    await deadLetters.connect();
    const runner = new ConsumerRunner(this.kafka, {
      ...runnerOptions,
      deadLetters,
      onDeadLetter: (message, reason) => {
        this.metrics?.deadLetters.inc({ group: this.options.groupId, topic: message.topic });
        onDeadLetter?.(message, reason);
      },
      onRetry: (state) => {
        this.metrics?.retries.inc({ group: this.options.groupId, topic: state.topic, kind: state.kind });
        this.metrics?.blocked.set({ group: this.options.groupId }, runner.blockedPartitions().length);
      },
    });
    this.runner = runner;
    await runner.start();
    this.options.log?.('info', 'consumer started', { groupId: this.options.groupId, topics: this.options.topics });
  }

  private async stopRunner(): Promise<void> {
    const { runner, deadLetters } = this;
    this.runner = undefined;
    this.deadLetters = undefined;
    const warn = (what: string) => (error: unknown) =>
      this.options.log?.('warn', `error while stopping the consumer's ${what}`, { groupId: this.options.groupId, error: String(error) });
    await runner?.stop().catch(warn('group membership'));
    await deadLetters?.close().catch(warn('dead-letter publisher'));
  }

  private setState(state: ConsumerState): void {
    this.state = state;
    this.metrics?.up.set({ group: this.options.groupId }, state === 'running' ? 1 : 0);
  }

  /** Waits `ms`, or less when stop() is called (then resolves at once). */
  private sleep(ms: number): Promise<void> {
    const signal = this.stopping.signal;
    if (signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
    });
  }
}
