import type { MigrationInterface, QueryRunner } from 'typeorm';
import { ReserveBatchSingleWrite1780400000000 } from './1780400000000-reserve-batch-single-write';

/**
 * `inventory_reserve_batch` with its inserts before the stock row locks (issue #17; docs/performance.md,
 * "Reservations: group commit"). Same signature and answers as the ReserveBatchSingleWrite version. Timed
 * inside the function, the batch's inserts (keys, reservations, lines, with their indexes and the lines'
 * foreign-key checks) were two thirds of the time it held its hot rows' locks, and a hot row's lock is
 * held to the commit: every other batch on that row waited for them.
 *
 * Now the function decides twice. Pass 1, before any stock lock, decides every request against a
 * snapshot of what is free and writes what those decisions make: each key with its answer, the
 * reservations and lines of its 201s. Pass 2 locks the stock rows (once, in item id order) and reads
 * what is free under the locks. If no request was short and every item still has what pass 1's 201s
 * take, the answers stand; otherwise it decides again: a request whose answer did not change costs
 * nothing more; one that did (another batch took the units since the snapshot, or gave some back) has
 * its key's answer corrected and its rows removed or written, under the locks. Then one counter update. What the
 * locks serialize is the lock, one read, the arithmetic and the counters, plus the corrections, which
 * only a contended sell-out makes. Nothing is visible to anyone before the commit, so the rule
 * `stock.reserved` = the units of active and committed lines holds for every committed state.
 *
 * The lock order is now keys (pass 1's INSERT, in key order), then stock rows (item order): a batch
 * waiting for a key holds no stock lock, only keys before it in that order, and a batch waiting for a
 * stock row holds all its keys; no cycle is possible. (No other statement takes both: release, commit
 * and the sweeper lock stock rows only.) A key a concurrent transaction holds still makes pass 1's
 * INSERT wait for that one and skip the key: SQLSTATE UR001, nothing stored, the caller runs the batch
 * again and the key's stored answer is replayed — as before, but without holding a hot row meanwhile.
 */
export class ReserveBatchBeforeLocks1780450000000 implements MigrationInterface {
  name = 'ReserveBatchBeforeLocks1780450000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION inventory_reserve_batch(
        p_keys text[], p_request_hashes text[], p_ids uuid[], p_cart_tokens text[], p_ttl_seconds integer[],
        p_line_requests integer[], p_line_variant_ids bigint[], p_line_quantities integer[]
      ) RETURNS jsonb LANGUAGE plpgsql
      -- Its statements take arrays, for which the planner would otherwise make a custom plan per call (a
      -- quarter of a small batch's time). Generic plans are made once per connection, maybe while the
      -- tables are still small: with sequential scans off, every table is still reached by its index.
      SET plan_cache_mode = force_generic_plan
      SET enable_seqscan = off
      AS $$
      DECLARE
        n integer := coalesce(array_length(p_keys, 1), 0);
        m integer := coalesce(array_length(p_line_requests, 1), 0);
        v_now timestamptz := clock_timestamp();
        v_now_iso text := to_char(v_now AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"');
        -- Per request (index i): its lines are v_first[i] .. v_last[i].
        v_first integer[] := array_fill(0, ARRAY[n]);
        v_last integer[] := array_fill(-1, ARRAY[n]);
        -- Per request: the answer stored under its key before this batch (v_s_found false: none).
        v_s_found boolean[];
        v_s_hashes text[];
        v_s_status integer[];
        v_s_bodies jsonb[];
        -- Per request: what this batch answers, and whether it writes the key (first decision of a key).
        v_outcome text[] := array_fill(NULL::text, ARRAY[n]);
        v_status integer[] := array_fill(NULL::integer, ARRAY[n]);
        v_bodies jsonb[] := array_fill(NULL::jsonb, ARRAY[n]);
        v_expires timestamptz[] := array_fill(NULL::timestamptz, ARRAY[n]);
        v_writes boolean[];
        v_to_write integer;
        v_written integer;
        -- Per request: the first pass's answer (before the locks), and what the writes do with it.
        v_pass integer;
        v_created boolean[] := array_fill(false, ARRAY[n]);
        v_guess_status integer[];
        v_guess_bodies jsonb[];
        v_claim boolean[];
        v_fix boolean[];
        v_insert boolean[];
        v_delete boolean[];
        v_changed integer;
        -- Pass 1's snapshot of what was free per item slot, what its 201s left, and whether any request was short.
        v_free_seen bigint[];
        v_slots_seen integer[];
        v_left bigint[];
        v_any_short boolean;
        v_unchanged boolean;
        -- Per line (index j): its item (NULL: unknown variant), and that item's slot in v_free.
        v_line_items bigint[];
        v_line_slots integer[];
        -- Per item slot, in item order: what is free under the locks (NULL: not tracked, never short).
        v_free bigint[];
        -- The key being decided, and the answer it holds so far (stored, or decided earlier in this batch).
        v_key text;
        v_key_found boolean := false;
        v_key_hash text;
        v_key_status integer;
        v_key_body jsonb;
        v_short jsonb;
        v_lines jsonb;
        v_need bigint;
        v_known boolean;
        v_unknown text[];
        i integer;
        j integer;
        k integer;
      BEGIN
        IF n = 0 THEN
          RETURN '[]'::jsonb;
        END IF;
        FOR j IN 1 .. m LOOP
          i := p_line_requests[j];
          IF v_first[i] = 0 THEN v_first[i] := j; END IF;
          v_last[i] := j;
        END LOOP;

        -- Before any lock: each line's item, and each request's stored answer (a key stored after this
        -- read makes pass 1's INSERT skip it, and the batch is run again: see above).
        -- (LATERAL … LIMIT 1: one index probe per element, whatever the planner guesses about the arrays.)
        SELECT array_agg(v.item ORDER BY l.ord) INTO v_line_items
          FROM unnest(p_line_variant_ids) WITH ORDINALITY AS l(variant_id, ord)
          LEFT JOIN LATERAL (SELECT v.inventory_item_id AS item FROM variants v WHERE v.variant_id = l.variant_id LIMIT 1) v ON true;
        SELECT array_agg(k.found IS NOT NULL ORDER BY u.ord), array_agg(k.request_hash ORDER BY u.ord),
               array_agg(k.response_status ORDER BY u.ord), array_agg(k.response_body ORDER BY u.ord)
          INTO v_s_found, v_s_hashes, v_s_status, v_s_bodies
          FROM unnest(p_keys) WITH ORDINALITY AS u(key, ord)
          LEFT JOIN LATERAL (SELECT true AS found, k.request_hash, k.response_status, k.response_body
                               FROM idempotency_keys k WHERE k.key = u.key LIMIT 1) k ON true;

        -- Two passes over the same decisions. Pass 1, before any stock lock, decides against a snapshot of
        -- what is free and writes the keys, reservations and lines those decisions make; pass 2 takes the
        -- locks and, unless what is free under them still covers pass 1's answers, decides again and
        -- corrects only the requests whose answer changed (a unit another batch took since, or gave back). The rows a hot item's lock
        -- serializes are then the lock, one read, the decisions and the counter update, not the batch's inserts.
        FOR v_pass IN 1 .. 2 LOOP
          IF v_pass = 2 THEN
            -- Every stock row of the batch, once, in item id order.
            PERFORM 1 FROM stock WHERE inventory_item_id = ANY(v_line_items) ORDER BY inventory_item_id FOR UPDATE;
          END IF;
          -- A new statement, a new snapshot: in pass 2, every reservation committed before the locks is counted.
          WITH a AS (
            SELECT a.inventory_item_id AS item, CASE WHEN a.tracked THEN a.on_hand - a.reserved END AS free,
                   row_number() OVER (ORDER BY a.inventory_item_id) AS slot
              FROM item_availability a
             WHERE a.inventory_item_id = ANY(v_line_items)
          )
          SELECT (SELECT array_agg(a.free ORDER BY a.slot) FROM a),
                 (SELECT array_agg(a.slot::integer ORDER BY l.ord) FROM unnest(v_line_items) WITH ORDINALITY AS l(item, ord) LEFT JOIN a ON a.item = l.item)
            INTO v_free, v_line_slots;
          IF v_pass = 1 THEN
            v_free_seen := v_free;
            v_slots_seen := v_line_slots;
          ELSE
            -- If no request was short and every item still has at least what pass 1's 201s took, deciding
            -- again gives the same answers (each request's need fits in what the whole batch takes): done.
            v_unchanged := NOT v_any_short AND v_line_slots IS NOT DISTINCT FROM v_slots_seen
                           AND coalesce(array_length(v_free, 1), 0) = coalesce(array_length(v_free_seen, 1), 0);
            FOR k IN 1 .. CASE WHEN v_unchanged THEN coalesce(array_length(v_free, 1), 0) ELSE 0 END LOOP
              IF (v_free[k] IS NULL) <> (v_free_seen[k] IS NULL) OR v_free[k] < v_free_seen[k] - v_left[k] THEN
                v_unchanged := false;
              END IF;
            END LOOP;
            EXIT WHEN v_unchanged;
            v_guess_status := v_status;
            v_guess_bodies := v_bodies;
          END IF;
          v_outcome := array_fill(NULL::text, ARRAY[n]);
          v_status := array_fill(NULL::integer, ARRAY[n]);
          v_bodies := array_fill(NULL::jsonb, ARRAY[n]);
          v_expires := array_fill(NULL::timestamptz, ARRAY[n]);
          v_writes := array_fill(false, ARRAY[n]);
          v_to_write := 0;
          v_key := NULL;

          -- Each request in turn, against what the ones before it left: arithmetic only, no statement.
          FOR i IN 1 .. n LOOP
            IF v_key IS DISTINCT FROM p_keys[i] THEN
              v_key := p_keys[i];
              v_key_found := v_s_found[i];
              v_key_hash := v_s_hashes[i];
              v_key_status := v_s_status[i];
              v_key_body := v_s_bodies[i];
            END IF;
            IF v_key_found THEN
              IF v_key_status IS NULL THEN
                v_outcome[i] := 'in_use'; -- claimed by the ReserveBatch version, never answered
              ELSIF v_key_hash <> p_request_hashes[i] THEN
                v_outcome[i] := 'key_reused';
              ELSE
                v_outcome[i] := 'replayed';
                v_status[i] := v_key_status;
                v_bodies[i] := v_key_body;
              END IF;
              CONTINUE;
            END IF;
            v_known := true;
            FOR j IN v_first[i] .. v_last[i] LOOP
              IF v_line_items[j] IS NULL THEN v_known := false; END IF;
            END LOOP;
            IF NOT v_known THEN
              v_unknown := '{}';
              FOR j IN v_first[i] .. v_last[i] LOOP
                IF v_line_items[j] IS NULL THEN v_unknown := v_unknown || p_line_variant_ids[j]::text; END IF;
              END LOOP;
              v_outcome[i] := 'unknown_variant';
              v_bodies[i] := to_jsonb(v_unknown);
              CONTINUE;
            END IF;

            -- A line is short if its item cannot supply what the request's lines on that item need
            -- together (two variants may share an item); a request has few lines.
            v_short := '[]';
            FOR j IN v_first[i] .. v_last[i] LOOP
              k := v_line_slots[j];
              CONTINUE WHEN k IS NULL OR v_free[k] IS NULL;
              v_need := 0;
              FOR p IN v_first[i] .. v_last[i] LOOP
                IF v_line_slots[p] = k THEN v_need := v_need + p_line_quantities[p]; END IF;
              END LOOP;
              IF v_free[k] < v_need THEN
                v_short := v_short || jsonb_build_object('variantId', p_line_variant_ids[j]::text, 'requested', p_line_quantities[j],
                                                         'availableQuantity', greatest(v_free[k], 0));
              END IF;
            END LOOP;

            IF jsonb_array_length(v_short) > 0 THEN
              v_outcome[i] := 'insufficient';
              v_status[i] := 409;
              v_bodies[i] := jsonb_build_object('error', jsonb_build_object(
                'code', 'INSUFFICIENT_INVENTORY',
                'message', format('not enough stock for %s line(s)', jsonb_array_length(v_short)),
                'details', jsonb_build_object('lines', v_short)));
            ELSE
              v_lines := '[]';
              FOR j IN v_first[i] .. v_last[i] LOOP
                k := v_line_slots[j];
                IF k IS NOT NULL AND v_free[k] IS NOT NULL THEN v_free[k] := v_free[k] - p_line_quantities[j]; END IF;
                v_lines := v_lines || jsonb_build_object('variantId', p_line_variant_ids[j]::text, 'quantity', p_line_quantities[j]);
              END LOOP;
              v_expires[i] := v_now + p_ttl_seconds[i] * interval '1 second';
              v_outcome[i] := 'created';
              v_status[i] := 201;
              v_bodies[i] := jsonb_build_object(
                'id', p_ids[i], 'cartToken', p_cart_tokens[i], 'status', 'active',
                'createdAt', v_now_iso, 'expiresAt', to_char(v_expires[i] AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                'committedAt', NULL, 'soldAt', NULL, 'lines', v_lines);
            END IF;
            v_writes[i] := true;
            v_to_write := v_to_write + 1;
            v_key_found := true;
            v_key_hash := p_request_hashes[i];
            v_key_status := v_status[i];
            v_key_body := v_bodies[i];
          END LOOP;
          IF v_pass = 1 THEN
            v_left := v_free;
            v_any_short := 'insufficient' = ANY(v_outcome);
          END IF;

          -- What this pass writes, one statement. Pass 1: every key with its answer, and the reservations and
          -- lines of its 201s. Pass 2: the answers that changed under the locks (a 201 that became a 409 loses
          -- its rows, a 409 that became a 201 gets them). A key a concurrent transaction holds makes pass 1's
          -- INSERT wait until that one commits (holding no stock lock), and is then skipped: counted below.
          v_claim := array_fill(false, ARRAY[n]);
          v_fix := array_fill(false, ARRAY[n]);
          v_insert := array_fill(false, ARRAY[n]);
          v_delete := array_fill(false, ARRAY[n]);
          v_changed := 0;
          FOR i IN 1 .. n LOOP
            CONTINUE WHEN NOT v_writes[i];
            IF v_pass = 1 THEN
              v_claim[i] := true;
            ELSIF v_status[i] IS DISTINCT FROM v_guess_status[i] OR v_bodies[i] IS DISTINCT FROM v_guess_bodies[i] THEN
              v_fix[i] := true;
            END IF;
            v_insert[i] := v_status[i] = 201 AND NOT v_created[i];
            v_delete[i] := v_created[i] AND v_status[i] <> 201;
            IF v_claim[i] OR v_fix[i] OR v_insert[i] OR v_delete[i] THEN v_changed := v_changed + 1; END IF;
          END LOOP;
          IF v_changed > 0 THEN
            WITH r AS (
              SELECT * FROM unnest(p_keys, p_request_hashes, p_ids, p_cart_tokens, v_expires, v_status, v_bodies, v_claim, v_fix, v_insert, v_delete)
                       WITH ORDINALITY AS r(key, hash, id, cart_token, expires_at, status, body, claim, fix, ins, del, ord)
               WHERE r.claim OR r.fix OR r.ins OR r.del
            ),
            l AS (
              SELECT p_ids[l.request] AS id, p_cart_tokens[l.request] AS cart_token, v_expires[l.request] AS expires_at,
                     l.variant_id, v_line_items[l.ord] AS item_id, l.quantity
                FROM unnest(p_line_requests, p_line_variant_ids, p_line_quantities) WITH ORDINALITY AS l(request, variant_id, quantity, ord)
               WHERE v_insert[l.request]
            ),
            claimed AS (
              INSERT INTO idempotency_keys (key, request_hash, response_status, response_body)
              SELECT r.key, r.hash, r.status, r.body FROM r WHERE r.claim ORDER BY r.ord
              ON CONFLICT (key) DO NOTHING
              RETURNING 1
            ),
            answered AS (
              UPDATE idempotency_keys k SET response_status = r.status, response_body = r.body FROM r WHERE r.fix AND k.key = r.key
            ),
            -- Its lines go with it (ON DELETE CASCADE).
            dropped AS (
              DELETE FROM reservations x USING r WHERE r.del AND x.id = r.id
            ),
            reservations_written AS (
              INSERT INTO reservations (id, cart_token, status, created_at, expires_at)
              SELECT r.id, r.cart_token, 'active', v_now, r.expires_at FROM r WHERE r.ins
            ),
            lines_written AS (
              INSERT INTO reservation_lines (reservation_id, variant_id, inventory_item_id, quantity, status, cart_token, expires_at)
              SELECT l.id, l.variant_id, l.item_id, l.quantity, 'active', l.cart_token, l.expires_at FROM l
            )
            SELECT count(*) INTO v_written FROM claimed;
            IF v_pass = 1 AND v_written < v_to_write THEN
              RAISE EXCEPTION 'an Idempotency-Key of this batch was claimed by a concurrent transaction; run the batch again'
                USING ERRCODE = 'UR001';
            END IF;
            FOR i IN 1 .. n LOOP
              IF v_insert[i] THEN v_created[i] := true; ELSIF v_delete[i] THEN v_created[i] := false; END IF;
            END LOOP;
          END IF;
        END LOOP;

        -- Under the locks: the counters, by the units of the 201s.
        UPDATE stock s
           SET reserved = s.reserved + d.quantity
          FROM (SELECT v_line_items[l.ord] AS item_id, sum(l.quantity) AS quantity
                  FROM unnest(p_line_requests, p_line_quantities) WITH ORDINALITY AS l(request, quantity, ord)
                 WHERE v_created[l.request]
                 GROUP BY 1) d
         WHERE s.inventory_item_id = d.item_id;

        RETURN (
          SELECT jsonb_agg(CASE
                   WHEN a.outcome = 'unknown_variant' THEN jsonb_build_object('outcome', a.outcome, 'variants', a.body)
                   WHEN a.status IS NULL THEN jsonb_build_object('outcome', a.outcome)
                   ELSE jsonb_build_object('outcome', a.outcome, 'status', a.status, 'body', a.body)
                 END ORDER BY a.ord)
            FROM unnest(v_outcome, v_status, v_bodies) WITH ORDINALITY AS a(outcome, status, body, ord));
      END
      $$`);
  }

  /** Back to the ReserveBatchSingleWrite version (inserts under the locks). */
  async down(queryRunner: QueryRunner): Promise<void> {
    await new ReserveBatchSingleWrite1780400000000().up(queryRunner);
  }
}
