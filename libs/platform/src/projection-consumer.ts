import type { BeforeApplicationShutdown, FactoryProvider, OnApplicationBootstrap, Provider, Type } from '@nestjs/common';
import { APP_CONFIG, type ProjectionSettings } from '@understudy/config';
import { type DatabaseSettings, isDataError, isTransientDatabaseError } from '@understudy/database';
import { Readiness } from '@understudy/health';
import { type Kafka, ManagedConsumer, type ManagedConsumerOptions, PoisonMessageError } from '@understudy/messaging';
import { LOGGER, METRICS } from '@understudy/observability';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { ProjectionMetrics } from './projection-metrics';
import { KAFKA, type ServiceDependencies } from './service.module';

/**
 * The `PROJECTION_*` settings every module that projects Kafka into PostgreSQL validates at boot
 * (schema: `projectionEnv` in libs/config), and the prefix in front of each of PROJECTION_TOPICS
 * (installations sharing one cluster; '' or absent: none).
 */
export type ProjectionConsumerSettings = Readonly<ProjectionSettings> & { readonly KAFKA_TOPIC_PREFIX?: string };

export interface ProjectionConsumerParts {
  readonly kafka: Kafka;
  readonly logger: Logger;
  /** The process's registry: the consumer's own `understudy_consumer_*` series. */
  readonly metrics: Registry;
  /** The projection's series: a dead-lettered message counts as `failed`. */
  readonly projectionMetrics: ProjectionMetrics;
  readonly readiness: Readiness;
  /** True once the module's database is connected: a consumer that cannot write would only fail and retry. */
  readonly canStart: () => boolean;
  /** The projection's handler; a value the database refuses (SQLSTATE 22, 23) in it is poison, dead-lettered at once. */
  readonly handler: ManagedConsumerOptions['handler'];
}

/**
 * The handler, with a value the database refuses (SQLSTATE 22 data exception, 23 integrity
 * violation) turned into a PoisonMessageError: retrying the same row cannot help, so the message
 * is isolated and dead-lettered. Every other failure is left to ManagedConsumer's classification.
 */
export function poisonOnDataError(handler: ManagedConsumerOptions['handler']): ManagedConsumerOptions['handler'] {
  return async (messages) => {
    try {
      await handler(messages);
    } catch (error) {
      if (isDataError(error)) throw new PoisonMessageError(`rejected by the database: ${error instanceof Error ? error.message : String(error)}`);
      throw error;
    }
  };
}

/**
 * A projection's consumer-group member: libs/messaging's ManagedConsumer with
 * the module's projection as its handler. It joins once PostgreSQL is
 * connected, retries a database outage without dead-lettering anything, and
 * leaves the group before the application's connections close. Its health is a
 * readiness detail that never fails readiness: the module's HTTP API answers
 * from what the projection holds. A value the database refuses is poison, and a
 * dead-lettered message counts as `understudy_events_applied_total{result="failed"}`.
 * Modules register it with `projectionProviders`.
 */
export class ProjectionConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly consumer: ManagedConsumer;

  constructor(
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
      handler: poisonOnDataError(parts.handler),
      onDeadLetter: (message) => parts.projectionMetrics.count(message.topic, 'failed'),
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

/** What a module's projection service offers its consumer. */
export interface ProjectionHandler {
  /** One partition's chunk, in offset order, applied in one transaction (ManagedConsumer's handler). */
  handle: ManagedConsumerOptions['handler'];
}

/**
 * The Nest providers of a module's projection: its projection service, the ProjectionMetrics it
 * and the consumer share, and its ProjectionConsumer, built from the module's own database (the
 * consumer starts once it `isReady`) and projection service (the handler); the rest (`APP_CONFIG`'s
 * `PROJECTION_*` settings, Kafka, logger, registry, readiness) comes from ServiceModule.
 */
export function projectionProviders(database: Type<{ readonly isReady: boolean }>, projection: Type<ProjectionHandler>): Provider[] {
  const metrics: FactoryProvider<ProjectionMetrics> = { provide: ProjectionMetrics, inject: [METRICS], useFactory: (registry: Registry) => new ProjectionMetrics(registry) };
  const consumer: FactoryProvider<ProjectionConsumer> = {
    provide: ProjectionConsumer,
    inject: [APP_CONFIG, KAFKA, LOGGER, METRICS, ProjectionMetrics, Readiness, database, projection],
    useFactory: (
      settings: ProjectionConsumerSettings,
      kafka: Kafka,
      logger: Logger,
      registry: Registry,
      projectionMetrics: ProjectionMetrics,
      readiness: Readiness,
      db: { readonly isReady: boolean },
      service: ProjectionHandler,
    ) => new ProjectionConsumer(settings, { kafka, logger, metrics: registry, projectionMetrics, readiness, canStart: () => db.isReady, handler: (messages) => service.handle(messages) }),
  };
  return [projection, metrics, consumer];
}

/**
 * What a module that projects Kafka into its own PostgreSQL depends on: its database (its
 * migrations, applied by `--migrate`; DATABASE_POOL_SIZE connections) and the brokers it consumes from.
 */
export function projectionDependencies(
  config: { readonly DATABASE_URL: string; readonly DATABASE_POOL_SIZE: number; readonly KAFKA_BROKERS: string[] },
  migrations: DatabaseSettings['migrations'],
): Required<Pick<ServiceDependencies, 'postgres' | 'kafka'>> {
  return {
    postgres: { url: config.DATABASE_URL, migrations, poolSize: config.DATABASE_POOL_SIZE },
    kafka: { brokers: config.KAFKA_BROKERS },
  };
}
