import type { Logger } from 'pino';
import type { RouteStore } from './route-store';

const PRUNE_EVERY_MS = 10 * 60_000;

/** Deletes sampled diffs older than the retention every ten minutes; best effort (PostgreSQL may be away). */
export class DiffPruning {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: RouteStore,
    private readonly options: { readonly retentionHours: number; readonly connected: () => boolean; readonly logger: Logger },
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      if (!this.options.connected()) return;
      this.store.pruneDiffs(this.options.retentionHours).catch((error: unknown) => this.options.logger.debug({ err: error }, 'diff pruning failed'));
    }, PRUNE_EVERY_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
