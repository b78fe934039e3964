import { type BeforeApplicationShutdown, Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG } from '@understudy/config';
import { ConsumerRunner, EventPublisher, type Kafka } from '@understudy/messaging';
import { LOGGER } from '@understudy/observability';
import { KAFKA } from '@understudy/platform';
import type { Logger } from 'pino';
import type { Config } from '../config';
import { Database } from '../database/database';
import { ProjectionService } from './projection.service';

const RETRY_START_MS = { initial: 250, max: 5_000 };

/** Cuts a retry wait short when the consumer stops, so shutdown never waits out a failing chunk's backoff. */
export class ConsumerStoppingError extends Error {
  constructor() {
    super('projection consumer is stopping; the chunk stays uncommitted and is redelivered');
    this.name = 'ConsumerStoppingError';
  }
}

/**
 * Runs the pricing projection's consumer-group member for the life of the process
 * (the same lifecycle as inventory's; #12 folds both into libs/messaging):
 * joins once PostgreSQL is connected (a consumer that cannot write would
 * only fail and retry), retries joining while Kafka is unreachable, and
 * leaves the group before the application's connections close, so its
 * partitions move to another replica at once instead of after a session timeout.
 */
@Injectable()
export class ProjectionConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private runner: ConsumerRunner | undefined;
  private deadLetters: EventPublisher | undefined;
  private starting: Promise<void> | undefined;
  private joined = false;
  private readonly stopping = new AbortController();

  constructor(
    @Inject(APP_CONFIG) private readonly config: Config,
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly database: Database,
    private readonly projection: ProjectionService,
  ) {}

  /** True once the consumer has joined its group. */
  get isRunning(): boolean {
    return this.joined;
  }

  onApplicationBootstrap(): void {
    if (!this.config.PROJECTION_ENABLED) return;
    this.starting = this.startWhenReady();
  }

  async beforeApplicationShutdown(): Promise<void> {
    // A chunk in its retry backoff gives up at once (uncommitted, so redelivered
    // to whoever gets the partition); a chunk being applied finishes first.
    this.stopping.abort();
    await this.starting;
    await this.stopRunner();
  }

  private async startWhenReady(): Promise<void> {
    let delay = RETRY_START_MS.initial;
    while (!this.stopping.signal.aborted) {
      try {
        if (!this.database.isReady) {
          await this.sleep(RETRY_START_MS.initial);
          continue;
        }
        await this.startRunner();
        this.joined = true;
        return;
      } catch (error) {
        if (this.stopping.signal.aborted) return;
        this.logger.warn({ err: error, retryInMs: delay }, 'projection consumer could not start; retrying');
        await this.stopRunner();
        await this.sleep(delay).catch(() => undefined);
        delay = Math.min(delay * 2, RETRY_START_MS.max);
      }
    }
  }

  /** Waits `ms`, or rejects with ConsumerStoppingError as soon as shutdown begins. */
  private sleep(ms: number): Promise<void> {
    const signal = this.stopping.signal;
    if (signal.aborted) return Promise.reject(new ConsumerStoppingError());
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        reject(new ConsumerStoppingError());
      };
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  private async startRunner(): Promise<void> {
    const { PROJECTION_GROUP_ID, PROJECTION_TOPICS, PROJECTION_CHUNK_SIZE, PROJECTION_MAX_ATTEMPTS, PROJECTION_SESSION_TIMEOUT_MS } = this.config;
    // Its own producer, so dead letters can still be written while the platform's publisher closes.
    const deadLetters = new EventPublisher(this.kafka);
    this.deadLetters = deadLetters;
    await deadLetters.connect();
    const runner = new ConsumerRunner(this.kafka, {
      groupId: PROJECTION_GROUP_ID,
      topics: PROJECTION_TOPICS,
      chunkSize: PROJECTION_CHUNK_SIZE,
      maxAttempts: PROJECTION_MAX_ATTEMPTS,
      sessionTimeoutMs: PROJECTION_SESSION_TIMEOUT_MS,
      deadLetters,
      handler: (messages) => this.projection.handle(messages),
      onDeadLetter: (message) => this.projection.recordDeadLetter(message.topic),
      log: (level, message, details) => this.logger[level](details, message),
    });
    this.runner = runner;
    await runner.start();
    this.logger.info({ groupId: PROJECTION_GROUP_ID, topics: PROJECTION_TOPICS }, 'projection consumer started');
  }

  private async stopRunner(): Promise<void> {
    const { runner, deadLetters } = this;
    this.runner = undefined;
    this.joined = false;
    this.deadLetters = undefined;
    await runner?.stop().catch((error: unknown) => this.logger.warn({ err: error }, 'error while stopping the projection consumer'));
    await deadLetters?.close().catch((error: unknown) => this.logger.warn({ err: error }, 'error while closing the dead-letter publisher'));
  }
}
