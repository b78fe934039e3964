import type { DataSource } from 'typeorm';
import { type PruneOptions, pruneInBatches } from './prune';

/**
 * Idempotency-Key records for HTTP writes whose upstream cannot deduplicate
 * itself (the legacy monolith): who holds a key, what request it was bound
 * to, and the answer to replay. PostgreSQL is the only home — a replayed
 * answer must survive a restart and be the same on every replica, and the
 * lookup costs one primary-key read per keyed write.
 *
 * A key's life: `in_flight` (claimed by one request; `owner` is that claim's
 * own token, so a late owner never overwrites a successor) → `done` (the
 * status, content type and body to replay) or `unknown` (the write may have
 * been applied and no answer ever came: it is never sent again under this
 * key). A claim that never got back (the process died mid-request) reads as
 * `unknown` once older than `abandonedAfterSeconds`: it may have reached the
 * upstream, so taking it over could apply the write twice. A claim given back
 * with `release` (the request certainly never reached the upstream, or the
 * upstream refused it with a 5xx and rolled back) leaves no trace, so the
 * client's retry claims the key afresh.
 */
export type KeyClaim =
  | { readonly kind: 'claimed'; readonly owner: string }
  | { readonly kind: 'in_flight' }
  | { readonly kind: 'done'; readonly answer: StoredAnswer }
  | { readonly kind: 'unknown' }
  /** The key was used before with another request (another fingerprint). */
  | { readonly kind: 'mismatch' };

export interface StoredAnswer {
  readonly status: number;
  readonly contentType: string;
  /** Who produced the answer (relayed as the gateway's `x-understudy-upstream`). */
  readonly upstream: string;
  readonly body: Buffer;
}

export interface KeyRef {
  /** What the key is scoped to (a route name): one key may be used on two routes. */
  readonly scope: string;
  readonly key: string;
}

export interface ResponseStoreOptions {
  readonly dataSource: DataSource;
  /** Table created by the owning app's migration (see responseStoreTableSql). */
  readonly table: string;
  /** A claim older than this without an outcome is taken to have died after sending. */
  readonly abandonedAfterSeconds: number;
}

/** DDL for the owning app's migration. */
export function responseStoreTableSql(table: string): string[] {
  assertIdentifier(table);
  return [
    `CREATE TABLE "${table}" (
      "scope" text NOT NULL,
      "key" text NOT NULL,
      "fingerprint" text NOT NULL,
      "state" text NOT NULL CHECK ("state" IN ('in_flight', 'done', 'unknown')),
      "owner" text NOT NULL,
      "status" integer,
      "content_type" text,
      "upstream" text,
      "body" bytea,
      "claimed_at" timestamptz NOT NULL DEFAULT now(),
      "completed_at" timestamptz,
      PRIMARY KEY ("scope", "key")
    )`,
    `CREATE INDEX "${table}_claimed_at_idx" ON "${table}" ("claimed_at")`,
  ];
}

interface Row {
  claimed: boolean;
  fingerprint: string | null;
  state: 'in_flight' | 'done' | 'unknown' | null;
  abandoned: boolean | null;
  status: number | null;
  content_type: string | null;
  upstream: string | null;
  body: Buffer | null;
}

export class ResponseStore {
  private readonly table: string;

  constructor(private readonly options: ResponseStoreOptions) {
    assertIdentifier(options.table);
    this.table = `"${options.table}"`;
  }

  /**
   * Claims `key` for a request with this `fingerprint`, or says why not. Two
   * concurrent claims of one key get one `claimed` (PostgreSQL's primary key
   * decides, across processes).
   */
  async claim(ref: KeyRef, fingerprint: string, owner: string): Promise<KeyClaim> {
    const [row] = (await this.options.dataSource.query(
      `WITH claimed AS (
         INSERT INTO ${this.table} (scope, key, fingerprint, state, owner) VALUES ($1, $2, $3, 'in_flight', $4)
         ON CONFLICT (scope, key) DO NOTHING
         RETURNING 1
       )
       SELECT EXISTS (SELECT 1 FROM claimed) AS claimed, t.fingerprint, t.state, t.status, t.content_type, t.upstream, t.body,
              t.claimed_at < now() - make_interval(secs => $5) AS abandoned
         FROM (SELECT 1) one LEFT JOIN ${this.table} t ON t.scope = $1 AND t.key = $2`,
      [ref.scope, ref.key, fingerprint, owner, this.options.abandonedAfterSeconds],
    )) as Row[];
    if (row!.claimed) return { kind: 'claimed', owner };
    // A concurrent claim committed after this statement's snapshot: it exists, it is in flight.
    if (row!.state === null) return { kind: 'in_flight' };
    if (row!.fingerprint !== fingerprint) return { kind: 'mismatch' };
    if (row!.state === 'done') {
      return { kind: 'done', answer: { status: row!.status!, contentType: row!.content_type!, upstream: row!.upstream!, body: row!.body! } };
    }
    if (row!.state === 'unknown' || row!.abandoned) return { kind: 'unknown' };
    return { kind: 'in_flight' };
  }

  /** Stores the answer to replay. False when the claim is no longer this owner's. */
  async complete(ref: KeyRef, owner: string, answer: StoredAnswer): Promise<boolean> {
    const [{ updated }] = (await this.options.dataSource.query(
      `WITH done AS (
         UPDATE ${this.table} SET state = 'done', status = $4, content_type = $5, upstream = $6, body = $7, completed_at = now()
          WHERE scope = $1 AND key = $2 AND owner = $3 AND state = 'in_flight' RETURNING 1
       )
       SELECT count(*)::int AS updated FROM done`,
      [ref.scope, ref.key, owner, answer.status, answer.contentType, answer.upstream, answer.body],
    )) as [{ updated: number }];
    return updated === 1;
  }

  /** The write may have been applied and its answer is lost: never send it again under this key. */
  async markUnknown(ref: KeyRef, owner: string): Promise<void> {
    await this.options.dataSource.query(
      `UPDATE ${this.table} SET state = 'unknown', completed_at = now() WHERE scope = $1 AND key = $2 AND owner = $3 AND state = 'in_flight'`,
      [ref.scope, ref.key, owner],
    );
  }

  /** Gives the key back (the write certainly was not applied): the next request with it claims it afresh. */
  async release(ref: KeyRef, owner: string): Promise<void> {
    await this.options.dataSource.query(`DELETE FROM ${this.table} WHERE scope = $1 AND key = $2 AND owner = $3 AND state = 'in_flight'`, [ref.scope, ref.key, owner]);
  }

  /** Deletes records claimed more than `olderThanSeconds` ago, `batchSize` per statement. Returns how many went. */
  prune(options: PruneOptions): Promise<number> {
    return pruneInBatches(this.options.dataSource, this.table, ['scope', 'key'], `SELECT scope, key FROM ${this.table} WHERE claimed_at < now() - make_interval(secs => $1) LIMIT $2`, options);
  }
}

function assertIdentifier(name: string): void {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`not a safe table name: ${name}`);
}
