import { counter, gauge, type Registry } from '@understudy/observability';
import type { Kafka } from 'kafkajs';
import { backoffDelay, withDeadline } from '@understudy/concurrency';
import { type BlockedPartition, ConsumerRunner, type ConsumerRunnerOptions } from './consumer';
import { EventPublisher } from './publisher';

export interface ManagedConsumerOptions extends Omit<ConsumerRunnerOptions, 'deadLetters' | 'onRetry'> {
  /** The member joins only once this says yes (e.g. its database is connected); asked until it does. */
  canStart?: () => boolean;
  /** Where `understudy_consumer_*` metrics go, labelled by group. */
  metrics?: Registry;
}

export type ConsumerState = 'idle' | 'starting' | 'running' | 'restarting' | 'stopped';

/** What ManagedConsumer needs of a group member (ConsumerRunner); a seam for tests. */
export interface ManagedRunner {
  start(): Promise<void>;
  stop(): Promise<void>;
  blockedPartitions(): BlockedPartition[];
}

/** What ManagedConsumer needs of its dead-letter publisher (EventPublisher). */
export type ManagedDeadLetters = Pick<EventPublisher, 'connect' | 'close' | 'publish'>;

/**
 * How ManagedConsumer makes its parts; the defaults build a ConsumerRunner and
 * an EventPublisher on the given Kafka client. Unit tests pass fakes.
 */
export interface ManagedConsumerParts {
  createDeadLetters?: (kafka: Kafka) => ManagedDeadLetters;
  createRunner?: (kafka: Kafka, options: ConsumerRunnerOptions) => ManagedRunner;
  /** How long leaving the group (and closing the dead-letter publisher) may take before it is abandoned. */
  stopDeadlineMs?: number;
  random?: () => number;
}

export interface ConsumerStatus {
  groupId: string;
  state: ConsumerState;
  /** Partitions paused until their next retry (a dependency is failing, or a message is being isolated). */
  blocked: BlockedPartition[];
  /** Why the last attempt to join failed, while it keeps trying. */
  startError?: string;
}

const START_BACKOFF = { baseMs: 250, maxMs: 5_000 };
/** A member that crashed after running this long starts its restart backoff afresh. */
const HEALTHY_RUN_MS = 60_000;
const STOP_DEADLINE_MS = 10_000;

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
 * - a member kafkajs crashed for good (`consumer.events.CRASH` with
 *   `restart: false`, e.g. every broker unreachable) is replaced: the old one
 *   disconnected within a deadline, a new one created, subscribed and run,
 *   after a jittered backoff, without limit while the process runs; meanwhile
 *   the state is `restarting` and `understudy_consumer_restarts_total` counts it;
 * - `stop()` (call it in `beforeApplicationShutdown`, before the pools close)
 *   cuts a pending retry or restart short and leaves the group, so partitions
 *   move at once; no member is left behind.
 */
export class ManagedConsumer {
  private runner: ManagedRunner | undefined;
  private deadLetters: ManagedDeadLetters | undefined;
  private starting: Promise<void> | undefined;
  private state: ConsumerState = 'idle';
  private startError: string | undefined;
  /** Crashes in a row (each within HEALTHY_RUN_MS of its start): the restart backoff's attempt. */
  private crashesInARow = 0;
  private runningSince = 0;
  /** The crashed member being replaced (kafkajs may report one crash more than once). */
  private replacing: ManagedRunner | undefined;
  private readonly stopping = new AbortController();
  private readonly metrics;
  private readonly stopDeadlineMs: number;
  private readonly random: () => number;

  constructor(
    private readonly kafka: Kafka,
    private readonly options: ManagedConsumerOptions,
    private readonly parts: ManagedConsumerParts = {},
  ) {
    this.stopDeadlineMs = parts.stopDeadlineMs ?? STOP_DEADLINE_MS;
    this.random = parts.random ?? Math.random;
    const registry = options.metrics;
    this.metrics = registry && {
      up: gauge(registry, 'understudy_consumer_up', '1 while the consumer is a member of its group.', ['group']),
      blocked: gauge(registry, 'understudy_consumer_blocked_partitions', 'Partitions paused until a retry (a dependency fails, or a message is isolated).', ['group']),
      retries: counter(registry, 'understudy_consumer_retries_total', 'Chunks that failed and were scheduled for a retry, by failure kind.', ['group', 'topic', 'kind']),
      deadLetters: counter(registry, 'understudy_consumer_dead_letters_total', 'Messages sent to their dead-letter topic.', ['group', 'topic']),
      restarts: counter(registry, 'understudy_consumer_restarts_total', 'Members replaced after kafkajs crashed them with a non-retriable error.', ['group']),
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
        if (this.stopping.signal.aborted) return;
        this.startError = undefined;
        this.runningSince = Date.now();
        this.setState('running');
        return;
      } catch (error) {
        if (this.stopping.signal.aborted) return;
        this.startError = error instanceof Error ? error.message : String(error);
        const retryInMs = backoffDelay(attempt - 1, { ...START_BACKOFF, jitter: 'equal' }, this.random);
        this.options.log?.('warn', 'consumer could not start; retrying', { groupId: this.options.groupId, error: this.startError, retryInMs });
        await this.stopRunner();
        await this.sleep(retryInMs);
      }
    }
  }

  private async startRunner(): Promise<void> {
    const { canStart: _canStart, metrics: _metrics, onDeadLetter, ...runnerOptions } = this.options;
    const deadLetters = this.parts.createDeadLetters?.(this.kafka) ?? new EventPublisher(this.kafka);
    this.deadLetters = deadLetters;
    await deadLetters.connect();
    const createRunner = this.parts.createRunner ?? ((kafka, options) => new ConsumerRunner(kafka, options));
    const runner: ManagedRunner = createRunner(this.kafka, {
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
      onCrash: ({ error, restart }) => {
        if (!restart) return this.onFatalCrash(runner, error);
        this.options.log?.('warn', 'consumer crashed; kafkajs restarts it', { groupId: this.options.groupId, error: describeError(error) });
      },
    });
    this.runner = runner;
    await runner.start();
    this.options.log?.('info', 'consumer started', { groupId: this.options.groupId, topics: this.options.topics });
  }

  /**
   * kafkajs gave up on `crashed` (it has disconnected it and will not restart
   * it): replace it, once whatever start is in hand has finished, unless
   * stop() was called or the member was already replaced.
   */
  private onFatalCrash(crashed: ManagedRunner, error: unknown): void {
    if (this.stopping.signal.aborted || crashed !== this.runner || crashed === this.replacing) return;
    this.replacing = crashed;
    this.crashesInARow = this.state === 'running' && Date.now() - this.runningSince >= HEALTHY_RUN_MS ? 1 : this.crashesInARow + 1;
    this.startError = `crashed: ${describeError(error)}`;
    this.setState('restarting');
    this.metrics?.restarts.inc({ group: this.options.groupId });
    const previous = this.starting ?? Promise.resolve();
    this.starting = previous.then(() => this.restartAfterCrash(crashed));
  }

  private async restartAfterCrash(crashed: ManagedRunner): Promise<void> {
    if (this.stopping.signal.aborted || crashed !== this.runner) return;
    this.setState('restarting');
    const restartInMs = backoffDelay(this.crashesInARow - 1, { ...START_BACKOFF, jitter: 'equal' }, this.random);
    this.options.log?.('error', 'consumer crashed with a non-retriable error; replacing it', { groupId: this.options.groupId, error: this.startError, restartInMs });
    await this.stopRunner();
    await this.sleep(restartInMs);
    await this.startUntilJoined();
  }

  private async stopRunner(): Promise<void> {
    const { runner, deadLetters } = this;
    this.runner = undefined;
    this.deadLetters = undefined;
    const warn = (what: string) => (error: unknown) =>
      this.options.log?.('warn', `error while stopping the consumer's ${what}`, { groupId: this.options.groupId, error: String(error) });
    const bounded = (what: string, work: Promise<void> | undefined) =>
      work &&
      withDeadline(work, this.stopDeadlineMs, () => {
        throw new Error(`did not finish within ${this.stopDeadlineMs} ms; abandoned`);
      }).catch(warn(what));
    await bounded('group membership', runner?.stop());
    await bounded('dead-letter publisher', deadLetters?.close());
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

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
