import { NaturalBatcher } from '@understudy/concurrency';
import type { Redis } from 'ioredis';
import type { DataSource, EntityManager } from 'typeorm';
import { type PruneOptions, pruneInBatches } from './prune';

/**
 * Exactly-once claims on ids (webhook ids, event ids), correct across
 * processes and through a Redis outage or flush.
 *
 * - PostgreSQL is the authority: a claim is a row inserted with
 *   `ON CONFLICT DO NOTHING`, so two concurrent deliveries of one id — in one
 *   process or in two — get one `claimed` and one `in_progress`.
 * - Redis is the fast path for the common duplicate: completed ids are cached
 *   with `SET NX EX` for longer than Shopify's retry window, so a retried
 *   webhook is answered without touching PostgreSQL. Redis down or flushed
 *   only costs speed: the PostgreSQL row still says `done`.
 * - A claim whose owner died (crash between claim and completion) is taken
 *   over after `staleClaimSeconds`, so a retry is never refused forever.
 *
 * Claims and completions from concurrent requests are written in batches
 * (NaturalBatcher), one statement per batch.
 *
 * Redis calls are bounded by the client's `commandTimeout` (libs/platform sets
 * one on every client): a failing or frozen Redis makes the store use
 * PostgreSQL alone for `redisRetryAfterMs`, and a completion never waits for
 * its cache write.
 */
export type ClaimResult = 'claimed' | 'duplicate' | 'in_progress';

export interface DedupStoreOptions {
  dataSource: DataSource;
  redis?: Redis;
  /** Table created by the owning app's migration (see dedupTableSql). */
  table: string;
  /** Redis key prefix, e.g. `dedup:webhook:`. */
  redisPrefix: string;
  /** How long Redis remembers a completed id. Longer than the sender's retry window. */
  doneTtlSeconds: number;
  /** A claim older than this with no completion is considered abandoned. */
  staleClaimSeconds: number;
  /** Called when Redis fails; the store carries on with PostgreSQL alone. */
  onRedisError?: (error: unknown) => void;
  /**
   * After a Redis failure, how long the store asks PostgreSQL alone before
   * trying Redis again (default 1 s), so a hung Redis costs one command
   * timeout per interval, not one per request.
   */
  redisRetryAfterMs?: number;
}

/** DDL for the owning app's migration. */
export function dedupTableSql(table: string): string[] {
  assertIdentifier(table);
  return [
    `CREATE TABLE "${table}" (
      "id" text PRIMARY KEY,
      "state" text NOT NULL CHECK ("state" IN ('claimed', 'done')),
      "claimed_at" timestamptz NOT NULL DEFAULT now(),
      "completed_at" timestamptz
    )`,
    `CREATE INDEX "${table}_completed_at_idx" ON "${table}" ("completed_at")`,
  ];
}

export class DedupStore {
  private readonly claims: NaturalBatcher<string, ClaimResult>;
  private readonly completions: NaturalBatcher<string>;
  private readonly table: string;
  /** Date.now() before which Redis is not asked (it failed recently). */
  private redisSkippedUntil = 0;

  constructor(private readonly options: DedupStoreOptions) {
    assertIdentifier(options.table);
    this.table = `"${options.table}"`;
    this.claims = new NaturalBatcher((ids) => this.claimBatch(ids), { maxBatchSize: 500, concurrency: 2 });
    this.completions = new NaturalBatcher((ids) => this.completeBatch(ids), { maxBatchSize: 1_000, concurrency: 2 });
  }

  /** Claims `id` for processing: `claimed` (go ahead), `duplicate` (done before) or `in_progress` (someone else holds it). */
  async claim(id: string): Promise<ClaimResult> {
    if (await this.knownDone(id)) return 'duplicate';
    return this.claims.submit(id);
  }

  /** Marks a claimed id done, durably (resolves after the PostgreSQL commit). */
  complete(id: string): Promise<void> {
    return this.completions.submit(id);
  }

  /**
   * Marks a claimed id done inside the caller's transaction, so it commits (or
   * not) with the caller's own write, e.g. an outbox row. The Redis cache is
   * not written: a later duplicate finds the PostgreSQL row.
   */
  async completeWithin(transaction: Pick<EntityManager, 'query'>, id: string): Promise<void> {
    await this.markDone(transaction, [id]);
  }

  /** Gives a claim back after a failure, so the sender's retry can claim it again at once. */
  async release(id: string): Promise<void> {
    await this.options.dataSource.query(`DELETE FROM ${this.table} WHERE id = $1 AND state = 'claimed'`, [id]);
  }

  /**
   * Deletes completed ids older than `olderThanSeconds`, at most `batchSize`
   * rows per statement (short transactions, no long lock on the table), until
   * none is left or `maxBatches` ran. Only safe once the sender can no longer
   * retry them (for webhooks: past the accepted delivery age). Returns how many went.
   */
  prune(options: PruneOptions): Promise<number> {
    return pruneInBatches(
      this.options.dataSource,
      this.table,
      ['id'],
      `SELECT id FROM ${this.table} WHERE state = 'done' AND completed_at < now() - make_interval(secs => $1) LIMIT $2`,
      options,
    );
  }

  async close(): Promise<void> {
    await Promise.all([this.claims.close(), this.completions.close()]);
  }

  private usableRedis(): Redis | undefined {
    const { redis } = this.options;
    return redis && redis.status === 'ready' && Date.now() >= this.redisSkippedUntil ? redis : undefined;
  }

  private redisFailed(error: unknown): void {
    this.redisSkippedUntil = Date.now() + (this.options.redisRetryAfterMs ?? 1_000);
    this.options.onRedisError?.(error);
  }

  private async knownDone(id: string): Promise<boolean> {
    const redis = this.usableRedis();
    if (!redis) return false;
    try {
      return (await redis.exists(this.options.redisPrefix + id)) === 1;
    } catch (error) {
      this.redisFailed(error);
      return false;
    }
  }

  private async claimBatch(ids: string[]): Promise<ClaimResult[]> {
    // One id twice in a batch (two concurrent deliveries): the first claims, the rest are in progress.
    const unique = [...new Set(ids)];
    const rows: Array<{ id: string; claimed: boolean; state: string | null }> = await this.options.dataSource.query(
      `WITH input(id) AS (SELECT unnest($1::text[])),
       claimed AS (
         INSERT INTO ${this.table} (id, state, claimed_at)
         SELECT id, 'claimed', now() FROM input
         ON CONFLICT (id) DO UPDATE SET claimed_at = now()
           WHERE ${this.table}.state = 'claimed' AND ${this.table}.claimed_at < now() - make_interval(secs => $2)
         RETURNING id
       )
       SELECT input.id, claimed.id IS NOT NULL AS claimed, existing.state
       FROM input
       LEFT JOIN claimed ON claimed.id = input.id
       LEFT JOIN ${this.table} existing ON existing.id = input.id`,
      [unique, this.options.staleClaimSeconds],
    );
    const byId = new Map(rows.map((row) => [row.id, row.claimed ? 'claimed' : row.state === 'done' ? 'duplicate' : 'in_progress'] as const));
    const handedOut = new Set<string>();
    return ids.map((id) => {
      const result = byId.get(id) ?? 'in_progress';
      if (result !== 'claimed') return result;
      if (handedOut.has(id)) return 'in_progress';
      handedOut.add(id);
      return 'claimed';
    });
  }

  private async completeBatch(ids: string[]): Promise<void[]> {
    await this.markDone(this.options.dataSource, [...new Set(ids)]);
    // The cache write is not awaited: the completion is durable once PostgreSQL committed it.
    const redis = this.usableRedis();
    if (redis) {
      const pipeline = redis.pipeline();
      for (const id of ids) pipeline.set(this.options.redisPrefix + id, '1', 'EX', this.options.doneTtlSeconds, 'NX');
      pipeline.exec().catch((error: unknown) => this.redisFailed(error));
    }
    return ids.map(() => undefined);
  }

  private async markDone(runner: Pick<EntityManager, 'query'>, ids: string[]): Promise<void> {
    await runner.query(`UPDATE ${this.table} SET state = 'done', completed_at = now() WHERE id = ANY($1::text[])`, [ids]);
  }
}

function assertIdentifier(name: string): void {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`not a safe table name: ${name}`);
}
