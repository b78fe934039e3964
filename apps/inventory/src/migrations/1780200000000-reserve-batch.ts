import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Group commit for reservations (see docs/performance.md, "Reservations: group commit"):
 * `inventory_reserve_batch` applies many reservation requests in one transaction, one
 * round trip, one WAL flush. The order of locks every batch takes, so no two wait on each
 * other in a cycle:
 *   1. every stock row any of its lines needs, at once, in item id order (as LOCK_STOCK);
 *   2. then the Idempotency-Keys it claims, in the order the caller gives (key order).
 * A transaction waiting on a key therefore only ever waits on one that already holds all its
 * stock rows and claims keys in the same order.
 *
 * The allocation is computed in memory against the locked rows: what is free per item is
 * read once under the locks, then each request in turn (in the caller's order) either fits —
 * and what it takes is subtracted before the next one is looked at — or gets its own 409 and
 * takes nothing, so the requests of a batch are decided exactly as separate transactions in
 * that order would be. The batch's writes are then a few set-based statements, whatever its
 * size. Unknown variants are an answer (`unknown_variant`), not an exception, and claim no key,
 * so a retry can succeed once the variant is known; anything that does raise fails the whole
 * batch (nothing of it is stored), and the service then runs that batch's requests one at a
 * time, so the failure stays with the request that caused it.
 */
export class ReserveBatch1780200000000 implements MigrationInterface {
  name = 'ReserveBatch1780200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Request i's lines are the entries of the line arrays whose p_line_requests is i (1-based),
    // contiguous and in line order. Returns one answer per request, in the given order.
    await queryRunner.query(`
      CREATE FUNCTION inventory_reserve_batch(
        p_keys text[], p_request_hashes text[], p_ids uuid[], p_cart_tokens text[], p_ttl_seconds integer[],
        p_line_requests integer[], p_line_variant_ids bigint[], p_line_quantities integer[]
      ) RETURNS jsonb LANGUAGE plpgsql AS $$
      DECLARE
        n integer := coalesce(array_length(p_keys, 1), 0);
        v_now timestamptz := clock_timestamp();
        v_now_iso text := inventory_iso(v_now);
        v_first integer[] := array_fill(0, ARRAY[n]);
        v_last integer[] := array_fill(-1, ARRAY[n]);
        v_known boolean[] := array_fill(true, ARRAY[n]);
        v_line_items bigint[];
        -- What is free per item under the locks (NULL: not tracked, never short), as the batch goes.
        v_items bigint[];
        v_free bigint[];
        -- Answers already stored, and those this batch decides (a later request with the key replays them).
        v_s_keys text[];
        v_s_hashes text[];
        v_s_status integer[];
        v_s_bodies jsonb[];
        v_claim_keys text[] := '{}';
        v_claim_hashes text[] := '{}';
        v_claimed text[];
        v_answers jsonb[] := '{}';
        w_keys text[] := '{}';
        w_status integer[] := '{}';
        w_bodies jsonb[] := '{}';
        w_ids uuid[] := '{}';
        w_carts text[] := '{}';
        w_expires timestamptz[] := '{}';
        w_l_ids uuid[] := '{}';
        w_l_variants bigint[] := '{}';
        w_l_items bigint[] := '{}';
        w_l_quantities integer[] := '{}';
        w_l_carts text[] := '{}';
        w_l_expires timestamptz[] := '{}';
        v_need_items bigint[];
        v_need bigint[];
        v_short jsonb;
        v_lines jsonb;
        v_body jsonb;
        v_status integer;
        v_expires timestamptz;
        v_unknown text[];
        i integer;
        j integer;
        k integer;
        p integer;
      BEGIN
        IF n = 0 THEN
          RETURN '[]'::jsonb;
        END IF;
        FOR j IN 1 .. array_length(p_line_requests, 1) LOOP
          i := p_line_requests[j];
          IF v_first[i] = 0 THEN v_first[i] := j; END IF;
          v_last[i] := j;
        END LOOP;
        SELECT array_agg(v.inventory_item_id ORDER BY l.ord) INTO v_line_items
          FROM unnest(p_line_variant_ids) WITH ORDINALITY AS l(variant_id, ord)
          LEFT JOIN variants v ON v.variant_id = l.variant_id;

        -- 1. Every stock row of the batch, once, in item id order.
        PERFORM 1 FROM stock WHERE inventory_item_id = ANY(v_line_items) ORDER BY inventory_item_id FOR UPDATE;
        -- A new statement, a new snapshot: every reservation committed before the locks is counted.
        SELECT coalesce(array_agg(a.inventory_item_id), '{}'), coalesce(array_agg(CASE WHEN a.tracked THEN a.on_hand - a.reserved END), '{}')
          INTO v_items, v_free
          FROM item_availability a
         WHERE a.inventory_item_id = ANY(v_line_items);

        -- 2. The keys: stored answers, then claims in key order for the first request of each other key
        -- whose variants are all known (unknown variants claim nothing, so a later retry can succeed).
        SELECT coalesce(array_agg(k.key), '{}'), coalesce(array_agg(k.request_hash), '{}'),
               coalesce(array_agg(k.response_status), '{}'), coalesce(array_agg(k.response_body), '{}')
          INTO v_s_keys, v_s_hashes, v_s_status, v_s_bodies
          FROM idempotency_keys k
         WHERE k.key = ANY(p_keys);
        FOR i IN 1 .. n LOOP
          FOR j IN v_first[i] .. v_last[i] LOOP
            IF v_line_items[j] IS NULL THEN v_known[i] := false; END IF;
          END LOOP;
          IF v_known[i] AND array_position(v_s_keys, p_keys[i]) IS NULL AND array_position(v_claim_keys, p_keys[i]) IS NULL THEN
            v_claim_keys := v_claim_keys || p_keys[i];
            v_claim_hashes := v_claim_hashes || p_request_hashes[i];
          END IF;
        END LOOP;
        -- A key a concurrent transaction holds makes this wait until it commits; it is then that one's.
        WITH claimed AS (
          INSERT INTO idempotency_keys (key, request_hash)
          SELECT c.key, c.hash FROM unnest(v_claim_keys, v_claim_hashes) WITH ORDINALITY AS c(key, hash, ord) ORDER BY c.ord
          ON CONFLICT (key) DO NOTHING
          RETURNING key
        )
        SELECT coalesce(array_agg(key), '{}') INTO v_claimed FROM claimed;
        IF cardinality(v_claimed) < cardinality(v_claim_keys) THEN
          SELECT v_s_keys || coalesce(array_agg(k.key), '{}'), v_s_hashes || coalesce(array_agg(k.request_hash), '{}'),
                 v_s_status || coalesce(array_agg(k.response_status), '{}'), v_s_bodies || coalesce(array_agg(k.response_body), '{}')
            INTO v_s_keys, v_s_hashes, v_s_status, v_s_bodies
            FROM idempotency_keys k
           WHERE k.key = ANY(v_claim_keys) AND NOT k.key = ANY(v_claimed);
        END IF;

        -- 3. Each request in turn, against what the ones before it left: arithmetic only, no statement.
        FOR i IN 1 .. n LOOP
          p := array_position(v_s_keys, p_keys[i]);
          IF p IS NOT NULL THEN
            IF v_s_status[p] IS NULL THEN
              v_answers := v_answers || jsonb_build_object('outcome', 'in_use');
            ELSIF v_s_hashes[p] <> p_request_hashes[i] THEN
              v_answers := v_answers || jsonb_build_object('outcome', 'key_reused');
            ELSE
              v_answers := v_answers || jsonb_build_object('outcome', 'replayed', 'status', v_s_status[p], 'body', v_s_bodies[p]);
            END IF;
            CONTINUE;
          END IF;
          IF NOT v_known[i] THEN
            v_unknown := '{}';
            FOR j IN v_first[i] .. v_last[i] LOOP
              IF v_line_items[j] IS NULL THEN v_unknown := v_unknown || p_line_variant_ids[j]::text; END IF;
            END LOOP;
            v_answers := v_answers || jsonb_build_object('outcome', 'unknown_variant', 'variants', to_jsonb(v_unknown));
            CONTINUE;
          END IF;

          -- Quantities per item (two variants may share one), then the lines whose item cannot supply them.
          v_need_items := '{}';
          v_need := '{}';
          FOR j IN v_first[i] .. v_last[i] LOOP
            k := array_position(v_need_items, v_line_items[j]);
            IF k IS NULL THEN
              v_need_items := v_need_items || v_line_items[j];
              v_need := v_need || p_line_quantities[j]::bigint;
            ELSE
              v_need[k] := v_need[k] + p_line_quantities[j];
            END IF;
          END LOOP;
          v_short := '[]';
          FOR j IN v_first[i] .. v_last[i] LOOP
            p := array_position(v_items, v_line_items[j]);
            IF p IS NOT NULL AND v_free[p] IS NOT NULL AND v_free[p] < v_need[array_position(v_need_items, v_line_items[j])] THEN
              v_short := v_short || jsonb_build_object('variantId', p_line_variant_ids[j]::text, 'requested', p_line_quantities[j],
                                                       'availableQuantity', greatest(v_free[p], 0));
            END IF;
          END LOOP;

          IF jsonb_array_length(v_short) > 0 THEN
            v_status := 409;
            v_body := jsonb_build_object('error', jsonb_build_object(
              'code', 'INSUFFICIENT_INVENTORY',
              'message', format('not enough stock for %s line(s)', jsonb_array_length(v_short)),
              'details', jsonb_build_object('lines', v_short)));
          ELSE
            FOR k IN 1 .. cardinality(v_need_items) LOOP
              p := array_position(v_items, v_need_items[k]);
              IF p IS NOT NULL AND v_free[p] IS NOT NULL THEN v_free[p] := v_free[p] - v_need[k]; END IF;
            END LOOP;
            v_expires := v_now + p_ttl_seconds[i] * interval '1 second';
            v_lines := '[]';
            FOR j IN v_first[i] .. v_last[i] LOOP
              v_lines := v_lines || jsonb_build_object('variantId', p_line_variant_ids[j]::text, 'quantity', p_line_quantities[j]);
              w_l_ids := w_l_ids || p_ids[i];
              w_l_variants := w_l_variants || p_line_variant_ids[j];
              w_l_items := w_l_items || v_line_items[j];
              w_l_quantities := w_l_quantities || p_line_quantities[j];
              w_l_carts := w_l_carts || p_cart_tokens[i];
              w_l_expires := w_l_expires || v_expires;
            END LOOP;
            w_ids := w_ids || p_ids[i];
            w_carts := w_carts || p_cart_tokens[i];
            w_expires := w_expires || v_expires;
            v_status := 201;
            v_body := jsonb_build_object(
              'id', p_ids[i], 'cartToken', p_cart_tokens[i], 'status', 'active',
              'createdAt', v_now_iso, 'expiresAt', inventory_iso(v_expires),
              'committedAt', NULL, 'soldAt', NULL, 'lines', v_lines);
          END IF;
          w_keys := w_keys || p_keys[i];
          w_status := w_status || v_status;
          w_bodies := w_bodies || v_body;
          v_s_keys := v_s_keys || p_keys[i];
          v_s_hashes := v_s_hashes || p_request_hashes[i];
          v_s_status := v_s_status || v_status;
          v_s_bodies := v_s_bodies || v_body;
          v_answers := v_answers || jsonb_build_object('outcome', CASE v_status WHEN 201 THEN 'created' ELSE 'insufficient' END, 'status', v_status, 'body', v_body);
        END LOOP;

        -- 4. The batch's writes, one statement each.
        INSERT INTO reservations (id, cart_token, status, created_at, expires_at)
        SELECT r.id, r.cart_token, 'active', v_now, r.expires_at FROM unnest(w_ids, w_carts, w_expires) AS r(id, cart_token, expires_at);
        INSERT INTO reservation_lines (reservation_id, variant_id, inventory_item_id, quantity, status, cart_token, expires_at)
        SELECT l.id, l.variant_id, l.item_id, l.quantity, 'active', l.cart_token, l.expires_at
          FROM unnest(w_l_ids, w_l_variants, w_l_items, w_l_quantities, w_l_carts, w_l_expires) AS l(id, variant_id, item_id, quantity, cart_token, expires_at);
        UPDATE stock s
           SET reserved = s.reserved + d.quantity
          FROM (SELECT item_id, sum(quantity) AS quantity FROM unnest(w_l_items, w_l_quantities) AS u(item_id, quantity) GROUP BY item_id) d
         WHERE s.inventory_item_id = d.item_id;
        UPDATE idempotency_keys k
           SET response_status = w.status, response_body = w.body
          FROM unnest(w_keys, w_status, w_bodies) AS w(key, status, body)
         WHERE k.key = w.key;
        RETURN to_jsonb(v_answers);
      END
      $$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION IF EXISTS inventory_reserve_batch(text[], text[], uuid[], text[], integer[], integer[], bigint[], integer[])`);
  }
}
