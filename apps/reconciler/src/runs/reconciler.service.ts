import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG } from '@understudy/config';
import { type DataSource, poolOf } from '@understudy/database';
import { EventPublisher } from '@understudy/messaging';
import { LOGGER, METRICS } from '@understudy/observability';
import { ApiError, DATA_SOURCE } from '@understudy/platform';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { Config } from '../config';
import { summarise } from '../delivery/delivery-ratio';
import type { ReconcileDomain } from '../domains/domain';
import { buildDomains } from '../domains/registry';
import { DeliveryStore } from '../persistence/delivery-store';
import { type RunMode, type RunRecord, RunStore, type RunTrigger } from '../persistence/run-store';
import { sqlRunner } from '../persistence/sql';
import { ShopifyConnection } from '../shopify/shopify-connection';
import { FactPublisher } from '../reconcile/fact-publisher';
import { reconcileMetrics, type ReconcileMetrics } from '../reconcile/metrics';
import { RunAborted, RunExecutor } from '../reconcile/run-executor';
import { needsBackfill, nextScheduledAt } from '../reconcile/schedule';

export interface StartRun {
  domains: string[];
  mode: RunMode;
  dryRun: boolean;
}

/**
 * Owns the runs: starts them (one per domain at a time), executes them in the
 * background, resumes runs a dead reconciler left behind, runs the backfill
 * on first start and the incremental schedule after. The logic of a run is
 * in RunExecutor; this class only wires and times it.
 */
@Injectable()
export class ReconcilerService implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly domains: ReadonlyMap<string, ReconcileDomain>;
  private readonly metrics: ReconcileMetrics;
  private readonly shutdown = new AbortController();
  private readonly executing = new Map<string, Promise<unknown>>();
  private timer: NodeJS.Timeout | undefined;
  private backfillChecked = false;
  private lastScheduledAt: number | undefined;
  private store: RunStore | undefined;
  private deliveries: DeliveryStore | undefined;
  private executor: RunExecutor | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: Config,
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(METRICS) registry: Registry,
    private readonly publisher: EventPublisher,
    private readonly shopify: ShopifyConnection,
  ) {
    this.domains = buildDomains(config);
    this.metrics = reconcileMetrics(registry);
  }

  onApplicationBootstrap(): void {
    const sql = sqlRunner(() => poolOf(this.dataSource));
    this.store = new RunStore(sql);
    this.deliveries = new DeliveryStore(sql);
    this.executor = new RunExecutor({
      store: this.store,
      deliveries: this.deliveries,
      client: this.shopify.client,
      bulk: this.shopify.bulk,
      publisher: new FactPublisher(this.publisher, this.config.SHOPIFY_SHOP, this.config.SHOPIFY_API_VERSION, this.config.KAFKA_TOPIC_PREFIX),
      domains: this.domains,
      metrics: this.metrics,
      log: this.logger,
      options: {
        shop: this.config.SHOPIFY_SHOP,
        lookbackSeconds: this.config.RECONCILE_LOOKBACK_SECONDS,
        bulkTimeoutMs: this.config.RECONCILE_BULK_TIMEOUT_SECONDS * 1000,
        publishBatch: this.config.RECONCILE_PUBLISH_BATCH,
        heartbeatMs: Math.max(500, (this.config.RECONCILE_RUN_STALE_SECONDS * 1000) / 3),
        webhookTopics: this.config.WEBHOOK_TOPICS,
        ...(this.config.WEBHOOK_CALLBACK_URL ? { callbackUrl: this.config.WEBHOOK_CALLBACK_URL } : {}),
      },
    });
    this.schedule(0);
  }

  async onApplicationShutdown(): Promise<void> {
    clearTimeout(this.timer);
    this.shutdown.abort(new Error('shutting down'));
    await Promise.allSettled(this.executing.values());
  }

  /** Starts a run in the background; 409 with the running one when a domain is busy. */
  async start(request: StartRun, trigger: RunTrigger = 'api'): Promise<RunRecord> {
    const unknown = request.domains.filter((name) => !this.domains.has(name));
    if (unknown.length > 0) throw new ApiError(400, 'UNKNOWN_DOMAIN', `unknown domain: ${unknown.join(', ')}`, { known: [...this.domains.keys()] });
    const outcome = await this.runs().create({ ...request, domains: [...new Set(request.domains)], trigger });
    if ('running' in outcome) {
      throw new ApiError(409, 'RUN_IN_PROGRESS', `a run of ${outcome.running.domains.join(', ')} is in progress`, { run: outcome.running });
    }
    this.launch(outcome.created);
    return outcome.created;
  }

  get(id: string): Promise<RunRecord | undefined> {
    return this.runs().get(id);
  }

  list(limit: number): Promise<RunRecord[]> {
    return this.runs().list(limit);
  }

  /** The delivery ratio per shop over the last `hours` hours; also sets the gauge. */
  async delivery(hours: number) {
    const shops = summarise(await this.deliveryStore().byHour(hours), this.config.DELIVERY_RATIO_ALERT_BELOW);
    for (const shop of shops) if (shop.ratio !== null) this.metrics.deliveryRatio.set({ shop: shop.shop }, shop.ratio);
    return { hours, alertBelow: this.config.DELIVERY_RATIO_ALERT_BELOW, shops };
  }

  private runs(): RunStore {
    if (!this.store || !this.dataSource.isInitialized) throw new ApiError(503, 'DATABASE_UNAVAILABLE', 'the reconciler database is not connected yet; retry shortly');
    return this.store;
  }

  private deliveryStore(): DeliveryStore {
    this.runs();
    return this.deliveries!;
  }

  private launch(run: RunRecord): void {
    const execution = this.executor!.execute(run, this.shutdown.signal)
      .then(async (state) => {
        if (state === 'succeeded' && run.mode === 'incremental') await this.delivery(24).catch(() => undefined);
      })
      .catch((error: unknown) => {
        if (!(error instanceof RunAborted)) this.logger.error({ err: error, runId: run.id }, 'reconcile run crashed');
      })
      .finally(() => this.executing.delete(run.id));
    this.executing.set(run.id, execution);
  }

  private schedule(delayMs: number): void {
    if (this.shutdown.signal.aborted) return;
    this.timer = setTimeout(() => {
      this.tick()
        .catch((error: unknown) => this.logger.warn({ err: error }, 'reconciler scheduler tick failed; retrying'))
        .finally(() => this.schedule(this.config.RECONCILE_TICK_MS));
    }, delayMs);
  }

  /** Resume abandoned runs, then the backfill once, then the incremental schedule. */
  private async tick(): Promise<void> {
    if (!this.dataSource.isInitialized || !this.store) return;
    for (const run of await this.store.claimAbandoned(this.config.RECONCILE_RUN_STALE_SECONDS)) {
      if (this.executing.has(run.id)) continue;
      this.logger.warn({ runId: run.id, attempts: run.attempts, checkpoint: run.checkpoint }, 'resuming a run a stopped reconciler left behind');
      this.launch(run);
    }
    if (!this.backfillChecked) {
      if (this.config.RECONCILE_BACKFILL_ON_START) {
        const domains = [];
        for (const name of this.config.RECONCILE_DOMAINS) if (needsBackfill((await this.store.cursor(name)).lastFullAt)) domains.push(name);
        if (domains.length > 0) await this.startQuietly({ domains, mode: 'full', dryRun: false }, 'startup');
      }
      this.backfillChecked = true;
      return;
    }
    const due = nextScheduledAt(this.lastScheduledAt, this.config.RECONCILE_INTERVAL_SECONDS);
    if (due !== undefined && Date.now() >= due) {
      this.lastScheduledAt = Date.now();
      await this.startQuietly({ domains: this.config.RECONCILE_DOMAINS, mode: 'incremental', dryRun: false }, 'schedule');
      await this.deliveryStore().prune(this.config.DELIVERY_RETENTION_HOURS);
    }
  }

  private async startQuietly(request: StartRun, trigger: RunTrigger): Promise<void> {
    try {
      const run = await this.start(request, trigger);
      this.logger.info({ runId: run.id, trigger, mode: run.mode, domains: run.domains }, 'reconcile run started');
    } catch (error) {
      if (error instanceof ApiError && error.code === 'RUN_IN_PROGRESS') return;
      throw error;
    }
  }
}
