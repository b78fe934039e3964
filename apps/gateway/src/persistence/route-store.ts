import { inTransaction, poolOf } from '@understudy/database';
import type { DataSource } from 'typeorm';
import { type RampStep, type RouteConfig, type RouteConfigInput, currentStep, routeConfigSchema } from '../routes/route-config';
import type { DiffSample } from './diff-recorder';
import type { AuditEntry as AuditEntryRecord, StoredDiff } from './records';

/** The channel every replica LISTENs on; the payload is `{"name", "version"}`. */
export const ROUTES_CHANNEL = 'understudy_gateway_routes';

export class RouteNotFoundError extends Error {
  constructor(readonly route: string) {
    super(`no route ${route}`);
    this.name = 'RouteNotFoundError';
  }
}

/** The caller read an older version than the one stored: someone (a person or a guard) changed the route first. */
export class VersionConflictError extends Error {
  constructor(
    readonly route: string,
    readonly expected: number,
    readonly current: RouteConfig,
  ) {
    super(`route ${route} is at version ${current.version}, not ${expected}`);
    this.name = 'VersionConflictError';
  }
}

export interface ChangeRequest {
  /** The version the change was decided on; omitted, the change applies to whatever is stored. */
  readonly expectedVersion?: number | undefined;
  readonly actor: string;
  /** `update`, `promote`, `rollback`, `freeze`, `unfreeze`, `seed`, `noise-confirm`, `noise-reject`. */
  readonly action: string;
  readonly reason?: string | undefined;
}

export type AuditEntry = AuditEntryRecord<RampStep>;
export type { StoredDiff };

/**
 * Route configuration, audit log and sampled diffs in PostgreSQL. A change
 * is one transaction: lock the row, check the version the caller read, write
 * the next version, append the audit entry and NOTIFY (delivered on commit) —
 * so two replicas' guards cannot both apply a rollback: the second one finds
 * a newer version and gets a VersionConflictError.
 */
export class RouteStore {
  constructor(private readonly dataSource: DataSource) {}

  /** Inserts the routes that are not stored yet; returns the ones it inserted. */
  async seed(defaults: readonly RouteConfig[], actor: string): Promise<RouteConfig[]> {
    const inserted: RouteConfig[] = [];
    for (const route of defaults) {
      const seeded = { ...route, version: 1 };
      const rows = (await this.dataSource.query(
        `WITH inserted AS (
           INSERT INTO gateway_routes (name, config, version, updated_by) VALUES ($1, $2, 1, $3)
           ON CONFLICT (name) DO NOTHING RETURNING name
         )
         INSERT INTO gateway_route_audit (route, actor, action, reason, to_version, to_step, after)
         SELECT name, $3, 'seed', 'default configuration', 1, $4, $2 FROM inserted RETURNING route`,
        [route.name, JSON.stringify(storedShape(seeded)), actor, JSON.stringify(currentStep(seeded))],
      )) as unknown[];
      if (rows.length > 0) inserted.push(seeded);
    }
    return inserted;
  }

  /** Every stored route; rows that no longer validate are reported to `invalid` and left out. */
  async loadAll(invalid: (name: string, error: unknown) => void = () => undefined): Promise<RouteConfig[]> {
    const rows = (await this.dataSource.query('SELECT name, config, version FROM gateway_routes ORDER BY name')) as StoredRow[];
    const routes: RouteConfig[] = [];
    for (const row of rows) {
      try {
        routes.push(parseRow(row));
      } catch (error) {
        invalid(row.name, error);
      }
    }
    return routes;
  }

  async load(name: string): Promise<RouteConfig | undefined> {
    const [row] = (await this.dataSource.query('SELECT name, config, version FROM gateway_routes WHERE name = $1', [name])) as StoredRow[];
    return row ? parseRow(row) : undefined;
  }

  /**
   * Applies `mutate` to the stored route under its row lock and stores the
   * result as the next version. Throws RouteNotFoundError, VersionConflictError,
   * a ZodError when the result is not a valid route, or whatever `mutate` throws.
   */
  async change(name: string, request: ChangeRequest, mutate: (current: RouteConfig) => RouteConfigInput): Promise<RouteConfig> {
    return inTransaction(poolOf(this.dataSource), async (client) => {
      const [row] = (await client.query<StoredRow>('SELECT name, config, version FROM gateway_routes WHERE name = $1 FOR UPDATE', [name])).rows;
      if (!row) throw new RouteNotFoundError(name);
      const current = parseRow(row);
      if (request.expectedVersion !== undefined && request.expectedVersion !== current.version) {
        throw new VersionConflictError(name, request.expectedVersion, current);
      }
      const next = routeConfigSchema.parse({ ...mutate(current), name, version: current.version + 1 });
      await client.query('UPDATE gateway_routes SET config = $2, version = $3, updated_at = now(), updated_by = $4 WHERE name = $1', [
        name,
        JSON.stringify(storedShape(next)),
        next.version,
        request.actor,
      ]);
      await client.query(
        `INSERT INTO gateway_route_audit (route, actor, action, reason, from_version, to_version, from_step, to_step, before, after)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [
          name,
          request.actor,
          request.action,
          request.reason ?? null,
          current.version,
          next.version,
          JSON.stringify(currentStep(current)),
          JSON.stringify(currentStep(next)),
          JSON.stringify(storedShape(current)),
          JSON.stringify(storedShape(next)),
        ],
      );
      await client.query('SELECT pg_notify($1, $2)', [ROUTES_CHANNEL, JSON.stringify({ name, version: next.version })]);
      return next;
    });
  }

  async audit(route: string | undefined, limit: number): Promise<AuditEntry[]> {
    return this.newest<AuditEntry>(
      'gateway_route_audit',
      `id::text, route, at, actor, action, reason, from_version AS "fromVersion", to_version AS "toVersion", from_step AS "fromStep", to_step AS "toStep", before, after`,
      route,
      limit,
    );
  }

  async insertDiffs(samples: readonly DiffSample[]): Promise<void> {
    if (samples.length === 0) return;
    await this.dataSource.query(
      `INSERT INTO gateway_diff_samples (route, segment, at, request_id, replica, outcome, reason, primary_upstream, primary_status, shadow_status, diffs, omitted_diffs)
       SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::int[], $10::int[], $11::jsonb[], $12::int[])`,
      [
        samples.map((s) => s.route),
        samples.map((s) => s.segment ?? null),
        samples.map((s) => s.at),
        samples.map((s) => s.requestId),
        samples.map((s) => s.replica),
        samples.map((s) => s.outcome),
        samples.map((s) => s.reason ?? null),
        samples.map((s) => s.primaryUpstream),
        samples.map((s) => s.primaryStatus ?? null),
        samples.map((s) => s.shadowStatus ?? null),
        samples.map((s) => JSON.stringify(s.diffs)),
        samples.map((s) => s.omittedDiffs),
      ],
    );
  }

  async diffs(route: string | undefined, limit: number): Promise<StoredDiff[]> {
    return this.newest<StoredDiff>(
      'gateway_diff_samples',
      `id::text, route, segment, at, request_id AS "requestId", replica, outcome, reason, primary_upstream AS "primaryUpstream",
       primary_status AS "primaryStatus", shadow_status AS "shadowStatus", diffs, omitted_diffs AS "omittedDiffs"`,
      route,
      limit,
    );
  }

  async pruneDiffs(olderThanHours: number): Promise<void> {
    await this.dataSource.query("DELETE FROM gateway_diff_samples WHERE at < now() - make_interval(hours => $1)", [olderThanHours]);
  }

  /**
   * The newest `limit` rows of an audit-like table (of one route, or all), newest first, with
   * `at` as an ISO string. The columns are aliased to the record's field names, in its order.
   */
  private async newest<T extends { at: string }>(table: 'gateway_route_audit' | 'gateway_diff_samples', columns: string, route: string | undefined, limit: number): Promise<T[]> {
    const rows = (await this.dataSource.query(`SELECT ${columns} FROM ${table} WHERE ($1::text IS NULL OR route = $1) ORDER BY at DESC, id DESC LIMIT $2`, [
      route ?? null,
      limit,
    ])) as Array<Omit<T, 'at'> & { at: Date }>;
    return rows.map((row) => ({ ...row, at: row.at.toISOString() }) as unknown as T);
  }
}

interface StoredRow {
  name: string;
  config: Record<string, unknown>;
  version: number;
}

function parseRow(row: StoredRow): RouteConfig {
  return routeConfigSchema.parse({ ...row.config, name: row.name, version: row.version });
}

/** The JSON stored in `config`: everything but the name and version, which are columns. */
function storedShape(route: RouteConfig): Omit<RouteConfig, 'name' | 'version'> {
  const { name: _name, version: _version, ...rest } = route;
  return rest;
}
