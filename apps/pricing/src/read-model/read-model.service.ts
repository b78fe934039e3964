import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG } from '@understudy/config';
import { type DataSource, sessionTimeouts } from '@understudy/database';
import { Readiness } from '@understudy/health';
import { pruneInBatches } from '@understudy/idempotency';
import { LOGGER, METRICS } from '@understudy/observability';
import { ApiError, DATA_SOURCE } from '@understudy/platform';
import { Client } from 'pg';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { Config } from '../config';
import { Database } from '../database/database';
import type { PricingReadModel } from './read-model';
import { readModelMetrics } from './read-model.metrics';
import { CHANGES_CHANNEL, MARK_TRIMMED, PRUNABLE_CHANGES } from './read-model.sql';
import { ReadModelSync } from './read-model-sync';

/** Changes read per round trip while catching up. */
const PAGE_SIZE = 10_000;
/** How often a replica prunes the change log (each does; the work is idempotent). */
const PRUNE_EVERY_MS = 60_000;
/** How often to try again before the first load has finished (a fresh replica should become ready quickly). */
const LOADING_RETRY_MS = 200;
/** Retry-After of READ_MODEL_LOADING. */
export const READ_MODEL_RETRY_AFTER_SECONDS = 1;

/** 503 while the replica's read model is still loading; the controller adds Retry-After. */
export class ReadModelLoadingError extends ApiError {
  constructor() {
    super(503, 'READ_MODEL_LOADING', 'pricing is loading its read model; retry shortly', { retryAfterSeconds: READ_MODEL_RETRY_AFTER_SECONDS });
  }
}

/**
 * Wires the read model (docs/pricing.md, "The read model"): a full load at
 * start, then catch-ups on every `pricing_changes` notification and every
 * READ_MODEL_SYNC_MS as a safety net (a notification can be lost with its
 * connection), pruning of the change log, metrics and two readiness entries.
 * While PostgreSQL is away quotes go on from memory; only freshness suffers.
 */
@Injectable()
export class ReadModelService implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly sync: ReadModelSync;
  private timer: NodeJS.Timeout | undefined;
  private listener: Client | undefined;
  private lastPrune = 0;
  private failing = false;
  private stopped = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: Config,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(METRICS) metrics: Registry,
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    readiness: Readiness,
    private readonly database: Database,
  ) {
    this.sync = new ReadModelSync({
      pageSize: PAGE_SIZE,
      snapshot: (work) =>
        database.transaction(async (sql) => {
          await sql({ text: 'SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY' });
          return work(sql);
        }),
      onReload: (reason) => {
        recorded.reloaded(reason);
        this.logger.info({ reason, rows: this.sync.current?.sizes(), position: this.sync.position.toString() }, 'pricing read model loaded');
      },
    });
    const recorded = readModelMetrics(metrics, this.sync);
    readiness.add({
      name: 'read-model',
      check: async () => {
        if (!this.sync.current) throw new Error('the read model is still loading');
        return { position: this.sync.position.toString() };
      },
    });
    readiness.add({
      name: 'read-model-lag',
      critical: false,
      check: async () => {
        const lag = this.sync.lagSeconds();
        if (lag === undefined) throw new Error('not loaded yet');
        if (lag > this.config.READ_MODEL_MAX_LAG_SECONDS) throw new Error(`last caught up with the change log ${Math.round(lag)} s ago (limit ${this.config.READ_MODEL_MAX_LAG_SECONDS} s); quotes come from what it held then`);
        return { lagSeconds: Math.round(lag * 10) / 10 };
      },
    });
  }

  /** The model a quote reads; READ_MODEL_LOADING until the first load has finished. */
  model(): PricingReadModel {
    const model = this.sync.current;
    if (!model) throw new ReadModelLoadingError();
    return model;
  }

  onApplicationBootstrap(): void {
    const tick = () => {
      void this.round().finally(() => {
        if (this.stopped) return;
        this.timer = setTimeout(tick, this.sync.current ? this.config.READ_MODEL_SYNC_MS : Math.min(LOADING_RETRY_MS, this.config.READ_MODEL_SYNC_MS));
        this.timer.unref();
      });
    };
    tick();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    const listener = this.listener;
    this.listener = undefined;
    await listener?.end().catch(() => undefined);
  }

  /** Deletes changes older than READ_MODEL_CHANGE_RETENTION_SECONDS, first marking how far the log is trimmed; returns how many went. */
  async prune(): Promise<number> {
    const olderThanSeconds = this.config.READ_MODEL_CHANGE_RETENTION_SECONDS;
    await this.database.query(MARK_TRIMMED, [olderThanSeconds]);
    return pruneInBatches(this.dataSource, 'pricing_changes', ['seq'], PRUNABLE_CHANGES, { olderThanSeconds });
  }

  /** One timer round: make sure we are listening, catch up, prune when due. Failures are logged once per outage. */
  private async round(): Promise<void> {
    if (!this.database.isReady) return;
    try {
      await this.listen();
      await this.sync.catchUp();
      if (Date.now() - this.lastPrune >= PRUNE_EVERY_MS) {
        this.lastPrune = Date.now();
        await this.prune();
      }
      if (this.failing) this.logger.info('pricing read model catching up again');
      this.failing = false;
    } catch (error) {
      if (!this.failing) this.logger.warn({ err: error }, 'pricing read model cannot catch up; quotes go on from memory');
      this.failing = true;
    }
  }

  /** A connection of its own that LISTENs for the change log's notifications (the pool's connections are shared). */
  private async listen(): Promise<void> {
    if (this.listener || this.stopped) return;
    const client = new Client({
      connectionString: this.config.DATABASE_URL,
      application_name: 'pricing-read-model',
      connectionTimeoutMillis: 3_000,
      ...sessionTimeouts({ statementMs: this.config.DATABASE_STATEMENT_TIMEOUT_MS, lockMs: this.config.DATABASE_LOCK_TIMEOUT_MS, idleInTransactionMs: this.config.DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS }),
    });
    const drop = () => {
      if (this.listener === client) this.listener = undefined;
      void client.end().catch(() => undefined);
    };
    client.on('error', drop);
    client.on('end', drop);
    client.on('notification', () => {
      this.sync.catchUp().catch(() => undefined); // the next timer round logs a lasting failure
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANGES_CHANNEL}`);
    } catch (error) {
      drop();
      throw error;
    }
    if (this.stopped) return drop();
    this.listener = client;
  }
}
