import { counter, gauge, type Registry } from '@understudy/observability';
import type { ReadModelSync, ReloadReason } from './read-model-sync';
import { TABLE_NAMES } from './rows';

/** The read model's metrics (docs/pricing.md, "The read model"): figures kept by `sync`, read at scrape time. */
export function readModelMetrics(registry: Registry, sync: ReadModelSync) {
  gauge(registry, 'understudy_pricing_read_model_rows', 'Rows the in-process read model holds, by projection table (tombstones are not held).', ['table'], (rows) => {
    const sizes = sync.current?.sizes();
    for (const table of TABLE_NAMES) rows.set({ table }, sizes?.[table] ?? 0);
  });
  gauge(registry, 'understudy_pricing_read_model_lag_seconds', 'Seconds since the read model last caught up with the change log (-1: not loaded yet); quotes are at most this much older than the projection.', [], (lag) =>
    lag.set(sync.lagSeconds() ?? -1),
  );
  const reloads = counter(registry, 'understudy_pricing_read_model_reloads_total', 'Full loads of the read model, by reason (boot | reset: a TRUNCATE | trimmed: the change log was pruned past its mark).', ['reason']);
  return {
    reloaded(reason: ReloadReason): void {
      reloads.inc({ reason });
    },
  };
}
