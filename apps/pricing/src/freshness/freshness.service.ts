import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { PeriodicTask } from '@understudy/concurrency';
import { APP_CONFIG } from '@understudy/config';
import { gauge, METRICS } from '@understudy/observability';
import type { Registry } from 'prom-client';
import type { Config } from '../config';
import { Database } from '../database/database';
import { SnapshotFreshness } from './snapshot-freshness';

const NEWEST_SNAPSHOT = {
  name: 'pricing_newest_snapshot',
  text: `SELECT max(as_of) AS newest FROM (
           SELECT max(as_of) AS as_of FROM pricing_price_lists
           UNION ALL SELECT max(as_of) FROM pricing_catalogs
           UNION ALL SELECT max(as_of) FROM pricing_company_locations
           UNION ALL SELECT as_of FROM pricing_confirmed_snapshot) snapshots`,
};

/**
 * Reads the newest snapshot's as-of on a timer, for `understudy_pricing_snapshot_age_seconds` and
 * readiness: the newest B2B row, or the reconciler's last run confirmed on every partition
 * (pricing_confirmed_snapshot) — a run that found nothing to correct still makes the data fresh.
 */
@Injectable()
export class FreshnessService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly task: PeriodicTask;

  constructor(
    @Inject(APP_CONFIG) config: Config,
    @Inject(SnapshotFreshness) private readonly freshness: SnapshotFreshness,
    @Inject(METRICS) metrics: Registry,
    private readonly database: Database,
  ) {
    // Computed at scrape time from the newest as-of, which is read every SNAPSHOT_AGE_REFRESH_MS.
    gauge(metrics, 'understudy_pricing_snapshot_age_seconds', 'Seconds since the newest B2B snapshot the pricing projection holds (-1: none yet).', [], (age) =>
      age.set(this.freshness.ageSeconds() ?? -1),
    );
    this.task = new PeriodicTask({ intervalMs: config.SNAPSHOT_AGE_REFRESH_MS, runAtStart: true, run: () => this.refresh() });
  }

  onApplicationBootstrap(): void {
    this.task.start();
  }

  /** Waits for a read in progress, so the pool closes after it. */
  async onApplicationShutdown(): Promise<void> {
    await this.task.stop();
  }

  async refresh(): Promise<void> {
    try {
      if (!this.database.isReady) throw new Error('PostgreSQL is not connected');
      const [row] = await this.database.query<{ newest: Date | null }>(NEWEST_SNAPSHOT);
      this.freshness.record(row?.newest ?? null);
    } catch (error) {
      this.freshness.recordFailure(error);
    }
  }
}
