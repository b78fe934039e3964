import type { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import type { ProjectionSettings } from '@understudy/config';
import { isTransientDatabaseError } from '@understudy/database';
import type { Readiness } from '@understudy/health';
import { type Kafka, ManagedConsumer, type ManagedConsumerOptions } from '@understudy/messaging';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';

/**
 * The `PROJECTION_*` settings every module that projects Kafka into PostgreSQL validates at boot
 * (schema: `projectionEnv` in libs/config), and the prefix in front of each of PROJECTION_TOPICS
 * (installations sharing one cluster; '' or absent: none).
 */
export type ProjectionConsumerSettings = Readonly<ProjectionSettings> & { readonly KAFKA_TOPIC_PREFIX?: string };

export interface ProjectionConsumerParts {
  readonly kafka: Kafka;
  readonly logger: Logger;
  readonly metrics: Registry;
  readonly readiness: Readiness;
  /** True once the module's database is connected: a consumer that cannot write would only fail and retry. */
  readonly canStart: () => boolean;
  readonly handler: ManagedConsumerOptions['handler'];
  readonly onDeadLetter: NonNullable<ManagedConsumerOptions['onDeadLetter']>;
}

/**
 * A projection's consumer-group member: libs/messaging's ManagedConsumer with
 * the module's projection as its handler. It joins once PostgreSQL is
 * connected, retries a database outage without dead-lettering anything, and
 * leaves the group before the application's connections close. Its health is a
 * readiness detail that never fails readiness: the module's HTTP API answers
 * from what the projection holds. Each module subclasses it to inject its parts.
 */
export abstract class ProjectionConsumerHost implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly consumer: ManagedConsumer;

  protected constructor(
    private readonly settings: ProjectionConsumerSettings,
    parts: ProjectionConsumerParts,
  ) {
    this.consumer = new ManagedConsumer(parts.kafka, {
      groupId: settings.PROJECTION_GROUP_ID,
      topics: settings.PROJECTION_TOPICS.map((topic) => `${settings.KAFKA_TOPIC_PREFIX ?? ''}${topic}`),
      chunkSize: settings.PROJECTION_CHUNK_SIZE,
      maxAttempts: settings.PROJECTION_MAX_ATTEMPTS,
      sessionTimeoutMs: settings.PROJECTION_SESSION_TIMEOUT_MS,
      canStart: parts.canStart,
      isTransient: isTransientDatabaseError,
      handler: parts.handler,
      onDeadLetter: parts.onDeadLetter,
      log: (level, message, details) => parts.logger[level](details, message),
      metrics: parts.metrics,
    });
    if (settings.PROJECTION_ENABLED) parts.readiness.add(this.consumer.probe('projection'));
  }

  /** True once the consumer has joined its group. */
  get isRunning(): boolean {
    return this.consumer.isRunning;
  }

  onApplicationBootstrap(): void {
    if (this.settings.PROJECTION_ENABLED) this.consumer.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer.stop();
  }
}
