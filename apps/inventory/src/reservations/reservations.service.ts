import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG } from '@understudy/config';
import { BatcherClosedError, NaturalBatcher, QueueFullError } from '@understudy/concurrency';
import { isTransientDatabaseError } from '@understudy/database';
import { counter, histogram, METRICS } from '@understudy/observability';
import { ApiError, validationFailed } from '@understudy/platform';
import type { Registry } from 'prom-client';
import { variantsNotFound } from '../common/errors';
import type { Config } from '../config';
import { Database, type Sql } from '../database/database';
import { lockStock } from '../database/stock-locks';
import type { CommitReservationRequest } from './dto/commit-reservation.dto';
import type { CreateReservationRequest, ReservationView } from './dto/create-reservation.dto';
import { answersInCallerOrder, batchCall, isolatingFailures, KEY_CLAIMED_CONCURRENTLY, type ReserveAnswer, type ReserveCommand, retryingConcurrentClaims, type Settled } from './reservation-batch';
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
  RESERVE_BATCH,
  SETTLE_OVERDUE_SALES,
} from './reservations.sql';

/** The answer to a reservation request: stored whole under its Idempotency-Key and replayed as is. */
export interface ReservationOutcome {
  status: number;
  body: unknown;
  replayed: boolean;
}

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
const BATCH_SIZE_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1_000];

/**
 * Reservations that never oversell. Every change runs in one transaction
 * that holds the stock row locks of the items involved (taken in item id
 * order), re-reads what is free under those locks, and changes the
 * `reserved` counters together with the reservation rows — so no
 * interleaving of requests can promise a unit twice. New reservations are
 * group-committed: concurrent requests share one transaction, one lock
 * acquisition per item and one WAL flush, each decided in turn against what
 * its batch-mates left (docs/performance.md). A shadow request runs the same
 * transaction alone and rolls it back.
 */
@Injectable()
export class ReservationsService implements OnModuleDestroy {
  private readonly results;
  private readonly batchSizes;
  private readonly batcher: NaturalBatcher<ReserveCommand, Settled<ReserveAnswer>>;

  constructor(
    private readonly database: Database,
    @Inject(APP_CONFIG) private readonly config: Config,
    @Inject(METRICS) metrics: Registry,
  ) {
    this.results = counter(metrics, 'understudy_reservations_total', 'Reservation requests and transitions, by result.', ['result']);
    this.batchSizes = histogram(metrics, 'understudy_reservation_batch_size', 'Reservation requests decided per transaction (group commit).', [], BATCH_SIZE_BUCKETS);
    // Group commit: requests that arrive while a batch is in flight go together in the next one.
    this.batcher = new NaturalBatcher((commands) => isolatingFailures(commands, (some) => this.reserveBatch(some), isTransientDatabaseError), {
      maxBatchSize: config.RESERVATION_BATCH_MAX_SIZE,
      maxQueued: config.RESERVATION_QUEUE_MAX,
      concurrency: config.RESERVATION_BATCH_CONCURRENCY,
    });
  }

  async create(request: CreateReservationRequest, idempotencyKey: string, shadow: boolean): Promise<ReservationOutcome> {
    const normalized = normalizeReservation(request, {
      defaultTtlSeconds: this.config.RESERVATION_DEFAULT_TTL_SECONDS,
      maxTtlSeconds: this.config.RESERVATION_MAX_TTL_SECONDS,
    });
    if (!normalized.ok) throw validationFailed(normalized.issues);
    const { cartToken, ttlSeconds, lines } = normalized.request;
    const command: ReserveCommand = { idempotencyKey, requestHash: requestHash(normalized.request), id: randomUUID(), cartToken, ttlSeconds, lines };
    // A shadow request is a batch of its own whose transaction is rolled back: it must not share a commit.
    const answer = await (shadow ? this.reserveBatch([command], { rollback: true }).then(([only]) => only!) : this.submit(command)).catch((error: unknown) => {
      // Its key was claimed again and again by concurrent requests: the same answer as a key in flight.
      if ((error as { code?: unknown } | undefined)?.code === KEY_CLAIMED_CONCURRENTLY) return { outcome: 'in_use' as const };
      throw error;
    });
    this.count(shadow, answer.outcome);
    switch (answer.outcome) {
      case 'unknown_variant':
        throw variantsNotFound(answer.variants);
      case 'key_reused':
        throw new ApiError(422, 'IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was used with a different request body', { idempotencyKey });
      case 'in_use':
        // Only possible if the record was deleted between the claim and the read (retention).
        throw new ApiError(409, 'IDEMPOTENCY_KEY_IN_USE', 'this Idempotency-Key is being processed; retry', { idempotencyKey });
      default:
        return { status: answer.status, body: answer.body, replayed: answer.outcome === 'replayed' };
    }
  }

  /** Waits for the next batch (group commit); its own error, if it has one, is thrown here only. */
  private async submit(command: ReserveCommand): Promise<ReserveAnswer> {
    let settled: Settled<ReserveAnswer>;
    try {
      settled = await this.batcher.submit(command);
    } catch (error) {
      if (error instanceof QueueFullError || error instanceof BatcherClosedError) {
        this.count(false, 'overloaded');
        throw new ApiError(503, 'RESERVATIONS_OVERLOADED', 'too many reservation requests are waiting; retry', { waiting: this.batcher.queued });
      }
      throw error;
    }
    if (!settled.ok) throw settled.error;
    return settled.value;
  }

  /**
   * One transaction, one round trip, for every request of the batch (see the ReserveBatch migrations).
   * A batch that lost one of its keys to a concurrent transaction stored nothing and is run again, when
   * that key's answer is stored and replayed (KEY_CLAIMED_CONCURRENTLY).
   */
  private async reserveBatch(commands: readonly ReserveCommand[], { rollback = false } = {}): Promise<ReserveAnswer[]> {
    const call = batchCall(commands);
    const [row] = await retryingConcurrentClaims(() =>
      rollback
        ? this.database.transaction((sql) => sql<{ answers: ReserveAnswer[] }>(RESERVE_BATCH, call.values), { rollback: true })
        : this.database.query<{ answers: ReserveAnswer[] }>(RESERVE_BATCH, call.values),
    );
    if (!rollback) this.batchSizes.observe(commands.length);
    return answersInCallerOrder(call, row!.answers);
  }

  /** Lets the requests already waiting finish (on shutdown, before the database goes). */
  async onModuleDestroy(): Promise<void> {
    await this.batcher.close();
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
