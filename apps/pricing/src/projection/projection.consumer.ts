import { type BeforeApplicationShutdown, Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG } from '@understudy/config';
import { isTransientDatabaseError } from '@understudy/database';
import { Readiness } from '@understudy/health';
import { type Kafka, ManagedConsumer } from '@understudy/messaging';
import { LOGGER, METRICS } from '@understudy/observability';
import { KAFKA } from '@understudy/platform';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { Config } from '../config';
import { Database } from '../database/database';
import { ProjectionService } from './projection.service';

/**
 * The pricing projection's consumer-group member: libs/messaging's
 * ManagedConsumer with the projection as its handler. It joins once
 * PostgreSQL is connected, retries a database outage without dead-lettering
 * anything, and leaves the group before the application's connections close.
 * Its health is a readiness detail that never fails readiness: quotes go on
 * from what the projection holds.
 */
@Injectable()
export class ProjectionConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly consumer: ManagedConsumer;

  constructor(
    @Inject(APP_CONFIG) private readonly config: Config,
    @Inject(KAFKA) kafka: Kafka,
    @Inject(LOGGER) logger: Logger,
    @Inject(METRICS) metrics: Registry,
    readiness: Readiness,
    database: Database,
    projection: ProjectionService,
  ) {
    this.consumer = new ManagedConsumer(kafka, {
      groupId: config.PROJECTION_GROUP_ID,
      topics: config.PROJECTION_TOPICS,
      chunkSize: config.PROJECTION_CHUNK_SIZE,
      maxAttempts: config.PROJECTION_MAX_ATTEMPTS,
      sessionTimeoutMs: config.PROJECTION_SESSION_TIMEOUT_MS,
      canStart: () => database.isReady,
      isTransient: isTransientDatabaseError,
      handler: (messages) => projection.handle(messages),
      onDeadLetter: (message) => projection.recordDeadLetter(message.topic),
      log: (level, message, details) => logger[level](details, message),
      metrics,
    });
    if (config.PROJECTION_ENABLED) readiness.add(this.consumer.probe('projection'));
  }

  get isRunning(): boolean {
    return this.consumer.isRunning;
  }

  onApplicationBootstrap(): void {
    if (this.config.PROJECTION_ENABLED) this.consumer.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer.stop();
  }
}
