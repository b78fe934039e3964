import os from 'node:os';
import path from 'node:path';
import { counter, gauge } from '@understudy/observability';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { AdminGraphqlPipeline } from './admin-graphql/admin-graphql.service';
import { PLAN_PRESETS, type PlanName, type ThrottleLimits, Throttles } from './admin-graphql/bucket';
import type { GraphqlContext } from './admin-graphql/context';
import { buildAdminSchema } from './admin-graphql/resolvers';
import { BulkOperations } from './bulk/bulk-operations';
import type { Config } from './config';
import { IdempotencyCache } from './inventory/inventory-mutations';
import { FlashSale, type FlashSaleOptions } from './inventory/merchant-changes';
import { seededRandom } from './store/random';
import type { SeedOptions } from './store/seed';
import type { ShopState } from './store/shop';
import { SimStore } from './store/sim-store';
import { NO_CHAOS, type SimSettings, settingsFromConfig } from './settings';
import { WebhookDispatcher } from './webhooks/dispatcher';
import { ShopEvents } from './webhooks/shop-events';

/**
 * The whole simulator as one plain object: store, throttles, GraphQL
 * pipeline, bulk runner, webhook dispatcher. The Nest module only wires it
 * to HTTP; tests and the bench can drive it directly.
 */
export class Simulator {
  readonly settings: SimSettings;
  readonly store: SimStore;
  readonly throttles: Throttles;
  readonly dispatcher: WebhookDispatcher;
  readonly events: ShopEvents;
  readonly pipeline: AdminGraphqlPipeline;
  readonly bulk: BulkOperations;
  readonly idempotency = new IdempotencyCache();
  plan: PlanName | 'custom';
  private readonly flashSales = new Map<string, FlashSale>();
  private readonly random: () => number;

  constructor(
    config: Config,
    private readonly logger: Logger,
    metrics: Registry,
  ) {
    this.settings = settingsFromConfig(config);
    this.random = seededRandom(config.SIM_SEED ^ 0x5eed);
    this.store = new SimStore(config.SIM_SHOP);
    this.plan = config.SIM_RESTORE_RATE || config.SIM_MAXIMUM_AVAILABLE ? 'custom' : config.SIM_PLAN;
    const preset = PLAN_PRESETS[config.SIM_PLAN];
    this.throttles = new Throttles({
      restoreRate: config.SIM_RESTORE_RATE ?? preset.restoreRate,
      maximumAvailable: config.SIM_MAXIMUM_AVAILABLE ?? preset.maximumAvailable,
    });
    this.dispatcher = new WebhookDispatcher(this.settings, logger, this.random);
    this.events = new ShopEvents(this.dispatcher, this.settings);
    const schema = buildAdminSchema();
    const contextFor = (shop: ShopState, origin: string, version: string): GraphqlContext => ({
      shop,
      version,
      origin,
      bulk: false,
      events: this.events,
      bulkOperations: this.bulk,
      idempotency: this.idempotency,
      planName: this.plan,
    });
    this.bulk = new BulkOperations(
      schema,
      config.SIM_BULK_DIR ?? path.join(os.tmpdir(), `understudy-shopify-sim-${process.pid}`),
      this.events,
      contextFor,
      logger,
    );

    const requests = counter(metrics, 'understudy_sim_graphql_requests_total', 'Admin GraphQL requests served, by outcome.', ['outcome']);
    const points = counter(metrics, 'understudy_sim_graphql_cost_points_total', 'Actual query cost charged to callers.');
    this.pipeline = new AdminGraphqlPipeline({
      schema,
      shopForToken: (token) => this.store.shopForToken(token),
      throttles: this.throttles,
      contextFor,
      onRequest: (outcome, cost) => {
        requests.inc({ outcome });
        if (cost > 0) points.inc(cost);
      },
    });
    const dispatcher = this.dispatcher;
    gauge(metrics, 'understudy_sim_webhook_deliveries', 'Webhook delivery counters since the last reset.', ['counter'], (deliveries) => {
      for (const [name, value] of Object.entries(dispatcher.counters())) deliveries.set({ counter: name }, value);
    });
  }

  seed(options: SeedOptions, accessTokens: readonly string[] = this.settings.accessTokens): ShopState {
    const existing = this.store.get(options.shop);
    const shop = this.store.seed(options, accessTokens);
    // A reseed keeps the app's webhook subscriptions, as reinstalling a catalogue would.
    if (existing) for (const [id, subscription] of existing.webhookSubscriptions) shop.webhookSubscriptions.set(id, subscription);
    return shop;
  }

  setThrottle(limits: Partial<ThrottleLimits> & { plan?: PlanName; shop?: string; currentlyAvailable?: number }): ThrottleLimits {
    const base = limits.plan ? PLAN_PRESETS[limits.plan] : this.throttles.limits(limits.shop ?? this.store.defaultShop);
    const next = { restoreRate: limits.restoreRate ?? base.restoreRate, maximumAvailable: limits.maximumAvailable ?? base.maximumAvailable };
    if (!limits.shop) this.plan = limits.plan && limits.restoreRate === undefined && limits.maximumAvailable === undefined ? limits.plan : 'custom';
    this.throttles.configure(next, { shop: limits.shop, currentlyAvailable: limits.currentlyAvailable });
    return next;
  }

  startFlashSale(shop: ShopState, options: FlashSaleOptions): FlashSale {
    const random = options.seed === undefined ? this.random : seededRandom(options.seed);
    const sale: FlashSale = new FlashSale(shop, options, this.events, random, () => undefined);
    this.flashSales.set(sale.status.id, sale);
    return sale;
  }

  flashSale(id: string): FlashSale | undefined {
    return this.flashSales.get(id);
  }

  /** Back to a clean slate for the next test: no subscriptions, operations, chaos, counters or cached replies. */
  reset(): void {
    for (const sale of this.flashSales.values()) sale.stop();
    this.flashSales.clear();
    this.dispatcher.clearQueue();
    this.dispatcher.resetCounters();
    for (const shop of this.store.all()) {
      shop.webhookSubscriptions.clear();
      shop.bulkOperations.clear();
    }
    this.settings.chaos = { ...NO_CHAOS };
    this.idempotency.clear();
    this.throttles.clear();
  }

  async close(): Promise<void> {
    for (const sale of this.flashSales.values()) sale.stop();
    await this.bulk.close();
    await this.dispatcher.close();
    this.bulk.removeFiles({ recreate: false });
    this.logger.debug('simulator closed');
  }
}
