import { type DynamicModule, Global, Inject, Injectable, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { withDeadline } from '@understudy/concurrency';
import { ConfigModule } from '@understudy/config';
import { connectDataSource, createDataSource, type DataSource, type DatabaseSettings, postgresProbe } from '@understudy/database';
import { type DependencyProbe, HealthModule, Lifecycle, redisProbe } from '@understudy/health';
import { createKafka, EventPublisher, type Kafka, kafkaProbe } from '@understudy/messaging';
import { LOGGER, ObservabilityModule } from '@understudy/observability';
import Redis from 'ioredis';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';

export const DATA_SOURCE = Symbol('DATA_SOURCE');
export const REDIS = Symbol('REDIS');
export const KAFKA = Symbol('KAFKA');

/** What an app depends on. Each one given gets a client, a readiness probe and a clean close. */
export interface ServiceDependencies {
  postgres?: Omit<DatabaseSettings, 'applicationName'>;
  redis?: {
    url: string;
    /** Each command fails after this (see `withDeadlines`, which fills it from the app's config). */
    commandTimeoutMs?: number;
    connectTimeoutMs?: number;
  };
  kafka?: { brokers: string[] };
}

/** The dependency probes, by name, for an app that wants to shape its readiness. */
export interface DependencyProbes {
  postgres?: DependencyProbe;
  redis?: DependencyProbe;
  kafka?: DependencyProbe;
}

/** Default: every dependency is critical. */
export type ReadinessPolicy = (probes: DependencyProbes) => DependencyProbe[];

export interface ServiceModuleOptions {
  service: string;
  config: object;
  logger: Logger;
  metrics: Registry;
  lifecycle: Lifecycle;
  dependencies: ServiceDependencies;
  readiness?: ReadinessPolicy;
}

interface Resources {
  dataSource?: DataSource;
  redis?: Redis;
  kafka?: Kafka;
  publisher?: EventPublisher;
  closers: Array<{ name: string; close: () => Promise<unknown> }>;
  closeDeadlineMs: number;
  probes: DependencyProbes;
}

const RESOURCES = Symbol('RESOURCES');

/**
 * How long one shutdown step (an app's loop stopping, one pool or client
 * closing) may take: a quarter of what SHUTDOWN_TIMEOUT_MS leaves after the
 * drain delay, so the HTTP server, the app's own steps and the clients all
 * fit before the hard deadline even when every one of them hangs.
 */
export function shutdownStepMs(config: object): number {
  const { SHUTDOWN_TIMEOUT_MS = 10_000, SHUTDOWN_DRAIN_DELAY_MS = 0 } = config as { SHUTDOWN_TIMEOUT_MS?: number; SHUTDOWN_DRAIN_DELAY_MS?: number };
  return Math.max(100, Math.floor((SHUTDOWN_TIMEOUT_MS - SHUTDOWN_DRAIN_DELAY_MS) / 4));
}

/**
 * Connects what can be connected at start-up without blocking it: a service
 * whose database or broker is down still starts (live, not ready) and becomes
 * ready when they return. Closes everything on shutdown, in reverse order.
 */
@Injectable()
class ResourceLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(RESOURCES) private readonly resources: Resources,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    const { dataSource, publisher } = this.resources;
    if (dataSource) {
      connectDataSource(dataSource).catch((error: unknown) => this.logger.warn({ err: error }, 'PostgreSQL not reachable at start-up; readiness will report it'));
    }
    if (publisher) {
      publisher.connect().catch((error: unknown) => this.logger.warn({ err: error }, 'Kafka not reachable at start-up; readiness will report it'));
    }
  }

  /**
   * Closes every client at once, each within its own deadline: a hung
   * PostgreSQL, Redis or Kafka (a socket that accepts and never answers)
   * cannot hold the others, or the exit, past it.
   */
  async onApplicationShutdown(): Promise<void> {
    const ms = this.resources.closeDeadlineMs;
    await Promise.all(
      this.resources.closers.map(({ name, close }) =>
        withDeadline(
          close().catch((error: unknown) => this.logger.warn({ err: error, resource: name }, 'error while closing a resource')),
          ms,
          () => this.logger.warn({ resource: name, deadlineMs: ms }, 'resource did not close in time; leaving it'),
        ),
      ),
    );
  }
}

function createResources(service: string, dependencies: ServiceDependencies, logger: Logger, closeDeadlineMs: number): Resources {
  const resources: Resources = { closers: [], closeDeadlineMs, probes: {} };
  if (dependencies.postgres) {
    const dataSource = createDataSource({ ...dependencies.postgres, applicationName: service });
    resources.dataSource = dataSource;
    resources.probes.postgres = postgresProbe(dataSource);
    resources.closers.push({
      name: 'postgres',
      close: async () => {
        if (dataSource.isInitialized) await dataSource.destroy();
      },
    });
  }
  if (dependencies.redis) {
    const redis = new Redis(dependencies.redis.url, {
      lazyConnect: false,
      // Fail commands fast while Redis is down instead of queueing them forever (no offline queue),
      // and while it hangs (SIGSTOP, a partition: the socket stays open and nothing answers).
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: dependencies.redis.connectTimeoutMs ?? 2_000,
      commandTimeout: dependencies.redis.commandTimeoutMs ?? 500,
      // Commands issued in the same tick share one write: cheap batching under load.
      enableAutoPipelining: true,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
    });
    redis.on('error', (error) => logger.debug({ err: error }, 'redis connection error'));
    resources.redis = redis;
    resources.probes.redis = redisProbe(redis);
    resources.closers.push({ name: 'redis', close: async () => redis.quit().catch(() => redis.disconnect()) });
  }
  if (dependencies.kafka) {
    const kafka = createKafka({
      brokers: dependencies.kafka.brokers,
      clientId: service,
      log: (level, message, details) => logger[level]({ ...details }, message),
    });
    const publisher = new EventPublisher(kafka);
    const probe = kafkaProbe(kafka);
    resources.kafka = kafka;
    resources.publisher = publisher;
    resources.probes.kafka = probe;
    resources.closers.push({ name: 'kafka producer', close: () => publisher.close() }, { name: 'kafka probe', close: () => probe.close() });
  }
  return resources;
}

@Global()
@Module({})
export class ServiceModule {
  static forRoot(options: ServiceModuleOptions): DynamicModule {
    const resources = createResources(options.service, options.dependencies, options.logger, shutdownStepMs(options.config));
    return {
      module: ServiceModule,
      imports: [
        ConfigModule.forRoot(options.config),
        ObservabilityModule.forRoot(options.logger, options.metrics),
        HealthModule.forRoot({
          probes: options.readiness ? options.readiness(resources.probes) : Object.values(resources.probes),
          lifecycle: options.lifecycle,
        }),
      ],
      providers: [
        { provide: RESOURCES, useValue: resources },
        ResourceLifecycle,
        ...(resources.dataSource ? [{ provide: DATA_SOURCE, useValue: resources.dataSource }] : []),
        ...(resources.redis ? [{ provide: REDIS, useValue: resources.redis }] : []),
        ...(resources.kafka ? [{ provide: KAFKA, useValue: resources.kafka }] : []),
        ...(resources.publisher ? [{ provide: EventPublisher, useValue: resources.publisher }] : []),
      ],
      exports: [
        ConfigModule,
        ObservabilityModule,
        HealthModule,
        ...(resources.dataSource ? [DATA_SOURCE] : []),
        ...(resources.redis ? [REDIS] : []),
        ...(resources.kafka ? [KAFKA] : []),
        ...(resources.publisher ? [EventPublisher] : []),
      ],
    };
  }
}
