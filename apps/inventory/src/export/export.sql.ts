import type { Statement } from '../database/database';

/**
 * One page of the projection in key order, keyset-paginated (`> after`), or
 * the rows of a few ids. Times as ISO-8601 UTC with microseconds, the
 * precision the guard compares at.
 */
const ISO = `'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'`;
const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', ${ISO})`;

export const EXPORT_LEVELS: Statement = {
  name: 'inventory_export_levels',
  text: `
    SELECT inventory_item_id::text AS "inventoryItemId", location_id::text AS "locationId", available,
           ${iso('updated_at')} AS "updatedAt", ${iso('triggered_at')} AS "triggeredAt"
      FROM inventory_levels
     WHERE (inventory_item_id, location_id) > ($1::int8, $2::int8)
       AND ($4::int8[] IS NULL OR inventory_item_id = ANY($4::int8[]))
     ORDER BY inventory_item_id, location_id
     LIMIT $3`,
};

export const EXPORT_ITEMS: Statement = {
  name: 'inventory_export_items',
  text: `
    SELECT inventory_item_id::text AS "inventoryItemId", tracked, sku,
           ${iso('updated_at')} AS "updatedAt", ${iso('triggered_at')} AS "triggeredAt"
      FROM inventory_items
     WHERE inventory_item_id > $1::int8
       AND ($3::int8[] IS NULL OR inventory_item_id = ANY($3::int8[]))
     ORDER BY inventory_item_id
     LIMIT $2`,
};

export const EXPORT_PRODUCTS: Statement = {
  name: 'inventory_export_products',
  text: `
    SELECT p.product_id::text AS "productId", ${iso('p.updated_at')} AS "updatedAt", ${iso('p.triggered_at')} AS "triggeredAt",
           coalesce((SELECT json_agg(json_build_array(v.variant_id::text, v.inventory_item_id::text) ORDER BY v.variant_id)
                       FROM variants v WHERE v.product_id = p.product_id), '[]'::json) AS variants
      FROM products p
     WHERE p.product_id > $1::int8
       AND ($3::int8[] IS NULL OR p.product_id = ANY($3::int8[]))
     ORDER BY p.product_id
     LIMIT $2`,
};
