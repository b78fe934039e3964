import type { DataSource } from 'typeorm';

export interface PruneOptions {
  olderThanSeconds: number;
  batchSize?: number;
  maxBatches?: number;
}

/**
 * Deletes what `doomed` selects, `batchSize` rows per statement (short transactions, no long lock on
 * the table), until none is left or `maxBatches` ran; returns how many went. `doomed` is a SELECT of
 * the table's key columns `keys` with `$1` = the age in seconds and `$2` = the batch size.
 */
export async function pruneInBatches(dataSource: DataSource, table: string, keys: readonly string[], doomed: string, options: PruneOptions): Promise<number> {
  const { olderThanSeconds, batchSize = 5_000, maxBatches = 100 } = options;
  const join = keys.map((key) => `t.${key} = doomed.${key}`).join(' AND ');
  let total = 0;
  for (let batch = 0; batch < maxBatches; batch++) {
    const [{ pruned }] = (await dataSource.query(
      `WITH doomed AS (${doomed}),
       gone AS (DELETE FROM ${table} t USING doomed WHERE ${join} RETURNING 1)
       SELECT count(*)::int AS pruned FROM gone`,
      [olderThanSeconds, batchSize],
    )) as [{ pruned: number }];
    total += pruned;
    if (pruned < batchSize) break;
  }
  return total;
}
