import { randomUUID } from 'node:crypto';
import type { DriftCounts } from '../domains/diff';
import type { SqlRunner } from './sql';

export type RunMode = 'full' | 'incremental';
export type RunState = 'running' | 'succeeded' | 'failed';
export type RunTrigger = 'api' | 'schedule' | 'startup';

/** What a restarted run needs to carry on where it stopped. */
export interface RunCheckpoint {
  /** Full runs: bulk operation id by `domain/query`, persisted as soon as Shopify accepts it. */
  bulk?: Record<string, string>;
  /** Incremental runs: per domain, the window's start and the last page cursor read and applied. */
  incremental?: Record<string, { since: string; after: string | null }>;
  /** Domains this run has finished, and their summed results. */
  doneDomains?: string[];
  totals?: { drift: DriftCounts; published: number; skippedNewer: number };
}

export interface RunRecord {
  id: string;
  domains: string[];
  mode: RunMode;
  dryRun: boolean;
  trigger: RunTrigger;
  state: RunState;
  progress: { phase: string; done: number; total: number | null };
  asOf: string | null;
  drift: DriftCounts;
  published: number;
  skippedNewer: number;
  subscriptions: { expected: number; present: number; restored: number } | null;
  cost: { points: number; throttled: number };
  checkpoint: RunCheckpoint;
  attempts: number;
  error: string | null;
  startedAt: string;
  finishedAt: string | null;
}

export type RunPatch = Partial<Pick<RunRecord, 'progress' | 'asOf' | 'drift' | 'published' | 'skippedNewer' | 'subscriptions' | 'cost' | 'checkpoint'>>;

interface RunRow {
  id: string;
  domains: string[];
  mode: RunMode;
  dry_run: boolean;
  trigger: RunTrigger;
  state: RunState;
  progress: RunRecord['progress'];
  as_of: Date | null;
  drift: DriftCounts;
  published: string;
  skipped_newer: string;
  subscriptions: RunRecord['subscriptions'];
  cost: RunRecord['cost'];
  checkpoint: RunCheckpoint;
  attempts: number;
  error: string | null;
  started_at: Date;
  finished_at: Date | null;
}

function toRecord(row: RunRow): RunRecord {
  return {
    id: row.id,
    domains: row.domains,
    mode: row.mode,
    dryRun: row.dry_run,
    trigger: row.trigger,
    state: row.state,
    progress: row.progress,
    asOf: row.as_of?.toISOString() ?? null,
    drift: row.drift,
    published: Number(row.published),
    skippedNewer: Number(row.skipped_newer),
    subscriptions: row.subscriptions,
    cost: row.cost,
    checkpoint: row.checkpoint,
    attempts: row.attempts,
    error: row.error,
    startedAt: row.started_at.toISOString(),
    finishedAt: row.finished_at?.toISOString() ?? null,
  };
}

const PATCH_COLUMNS: Record<keyof RunPatch, { column: string; json: boolean }> = {
  progress: { column: 'progress', json: true },
  asOf: { column: 'as_of', json: false },
  drift: { column: 'drift', json: true },
  published: { column: 'published', json: false },
  skippedNewer: { column: 'skipped_newer', json: false },
  subscriptions: { column: 'subscriptions', json: true },
  cost: { column: 'cost', json: true },
  checkpoint: { column: 'checkpoint', json: true },
};

export type CreateResult = { created: RunRecord } | { running: RunRecord };

/** Runs in the reconciler's PostgreSQL tables; one running run per domain, enforced by `reconcile_domain_locks`. */
export class RunStore {
  constructor(private readonly sql: SqlRunner) {}

  /** Creates a running run and takes its domains' locks, or answers with the run holding one of them. */
  async create(input: { domains: string[]; mode: RunMode; dryRun: boolean; trigger: RunTrigger }): Promise<CreateResult> {
    const id = randomUUID();
    const outcome = await this.sql
      .transaction(async (query) => {
        const [row] = await query<RunRow>(
          `INSERT INTO reconcile_runs (id, domains, mode, dry_run, trigger, state, progress) VALUES ($1, $2, $3, $4, $5, 'running', '{"phase":"starting","done":0,"total":null}') RETURNING *`,
          [id, input.domains, input.mode, input.dryRun, input.trigger],
        );
        const locked = await query<{ domain: string }>(
          `INSERT INTO reconcile_domain_locks (domain, run_id) SELECT unnest($1::text[]), $2 ON CONFLICT (domain) DO NOTHING RETURNING domain`,
          [[...input.domains].sort(), id],
        );
        if (locked.length !== input.domains.length) throw new LockTaken();
        return toRecord(row!);
      })
      .then((created) => ({ created }))
      .catch(async (error: unknown) => {
        if (!(error instanceof LockTaken)) throw error;
        const [holder] = await this.sql.query<RunRow>(
          `SELECT r.* FROM reconcile_domain_locks l JOIN reconcile_runs r ON r.id = l.run_id WHERE l.domain = ANY($1) ORDER BY r.started_at LIMIT 1`,
          [input.domains],
        );
        // The holder finished between our insert and this read: the caller may simply try again.
        if (!holder) return this.create(input);
        return { running: toRecord(holder) };
      });
    return outcome;
  }

  async get(id: string): Promise<RunRecord | undefined> {
    const [row] = await this.sql.query<RunRow>(`SELECT * FROM reconcile_runs WHERE id = $1`, [id]);
    return row ? toRecord(row) : undefined;
  }

  async list(limit: number): Promise<RunRecord[]> {
    return (await this.sql.query<RunRow>(`SELECT * FROM reconcile_runs ORDER BY started_at DESC, id LIMIT $1`, [limit])).map(toRecord);
  }

  /** Saves progress and results; also the run's heartbeat. */
  async update(id: string, patch: RunPatch): Promise<void> {
    const sets: string[] = ['heartbeat_at = now()'];
    const values: unknown[] = [id];
    for (const [field, value] of Object.entries(patch) as Array<[keyof RunPatch, unknown]>) {
      const { column, json } = PATCH_COLUMNS[field];
      values.push(json ? JSON.stringify(value) : value);
      sets.push(`${column} = $${values.length}${json ? '::jsonb' : ''}`);
    }
    await this.sql.query(`UPDATE reconcile_runs SET ${sets.join(', ')} WHERE id = $1 AND state = 'running'`, values);
  }

  async finish(id: string, state: Exclude<RunState, 'running'>, error?: string): Promise<void> {
    await this.sql.transaction(async (query) => {
      await query(`UPDATE reconcile_runs SET state = $2, error = $3, finished_at = now(), heartbeat_at = now() WHERE id = $1`, [id, state, error ?? null]);
      await query(`DELETE FROM reconcile_domain_locks WHERE run_id = $1`, [id]);
    });
  }

  /** Running runs nobody has heartbeaten for `staleSeconds` (their reconciler died): claimed for resuming. */
  async claimAbandoned(staleSeconds: number): Promise<RunRecord[]> {
    const rows = await this.sql.query<RunRow>(
      `UPDATE reconcile_runs SET heartbeat_at = now(), attempts = attempts + 1
        WHERE state = 'running' AND heartbeat_at < now() - $1::int * interval '1 second'
        RETURNING *`,
      [staleSeconds],
    );
    return rows.map(toRecord);
  }

  /** Where the next incremental read of `domain` starts, and when its last full run finished. */
  async cursor(domain: string): Promise<{ since: Date | null; lastFullAt: Date | null }> {
    const [row] = await this.sql.query<{ since: Date | null; last_full_at: Date | null }>(`SELECT since, last_full_at FROM reconcile_cursors WHERE domain = $1`, [domain]);
    return { since: row?.since ?? null, lastFullAt: row?.last_full_at ?? null };
  }

  /** Moves the cursor forward only (a late finisher never moves it back). */
  async advanceCursor(domain: string, since: string, full: boolean): Promise<void> {
    await this.sql.query(
      `INSERT INTO reconcile_cursors (domain, since, last_full_at) VALUES ($1, $2, CASE WHEN $3 THEN now() END)
       ON CONFLICT (domain) DO UPDATE
          SET since = greatest(reconcile_cursors.since, excluded.since),
              last_full_at = coalesce(excluded.last_full_at, reconcile_cursors.last_full_at),
              updated_at = now()`,
      [domain, since, full],
    );
  }
}

class LockTaken extends Error {}
