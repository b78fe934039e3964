import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG } from '@understudy/config';
import { LOGGER, METRICS } from '@understudy/observability';
import { adminTarget, BulkQueryRunner, logTo, ShopifyAdminClient } from '@understudy/shopify';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { Config } from '../config';

/** The reconciler's one Shopify client: every bulk and incremental read goes through it, within its budget share. */
@Injectable()
export class ShopifyConnection implements OnApplicationShutdown {
  readonly client: ShopifyAdminClient;
  readonly bulk: BulkQueryRunner;

  constructor(@Inject(APP_CONFIG) config: Config, @Inject(METRICS) registry: Registry, @Inject(LOGGER) logger: Logger) {
    this.client = new ShopifyAdminClient({
      ...adminTarget(config),
      registry,
      budgetShare: config.RECONCILE_BUDGET_SHARE,
      log: logTo(logger),
    });
    this.bulk = new BulkQueryRunner(this.client);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.close();
  }
}
