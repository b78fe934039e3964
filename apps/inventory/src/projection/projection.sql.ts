import type { Statement } from '../database/database';

/**
 * The projection's statements. Every write to a Shopify-sourced row is a
 * guarded upsert: it lands only if its version (updated_at, triggered_at) is
 * newer than the stored one, so replays, duplicates and reordering can never
 * move a row backwards, whatever the interleaving of transactions.
 */

/** Claims Shopify event ids; returns those not seen before (the rest are duplicates). */
export const MARK_PROCESSED: Statement = {
  name: 'inventory_mark_processed',
  text: `
    INSERT INTO processed_events (event_id, topic)
    SELECT * FROM unnest($1::text[], $2::text[])
    ON CONFLICT (event_id) DO NOTHING
    RETURNING event_id`,
};

export const UPSERT_LEVELS: Statement = {
  name: 'inventory_upsert_levels',
  text: `
    INSERT INTO inventory_levels AS t (inventory_item_id, location_id, available, updated_at, triggered_at)
    SELECT * FROM unnest($1::int8[], $2::int8[], $3::int4[], $4::timestamptz[], $5::timestamptz[])
    ON CONFLICT (inventory_item_id, location_id) DO UPDATE
       SET available = excluded.available,
           updated_at = excluded.updated_at,
           triggered_at = excluded.triggered_at,
           applied_at = clock_timestamp()
     WHERE (excluded.updated_at, excluded.triggered_at) > (t.updated_at, t.triggered_at)
    RETURNING inventory_item_id::text AS item, location_id::text AS location`,
};

export const UPSERT_ITEMS: Statement = {
  name: 'inventory_upsert_items',
  text: `
    INSERT INTO inventory_items AS t (inventory_item_id, tracked, sku, updated_at, triggered_at)
    SELECT * FROM unnest($1::int8[], $2::bool[], $3::text[], $4::timestamptz[], $5::timestamptz[])
    ON CONFLICT (inventory_item_id) DO UPDATE
       SET tracked = excluded.tracked, sku = excluded.sku, updated_at = excluded.updated_at, triggered_at = excluded.triggered_at
     WHERE (excluded.updated_at, excluded.triggered_at) > (t.updated_at, t.triggered_at)
    RETURNING inventory_item_id::text AS key`,
};

export const UPSERT_PRODUCTS: Statement = {
  name: 'inventory_upsert_products',
  text: `
    INSERT INTO products AS t (product_id, updated_at, triggered_at)
    SELECT * FROM unnest($1::int8[], $2::timestamptz[], $3::timestamptz[])
    ON CONFLICT (product_id) DO UPDATE
       SET updated_at = excluded.updated_at, triggered_at = excluded.triggered_at
     WHERE (excluded.updated_at, excluded.triggered_at) > (t.updated_at, t.triggered_at)
    RETURNING product_id::text AS key`,
};

/** Replaces the variant ↔ inventory item mapping of products whose newer version was just stored. */
export const REPLACE_VARIANTS: Statement = {
  name: 'inventory_replace_variants',
  text: `
    WITH incoming AS (
      SELECT * FROM unnest($1::int8[], $2::int8[], $3::int8[]) AS v(variant_id, product_id, inventory_item_id)
    ),
    removed AS (
      DELETE FROM variants v
       WHERE v.product_id = ANY($4::int8[])
         AND NOT EXISTS (SELECT 1 FROM incoming i WHERE i.variant_id = v.variant_id)
    )
    INSERT INTO variants AS t (variant_id, product_id, inventory_item_id)
    SELECT * FROM incoming
    ON CONFLICT (variant_id) DO UPDATE
       SET product_id = excluded.product_id, inventory_item_id = excluded.inventory_item_id
     WHERE (t.product_id, t.inventory_item_id) IS DISTINCT FROM (excluded.product_id, excluded.inventory_item_id)`,
};

/** Every item a variant or a level points at has a stock row to lock and count against. */
export const ENSURE_STOCK: Statement = {
  name: 'inventory_ensure_stock',
  text: `
    INSERT INTO stock (inventory_item_id)
    SELECT id FROM unnest($1::int8[]) WITH ORDINALITY AS i(id, ord) ORDER BY ord
    ON CONFLICT (inventory_item_id) DO NOTHING`,
};

/**
 * Run after LOCK_STOCK, so it reads every level committed before this
 * transaction got the lock: recomputes sellable stock from the levels, and
 * settles committed (sold) lines that a Shopify level newer than the sale
 * now accounts for — they stop counting in the same commit that makes the
 * sale visible in `on_hand`, so the sale is never counted twice nor zero times.
 */
export const REFRESH_STOCK: Statement = {
  name: 'inventory_refresh_stock',
  text: `
    WITH totals AS (
      SELECT inventory_item_id, sum(available) AS on_hand, max(updated_at) AS levels_updated_at
        FROM inventory_levels
       WHERE inventory_item_id = ANY($1::int8[])
       GROUP BY inventory_item_id
    ),
    settled AS (
      UPDATE reservation_lines l
         SET status = 'settled'
        FROM totals t
       WHERE l.inventory_item_id = t.inventory_item_id
         AND l.status = 'committed'
         -- At the sale's location when the commit named one, else at any location.
         AND l.sold_at < CASE WHEN l.location_id IS NULL THEN t.levels_updated_at
                              ELSE (SELECT lv.updated_at FROM inventory_levels lv
                                     WHERE lv.inventory_item_id = l.inventory_item_id AND lv.location_id = l.location_id) END
      RETURNING l.inventory_item_id, l.quantity
    ),
    released AS (
      SELECT inventory_item_id, sum(quantity) AS quantity FROM settled GROUP BY inventory_item_id
    )
    UPDATE stock s
       SET on_hand = coalesce(t.on_hand, 0),
           levels_updated_at = t.levels_updated_at,
           reserved = s.reserved - coalesce(r.quantity, 0)
      FROM totals t
      LEFT JOIN released r ON r.inventory_item_id = t.inventory_item_id
     WHERE s.inventory_item_id = t.inventory_item_id`,
};

/*
 * Deletions (a reconciler found rows Shopify no longer has). Guarded like the
 * upserts: a row goes only if its version is older than the deletion's, so a
 * webhook newer than the snapshot keeps it; a deletion of a row already gone
 * changes nothing.
 */
export const DELETE_LEVELS: Statement = {
  name: 'inventory_delete_levels',
  text: `
    DELETE FROM inventory_levels t
     USING unnest($1::int8[], $2::int8[], $3::timestamptz[], $4::timestamptz[]) AS d(inventory_item_id, location_id, updated_at, triggered_at)
     WHERE t.inventory_item_id = d.inventory_item_id AND t.location_id = d.location_id
       AND (t.updated_at, t.triggered_at) < (d.updated_at, d.triggered_at)
    RETURNING t.inventory_item_id::text AS item, t.location_id::text AS location`,
};

export const DELETE_ITEMS: Statement = {
  name: 'inventory_delete_items',
  text: `
    DELETE FROM inventory_items t
     USING unnest($1::int8[], $2::timestamptz[], $3::timestamptz[]) AS d(inventory_item_id, updated_at, triggered_at)
     WHERE t.inventory_item_id = d.inventory_item_id
       AND (t.updated_at, t.triggered_at) < (d.updated_at, d.triggered_at)
    RETURNING t.inventory_item_id::text AS key`,
};

/** A product goes with its variant mapping. */
export const DELETE_PRODUCTS: Statement = {
  name: 'inventory_delete_products',
  text: `
    WITH gone AS (
      DELETE FROM products t
       USING unnest($1::int8[], $2::timestamptz[], $3::timestamptz[]) AS d(product_id, updated_at, triggered_at)
       WHERE t.product_id = d.product_id
         AND (t.updated_at, t.triggered_at) < (d.updated_at, d.triggered_at)
      RETURNING t.product_id
    ),
    unmapped AS (
      DELETE FROM variants v USING gone WHERE v.product_id = gone.product_id
    )
    SELECT product_id::text AS key FROM gone`,
};

/**
 * After REFRESH_STOCK (which only sees items that still have levels): an item
 * whose last level went has nothing on hand. `levels_updated_at` stays, the
 * time of the last level Shopify counted, which the reservations' sale
 * settlement compares with.
 */
export const CLEAR_STOCK_WITHOUT_LEVELS: Statement = {
  name: 'inventory_clear_stock_without_levels',
  text: `
    UPDATE stock s
       SET on_hand = 0
     WHERE s.inventory_item_id = ANY($1::int8[])
       AND NOT EXISTS (SELECT 1 FROM inventory_levels l WHERE l.inventory_item_id = s.inventory_item_id)`,
};
