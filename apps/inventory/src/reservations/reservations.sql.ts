import type { Statement } from '../database/database';

/**
 * Reservations. The rule every statement keeps: `stock.reserved` equals the
 * units of lines in status active or committed, and only a transaction that
 * holds the item's stock row lock when it commits changes either (a batch may
 * write its new lines before it takes the lock: nobody sees them before the
 * commit). Stock locks are always taken in item id order (LOCK_STOCK), after
 * any Idempotency-Key a batch writes and before any existing reservation row is
 * changed, so no two transactions wait on each other in a cycle.
 */

/**
 * The CTE that gives the counters back the units of the lines `from` returns (inventory_item_id, quantity):
 * one update per item, whatever the number of lines.
 */
function unitsGivenBack(from: string): string {
  return `counted AS (
      UPDATE stock s
         SET reserved = s.reserved - d.quantity
        FROM (SELECT inventory_item_id, sum(quantity) AS quantity FROM ${from} GROUP BY inventory_item_id) d
       WHERE s.inventory_item_id = d.inventory_item_id
    )`;
}

/**
 * Many reservations — Idempotency-Key claims or replays, the check of each
 * request against what the ones before it left, inserts, stock row locks in
 * item order (once for the whole batch), the check again under them, counters
 * and the stored answers — in one round trip and one transaction (see
 * inventory_reserve_batch in the ReserveBatch migrations, the latest
 * ReserveBatchBeforeLocks). One jsonb answer per request, in the order sent.
 */
export const RESERVE_BATCH: Statement = {
  name: 'inventory_reserve_batch',
  text: `SELECT inventory_reserve_batch($1::text[], $2::text[], $3::uuid[], $4::text[], $5::int4[], $6::int4[], $7::int8[], $8::int4[]) AS answers`,
};

/** The items a reservation's lines hold (lines never change item), to lock before changing it. */
export const RESERVATION_ITEMS: Statement = {
  name: 'inventory_reservation_items',
  text: `SELECT DISTINCT inventory_item_id::text AS inventory_item_id FROM reservation_lines WHERE reservation_id = ANY($1::uuid[])`,
};

/**
 * active → released (or expired, if already past its expiry); with $2 only
 * those past their expiry (the sweeper). Gives the units back to the counters.
 */
export const FINISH_RESERVATIONS: Statement = {
  name: 'inventory_finish_reservations',
  text: `
    WITH finished AS (
      UPDATE reservations
         SET status = CASE WHEN expires_at <= statement_timestamp() THEN 'expired' ELSE 'released' END,
             finished_at = statement_timestamp()
       WHERE id = ANY($1::uuid[])
         AND status = 'active'
         AND (NOT $2::bool OR expires_at <= statement_timestamp())
      RETURNING id, status
    ),
    lines AS (
      UPDATE reservation_lines l
         SET status = f.status
        FROM finished f
       WHERE l.reservation_id = f.id AND l.status = 'active'
      RETURNING l.inventory_item_id, l.quantity
    ),
    ${unitsGivenBack('lines')}
    SELECT count(*)::int AS finished FROM finished`,
};

/**
 * active (unexpired) → committed. Lines keep counting until Shopify reports
 * a level for their item newer than the sale — at the sale's location when the
 * commit names one ($3) — and if the projection already holds one, they are
 * settled at once.
 */
export const COMMIT_RESERVATION: Statement = {
  name: 'inventory_commit_reservation',
  text: `
    WITH committed AS (
      UPDATE reservations
         SET status = 'committed',
             committed_at = statement_timestamp(),
             sold_at = coalesce($2::timestamptz, statement_timestamp())
       WHERE id = $1 AND status = 'active' AND expires_at > statement_timestamp()
      RETURNING id, sold_at
    ),
    lines AS (
      UPDATE reservation_lines l
         SET status = CASE WHEN (CASE WHEN $3::int8 IS NULL THEN s.levels_updated_at
                                      ELSE (SELECT lv.updated_at FROM inventory_levels lv
                                             WHERE lv.inventory_item_id = l.inventory_item_id AND lv.location_id = $3::int8) END) > c.sold_at
                           THEN 'settled' ELSE 'committed' END,
             sold_at = c.sold_at,
             location_id = $3::int8
        FROM committed c, stock s
       WHERE l.reservation_id = c.id AND l.status = 'active' AND s.inventory_item_id = l.inventory_item_id
      RETURNING l.inventory_item_id, l.quantity, l.status
    ),
    ${unitsGivenBack(`lines WHERE status = 'settled'`)}
    SELECT count(*)::int AS committed FROM committed`,
};

export const RESERVATION_VIEW: Statement = {
  name: 'inventory_reservation_view',
  text: `
    SELECT r.id, r.cart_token,
           CASE WHEN r.status = 'active' AND r.expires_at <= statement_timestamp() THEN 'expired' ELSE r.status END AS status,
           r.created_at, r.expires_at, r.committed_at, r.sold_at,
           coalesce((
             SELECT json_agg(json_build_object('variantId', l.variant_id::text, 'quantity', l.quantity) ORDER BY l.variant_id)
               FROM reservation_lines l
              WHERE l.reservation_id = r.id
           ), '[]'::json) AS lines
      FROM reservations r
     WHERE r.id = $1`,
};

export const DUE_EXPIRIES: Statement = {
  name: 'inventory_due_expiries',
  text: `
    SELECT id FROM reservations
     WHERE status = 'active' AND expires_at <= statement_timestamp()
     ORDER BY expires_at
     LIMIT $1`,
};

export const OVERDUE_SALE_ITEMS: Statement = {
  name: 'inventory_overdue_sale_items',
  text: `
    SELECT DISTINCT inventory_item_id::text AS inventory_item_id
      FROM reservation_lines
     WHERE status = 'committed' AND sold_at < statement_timestamp() - $1::int * interval '1 second'
     LIMIT $2`,
};

/** Sold lines Shopify's levels never accounted for within the hold: they stop counting. */
export const SETTLE_OVERDUE_SALES: Statement = {
  name: 'inventory_settle_overdue_sales',
  text: `
    WITH settled AS (
      UPDATE reservation_lines
         SET status = 'settled'
       WHERE inventory_item_id = ANY($1::int8[])
         AND status = 'committed'
         AND sold_at < statement_timestamp() - $2::int * interval '1 second'
      RETURNING inventory_item_id, quantity
    ),
    ${unitsGivenBack('settled')}
    SELECT count(*)::int AS settled FROM settled`,
};

/** Housekeeping past the retention period; none of these rows counts against stock any more. */
export const CLEANUP: Statement[] = [
  {
    text: `
      DELETE FROM reservations WHERE id IN (
        SELECT id FROM reservations
         WHERE status IN ('released', 'expired') AND finished_at < now() - $1::int * interval '1 hour'
         LIMIT 5000)`,
  },
  {
    text: `
      DELETE FROM reservations WHERE id IN (
        SELECT r.id FROM reservations r
         WHERE r.status = 'committed' AND r.committed_at < now() - $1::int * interval '1 hour'
           AND NOT EXISTS (SELECT 1 FROM reservation_lines l WHERE l.reservation_id = r.id AND l.status = 'committed')
         LIMIT 5000)`,
  },
  {
    text: `
      DELETE FROM processed_events WHERE event_id IN (
        SELECT event_id FROM processed_events WHERE processed_at < now() - $1::int * interval '1 hour' LIMIT 5000)`,
  },
  {
    text: `
      DELETE FROM idempotency_keys WHERE key IN (
        SELECT key FROM idempotency_keys WHERE created_at < now() - $1::int * interval '1 hour' LIMIT 5000)`,
  },
];
