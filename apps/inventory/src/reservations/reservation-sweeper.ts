import { type BeforeApplicationShutdown, Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { PeriodicTask } from '@understudy/concurrency';
import { APP_CONFIG } from '@understudy/config';
import { LOGGER } from '@understudy/observability';
import type { Logger } from 'pino';
import type { Config } from '../config';
import { Database } from '../database/database';
import { isTransientDatabaseError } from '@understudy/database';
import { ReservationsService } from './reservations.service';

const CLEANUP_EVERY_MS = 60_000;

/**
 * Sweeps every SWEEP_INTERVAL_MS, one sweep at a time (a slow sweep delays
 * the next rather than overlapping it). Correctness never depends on it:
 * expired reservations stop counting at their expiry instant in every query;
 * the sweep only keeps the counters and tables tidy. Several replicas may
 * sweep at once — each transition re-checks its row under the stock locks.
 */
@Injectable()
export class ReservationSweeper implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly task: PeriodicTask;
  private lastCleanup = 0;

  constructor(
    @Inject(APP_CONFIG) config: Config,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly database: Database,
    private readonly reservations: ReservationsService,
  ) {
    this.task = new PeriodicTask({ intervalMs: config.SWEEP_INTERVAL_MS, run: () => this.tick() });
  }

  onApplicationBootstrap(): void {
    this.task.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.task.stop();
  }

  private async tick(): Promise<void> {
    if (!this.database.isReady) return;
    const cleanup = Date.now() - this.lastCleanup >= CLEANUP_EVERY_MS;
    try {
      const { expired, settled } = await this.reservations.sweep({ cleanup });
      if (cleanup) this.lastCleanup = Date.now();
      if (expired > 0 || settled > 0) this.logger.debug({ expired, settled }, 'reservations swept');
    } catch (error) {
      this.logger[isTransientDatabaseError(error) ? 'warn' : 'error']({ err: error }, 'reservation sweep failed; retrying next interval');
    }
  }
}
