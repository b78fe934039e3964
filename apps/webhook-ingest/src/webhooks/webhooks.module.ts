import { type DynamicModule, Inject, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Readiness } from '@understudy/health';
import { DedupStore } from '@understudy/idempotency';
import { EventPublisher } from '@understudy/messaging';
import { LOGGER, METRICS, type Registry } from '@understudy/observability';
import { APP_CONFIG } from '@understudy/config';
import { DATA_SOURCE, REDIS, shutdownStepMs } from '@understudy/platform';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { DurableDelivery } from '../delivery/durable-delivery';
import { PostgresOutbox } from '../delivery/postgres-outbox';
import { DEDUP_TABLE, IngestService, type IngestSettings } from './ingest.service';
import { DedupPruner, type DedupPrunePolicy } from './dedup-pruner';
import { DEDUP_PRUNE_POLICY, DEDUP_STORE, DELIVERY_POLICY, INGEST_METRICS } from './ingest.tokens';
import { ingestMetrics } from './ingest-metrics';
import type { DeliveryPolicy } from './verify-delivery';
import { WebhooksController } from './webhooks.controller';

export interface WebhooksModuleOptions extends DeliveryPolicy, IngestSettings {
  /** How long a publish waits for Kafka's acknowledgement before the webhook goes to the outbox. */
  publishTimeoutMs: number;
  dedupTtlSeconds: number;
  staleClaimSeconds: number;
  prune: DedupPrunePolicy;
}

/** Wires the webhook path; DurableDelivery (src/delivery) owns "Kafka, else the outbox" and its drain loop. */
@Module({})
export class WebhooksModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(DEDUP_STORE) private readonly dedup: DedupStore,
    private readonly delivery: DurableDelivery,
    @Inject(APP_CONFIG) private readonly config: object,
  ) {}

  static register(options: WebhooksModuleOptions): DynamicModule {
    return {
      module: WebhooksModule,
      controllers: [WebhooksController],
      providers: [
        IngestService,
        DedupPruner,
        { provide: DEDUP_PRUNE_POLICY, useValue: options.prune },
        { provide: DELIVERY_POLICY, useValue: options },
        { provide: INGEST_METRICS, inject: [METRICS], useFactory: (registry: Registry) => ingestMetrics(registry) },
        {
          provide: DEDUP_STORE,
          inject: [DATA_SOURCE, REDIS, LOGGER],
          useFactory: (dataSource: DataSource, redis: Redis, logger: Logger) =>
            new DedupStore({
              dataSource,
              redis,
              table: DEDUP_TABLE,
              redisPrefix: 'understudy:webhook:done:',
              doneTtlSeconds: options.dedupTtlSeconds,
              staleClaimSeconds: options.staleClaimSeconds,
              onRedisError: (error) => logger.debug({ err: error }, 'redis dedup cache unavailable'),
            }),
        },
        {
          provide: DurableDelivery,
          inject: [EventPublisher, DATA_SOURCE, DEDUP_STORE, METRICS, LOGGER, Readiness],
          useFactory: (publisher: EventPublisher, dataSource: DataSource, dedup: DedupStore, registry: Registry, logger: Logger, readiness: Readiness) => {
            const delivery = new DurableDelivery({
              publisher,
              outbox: new PostgresOutbox(dataSource, dedup),
              metrics: registry,
              publishTimeoutMs: options.publishTimeoutMs,
              log: (level, message, details) => logger[level](details ?? {}, message),
            });
            // A detail, never a failure: readiness's `durable-path` decides whether webhooks can be taken.
            readiness.add({ name: 'delivery', critical: false, check: async () => delivery.status() });
            return delivery;
          },
        },
      ],
    };
  }

  onApplicationBootstrap(): void {
    this.delivery.start();
  }

  async onApplicationShutdown(): Promise<void> {
    // A pass hung on Kafka or PostgreSQL is not waited for past one shutdown step (its transaction is rolled back when the pool closes).
    await this.delivery.stop(shutdownStepMs(this.config));
    await this.dedup.close();
  }
}
