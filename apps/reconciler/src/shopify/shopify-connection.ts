import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG } from '@understudy/config';
import { LOGGER, METRICS } from '@understudy/observability';
import { BulkQueryRunner, ShopifyAdminClient } from '@understudy/shopify';
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
      shop: config.SHOPIFY_SHOP,
      accessToken: config.SHOPIFY_ACCESS_TOKEN,
      apiVersion: config.SHOPIFY_API_VERSION,
      ...(config.SHOPIFY_ADMIN_URL ? { adminUrl: config.SHOPIFY_ADMIN_URL } : {}),
      registry,
      budgetShare: config.RECONCILE_BUDGET_SHARE,
      log: (level, message, details) => logger[level](details ?? {}, message),
    });
    this.bulk = new BulkQueryRunner(this.client);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.close();
  }
}
