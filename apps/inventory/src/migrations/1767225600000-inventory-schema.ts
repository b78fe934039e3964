import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The inventory projection and reservations. See docs/inventory.md for the model:
 * levels/items/products carry Shopify's version (updated_at, triggered_at) and
 * are only ever replaced by a newer one; `stock` keeps one row per inventory
 * item whose `reserved` counter every reservation changes under that row's lock.
 */
export class InventorySchema1767225600000 implements MigrationInterface {
  name = 'InventorySchema1767225600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE processed_webhooks (
        webhook_id   text PRIMARY KEY,
        topic        text NOT NULL,
        processed_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX processed_webhooks_processed_at ON processed_webhooks (processed_at)`);

    await queryRunner.query(`
      CREATE TABLE inventory_levels (
        inventory_item_id bigint NOT NULL,
        location_id       bigint NOT NULL,
        available         integer,
        updated_at        timestamptz NOT NULL,
        triggered_at      timestamptz NOT NULL,
        applied_at        timestamptz NOT NULL DEFAULT clock_timestamp(),
        PRIMARY KEY (inventory_item_id, location_id)
      )`);

    await queryRunner.query(`
      CREATE TABLE inventory_items (
        inventory_item_id bigint PRIMARY KEY,
        tracked           boolean NOT NULL,
        sku               text,
        updated_at        timestamptz NOT NULL,
        triggered_at      timestamptz NOT NULL
      )`);

    await queryRunner.query(`
      CREATE TABLE products (
        product_id   bigint PRIMARY KEY,
        updated_at   timestamptz NOT NULL,
        triggered_at timestamptz NOT NULL
      )`);

    await queryRunner.query(`
      CREATE TABLE variants (
        variant_id        bigint PRIMARY KEY,
        product_id        bigint NOT NULL,
        inventory_item_id bigint NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX variants_product ON variants (product_id)`);
    await queryRunner.query(`CREATE INDEX variants_inventory_item ON variants (inventory_item_id)`);

    // Updated on every reservation: room on each page keeps those updates HOT.
    await queryRunner.query(`
      CREATE TABLE stock (
        inventory_item_id bigint PRIMARY KEY,
        on_hand           bigint NOT NULL DEFAULT 0,
        reserved          bigint NOT NULL DEFAULT 0 CONSTRAINT stock_reserved_not_negative CHECK (reserved >= 0),
        levels_updated_at timestamptz
      ) WITH (fillfactor = 70)`);

    await queryRunner.query(`
      CREATE TABLE reservations (
        id           uuid PRIMARY KEY,
        cart_token   text NOT NULL,
        status       text NOT NULL CONSTRAINT reservations_status CHECK (status IN ('active', 'committed', 'released', 'expired')),
        created_at   timestamptz NOT NULL DEFAULT statement_timestamp(),
        expires_at   timestamptz NOT NULL,
        committed_at timestamptz,
        sold_at      timestamptz,
        finished_at  timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX reservations_expiry ON reservations (expires_at) WHERE status = 'active'`);
    await queryRunner.query(`CREATE INDEX reservations_finished ON reservations (finished_at) WHERE status IN ('released', 'expired')`);
    await queryRunner.query(`CREATE INDEX reservations_committed ON reservations (committed_at) WHERE status = 'committed'`);

    await queryRunner.query(`
      CREATE TABLE reservation_lines (
        reservation_id    uuid NOT NULL REFERENCES reservations (id) ON DELETE CASCADE,
        variant_id        bigint NOT NULL,
        inventory_item_id bigint NOT NULL,
        quantity          integer NOT NULL CONSTRAINT reservation_lines_quantity CHECK (quantity > 0),
        status            text NOT NULL
                          CONSTRAINT reservation_lines_status CHECK (status IN ('active', 'committed', 'settled', 'released', 'expired')),
        cart_token        text NOT NULL,
        expires_at        timestamptz NOT NULL,
        sold_at           timestamptz,
        PRIMARY KEY (reservation_id, variant_id)
      )`);
    await queryRunner.query(
      `CREATE INDEX reservation_lines_active ON reservation_lines (inventory_item_id, expires_at) INCLUDE (quantity) WHERE status = 'active'`,
    );
    await queryRunner.query(
      `CREATE INDEX reservation_lines_cart ON reservation_lines (inventory_item_id, cart_token) INCLUDE (quantity, expires_at) WHERE status = 'active'`,
    );
    await queryRunner.query(`CREATE INDEX reservation_lines_committed ON reservation_lines (inventory_item_id, sold_at) WHERE status = 'committed'`);

    await queryRunner.query(`
      CREATE TABLE idempotency_keys (
        key             text PRIMARY KEY,
        request_hash    text NOT NULL,
        response_status integer,
        response_body   jsonb,
        created_at      timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at)`);

    // The one definition of "how much of an item is spoken for": the counter,
    // minus active lines already past their expiry that the sweeper has not
    // released yet (they stop counting at their expiry instant, not at the sweep).
    await queryRunner.query(`
      CREATE VIEW item_availability AS
      SELECT s.inventory_item_id,
             coalesce(i.tracked, true) AS tracked,
             s.on_hand,
             s.reserved - coalesce((
               SELECT sum(l.quantity)
                 FROM reservation_lines l
                WHERE l.inventory_item_id = s.inventory_item_id
                  AND l.status = 'active'
                  AND l.expires_at <= statement_timestamp()
             ), 0) AS reserved
        FROM stock s
        LEFT JOIN inventory_items i ON i.inventory_item_id = s.inventory_item_id`);

    await queryRunner.query(`
      CREATE FUNCTION inventory_iso(t timestamptz) RETURNS text LANGUAGE sql IMMUTABLE AS $$
        SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
      $$`);

    // The lines an item cannot supply right now, as the 409's details (NULL: every line fits).
    // Quantities are summed per item, so two lines of one item are checked together.
    // PL/pgSQL rather than SQL so its plan is cached per connection instead of made per call.
    await queryRunner.query(`
      CREATE FUNCTION inventory_short_lines(p_variant_ids bigint[], p_item_ids bigint[], p_quantities integer[])
      RETURNS jsonb LANGUAGE plpgsql STABLE AS $$
      BEGIN
        RETURN (
          WITH wanted AS (
            SELECT * FROM unnest(p_variant_ids, p_item_ids, p_quantities) WITH ORDINALITY AS w(variant_id, inventory_item_id, quantity, ord)
          ),
          per_item AS (
            SELECT w.inventory_item_id, sum(w.quantity) AS quantity FROM wanted w GROUP BY w.inventory_item_id
          )
          SELECT jsonb_agg(jsonb_build_object('variantId', w.variant_id::text, 'requested', w.quantity,
                                              'availableQuantity', greatest(a.on_hand - a.reserved, 0)) ORDER BY w.ord)
            FROM wanted w
            JOIN per_item p ON p.inventory_item_id = w.inventory_item_id
            JOIN item_availability a ON a.inventory_item_id = w.inventory_item_id
           WHERE a.tracked AND a.on_hand - a.reserved < p.quantity
        );
      END
      $$`);

    // A reservation in one round trip, so the stock row locks are held for the
    // server-side work only, never across network hops or the application's
    // event loop: that is what keeps a hot variant's throughput up under contention.
    // Every statement in a volatile PL/pgSQL function takes a fresh snapshot, so
    // the re-check after FOR UPDATE sees every reservation committed before it.
    // Unknown variants raise SQLSTATE UI404: the caller's transaction (and the
    // Idempotency-Key claim with it) rolls back, so a retry can succeed later.
    await queryRunner.query(`
      CREATE FUNCTION inventory_reserve(
        p_key text, p_request_hash text, p_id uuid, p_cart_token text, p_ttl_seconds integer,
        p_variant_ids bigint[], p_quantities integer[]
      ) RETURNS jsonb LANGUAGE plpgsql AS $$
      DECLARE
        v_stored idempotency_keys%ROWTYPE;
        v_unknown text;
        v_item_ids bigint[];
        v_short jsonb;
        v_created reservations%ROWTYPE;
        v_status integer;
        v_body jsonb;
      BEGIN
        -- A concurrent request with the same key waits here until the first one commits.
        INSERT INTO idempotency_keys (key, request_hash) VALUES (p_key, p_request_hash) ON CONFLICT (key) DO NOTHING;
        IF NOT FOUND THEN
          SELECT * INTO v_stored FROM idempotency_keys WHERE key = p_key;
          IF v_stored.response_status IS NULL THEN
            RETURN jsonb_build_object('outcome', 'in_use');
          ELSIF v_stored.request_hash <> p_request_hash THEN
            RETURN jsonb_build_object('outcome', 'key_reused');
          END IF;
          RETURN jsonb_build_object('outcome', 'replayed', 'status', v_stored.response_status, 'body', v_stored.response_body);
        END IF;

        SELECT array_agg(v.inventory_item_id ORDER BY w.ord),
               string_agg(w.variant_id::text, ',') FILTER (WHERE v.variant_id IS NULL)
          INTO v_item_ids, v_unknown
          FROM unnest(p_variant_ids) WITH ORDINALITY AS w(variant_id, ord)
          LEFT JOIN variants v ON v.variant_id = w.variant_id;
        IF v_unknown IS NOT NULL THEN
          RAISE EXCEPTION 'unknown variants: %', v_unknown USING ERRCODE = 'UI404', DETAIL = v_unknown;
        END IF;

        -- A refusal read from a consistent snapshot is a correct answer and needs no lock:
        -- in a sell-out most requests end here and the lock queue holds only those that can succeed.
        v_short := inventory_short_lines(p_variant_ids, v_item_ids, p_quantities);
        IF v_short IS NULL THEN
          PERFORM 1 FROM stock WHERE inventory_item_id = ANY(v_item_ids) ORDER BY inventory_item_id FOR UPDATE;
          v_short := inventory_short_lines(p_variant_ids, v_item_ids, p_quantities);
        END IF;

        IF v_short IS NOT NULL THEN
          v_status := 409;
          v_body := jsonb_build_object('error', jsonb_build_object(
            'code', 'INSUFFICIENT_INVENTORY',
            'message', format('not enough stock for %s line(s)', jsonb_array_length(v_short)),
            'details', jsonb_build_object('lines', v_short)));
        ELSE
          INSERT INTO reservations (id, cart_token, status, created_at, expires_at)
          VALUES (p_id, p_cart_token, 'active', clock_timestamp(), clock_timestamp() + p_ttl_seconds * interval '1 second')
          RETURNING * INTO v_created;
          INSERT INTO reservation_lines (reservation_id, variant_id, inventory_item_id, quantity, status, cart_token, expires_at)
          SELECT p_id, w.variant_id, w.inventory_item_id, w.quantity, 'active', p_cart_token, v_created.expires_at
            FROM unnest(p_variant_ids, v_item_ids, p_quantities) AS w(variant_id, inventory_item_id, quantity);
          UPDATE stock s
             SET reserved = s.reserved + w.quantity
            FROM (SELECT inventory_item_id, sum(quantity) AS quantity
                    FROM unnest(v_item_ids, p_quantities) AS u(inventory_item_id, quantity)
                   GROUP BY inventory_item_id) w
           WHERE s.inventory_item_id = w.inventory_item_id;
          v_status := 201;
          v_body := jsonb_build_object(
            'id', p_id, 'cartToken', p_cart_token, 'status', 'active',
            'createdAt', inventory_iso(v_created.created_at), 'expiresAt', inventory_iso(v_created.expires_at),
            'committedAt', NULL, 'soldAt', NULL,
            'lines', (SELECT jsonb_agg(jsonb_build_object('variantId', w.variant_id::text, 'quantity', w.quantity) ORDER BY w.ord)
                        FROM unnest(p_variant_ids, p_quantities) WITH ORDINALITY AS w(variant_id, quantity, ord)));
        END IF;

        UPDATE idempotency_keys SET response_status = v_status, response_body = v_body WHERE key = p_key;
        RETURN jsonb_build_object('outcome', CASE v_status WHEN 201 THEN 'created' ELSE 'insufficient' END, 'status', v_status, 'body', v_body);
      END
      $$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION IF EXISTS inventory_reserve(text, text, uuid, text, integer, bigint[], integer[])`);
    await queryRunner.query(`DROP FUNCTION IF EXISTS inventory_short_lines(bigint[], bigint[], integer[])`);
    await queryRunner.query(`DROP FUNCTION IF EXISTS inventory_iso(timestamptz)`);
    await queryRunner.query(`DROP VIEW IF EXISTS item_availability`);
    for (const table of [
      'idempotency_keys',
      'reservation_lines',
      'reservations',
      'stock',
      'variants',
      'products',
      'inventory_items',
      'inventory_levels',
      'processed_webhooks',
    ]) {
      await queryRunner.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
