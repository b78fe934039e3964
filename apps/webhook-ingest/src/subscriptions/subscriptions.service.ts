import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG } from '@understudy/config';
import { LOGGER, METRICS, type Registry } from '@understudy/observability';
import { adminTarget, ensureSubscriptions, ShopifyAdminClient } from '@understudy/shopify';
import type { Logger } from 'pino';
import type { Config } from '../config';

export function adminClientFor(config: Config, registry: Registry): ShopifyAdminClient | undefined {
  if (!config.SHOPIFY_ACCESS_TOKEN) return undefined;
  return new ShopifyAdminClient({ ...adminTarget({ ...config, SHOPIFY_SHOP: config.SHOPIFY_SHOP[0]!, SHOPIFY_ACCESS_TOKEN: config.SHOPIFY_ACCESS_TOKEN }), registry });
}

/** On start, in the background: subscriptions are retried until they succeed and never block webhooks. */
@Injectable()
export class SubscriptionsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly client: ShopifyAdminClient | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: Config,
    @Inject(METRICS) registry: Registry,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.client = adminClientFor(config, registry);
  }

  onApplicationBootstrap(): void {
    if (!this.client || !this.config.WEBHOOK_CALLBACK_URL) {
      this.logger.info('SHOPIFY_ACCESS_TOKEN or WEBHOOK_CALLBACK_URL not set; not managing webhook subscriptions');
      return;
    }
    const attempt = (delayMs: number) => {
      this.timer = setTimeout(async () => {
        try {
          const plan = await ensureSubscriptions(this.client!, this.config.WEBHOOK_TOPICS, this.config.WEBHOOK_CALLBACK_URL!);
          this.logger.info(plan, 'webhook subscriptions in place');
        } catch (error) {
          this.logger.warn({ err: error, retryInMs: Math.min(delayMs * 2, 60_000) }, 'could not ensure webhook subscriptions; will retry');
          if (!this.stopped) attempt(Math.min(Math.max(delayMs, 1_000) * 2, 60_000));
        }
      }, delayMs);
    };
    attempt(0);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.client?.close();
  }
}
