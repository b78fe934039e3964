import type { ResponseStore } from '@understudy/idempotency';
import type { Logger } from 'pino';

const PRUNE_EVERY_MS = 10 * 60_000;

/** Deletes idempotency records past their retention every ten minutes; best effort (PostgreSQL may be away). */
export class IdempotencyPruning {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: Pick<ResponseStore, 'prune'>,
    private readonly options: { readonly retentionHours: number; readonly connected: () => boolean; readonly logger: Logger },
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      if (!this.options.connected()) return;
      this.store.prune({ olderThanSeconds: this.options.retentionHours * 3600 }).catch((error: unknown) => this.options.logger.debug({ err: error }, 'idempotency pruning failed'));
    }, PRUNE_EVERY_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
