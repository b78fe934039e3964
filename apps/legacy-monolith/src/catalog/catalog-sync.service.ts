import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG } from '@understudy/config';
import { counter, gauge, LOGGER, METRICS } from '@understudy/observability';
import { DATA_SOURCE } from '@understudy/platform';
import { adminTarget, logTo, ShopifyAdminClient } from '@understudy/shopify';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import type { Config } from '../config';
import {
  COMPANY_LOCATIONS_QUERY,
  type CompanyLocationNode,
  FIXED_PRICES_QUERY,
  type FixedPriceNode,
  PRICE_LISTS_QUERY,
  type PriceListNode,
  VARIANTS_QUERY,
  type VariantNode,
} from './catalog-queries';
import { addCompanyLocations, addFixedPrices, addPriceLists, addVariants, type CatalogSnapshot, emptySnapshot } from './catalog-snapshot';
import { storeSnapshot } from './catalog-store';

export interface SyncStatus {
  polls: number;
  failures: number;
  lastAttemptAt: string | null;
  lastSuccessAt: string | null;
  lastError: string | null;
  lastDurationMs: number | null;
  variants: number;
  running: boolean;
}

/**
 * The legacy catalogue job: every POLL_INTERVAL_MS it re-reads variants,
 * stock, price lists and company locations through the Admin API and
 * replaces the monolith's tables. So, like the real monolith, it lags behind
 * webhooks by up to a minute. A failed poll is logged and retried after
 * POLL_RETRY_MS; it never stops the process.
 */
@Injectable()
export class CatalogSyncService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly client: ShopifyAdminClient;
  private timer: NodeJS.Timeout | undefined;
  private current: Promise<SyncStatus> | undefined;
  private readonly abort = new AbortController();
  private stopped = false;
  private readonly state: SyncStatus = {
    polls: 0,
    failures: 0,
    lastAttemptAt: null,
    lastSuccessAt: null,
    lastError: null,
    lastDurationMs: null,
    variants: 0,
    running: false,
  };
  private readonly metrics;

  constructor(
    @Inject(APP_CONFIG) private readonly config: Config,
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(METRICS) registry: Registry,
  ) {
    this.client = new ShopifyAdminClient({
      ...adminTarget(config),
      registry,
      timeoutMs: 10_000,
      // The next poll is the retry; a poll should fail in seconds, not minutes.
      maxAttempts: 3,
      backoff: { baseMs: 200, maxMs: 2_000 },
      log: logTo(logger),
    });
    this.metrics = {
      polls: counter(registry, 'understudy_monolith_polls_total', 'Catalogue polls of the Admin API, by result.', ['result']),
      variants: gauge(registry, 'understudy_monolith_catalog_variants', 'Variants in the monolith’s catalogue after the last successful poll.'),
    };
  }

  onApplicationBootstrap(): void {
    this.schedule(0);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.abort.abort();
    await this.current?.catch(() => undefined);
    await this.client.close();
  }

  status(): SyncStatus {
    return { ...this.state };
  }

  /** Polls now (joining a poll already running) and resolves with the status after it. */
  pollNow(): Promise<SyncStatus> {
    clearTimeout(this.timer);
    this.current ??= this.poll().then((status) => {
      this.current = undefined;
      // Whoever asked for it, the next poll comes an interval later — or soon, to retry a failure.
      this.schedule(status.lastError !== null ? Math.min(this.config.POLL_RETRY_MS, this.config.POLL_INTERVAL_MS) : this.config.POLL_INTERVAL_MS);
      return status;
    });
    return this.current;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.pollNow(), delayMs);
    this.timer.unref();
  }

  private async poll(): Promise<SyncStatus> {
    const started = Date.now();
    const attemptAt = new Date(started).toISOString();
    this.state.running = true;
    this.state.polls += 1;
    this.state.lastAttemptAt = attemptAt;
    try {
      const snapshot = await this.read();
      if (!this.dataSource.isInitialized) throw new Error('PostgreSQL is not connected');
      await storeSnapshot(this.dataSource, snapshot, new Date(started));
      this.state.lastSuccessAt = attemptAt;
      this.state.lastError = null;
      this.state.variants = snapshot.variants.length;
      this.metrics.polls.inc({ result: 'ok' });
      this.metrics.variants.set(snapshot.variants.length);
      this.logger.info({ variants: snapshot.variants.length, durationMs: Date.now() - started }, 'catalogue poll done');
    } catch (error) {
      this.state.failures += 1;
      this.state.lastError = error instanceof Error ? error.message : String(error);
      this.metrics.polls.inc({ result: 'failed' });
      if (!this.stopped) this.logger.warn({ err: error }, 'catalogue poll failed; will retry');
    } finally {
      this.state.running = false;
      this.state.lastDurationMs = Date.now() - started;
    }
    return this.status();
  }

  private async read(): Promise<CatalogSnapshot> {
    const snapshot = emptySnapshot();
    const signal = this.abort.signal;
    type Page<T> = { nodes: T[]; pageInfo: { hasNextPage: boolean; endCursor?: string | null } };
    for await (const page of this.client.paginate<VariantNode, { productVariants: Page<VariantNode> }>(VARIANTS_QUERY, {
      connection: (data) => data.productVariants,
      signal,
    })) {
      addVariants(snapshot, page.nodes);
    }
    for await (const page of this.client.paginate<PriceListNode, { priceLists: Page<PriceListNode> }>(PRICE_LISTS_QUERY, {
      connection: (data) => data.priceLists,
      signal,
    })) {
      addPriceLists(snapshot, page.nodes);
    }
    for (const priceList of snapshot.priceLists) {
      for await (const page of this.client.paginate<FixedPriceNode, { priceList: { prices: Page<FixedPriceNode> } | null }>(FIXED_PRICES_QUERY, {
        variables: { id: `gid://shopify/PriceList/${priceList.priceListId}` },
        connection: (data) => data.priceList?.prices ?? { nodes: [], pageInfo: { hasNextPage: false } },
        signal,
      })) {
        addFixedPrices(snapshot, priceList.priceListId, page.nodes);
      }
    }
    for await (const page of this.client.paginate<CompanyLocationNode, { companyLocations: Page<CompanyLocationNode> }>(COMPANY_LOCATIONS_QUERY, {
      connection: (data) => data.companyLocations,
      signal,
    })) {
      addCompanyLocations(snapshot, page.nodes);
    }
    return snapshot;
  }
}
