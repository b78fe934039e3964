import { type DynamicModule, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { DedupStore } from '@understudy/idempotency';
import { LOGGER, METRICS, type Registry } from '@understudy/observability';
import { DATA_SOURCE, REDIS } from '@understudy/platform';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { DeliveryState } from './delivery-state';
import { DEDUP_TABLE, IngestService, type IngestSettings } from './ingest.service';
import { DedupPruner, type DedupPrunePolicy } from './dedup-pruner';
import { DEDUP_PRUNE_POLICY, DEDUP_STORE, DELIVERY_POLICY, INGEST_METRICS } from './ingest.tokens';
import { ingestMetrics } from './ingest-metrics';
import { OutboxService } from './outbox.service';
import type { DeliveryPolicy } from './verify-delivery';
import { WebhooksController } from './webhooks.controller';

export interface WebhooksModuleOptions extends DeliveryPolicy, IngestSettings {
  dedupTtlSeconds: number;
  staleClaimSeconds: number;
  prune: DedupPrunePolicy;
  /** Shared with readiness, which reports the path in use and the outbox depth. */
  state: DeliveryState;
}

@Module({})
export class WebhooksModule implements OnApplicationShutdown {
  constructor(@Inject(DEDUP_STORE) private readonly dedup: DedupStore) {}

  static register(options: WebhooksModuleOptions): DynamicModule {
    return {
      module: WebhooksModule,
      controllers: [WebhooksController],
      providers: [
        IngestService,
        OutboxService,
        DedupPruner,
        { provide: DEDUP_PRUNE_POLICY, useValue: options.prune },
        { provide: DeliveryState, useValue: options.state },
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
      ],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.dedup.close();
  }
}
