import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '@understudy/config';
import { counter, METRICS } from '@understudy/observability';
import { ApiError, validationFailed } from '@understudy/platform';
import type { Registry } from 'prom-client';
import { variantsNotFound } from '../common/errors';
import type { Config } from '../config';
import { Database, type Sql } from '../database/database';
import { lockStock } from '../database/stock-locks';
import type { CommitReservationRequest } from './dto/commit-reservation.dto';
import type { CreateReservationRequest, ReservationView } from './dto/create-reservation.dto';
import { normalizeReservation, requestHash } from './reservation-request';
import { soldAtProblem } from './sold-at';
import {
  CLEANUP,
  COMMIT_RESERVATION,
  DUE_EXPIRIES,
  FINISH_RESERVATIONS,
  OVERDUE_SALE_ITEMS,
  RESERVATION_ITEMS,
  RESERVATION_VIEW,
  RESERVE,
  SETTLE_OVERDUE_SALES,
  UNKNOWN_VARIANTS_STATE,
} from './reservations.sql';

/** The answer to a reservation request: stored whole under its Idempotency-Key and replayed as is. */
export interface ReservationOutcome {
  status: number;
  body: unknown;
  replayed: boolean;
}

/** What inventory_reserve answers. */
type ReserveResult =
  | { outcome: 'created' | 'insufficient' | 'replayed'; status: number; body: unknown }
  | { outcome: 'key_reused' | 'in_use' };

interface ViewRow {
  id: string;
  cart_token: string;
  status: ReservationView['status'];
  created_at: Date;
  expires_at: Date;
  committed_at: Date | null;
  sold_at: Date | null;
  lines: ReservationView['lines'];
}

const SWEEP_BATCH = 500;

/**
 * Reservations that never oversell. Every change runs in one transaction
 * that holds the stock row locks of the items involved (taken in item id
 * order), re-reads what is free under those locks, and changes the
 * `reserved` counters together with the reservation rows — so no
 * interleaving of requests can promise a unit twice. A shadow request runs
 * the same transaction and rolls it back.
 */
@Injectable()
export class ReservationsService {
  private readonly results;

  constructor(
    private readonly database: Database,
    @Inject(APP_CONFIG) private readonly config: Config,
    @Inject(METRICS) metrics: Registry,
  ) {
    this.results = counter(metrics, 'understudy_reservations_total', 'Reservation requests and transitions, by result.', ['result']);
  }

  async create(request: CreateReservationRequest, idempotencyKey: string, shadow: boolean): Promise<ReservationOutcome> {
    const normalized = normalizeReservation(request, {
      defaultTtlSeconds: this.config.RESERVATION_DEFAULT_TTL_SECONDS,
      maxTtlSeconds: this.config.RESERVATION_MAX_TTL_SECONDS,
    });
    if (!normalized.ok) throw validationFailed(normalized.issues);
    const { cartToken, ttlSeconds, lines } = normalized.request;
    const values = [
      idempotencyKey,
      requestHash(normalized.request),
      randomUUID(),
      cartToken,
      ttlSeconds,
      lines.map((line) => line.variantId),
      lines.map((line) => line.quantity),
    ];
    let result: ReserveResult;
    try {
      // Alone, the statement is its own transaction: the stock locks are held for the
      // server-side work only. A shadow request runs it inside one that is rolled back.
      const [row] = shadow
        ? await this.database.transaction((sql) => sql<{ result: ReserveResult }>(RESERVE, values), { rollback: true })
        : await this.database.query<{ result: ReserveResult }>(RESERVE, values);
      result = row!.result;
    } catch (error) {
      if ((error as { code?: unknown }).code === UNKNOWN_VARIANTS_STATE) {
        this.count(shadow, 'unknown_variant');
        throw variantsNotFound(String((error as { detail?: unknown }).detail ?? '').split(',').filter(Boolean));
      }
      throw error;
    }
    this.count(shadow, result.outcome);
    switch (result.outcome) {
      case 'key_reused':
        throw new ApiError(422, 'IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was used with a different request body', { idempotencyKey });
      case 'in_use':
        // Only possible if the record was deleted between the claim and the read (retention).
        throw new ApiError(409, 'IDEMPOTENCY_KEY_IN_USE', 'this Idempotency-Key is being processed; retry', { idempotencyKey });
      default:
        return { status: result.status, body: result.body, replayed: result.outcome === 'replayed' };
    }
  }

  async find(id: string): Promise<ReservationView> {
    const view = await loadView(this.database.query, id);
    if (!view) throw reservationNotFound(id);
    return view;
  }

  /** DELETE: gives the units back. Releasing twice, or after expiry, is a no-op; a sold reservation cannot be released. */
  async release(id: string, shadow: boolean): Promise<ReservationView> {
    const { view, changed } = await this.database.transaction(
      async (sql) => {
        await lockStock(sql, await reservationItems(sql, [id]));
        const [row] = await sql<{ finished: number }>(FINISH_RESERVATIONS, [[id], false]);
        const current = await loadView(sql, id);
        if (!current) throw reservationNotFound(id);
        if (current.status === 'committed') {
          throw new ApiError(409, 'RESERVATION_COMMITTED', `reservation ${id} is sold and cannot be released`, { id, status: current.status });
        }
        return { view: current, changed: (row?.finished ?? 0) > 0 };
      },
      { rollback: shadow },
    );
    if (changed) this.count(shadow, view.status);
    return view;
  }

  /** 400 for a `soldAt` that cannot be the sale's time (see soldAtProblem); only while it would still be used. */
  private async checkSoldAt(sql: Sql, id: string, soldAt: string): Promise<void> {
    const current = await loadView(sql, id);
    if (!current || current.status !== 'active') return;
    const problem = soldAtProblem(new Date(soldAt), {
      reservedAt: new Date(current.createdAt),
      now: new Date(),
      maxSkewMs: this.config.COMMIT_CLOCK_SKEW_SECONDS * 1000,
    });
    if (problem) throw validationFailed([{ path: 'soldAt', message: problem }]);
  }

  /** Marks the units sold. Idempotent; a released or expired reservation cannot be committed. */
  async commit(id: string, request: CommitReservationRequest, shadow: boolean): Promise<ReservationView> {
    const { view, changed } = await this.database.transaction(
      async (sql) => {
        await lockStock(sql, await reservationItems(sql, [id]));
        if (request?.soldAt !== undefined) await this.checkSoldAt(sql, id, request.soldAt);
        const [row] = await sql<{ committed: number }>(COMMIT_RESERVATION, [id, request?.soldAt ?? null, request?.locationId ?? null]);
        const current = await loadView(sql, id);
        if (!current) throw reservationNotFound(id);
        if (current.status !== 'committed') {
          const code = current.status === 'expired' ? 'RESERVATION_EXPIRED' : 'RESERVATION_RELEASED';
          throw new ApiError(409, code, `reservation ${id} is ${current.status} and cannot be committed`, { id, status: current.status });
        }
        return { view: current, changed: (row?.committed ?? 0) > 0 };
      },
      { rollback: shadow },
    );
    if (changed) this.count(shadow, 'committed');
    return view;
  }

  /**
   * One sweep: releases expired reservations (they already stopped counting
   * at their expiry; this moves their units out of the counters), settles
   * sold lines past the hold, and deletes what is past retention.
   */
  async sweep({ cleanup }: { cleanup: boolean }): Promise<{ expired: number; settled: number }> {
    let expired = 0;
    for (;;) {
      const due = await this.database.query<{ id: string }>(DUE_EXPIRIES, [SWEEP_BATCH]);
      if (due.length === 0) break;
      const ids = due.map((row) => row.id);
      const [row] = await this.database.transaction(async (sql) => {
        await lockStock(sql, await reservationItems(sql, ids));
        return sql<{ finished: number }>(FINISH_RESERVATIONS, [ids, true]);
      });
      expired += row?.finished ?? 0;
      if (due.length < SWEEP_BATCH) break;
    }
    if (expired > 0) this.results.inc({ result: 'expired' }, expired);

    let settled = 0;
    const hold = this.config.COMMITTED_HOLD_MAX_SECONDS;
    const overdue = await this.database.query<{ inventory_item_id: string }>(OVERDUE_SALE_ITEMS, [hold, SWEEP_BATCH]);
    if (overdue.length > 0) {
      const items = overdue.map((row) => row.inventory_item_id);
      const [row] = await this.database.transaction(async (sql) => {
        await lockStock(sql, items);
        return sql<{ settled: number }>(SETTLE_OVERDUE_SALES, [items, hold]);
      });
      settled = row?.settled ?? 0;
    }

    if (cleanup) {
      for (const statement of CLEANUP) await this.database.query(statement, [this.config.RETENTION_HOURS]);
    }
    return { expired, settled };
  }

  private count(shadow: boolean, result: string): void {
    // A shadow request changes nothing, so it is not a reservation event either.
    if (!shadow) this.results.inc({ result });
  }
}

async function reservationItems(sql: Sql, ids: string[]): Promise<string[]> {
  const rows = await sql<{ inventory_item_id: string }>(RESERVATION_ITEMS, [ids]);
  return rows.map((row) => row.inventory_item_id);
}

async function loadView(sql: Sql, id: string): Promise<ReservationView | undefined> {
  const [row] = await sql<ViewRow>(RESERVATION_VIEW, [id]);
  return row ? toView(row) : undefined;
}

function toView(row: ViewRow): ReservationView {
  return {
    id: row.id,
    cartToken: row.cart_token,
    status: row.status,
    createdAt: row.created_at.toISOString(),
    expiresAt: row.expires_at.toISOString(),
    committedAt: row.committed_at?.toISOString() ?? null,
    soldAt: row.sold_at?.toISOString() ?? null,
    lines: row.lines,
  };
}

function reservationNotFound(id: string): ApiError {
  return new ApiError(404, 'RESERVATION_NOT_FOUND', `reservation ${id} does not exist`, { id });
}
