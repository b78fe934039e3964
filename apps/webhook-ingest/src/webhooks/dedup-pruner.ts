import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { PeriodicTask } from '@understudy/concurrency';
import type { DedupStore } from '@understudy/idempotency';
import { LOGGER } from '@understudy/observability';
import type { Logger } from 'pino';
import { DEDUP_PRUNE_POLICY, DEDUP_STORE } from './ingest.tokens';

export interface DedupPrunePolicy {
  /** Completed ids older than this are deleted: past the oldest delivery accepted, so no retry can need them. */
  olderThanSeconds: number;
  intervalMs: number;
}

/** Keeps `webhook_dedup` bounded: every interval, deletes what no accepted delivery can repeat, in bounded batches. */
@Injectable()
export class DedupPruner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly task: PeriodicTask;

  constructor(
    @Inject(DEDUP_STORE) private readonly dedup: DedupStore,
    @Inject(DEDUP_PRUNE_POLICY) private readonly policy: DedupPrunePolicy,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.task = new PeriodicTask({
      intervalMs: policy.intervalMs,
      run: () => this.pruneOnce(),
      onError: (error) => logger.warn({ err: error }, 'webhook dedup prune failed; retrying next interval'),
    });
  }

  onApplicationBootstrap(): void {
    this.task.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.task.stop();
  }

  /** One pass; returns how many rows went. */
  async pruneOnce(): Promise<number> {
    const pruned = await this.dedup.prune({ olderThanSeconds: this.policy.olderThanSeconds });
    if (pruned > 0) this.logger.info({ pruned }, 'webhook dedup rows pruned');
    return pruned;
  }
}
